"""``workbench fetch --forms ... --from ... --to ...`` across every company, against a test
EDGAR on 127.0.0.1 serving the corpus in EDGAR's layout (``tests/edgar_site.py``): the
index files, whole filings or only the documents the workbench reads, frames and the bulk
companyfacts zip. Expected values come from the MANIFEST and the corpus JSON."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

UA = "Filings Workbench tests research@example.org"
FORMS = "S-3,S-3/A,S-3ASR,F-3/A,POS AM,424B5,424B2"


def _expected(manifest, forms: str, first: str, last: str) -> list[str]:
    """Accessions of the corpus' complete submissions of ``forms`` filed in range."""
    wanted = set(forms.split(","))
    return sorted(
        r["path"].rsplit("/", 1)[1][:-4]
        for r in manifest
        if r["form"] in wanted and r["cik"] and first <= (r["filed_date"] or "") <= last
        and r["path"].endswith(".txt")
    )  # fmt: skip


def _fetch(wb, server, dest, *extra: str, first="2025-03-01", last="2025-06-30"):
    return wb("fetch", "--forms", FORMS, "--from", first, "--to", last, "--dest", str(dest),
              "--base-url", server.url, "--user-agent", UA, *extra)  # fmt: skip


@pytest.mark.corpus
def test_every_company_in_a_period_whole_filings(corpus_edgar, manifest, tmp_path, wb):
    res = _fetch(wb, corpus_edgar, tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    expected = _expected(manifest, FORMS, "2025-03-01", "2025-06-30")
    assert len(expected) >= 10  # the corpus' 2025 registrations and prospectuses
    assert f"{len(expected)} filings listed for 2025-03-01 to 2025-06-30" in res.stdout
    filings = pl.read_parquet(tmp_path / "tables/filings.parquet")
    assert sorted(filings["accession_number"]) == expected
    paths = [r.path for r in corpus_edgar.log]
    # Q1 is only partly in the period: its daily files for March; Q2 whole: its full index
    assert "/Archives/edgar/daily-index/2025/QTR1/index.json" in paths
    assert "/Archives/edgar/full-index/2025/QTR1/master.idx" not in paths
    assert "/Archives/edgar/full-index/2025/QTR2/master.idx" in paths
    daily = [p for p in paths if "/daily-index/2025/QTR1/master." in p]
    assert daily and all(p.rsplit(".", 2)[1] >= "20250301" for p in daily)
    assert sum(p.endswith(".txt") for p in paths) == len(expected)
    # rerun: the filings come from the cache (the growing daily listing is asked again)
    n = len(corpus_edgar.log)
    again = _fetch(wb, corpus_edgar, tmp_path)
    assert again.returncode == 0 and "0 failed" in again.stdout
    assert [r.path for r in corpus_edgar.log[n:]] == [
        "/Archives/edgar/daily-index/2025/QTR1/index.json"
    ]


@pytest.mark.corpus
def test_only_the_documents_read_give_the_same_fee_tables(corpus_edgar, manifest, tmp_path, wb):
    whole, part = tmp_path / "whole", tmp_path / "needed"
    assert _fetch(wb, corpus_edgar, whole).returncode == 0
    n = len(corpus_edgar.log)
    res = _fetch(wb, corpus_edgar, part, "--documents", "needed")
    assert res.returncode == 0, res.stdout + res.stderr
    log = corpus_edgar.log[n:]
    assert not any(r.path.endswith(".txt") for r in log)  # no complete submission fetched
    key = ["accession_number", "row_number"]
    cols = ["accession_number", "row_number", "row_group", "security_title", "shares_registered",
            "max_aggregate_offering_price", "registration_fee", "fee_rule", "fee_check"]  # fmt: skip

    def offerings(root):
        return pl.read_parquet(root / "tables/offerings.parquet").select(cols).sort(key)

    assert offerings(whole).height > 0
    assert offerings(part).equals(offerings(whole))
    a = pl.read_parquet(whole / "tables/filings.parquet").sort("accession_number")
    b = pl.read_parquet(part / "tables/filings.parquet").sort("accession_number")
    same = ["accession_number", "cik", "company_name", "form_type", "filed_date"]
    assert b.select(same).equals(a.select(same))

    # the bytes: every document fetched is one the workbench reads, and fewer bytes came
    def on_disk(root):
        return sum(
            p.stat().st_size for p in (root / "Archives/edgar/data").rglob("*") if p.is_file()
        )

    assert on_disk(part) < on_disk(whole)
    issues = pl.read_parquet(part / "tables/parse_issues.parquet")
    not_fetched = issues.filter(pl.col("code") == "documents_not_fetched")
    assert not_fetched.height > 0
    assert not_fetched["message"].str.contains(r"^\d+ documents? not fetched \(only").all()
    # a fee exhibit is never among them
    assert not not_fetched["message"].str.contains("EX-FILING FEES").any()


@pytest.mark.corpus
def test_frames_and_the_companyfacts_zip(corpus_edgar, corpus, tmp_path, wb):
    res = wb("fetch-xbrl", "--frames", "CY2021Q4I", "--companyfacts-zip", "--dest", str(tmp_path),
             "--base-url", corpus_edgar.url, "--user-agent", UA)  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    assert {r.path for r in corpus_edgar.log} == {
        "/api/xbrl/frames/dei/EntityCommonStockSharesOutstanding/shares/CY2021Q4I.json",
        "/Archives/edgar/daily-index/xbrl/companyfacts.zip",
    }
    shares = pl.read_parquet(tmp_path / "tables/shares_outstanding.parquet")
    # the frame: Snowflake's one fact framed CY2021Q4I, read from its companyfacts JSON
    snow = json.loads((corpus / "json/companyfacts/CIK0001640147.json").read_text())
    facts = snow["facts"]["dei"]["EntityCommonStockSharesOutstanding"]["units"]["shares"]
    framed = [f for f in facts if f.get("frame") == "CY2021Q4I"]
    got = shares.filter(pl.col("source") == "xbrl_frames")
    assert got.select("cik", "as_of_date", "shares_outstanding", "accession_number").rows() == [
        (1640147, dt.date.fromisoformat(f["end"]), f["val"], f["accn"]) for f in framed
    ]
    assert got["filed_date"].is_null().all()
    # the zip, read member by member in place: the same rows as the two JSON files
    direct = tmp_path / "direct"
    assert wb("ingest", str(corpus / "json/companyfacts"), "--out", str(direct)).returncode == 0
    cols = ["cik", "as_of_date", "shares_outstanding", "accession_number", "filed_date"]
    zipped = shares.filter(pl.col("source") == "xbrl_dei").select(cols).sort(cols)
    loose = pl.read_parquet(direct / "shares_outstanding.parquet").select(cols).sort(cols)
    assert zipped.height > 0 and zipped.equals(loose)
    zip_file = tmp_path / "Archives/edgar/daily-index/xbrl/companyfacts.zip"
    assert zip_file.is_file() and not list(tmp_path.rglob("CIK*.json"))  # never unpacked


@pytest.mark.corpus
def test_filings_that_name_no_files_are_fetched_whole(corpus_edgar, corpus, tmp_path, wb):
    # the 1997-1998 S-8s: their documents have no <FILENAME>, so EDGAR's folder holds only
    # the complete .txt; --documents needed falls back to it rather than fail
    res = wb("fetch", "--forms", "S-8,S-8 POS", "--from", "1997-01-01", "--to", "1998-12-31",
             "--documents", "needed", "--dest", str(tmp_path), "--base-url", corpus_edgar.url,
             "--user-agent", UA)  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    fetched = sorted(p.name for p in (tmp_path / "Archives/edgar/data/1018724").glob("*.txt"))
    assert fetched == sorted(p.name for p in (corpus / "s8").glob("*.txt"))
    for name in fetched:
        assert (tmp_path / "Archives/edgar/data/1018724" / name).read_bytes() == (
            corpus / "s8" / name
        ).read_bytes()
    assert pl.read_parquet(tmp_path / "tables/s8_filings.parquet").height == 3


def test_a_filing_folder_that_lies_is_an_error_row_not_a_crash(tmp_path):
    from workbench.frames.ingest import ingest

    folder = tmp_path / "data/1/000000000125000001"
    folder.mkdir(parents=True)
    (folder / "0000000001-25-000001-index-headers.html").write_text("<html><pre>no header</pre>")
    other = tmp_path / "data/1/000000000125000002"
    other.mkdir(parents=True)
    (other / "0000000001-25-000002-index-headers.html").write_text(
        "<pre>&lt;SEC-HEADER&gt;\nACCESSION NUMBER: 0000000001-25-000002\n"
        "CONFORMED SUBMISSION TYPE:\tS-8\nFILED AS OF DATE:\t\t20250102\n&lt;/SEC-HEADER&gt;\n"
        "&lt;DOCUMENT&gt;\n&lt;TYPE&gt;S-8\n&lt;SEQUENCE&gt;1\n&lt;FILENAME&gt;../../../etc/passwd\n"
        "&lt;TEXT&gt;\n&lt;/DOCUMENT&gt;\n</pre>"
    )
    (tmp_path / "data/passwd").write_text("secret")
    result = ingest([tmp_path / "data"])
    errors = result.parse_issues.filter(pl.col("severity") == "error")
    assert any("000000000125000001" in p for p in errors["source_path"])
    # the unsafe name is never read: the document is listed as not fetched
    warned = result.parse_issues.filter(pl.col("code") == "documents_not_fetched")
    assert warned["message"].str.contains("etc/passwd").all() and warned.height == 1
    assert "secret" not in str(result.tables)


@pytest.mark.corpus
@pytest.mark.notebook
def test_the_whole_path_fetch_ingest_dilution_report(corpus_edgar, manifest, tmp_path, wb):
    """fetch (index → documents) → frames and companyfacts zip → dilution → the
    market_dilution report, all from the test EDGAR."""
    forms = "S-8,S-8 POS,S-1,S-3,S-3ASR,F-3,424B5"
    common = ("--dest", str(tmp_path), "--base-url", corpus_edgar.url, "--user-agent", UA)
    res = wb("fetch", "--forms", forms, "--from", "1997-01-01", "--to", "2025-12-31",
             "--documents", "needed", *common)  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    res = wb("fetch-xbrl", "--frames", "CY2021Q4I", "--companyfacts-zip", *common)
    assert res.returncode == 0, res.stdout + res.stderr
    tables = tmp_path / "tables"
    from workbench.analytics.dilution import dilution_table
    from workbench.pipeline import open_tables

    dilution = dilution_table(open_tables(tables)[1])
    expected = _expected(manifest, forms, "1997-01-01", "2025-12-31")
    assert set(dilution["accession_number"]) <= set(expected)
    # the rows with shares: the 1997 S-8, the two resale rows and the SPAC IPO's units
    kinds = dict(
        zip(dilution["accession_number"], dilution["offering_kind"].cast(pl.String), strict=False)
    )
    assert kinds["0000950151-97-000177"] == "employee_plan"
    assert kinds["0001104659-23-076317"] == "resale"  # S-1, Rule 457(c), selling holders
    assert kinds["0001140361-21-010426"] == "primary"
    out = tmp_path / "reports"
    res = wb("report", "market_dilution", "--data", str(tables), "--out", str(out),
             "-p", "start", "1997", "-p", "end", "2025")  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    page = (out / "market_dilution/1997-2025-all.html").read_text()
    assert "Largest registrants" in page
    # no registrant in the corpus has a shares figure (its companyfacts are other companies):
    # the report says so rather than draw an empty distribution
    with_ratio = dilution["dilution_pct"].is_not_null().sum()
    assert f"{with_ratio} of {dilution.height} fee-table rows have a shares-outstanding" in page
    assert ("Distribution of dilution" in page) == (with_ratio > 0)
    # the largest registrant (most shares in one kind) with its filing linked
    top = dilution.group_by("cik", "offering_kind").agg(pl.col("shares_registered").sum())
    top = top.sort("shares_registered", descending=True).row(0, named=True)
    assert f"{top['shares_registered']:,}" in page
