"""Ingest every real filing in the corpus and check header fields against the files
themselves (read here with plain regexes) and against MANIFEST.csv."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

import workbench
from workbench.sample import sample_paths

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def result(corpus: Path) -> workbench.IngestResult:
    return workbench.ingest([corpus / "filings", *sample_paths()], workers=2)


def _header_value(raw: str, key: str) -> str | None:
    m = re.search(rf"^\s*{re.escape(key)}:\s*(\S[^\n]*?)\s*$", raw, re.MULTILINE)
    return m.group(1) if m else None


def _row(result: workbench.IngestResult, path: Path) -> dict:
    rows = result.filings.filter(pl.col("source_path") == str(path)).to_dicts()
    assert len(rows) == 1, f"{path} should be one filings row"
    return rows[0]


def test_every_input_is_accounted_for(result, corpus):
    inputs = {str(p) for p in (corpus / "filings").rglob("*") if p.is_file()}
    inputs |= {str(p) for p in sample_paths()}
    parsed = set(result.filings["source_path"].to_list())
    errored = set(
        result.parse_issues.filter(pl.col("severity") == "error")["source_path"].to_list()
    )
    assert inputs <= parsed | errored
    assert result.n_inputs == len(inputs)


def test_header_fields_match_each_files_header(result, corpus):
    checked = 0
    for path in sorted((corpus / "filings").rglob("*.txt")):
        raw = path.read_text(encoding="latin-1")
        row = _row(result, path)
        assert row["accession_number"] == _header_value(raw, "ACCESSION NUMBER")
        assert row["form_type"] == _header_value(raw, "CONFORMED SUBMISSION TYPE")
        assert row["cik"] == int(_header_value(raw, "CENTRAL INDEX KEY"))
        assert row["company_name"] == _header_value(raw, "COMPANY CONFORMED NAME")
        filed = _header_value(raw, "FILED AS OF DATE")
        assert row["filed_date"] == dt.datetime.strptime(filed, "%Y%m%d").date()
        period = _header_value(raw, "CONFORMED PERIOD OF REPORT")
        assert row["period_of_report"] == dt.datetime.strptime(period, "%Y%m%d").date()
        assert row["public_document_count"] == int(_header_value(raw, "PUBLIC DOCUMENT COUNT"))
        assert row["document_count"] == len(re.findall(r"^<DOCUMENT>\s*$", raw, re.MULTILINE))
        fye = _header_value(raw, "FISCAL YEAR END")
        assert row["fiscal_year_end"] == fye
        accepted = re.search(r"<ACCEPTANCE-DATETIME>(\d{14})", raw)
        if accepted:
            got = row["acceptance_datetime"]
            assert got.strftime("%Y%m%d%H%M%S") == accepted.group(1)
            assert str(got.tzinfo) == "America/New_York"
        else:
            assert row["acceptance_datetime"] is None
        checked += 1
    assert checked == 13


def test_manifest_agrees(result, corpus, manifest):
    rows = [m for m in manifest if m["path"].startswith("filings/")]
    assert len(rows) == 15
    for m in rows:
        row = _row(result, corpus / m["path"])
        assert row["form_type"] == m["form"], m["path"]
        if m["cik"]:
            assert row["cik"] == int(m["cik"])
            assert row["company_name"] == m["company"]
        else:
            # document-only wrappers: the name comes from the notice's own Part I
            assert m["company"].split()[0].lower() in row["company_name"].lower()
        if m["filed_date"]:
            assert row["filed_date"] == dt.date.fromisoformat(m["filed_date"])


def test_layouts_cover_every_era(result, corpus):
    layout = dict(
        zip(
            result.filings["source_path"].to_list(),
            result.filings["layout"].to_list(),
            strict=True,
        )
    )
    assert layout[str(corpus / "filings/10-K/0000320193-94-000016.txt")] == "ims_document"
    assert layout[str(corpus / "filings/10-K/0001047469-97-006960.txt")] == "sec_document"
    assert layout[str(corpus / "filings/NT_10-K/quantum_nt10k.htm")] == "document_only"
    assert {layout[str(p)] for p in sample_paths()} == {"bare"}


def test_multi_entity_header(result, corpus):
    row = _row(result, corpus / "filings/4/0001094891-00-000193.txt")
    # the subject company (issuer) is the filing's company; the owner's CIK is kept too
    assert row["cik"] == 911787
    assert row["all_ciks"] == [911787, 1050609]


def test_binaries_are_sized_not_decoded(result, corpus):
    docs = result.documents.filter(
        pl.col("source_path") == str(corpus / "filings/8-K/0000943374-24-000509.txt")
    )
    binary = docs.filter(pl.col("is_binary"))
    assert sorted(binary["filename"].to_list()) == [
        "0000943374-24-000509-xbrl.zip",
        "Financial_Report.xlsx",
    ]
    assert set(binary["binary_encoding"].to_list()) == {"uuencode"}
    assert (binary["n_chars"] > 1000).all()
    raw = (corpus / "filings/8-K/0000943374-24-000509.txt").read_text()
    for start, end in binary.select("text_start", "text_end").iter_rows():
        assert raw[start:end].lstrip().startswith("begin 644 ")


def test_truncated_submission_is_flagged(result, corpus):
    path = str(corpus / "filings/10-Q/0000320193-97-000011.txt")
    issues = result.parse_issues.filter(pl.col("source_path") == path)
    assert "truncated_document" in issues.filter(pl.col("severity") == "error")["code"].to_list()
    docs = result.documents.filter(pl.col("source_path") == path)
    assert docs.filter(pl.col("is_truncated"))["doc_type"].to_list() == ["EX-27"]
    # the filing itself is still there, with everything before the cut
    assert _row(result, Path(path))["document_count"] == 6


def test_header_count_mismatch_is_a_warning(result, corpus):
    path = str(corpus / "filings/8-K/0000943374-24-000509.txt")
    issues = result.parse_issues.filter(pl.col("source_path") == path)
    assert issues.select("severity", "code").rows() == [("warning", "header_count_mismatch")]


def test_spans_point_at_the_values(result, corpus):
    for row in result.filings.iter_rows(named=True):
        raw = (
            Path(row["source_path"]).read_text(encoding="utf-8", errors="strict")
            if row["encoding"] == "utf-8"
            else Path(row["source_path"]).read_text(encoding=row["encoding"])
        )
        spans = {s["field"]: raw[s["start"] : s["end"]] for s in row["spans"]}
        if row["cik"] is not None:
            assert int(spans["cik"]) == row["cik"]
        if row["company_name"] is not None:
            assert re.sub(r"\s+", " ", spans["company_name"]).strip() == row["company_name"]
        if row["accession_number"] is not None:
            assert spans["accession_number"] == row["accession_number"]


def test_parse_filing_api(corpus):
    f = workbench.parse_filing(corpus / "filings/10-K/0001047469-97-006960.txt")
    assert isinstance(f, workbench.Filing)
    assert f.form_type == "10-K"
    assert len(f.documents) == 15
    assert f.documents[-1].doc_type == "EX-27"
    html = f._repr_html_()
    assert "APPLE COMPUTER INC" in html
