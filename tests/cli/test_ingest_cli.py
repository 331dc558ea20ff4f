from __future__ import annotations

import json

import polars as pl
import pytest

from workbench.frames.store import read_table
from workbench.sample import sample_paths


@pytest.mark.corpus
def test_ingest_writes_tables_and_skips_on_rerun(corpus, tmp_path, wb):
    out = tmp_path / "tables"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    first = wb("ingest", str(corpus / "filings"), str(bad), "--out", str(out), "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["inputs"] == 16
    assert summary["parsed"] == 15
    assert summary["files_failed"] == 1
    for name in ("filings", "documents", "parse_issues"):
        assert (out / f"{name}.parquet").exists()
    filings = read_table(out, "filings")
    assert filings is not None and filings.height == 15
    assert filings.schema["filed_date"] == pl.Date
    assert filings.schema["cik"] == pl.Int64
    issues = read_table(out, "parse_issues")
    assert issues is not None
    assert ("error", "empty_file") in issues.select("severity", "code").rows()

    second = wb("ingest", str(corpus / "filings"), str(bad), "--out", str(out), "--json")
    assert second.returncode == 0, second.stderr
    again = json.loads(second.stdout)
    assert again["skipped_already_ingested"] == 16
    assert again["parsed"] == 0
    assert read_table(out, "filings").height == 15  # nothing duplicated
    assert read_table(out, "parse_issues").height == issues.height


def test_ingest_adds_new_files_to_existing_tables(tmp_path, wb):
    out = tmp_path / "tables"
    s8, nt = sample_paths()
    assert wb("ingest", str(s8), "--out", str(out)).returncode == 0
    assert wb("ingest", str(s8), str(nt), "--out", str(out)).returncode == 0
    filings = read_table(out, "filings")
    assert sorted(filings["form_type"].to_list()) == ["NT 10-K", "S-8"]


def test_missing_path_is_a_clear_usage_error(tmp_path, wb):
    res = wb("ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert res.returncode == 2
    assert "does not exist" in res.stderr
