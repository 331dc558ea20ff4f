"""A rendered HTML report opened from ``file://`` in headless Chromium: live charts with
tooltips from the bundle the page carries once, the static SVG kept for print, readable
text in both, and no request to any network address."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.pipeline import prepare_sample

pytestmark = [pytest.mark.ui, pytest.mark.slow]

#: the static SVG of every figure, inlined into a scratch element so its text can be measured
_INLINE_STATIC = """() => {
  const box = document.createElement('div');
  box.id = 'wb-static-copies';
  document.body.appendChild(box);
  for (const img of document.querySelectorAll('figure.wb-figure > img.wb-chart')) {
    const holder = document.createElement('div');
    holder.innerHTML = atob(img.src.split(',')[1]);
    box.appendChild(holder);
  }
  return box.children.length;
}"""


#: the two sample reports: figures, the mark to hover, what its tooltip must say (read by
#: hand from the seeds: the S-8's 2,000,000 shares filed 2003-09-26 without a CIK; the 10-K
#: for 2002-11-30 due 2003-02-28) and what the page must say
SAMPLE_REPORTS = {
    "company_dilution": (
        2, "g.mark-rect.marks path",
        ["2003-09-26", "2,000,000", "INNOVO GROUP INC.", "none (bare document)"],
        ["2,000,000", "$1,050.89", "Bars of shares registered on 1 filing day(s)"],
    ),
    "company_timeliness": (
        1, "g.mark-symbol.marks path",
        ["Innovo Group Inc.", "10-K 2002-11-30"],
        ["1 report due (10-K: 1)", "Exceptions: 1 report(s) not filed on time",
         "Timeline of 1 reports due from 2003-02-28 to 2003-02-28"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("report", list(SAMPLE_REPORTS))
def test_report_charts_are_live_offline(report, chromium, text_layout, tmp_path):
    from playwright.sync_api import sync_playwright

    n_figures, mark, tip_says, page_says = SAMPLE_REPORTS[report]
    data = prepare_sample(tmp_path / "data")
    res = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "report", report, "-p", "company",
         "innovo", "--data", str(data), "--out", str(tmp_path / "reports")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    page_path = res.stdout.strip()
    html = Path(page_path).read_text(encoding="utf-8")
    assert html.count('class="wb-spec"') == n_figures
    assert len(re.findall(r"<script>", html)) == 1  # the bundle, once
    remote: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on(
            "request",
            lambda r: remote.append(r.url) if not r.url.startswith(("file:", "data:")) else None,
        )
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"file://{page_path}")
        page.wait_for_function(
            "(n) => document.querySelectorAll('figure.wb-live .wb-view svg').length === n",
            arg=n_figures, timeout=30_000,
        )  # fmt: skip
        labels = page.eval_on_selector_all(
            "figure.wb-live [role=graphics-document]", "els => els.map(e => e.ariaLabel)"
        )
        static_shown = page.eval_on_selector_all(
            "figure.wb-figure > img", "els => els.map(e => getComputedStyle(e).display)"
        )
        first_chart = page.locator("figure.wb-live").first
        first_chart.locator(f"svg {mark}").last.hover()  # the mark on top
        tip = page.wait_for_selector("#vg-tooltip-element.visible", timeout=10_000).inner_text()
        live_layout = text_layout(page, "figure.wb-live svg.marks")
        page.screenshot(path=str(tmp_path / f"{report}.png"), full_page=True)
        text = page.inner_text("body") + " ".join(labels)
        page.emulate_media(media="print")
        printed = page.eval_on_selector_all(
            "figure.wb-figure",
            "els => els.map(f => [getComputedStyle(f.querySelector('img')).display,"
            " getComputedStyle(f.querySelector('.wb-view')).display])",
        )
        page.emulate_media(media="screen")
        assert page.evaluate(_INLINE_STATIC) == n_figures
        static_layout = text_layout(page, "#wb-static-copies svg")
        browser.close()
    assert static_shown == ["none"] * n_figures  # live charts replace the pictures on screen
    assert printed == [["block", "none"]] * n_figures  # and the pictures print
    assert all(piece in tip for piece in tip_says), tip
    assert all(piece in text for piece in page_says), [p for p in page_says if p not in text]
    for layout in (live_layout, static_layout):
        assert len(layout) == n_figures
        assert all(c["texts"] and not c["cut"] and not c["overlaps"] for c in layout), layout
    assert errors == []
    assert remote == []  # nothing fetched from the network
    assert (tmp_path / f"{report}.png").stat().st_size > 20_000


@pytest.mark.corpus
def test_static_charts_read_cleanly(explorer_store, chromium, text_layout):
    """Every chart's static SVG (the print and no-JavaScript fallback), built from the corpus
    index and the sample, drawn by Chromium: no text cut at the chart's edge, none running
    into another. vl-convert lays text out with Liberation Sans; a browser drawing it with a
    wider font used to cut the status legend and run the timeline's axis title into its
    labels."""
    import polars as pl
    from playwright.sync_api import sync_playwright

    from workbench.analytics.dilution import registrations_detail
    from workbench.analytics.timeliness import with_notice_details
    from workbench.charts import to_svg
    from workbench.charts.dilution import fee_check_chart, plan_pool_chart, registrations_chart
    from workbench.charts.timeliness import (
        company_timeline_chart,
        days_late_chart,
        nt_vs_deadline_chart,
        reason_mix_chart,
        status_mix_chart,
    )
    from workbench.pipeline import open_tables

    _, tables = open_tables(explorer_store)
    panel = with_notice_details(tables["timeliness"], tables.get("late_notices")).collect()
    rows = registrations_detail(tables)
    charts = {
        "status": status_mix_chart(panel),
        "nt_timing": nt_vs_deadline_chart(panel),
        "days_late": days_late_chart(panel),
        "reasons": reason_mix_chart(tables["late_notices"].collect()),
        "timeline": company_timeline_chart(panel.filter(pl.col("cik") == 320193)),
        "registrations": registrations_chart(rows),
        "pool": plan_pool_chart(rows),
        "fees": fee_check_chart(rows),
    }
    svgs = "".join(f'<div id="c-{name}">{to_svg(c)}</div>' for name, c in charts.items())
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_content(f"<html><body style='margin:0'>{svgs}</body></html>")
        layout = {name: text_layout(page, f"#c-{name} svg")[0] for name in charts}
        browser.close()
    assert all(c["texts"] > 5 for c in layout.values()), layout
    assert {n: c for n, c in layout.items() if c["cut"] or c["overlaps"]} == {}
