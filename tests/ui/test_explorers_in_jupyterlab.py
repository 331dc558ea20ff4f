"""The explorers in a real JupyterLab, driven in headless Chromium: run every cell, change a
control, and see the charts redraw with other data and no cell showing an error."""

from __future__ import annotations

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
    for name in ("explore_dilution", "explore_timeliness"):
        pm.execute_notebook(
            str(ROOT / "notebooks" / f"{name}.ipynb"), str(root / f"{name}.ipynb"),
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


def _open_and_run(page, url: str, token: str, notebook: str) -> list[str]:
    """Open ``notebook``, run all its cells, and return the list that collects any request
    for an address other than the lab's own (blocked)."""
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
