"""What a notebook cell shows for the objects a user holds: a parsed filing, an ingest
result, due dates and the tables. Expected figures come from the files themselves."""

from __future__ import annotations

import datetime as dt
import html
import re

import polars as pl

import workbench


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_a_parsed_filing_shows_header_documents_and_issues(corpus):
    path = corpus / "filings/10-K/0000320193-94-000016.txt"
    raw = path.read_bytes()
    n_docs = raw.count(b"<DOCUMENT>")
    page = workbench.parse_filing(path)._repr_html_()
    text = _text(page)
    assert "CIK 320193" in text and "0000320193-94-000016" in text
    assert 'href="https://www.sec.gov/Archives/edgar/data/320193/000032019394000016/"' in page
    assert f"{n_docs} document(s)" in text
    assert "Header" in text and "10-K" in text


def test_an_ingest_result_shows_counts_and_issues(tmp_path, fixtures):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    good = fixtures / "synthetic-s8-text-1998-sgml.txt"
    result = workbench.ingest([good, bad], workers=1, progress=False)
    text = _text(result._repr_html_())
    assert "2 input file(s): 1 filing(s) read" in text
    assert "1 unusable" in text
    assert "broken.txt" in text and "error" in text
    assert "filings 1" in text  # rows per table


def test_due_dates_show_every_category_when_unknown():
    # 10-K for 2023-12-31, category unknown: one row per category (four of them)
    page = workbench.due_dates("10-K", dt.date(2023, 12, 31))._repr_html_()
    text = _text(page)
    assert "filer category unknown" in text
    # large accelerated: 60 days → 2024-02-29; non-accelerated: 90 days → 2024-03-30,
    # a Saturday, so Monday 2024-04-01 (Rule 0-3)
    assert "2024-02-29" in text and "2024-04-01" in text
    one = workbench.due_dates("10-Q", dt.date(2024, 3, 31), "large_accelerated")._repr_html_()
    # 40 days after 2024-03-31 is Friday 2024-05-10
    assert "2024-05-10" in _text(one) and one.count("<tr>") == 2  # header row + one


def test_the_tables_object_lists_each_table(tmp_path):
    workbench.ingest_to_dir(workbench.sample_paths(), tmp_path, workers=1, progress=False)
    tables = workbench.scan_tables(tmp_path)
    assert isinstance(tables, dict) and isinstance(tables, workbench.Tables)
    text = _text(tables._repr_html_())
    n = pl.read_parquet(next(tmp_path.glob("**/filings.parquet"))).height
    assert f"filings {n} 24 One row per input file" in text
