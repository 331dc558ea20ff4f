"""A rendered HTML report opened in headless Chromium shows its charts, with no network."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.pipeline import prepare_sample

pytestmark = [pytest.mark.ui, pytest.mark.slow]


def test_report_charts_render_offline(chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    data = prepare_sample(tmp_path / "data")
    res = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "report", "company_dilution", "-p", "company",
         "innovo", "--data", str(data), "--out", str(tmp_path / "reports")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    page_path = res.stdout.strip()
    remote: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on(
            "request",
            lambda r: remote.append(r.url) if not r.url.startswith(("file:", "data:")) else None,
        )
        page.goto(f"file://{page_path}")
        page.wait_for_load_state("load")
        charts = page.evaluate(
            """Array.from(document.querySelectorAll('.jp-OutputArea-output img'))
                .filter(i => i.src.startsWith('data:image/svg+xml'))
                .map(i => [i.complete, i.naturalWidth, i.naturalHeight,
                           i.getBoundingClientRect().width])"""
        )
        text = page.inner_text("body")
        page.screenshot(path=str(tmp_path / "company_dilution.png"), full_page=True)
        browser.close()
    assert len(charts) == 2
    assert all(done and w > 200 and h > 150 and shown > 200 for done, w, h, shown in charts)
    assert "2,000,000" in text and "$1,050.89" in text
    assert remote == []  # nothing fetched from the network
    assert (tmp_path / "company_dilution.png").stat().st_size > 20_000
