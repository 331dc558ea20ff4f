"""What a new user meets in the first hour: the explorers reachable, reports listed,
mistakes named in plain words before any kernel starts, files a team can share."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import polars as pl
import pytest

from workbench.frames.store import NoTables, scan_tables, write_table
from workbench.frames.validate import empty

ROOT = Path(__file__).resolve().parents[2]


def test_notebooks_copies_explorers_and_templates_and_keeps_edits(wb, tmp_path):
    dest = tmp_path / "nb"
    done = wb("notebooks", str(dest), "--data", str(tmp_path))
    assert done.returncode == 0, done.stderr
    names = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert names == [
        "README.md", "explore_dilution.ipynb", "explore_timeliness.ipynb",
        "reports/company_dilution.ipynb", "reports/company_timeliness.ipynb",
        "reports/market_dilution.ipynb", "reports/market_timeliness.ipynb",
    ]  # fmt: skip
    book = json.loads((dest / "explore_timeliness.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in book["cells"]]
    assert any(f"= {str(tmp_path.resolve())!r}" in s for s in sources)
    (dest / "explore_dilution.ipynb").write_text("my edits", encoding="utf-8")
    again = wb("notebooks", str(dest))
    assert again.returncode == 1
    assert "already there" in again.stderr and "--force" in again.stderr
    assert (dest / "explore_dilution.ipynb").read_text(encoding="utf-8") == "my edits"
    assert wb("notebooks", str(dest), "--force").returncode == 0
    assert "my edits" not in (dest / "explore_dilution.ipynb").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_lab_serves_the_explorers_on_loopback(tmp_path):
    port, token = _free_port(), "first-hour-test"
    env = {**os.environ, "JUPYTER_TOKEN": token, "HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench.cli", "lab", str(tmp_path / "lab"), "--no-browser",
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/contents/explore_dilution.ipynb?token={token}"
        deadline, body = time.monotonic() + 120, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:  # loopback only
                    body = json.loads(answer.read())
                break
            except OSError:
                time.sleep(0.5)
        assert body is not None, "JupyterLab did not answer"
        assert body["type"] == "notebook" and body["name"] == "explore_dilution.ipynb"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def test_report_list_and_a_report_name_is_required(wb):
    listing = wb("report", "--list")
    assert listing.returncode == 0
    assert "company_timeliness:" in listing.stdout
    assert "-p end_year VALUE  (int | None, default None)" in listing.stdout
    bare = wb("report")
    assert bare.returncode == 2 and "--list" in bare.stderr


def test_a_misspelt_parameter_names_what_the_report_takes(wb):
    done = wb("report", "company_dilution", "-p", "cik", "1", "-p", "start_year", "2003")
    assert done.returncode == 2
    assert (
        "company_dilution takes cik, company, ticker, all_companies; got start_year" in done.stderr
    )
    assert "Extra inputs" not in done.stderr


def test_an_empty_data_directory_stops_before_a_kernel_starts(wb, tmp_path):
    done = wb("report", "company_timeliness", "-p", "cik", "1", "--data", str(tmp_path),
              "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2
    assert f"no workbench tables in {tmp_path}" in done.stderr
    assert "KeyError" not in done.stderr and not (tmp_path / "out").exists()


def test_ingest_of_a_folder_without_filings_fails_and_writes_nothing(wb, tmp_path):
    (tmp_path / "in").mkdir()
    done = wb("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "tables"))
    assert done.returncode == 1
    assert "no filings to ingest under" in done.stderr
    assert not (tmp_path / "tables").exists()


def test_scan_tables_refuses_a_missing_or_empty_directory(tmp_path):
    with pytest.raises(NoTables, match="no such table directory"):
        scan_tables(tmp_path / "nope")
    with pytest.raises(NoTables, match="no workbench tables"):
        scan_tables(tmp_path)
    with pytest.raises(FileNotFoundError):  # NoTables is one, for code that catches that
        scan_tables(tmp_path)


@pytest.mark.parametrize("mask", [0o002, 0o022, 0o077])
def test_tables_are_written_with_the_users_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        path = write_table(empty("filings"), tmp_path, "filings")
    finally:
        os.umask(old)
    real = path.resolve()
    assert stat.S_IMODE(real.stat().st_mode) == 0o666 & ~mask
    assert stat.S_IMODE(real.parent.stat().st_mode) == 0o777 & ~mask
    assert stat.S_IMODE((tmp_path / ".lock").stat().st_mode) == 0o666 & ~mask
    assert pl.read_parquet(path).height == 0


@pytest.fixture(scope="module")
def two_innovos(tmp_path_factory):
    """Tables holding two companies whose names both contain 'innovo' (real CIKs differ)."""
    from workbench.frames.ingest import ingest_to_dir
    from workbench.sample import sample_paths

    data = tmp_path_factory.mktemp("two")
    ingest_to_dir(sample_paths(), data, progress=False)
    filings = pl.read_parquet(data / "filings.parquet")
    twin = filings.head(1).with_columns(
        pl.lit(4_444_444, pl.Int64).cast(filings.schema["cik"]).alias("cik"),
        pl.lit("INNOVO HOLDINGS LTD").alias("company_name"),
        pl.lit("synthetic-twin.txt").alias("source_path"),
        pl.lit("0" * 64).alias("sha256"),
    )
    write_table(pl.concat([filings, twin]), data, "filings")
    return data


def test_a_name_matching_several_companies_is_a_question_not_a_sum(wb, two_innovos, tmp_path):
    done = wb("report", "company_dilution", "-p", "company", "innovo", "--data",
              str(two_innovos), "--out", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 2
    assert "'innovo' matches 2 companies" in done.stderr
    assert "INNOVO HOLDINGS LTD (CIK 4444444), " in done.stderr
    assert "-p cik N, or pass -p all_companies true" in done.stderr
    assert not (tmp_path / "out").exists()  # stopped before a kernel started
    one = wb("dilution", "--cik", "99999999", "--data", str(two_innovos))
    assert one.returncode == 1
    assert f"no company CIK 99999999 in {two_innovos} (2 companies there)" in one.stderr


def test_a_forgotten_data_option_is_said(wb, tmp_path):
    # no --data: the sample is used, and stderr says so, whatever happens next
    res = wb("report", "company_dilution", "-p", "company", "apple", "--out", str(tmp_path))
    assert "no --data given" in res.stderr and "bundled sample" in res.stderr
    assert res.returncode == 2 and "no company 'apple'" in res.stderr  # Apple is not in it
    res = wb("notebooks", str(tmp_path / "nb"))
    assert res.returncode == 0 and "no --data given" in res.stderr
    res = wb("notebooks", str(tmp_path / "nb2"), "--data", str(tmp_path))
    assert "no --data given" not in res.stderr
