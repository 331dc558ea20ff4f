"""The explorers in a real JupyterLab, driven in headless Chromium: run every cell, change a
control, and see the charts redraw with other data and no cell showing an error."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.ui, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lab(explorer_store, tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a token, serving copies of the explorers whose
    ``data_dir`` parameter points at ``explorer_store``."""
    root = tmp_path_factory.mktemp("lab")
    for name in ("explore_dilution", "explore_timeliness", "reports/company_dilution"):
        pm.execute_notebook(
            str(ROOT / "notebooks" / f"{name}.ipynb"), str(root / f"{Path(name).name}.ipynb"),
            parameters={"data_dir": str(explorer_store)}, prepare_only=True,
        )  # fmt: skip
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
           "WORKBENCH_SAMPLE_DATA": str(root / ".sample")}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True", f"--LabApp.workspaces_dir={root / '.ws'}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root
        env=env, stdout=subprocess.DEVNULL, stderr=(root / "lab.log").open("w"),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    up = False
    for _ in range(120):
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                up = r.status == 200
        except OSError:
            time.sleep(0.5)
        if up:
            break
    if not up:
        proc.kill()
        pytest.fail("JupyterLab did not start: " + (root / "lab.log").read_text()[-2000:])
    yield url, token, root
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _open_and_run(page, url: str, token: str, notebook: str, explorer: bool = True) -> list[str]:
    """Open ``notebook``, run all its cells, and return the list that collects any request
    for an address other than the lab's own (blocked). An explorer is done when its status
    line and last cell show; another notebook when the kernel is idle again."""
    outside: list[str] = []

    def _guard(route):
        if route.request.url.startswith((url, "data:", "blob:")):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.route("**/*", _guard)
    workspace = notebook.removesuffix(".ipynb")  # one workspace each: nothing else restored
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={token}",
              timeout=120_000)  # fmt: skip
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext", timeout=120_000)  # fmt: skip
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel"
        "?.connectionStatus === 'connected'", timeout=120_000,
    )  # fmt: skip
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    if not explorer:
        page.wait_for_function(  # every code cell has run: no prompt left empty or at [*]
            "() => { const p = Array.from(document.querySelectorAll('.jp-CodeCell "
            ".jp-InputArea-prompt')).map(e => e.innerText); return p.length > 0 && "
            "p.every(t => /\\[\\d+\\]/.test(t)); }", timeout=300_000,
        )  # fmt: skip
        return outside
    page.wait_for_function(
        "() => document.querySelector('.wb-status')?.innerText.trim().length > 0", timeout=180_000
    )
    page.wait_for_function(  # the last cell ran: its execute_result is there
        "() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
        ".some(o => o.innerText.includes(\"'<b>\"))", timeout=180_000,
    )  # fmt: skip
    return outside


def _chart(page, name: str) -> str:
    return page.eval_on_selector(f".wb-chart-{name}", "e => e.innerHTML")


def _chart_changed(page, name: str, old: str) -> str:
    """Wait until the chart output differs from ``old`` (the kernel redraws it after the
    status line), and return it."""
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel)?.innerHTML !== old",
        arg=[f".wb-chart-{name}", old], timeout=60_000,
    )  # fmt: skip
    return _chart(page, name)


def _errors(page) -> list[str]:
    return page.eval_on_selector_all(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
        "els => els.map(e => e.innerText)",
    )


def _until_changed(page, selector: str, before: str) -> None:
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel)?.innerText !== old",
        arg=[selector, before], timeout=60_000,
    )  # fmt: skip


def test_dilution_explorer(lab, chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    url, token, _ = lab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        outside = _open_and_run(page, url, token, "explore_dilution.ipynb")
        status = page.inner_text(".wb-status")
        assert "10 fee-table rows from 6 companies" in status
        chart = _chart(page, "registrations")
        assert "data:image/svg+xml" in chart or "<svg" in chart
        # a filter: only the fee tables whose fee is rounded
        page.get_by_label("Fee check", exact=True).select_option(
            "Reconciles (rounded)"
        )  # the label of fee_check "rounded"
        _until_changed(page, ".wb-status", status)
        assert "1 fee-table rows from 1 companies" in page.inner_text(".wb-status")
        new = _chart_changed(page, "registrations", chart)
        assert new != chart and ("data:image/svg+xml" in new or "<svg" in new)
        # the company search box
        box = page.locator(".widget-text input[list]")
        page.get_by_label("Fee check", exact=True).select_option("(all)")
        page.wait_for_function(
            "() => document.querySelector('.wb-status').innerText.includes('10 fee')"
        )
        before = page.inner_text(".wb-status")
        box.fill("innovo")
        box.press("Enter")
        _until_changed(page, ".wb-status", before)
        assert "1 fee-table rows from 1 companies: 2,000,000 shares" in page.inner_text(
            ".wb-status"
        )
        page.screenshot(path=str(tmp_path / "explore_dilution.png"), full_page=True)
        assert _errors(page) == []
        assert outside == []  # JupyterLab, widgets and charts need nothing from the network
        browser.close()
    assert (tmp_path / "explore_dilution.png").stat().st_size > 20_000


def test_timeliness_explorer(lab, chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    url, token, _ = lab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        outside = _open_and_run(page, url, token, "explore_timeliness.ipynb")
        status = page.inner_text(".wb-status")
        chart = _chart(page, "status")
        page.get_by_label("Report", exact=True).select_option("10-Q")
        _until_changed(page, ".wb-status", status)
        assert page.inner_text(".wb-status") != status
        assert _chart_changed(page, "status", chart) != chart
        timeline = _chart(page, "timeline")
        box = page.locator(".widget-text input[list]")
        box.fill("320193")  # Apple, by CIK
        box.press("Enter")
        assert "Due dates and filings" not in timeline  # nothing until one company is chosen
        _chart_changed(page, "timeline", timeline)
        page.screenshot(path=str(tmp_path / "explore_timeliness.png"), full_page=True)
        assert _errors(page) == []
        assert outside == []  # JupyterLab, widgets and charts need nothing from the network
        browser.close()
    assert (tmp_path / "explore_timeliness.png").stat().st_size > 20_000


@contextlib.contextmanager
def _explorer(lab, chromium, notebook: str):
    """A Chromium page with ``notebook`` opened and run in the lab: (page, outside requests,
    the lab's root directory)."""
    from playwright.sync_api import sync_playwright

    url, token, root = lab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        outside = _open_and_run(page, url, token, notebook)
        yield page, outside, root
        browser.close()


def _plot_box(page, chart: str) -> dict:
    """The page box of a live chart's plot area (its background rectangle)."""
    sel = f".wb-chart-{chart} svg"
    page.wait_for_selector(f"{sel} g.mark-rect.marks path", timeout=60_000)
    page.locator(f".wb-chart-{chart}").scroll_into_view_if_needed()
    return page.eval_on_selector(
        f"{sel} path.background", "e => { const r = e.getBoundingClientRect(); "
        "return {x: r.left, y: r.top, w: r.width, h: r.height}; }",
    )  # fmt: skip


def _brush(page, chart: str, table: str, start: float, stop: float) -> str:
    """Drag across ``chart`` from ``start`` to ``stop`` (fractions of its plot width) and
    return ``table``'s caption once the explorer has redrawn it."""
    before = _caption(page, table)
    box = _plot_box(page, chart)
    y = box["y"] + box["h"] / 2
    page.mouse.move(box["x"] + max(box["w"] * start, 2), y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] * stop, y, steps=8)
    page.mouse.up()
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel)?.innerText !== old",
        arg=[f".wb-{table} caption", before], timeout=60_000,
    )  # fmt: skip
    return _settled(page, table)


def _caption(page, table: str) -> str:
    return page.inner_text(f".wb-{table} caption")


def _settled(page, table: str) -> str:
    """The table's caption once it has stopped changing (a brush sends updates while it is
    dragged, then its final range)."""
    seen = [_caption(page, table)]
    while len(seen) < 4 or len(set(seen[-4:])) > 1:
        page.wait_for_timeout(400)
        seen.append(_caption(page, table))
        assert len(seen) < 150, seen[-4:]
    return seen[-1]


def test_timeliness_charts_are_live(lab, chromium, explorer_store, text_layout, tmp_path):
    """Tooltips show a segment's figures; a brush over days late narrows the table to the
    reports in that range, which is what the export writes; no text is cut or overlaps."""
    import re

    import polars as pl

    from workbench.pipeline import open_tables

    _, tables = open_tables(explorer_store)
    panel = tables["timeliness"].collect()
    with _explorer(lab, chromium, "explore_timeliness.ipynb") as (page, outside, root):
        _plot_box(page, "status")
        # the status-mix bars carry the description as the chart's aria-label
        label = page.get_attribute(".wb-chart-status [role=graphics-document]", "aria-label")
        assert f"status shares of {panel.height:,} reports due" in label
        # hover one segment: the tooltip's count is that year's and status's count in the data
        page.locator(".wb-chart-status svg g.mark-rect.marks path").first.hover()
        tip = page.wait_for_selector("#vg-tooltip-element.visible", timeout=10_000).inner_text()
        fields = dict(re.findall(r"(year due|status|reports)\s*\n?\s*([^\n]+)", tip))
        year, n = int(fields["year due"]), int(fields["reports"].replace(",", ""))
        codes = {"On time": "on_time", "Late, cured by 12b-25": "late_cured"}
        status = fields["status"].strip()
        expected = panel.filter(pl.col("due_date").dt.year() == year)
        if status in codes:
            expected = expected.filter(pl.col("status").cast(pl.String) == codes[status])
            assert n == expected.height, tip
        # brush the middle of the days-late axis
        caption = _brush(page, "days_late", "late-table", 0.10, 0.30)
        got = re.search(r"of ([\d,]+) reports selected on the charts \((\d+)–(\d+) days late\)",
                        caption)  # fmt: skip
        assert got, caption
        total, first, last = int(got[1].replace(",", "")), int(got[2]), int(got[3])
        assert 1 <= first < last < 120  # 10%–30% of a 1–125 axis
        in_range = panel.filter(pl.col("days_late").is_between(first, last))
        assert total == in_range.height
        shown = page.eval_on_selector_all(
            ".wb-late-table tbody tr", "rows => rows.map(r => r.children[7].innerText)"
        )
        assert shown and all(first <= int(d) <= last for d in shown)
        page.get_by_role("button", name="Export CSV").click()
        page.wait_for_function(
            "() => document.querySelector('.wb-export-late_filings')?.innerText.includes('rows')",
            timeout=30_000,
        )
        layout = text_layout(page, "[class*=wb-chart-] svg.marks")
        page.screenshot(path=str(tmp_path / "explore_timeliness_brushed.png"), full_page=True)
        assert _errors(page) == []
        assert outside == []
    exported = pl.read_csv(root / "late_filings.csv")
    assert exported.height == total
    assert exported["days_late"].is_between(first, last).all()
    assert sorted(exported["accession_number"].drop_nulls().to_list()) == sorted(
        in_range["report_accession_number"].drop_nulls().to_list()
    )
    assert layout and all(c["texts"] and not c["cut"] and not c["overlaps"] for c in layout), layout


def test_dilution_charts_are_live(lab, chromium, explorer_store, text_layout, tmp_path):
    """A bar's tooltip gives that day's company and shares; brushing filing dates narrows
    the registrations table to the rows filed in the brushed range."""
    import datetime as dt
    import re

    import polars as pl

    from workbench.pipeline import open_tables

    _, tables = open_tables(explorer_store)
    rows = tables["dilution"].collect()
    with _explorer(lab, chromium, "explore_dilution.ipynb") as (page, outside, _):
        _plot_box(page, "registrations")
        page.locator(".wb-chart-registrations svg g.mark-rect.marks path").first.hover()
        tip = page.wait_for_selector("#vg-tooltip-element.visible", timeout=10_000).inner_text()
        fields = dict(re.findall(r"(filed|company|shares registered)\s*\n?\s*([^\n]+)", tip))
        day = dt.date.fromisoformat(fields["filed"].strip())
        that_day = rows.filter(pl.col("filed_date") == day)
        assert fields["company"].strip() == that_day["company_name"][0]
        assert fields["shares registered"].strip() == f"{that_day['shares_registered'].sum():,}"
        caption = _brush(page, "registrations", "table", 0.0, 0.45)
        got = re.search(r"of ([\d,]+) rows brushed on the chart \(filed (\S+) to (\S+)\)", caption)
        assert got, caption
        first, last = dt.date.fromisoformat(got[2]), dt.date.fromisoformat(got[3])
        expected = rows.filter(pl.col("filed_date").is_between(first, last))
        assert int(got[1]) == expected.height and 0 < expected.height < rows.height
        shown = page.eval_on_selector_all(
            ".wb-table tbody tr", "rows => rows.map(r => r.children[1].innerText)"
        )
        assert sorted(shown) == sorted(str(d) for d in expected["filed_date"])
        layout = text_layout(page, "[class*=wb-chart-] svg.marks")
        page.screenshot(path=str(tmp_path / "explore_dilution_brushed.png"), full_page=True)
        assert _errors(page) == []
        assert outside == []
    assert layout and all(c["texts"] and not c["cut"] and not c["overlaps"] for c in layout), layout


def test_report_template_renders_live_in_jupyterlab(lab, chromium, tmp_path):
    """A report template opened and run in JupyterLab draws its charts live (from the
    bundle, not a CDN): before, the default renderer failed loading Vega from jsdelivr."""
    from playwright.sync_api import sync_playwright

    url, token, _ = lab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        outside = _open_and_run(page, url, token, "company_dilution.ipynb", explorer=False)
        page.wait_for_function(
            "() => document.querySelectorAll('.jp-OutputArea-output svg.marks').length >= 2",
            timeout=120_000,
        )
        labels = page.eval_on_selector_all(
            ".jp-OutputArea-output [role=graphics-document]", "els => els.map(e => e.ariaLabel)"
        )
        text = page.inner_text(".jp-Notebook")
        page.screenshot(path=str(tmp_path / "company_dilution_in_lab.png"))
        assert _errors(page) == []
        assert outside == []
        browser.close()
    assert any(label.startswith("Bars of shares registered") for label in labels), labels
    assert "Error loading script" not in text
