"""EDGAR index formats, submissions JSON and the timeliness panel on the real corpus."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import polars as pl
import pytest

from workbench.analytics.timeliness import build_timeliness
from workbench.errors import ParseError
from workbench.frames.filings_index import build_index
from workbench.frames.ingest import ingest_to_dir
from workbench.frames.validate import validate
from workbench.sample import sample_paths
from workbench.sources.index_files import filer_category, read_index

pytestmark = pytest.mark.corpus


def _count_lines(path, pattern):
    import re

    return sum(1 for line in path.read_text().splitlines() if re.search(pattern, line))


def test_daily_form_index(corpus):
    path = corpus / "index/daily/form.20200318.idx"
    df = read_index(path)
    data_lines = _count_lines(path, r"edgar/data/\d+/")
    assert df.height == data_lines
    counts = dict(df.group_by("form_type").len().iter_rows())
    # MANIFEST: 2 NT 10-K(/A), 2 NT 10-Q(/A), 7 S-8, 6 S-8 POS
    assert counts["NT 10-K"] + counts["NT 10-K/A"] == 2
    assert counts["NT 10-Q"] + counts["NT 10-Q/A"] == 2
    assert (counts["S-8"], counts["S-8 POS"]) == (7, 6)
    # a daily index also lists late-disseminated filings with their own (older) dates
    assert df["filed_date"].max() == dt.date(2020, 3, 18)
    assert df.filter(pl.col("filed_date") < dt.date(2020, 3, 18)).height == _count_lines(
        path, r"\s(?:2019\d{4}|20200[1-2]\d\d|202003(?:0\d|1[0-7]))\s"
    )
    row = df.filter(pl.col("accession_number") == "0001140361-20-006155").row(0, named=True)
    assert (row["form_type"], row["company_name"], row["cik"]) == (
        "1-A", "DLP Positive Note Fund LLC", 1806014,
    )  # fmt: skip


@pytest.mark.parametrize(
    "rel",
    [
        "index/daily/master.20200103.idx",  # pipes, YYYYMMDD
        "index/daily/master.20181231.sample.idx",
        "index/full-index/master.1993QTR4.sample.idx",  # YYYY-MM-DD, 'Cloud HTTP' header
        "index/daily/company.20221003.idx",  # company first, wrapped header
        "index/daily/company.20200102.idx",
    ],
)
def test_index_layouts_read_every_line(corpus, rel):
    path = corpus / rel
    df = read_index(path)
    assert df.height == _count_lines(path, r"edgar/data/\d+/")
    assert df["cik"].null_count() == df["filed_date"].null_count() == 0
    # every row's CIK and date also appear verbatim on some line of the file
    text = path.read_text()
    for row in df.sample(min(df.height, 25), seed=1).iter_rows(named=True):
        assert str(row["cik"]) in text and row["form_type"] in text


def test_empty_day_and_bad_header(corpus, tmp_path):
    assert read_index(corpus / "index/daily/form.20250329.empty.idx").height == 0
    bad = tmp_path / "bad.idx"
    bad.write_text("not an index\n")
    with pytest.raises(ParseError, match="-----"):
        read_index(bad)


def test_submissions_json_with_older_page(corpus):
    df = read_index(corpus / "json/submissions/CIK0000320193.json")
    recent = json.loads((corpus / "json/submissions/CIK0000320193.json").read_text())
    page = json.loads((corpus / "json/submissions/CIK0000320193-submissions-001.json").read_text())
    assert df.height == len(recent["filings"]["recent"]["form"]) + len(page["form"])
    assert df["filed_date"].min() == dt.date(1994, 1, 26)  # from the older page
    k = df.filter(pl.col("accession_number") == "0000320193-22-000108").row(0, named=True)
    assert (k["form_type"], k["period_end"], k["filed_date"]) == (
        "10-K", dt.date(2022, 9, 24), dt.date(2022, 10, 28),
    )  # fmt: skip
    assert (k["fiscal_year_end"], k["filer_category_stated"]) == ("0930", "Large accelerated filer")


def test_filer_category_strings():
    assert filer_category("Large accelerated filer") == "large_accelerated"
    assert filer_category("Accelerated filer<br>Smaller reporting company") == "accelerated"
    assert (
        filer_category("Non-accelerated filer<br>Smaller reporting company") == "smaller_reporting"
    )
    assert filer_category("<br>Emerging growth company") == "unknown"
    assert filer_category("") == filer_category(None) == "unknown"


@pytest.fixture(scope="module")
def panel(corpus, tmp_path_factory):
    store = tmp_path_factory.mktemp("sample")
    ingest_to_dir(sample_paths(), store, workers=1, progress=False)
    result = build_index([corpus / "index", corpus / "json/submissions", store])
    assert result.errors == []
    return validate(build_timeliness(result.frame.lazy()).collect(), "timeliness")


def test_seed_notice_in_the_panel(panel):
    (row,) = panel.filter(pl.col("company_name").str.contains("(?i)innovo")).iter_rows(named=True)
    assert (row["report_type"], row["period_end"]) == ("10-K", dt.date(2002, 11, 30))
    assert (row["due_date"], row["nt_deadline"], row["extended_due_date"]) == (
        dt.date(2003, 2, 28), dt.date(2003, 3, 3), dt.date(2003, 3, 17),
    )  # fmt: skip
    assert row["nt_filed_date"] == dt.date(2003, 2, 28)  # the signature date: a bare notice
    assert row["status"] == "not_filed_yet"  # the 10-K itself is not in the sample


def test_apple_2006_option_backdating_delays(panel):
    """Apple filed NT 10-Q (Aug 2006) and NT 10-K (Dec 2006) during its options review and
    filed both reports on 2006-12-29: the 10-K within the 15-day extension, the 10-Q long after."""
    apple = panel.filter(pl.col("cik") == 320193)
    q = apple.filter(pl.col("period_end") == dt.date(2006, 7, 1)).row(0, named=True)
    k = apple.filter(pl.col("period_end") == dt.date(2006, 9, 30)).row(0, named=True)
    assert (q["report_type"], q["status"]) == ("10-Q", "nt_but_missed_extension")
    assert (k["report_type"], k["status"]) == ("10-K", "late_cured")
    assert k["report_filed_date"] == q["report_filed_date"] == dt.date(2006, 12, 29)
    assert k["days_late"] == (dt.date(2006, 12, 29) - k["due_date"]).days
    others = apple.filter(~pl.col("period_end").is_in([dt.date(2006, 7, 1), dt.date(2006, 9, 30)]))
    reported = others.filter(pl.col("status") != "not_filed_yet")
    assert reported.height > 40 and set(reported["status"].to_list()) == {"on_time"}


def test_panel_keys_and_counts(panel):
    keys = panel.select(
        pl.coalesce(pl.col("cik").cast(pl.String), "company_name"), "report_type", "period_end"
    )
    assert keys.unique().height == panel.height  # one row per report due
    assert (panel["n_reports"] <= 1).all() or panel.filter(pl.col("n_reports") > 1).height < 5
    late = panel.filter(pl.col("status").is_in(["late_cured", "nt_but_missed_extension"]))
    assert late["nt_filed_date"].null_count() == 0


def test_cli_index(corpus, tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "index", str(corpus / "index/daily"),
         str(corpus / "json/submissions"), "--out", str(tmp_path), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = json.loads(out.stdout)
    assert summary["unreadable"] == [] and summary["filings"] > 15000
    written = pl.read_parquet(tmp_path / "timeliness.parquet")
    assert written.height == summary["reports_due"]
    assert sum(summary["status"].values()) == written.height
