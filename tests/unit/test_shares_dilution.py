"""Shares outstanding (cover pages, XBRL dei) and point-in-time dilution."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analytics.dilution import build_dilution, dilution_table
from workbench.forms.filing import parse_filing
from workbench.forms.shares import cover_shares, shares_for
from workbench.frames.ingest import ingest, ingest_to_dir
from workbench.frames.store import scan_tables
from workbench.provenance import Span
from workbench.sample import sample_paths
from workbench.sources.companyfacts import read_companyfacts

D = dt.date
APPLE = [  # file, shares, as-of date: as the cover pages state them
    ("10-K/0000320193-94-000016.txt", 119_891_418, D(1994, 12, 2)),
    ("10-K/0001047469-97-006960.txt", 127_993_412, D(1997, 11, 28)),
    ("10-Q/0000320193-97-000011.txt", 126_354_086, D(1997, 5, 2)),
    ("10-Q/0000320193-98-000008.txt", 134_639_382, D(1998, 8, 4)),
    ("10-Q/0000320193-99-000004.txt", 137_058_898, D(1999, 4, 30)),
    ("10-Q/0000912057-00-003201.txt", 161_661_155, D(2000, 1, 21)),
    ("10-Q_A/0000320193-97-000021.txt", 126_354_086, D(1997, 5, 2)),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("rel", "shares", "as_of"), APPLE)
def test_apple_cover_pages(corpus, rel, shares, as_of):
    f = parse_filing(corpus / "filings" / rel)
    (stated,) = shares_for(f)  # the balance sheet's "issued and outstanding" is not the cover
    assert (stated.shares_outstanding, stated.as_of_date, stated.share_class) == (
        shares, as_of, "common",
    )  # fmt: skip
    assert stated.span.slice(f.submission.text) == f"{shares:,}"


def read(text):
    """(count, class, as-of date) of every cover statement in ``text``."""
    return [(s.shares_outstanding, s.share_class, s.as_of_date)
            for s in cover_shares(text, lambda a, b: Span(a, b))]  # fmt: skip


def test_cover_sentence_styles():
    assert read(
        "As of May 1, 2024, there were 10,000 shares of the registrant's Class A common stock, "
        "par value $0.01 per share, and 5,000 shares of Class B common stock outstanding.\n"
    ) == [(10_000, "Class A", D(2024, 5, 1)), (5_000, "Class B", D(2024, 5, 1))]
    assert read(
        "The number of shares of the registrant's common stock outstanding as of April 19, 2024 "
        "was 15,441,883,000 shares.\n"
    ) == [(15_441_883_000, "common", D(2024, 4, 19))]
    assert read("320,000,000 shares authorized; 126,424,977 shares issued and outstanding\n") == []


def test_cover_counts_after_their_label_and_before_an_owner():
    # a label, then the count (GameStop's covers put it this way)
    assert read(
        "Number of shares of $.001 par value Class A Common Stock outstanding as of March 20, "
        "2024: 305,873,200\n\nDOCUMENTS INCORPORATED BY REFERENCE"
    ) == [(305_873_200, "Class A", D(2024, 3, 20))]
    assert read(
        "The number of shares outstanding of the registrant's common stock as of May 1, 2015 "
        "was 12,345,678.\n"
    ) == [(12_345_678, "common", D(2015, 5, 1))]
    # a rounded figure is not a count
    assert (
        read(
            "The number of shares of common stock outstanding as of February 16, 2024 was 2.5 "
            "billion.\n"
        )
        == []
    )
    # ordinary shares counted before "of the registrant's"
    assert read(
        "On July 31, 2014, 61,234,567 of the registrant's ordinary shares were issued and "
        "outstanding.\n"
    ) == [(61_234_567, "common", D(2014, 7, 31))]


def test_treasury_and_issued_only_counts_are_not_outstanding():
    march = D(2012, 3, 1)
    assert read(
        "As of March 1, 2012, there were 100,234,567 shares of common stock outstanding "
        "(excluding 5,123,456 shares held in treasury).\n"
    ) == [(100_234_567, "common", march)]
    assert read(
        "As of March 1, 2012, 110,000,000 shares of common stock were issued and 100,234,567 "
        "shares were outstanding, 9,765,433 shares being held as treasury shares.\n"
    ) == [(100_234_567, "common", march)]
    assert (
        read(
            "The aggregate market value of the 1,234,567 shares held by non-affiliates outstanding "
            "as of June 30, 2023 was $5 million.\n"
        )
        == []
    )


@pytest.mark.corpus
def test_snowflake_companyfacts(corpus):
    facts = read_companyfacts((corpus / "json/companyfacts/CIK0001640147.json").read_text())
    f = facts.frame.sort("as_of_date")
    assert (facts.cik, facts.entity_name, f.height) == (1640147, "SNOWFLAKE INC.", 18)
    first, last = f.row(0, named=True), f.row(-1, named=True)
    assert (first["as_of_date"], first["shares_outstanding"], first["filed_date"]) == (
        D(2021, 3, 1), 288_700_000, D(2021, 3, 31),
    )  # fmt: skip
    assert (last["as_of_date"], last["shares_outstanding"]) == (D(2025, 5, 8), 333_700_000)
    assert (facts.n_placeholder, facts.n_stale) == (0, 0)


def test_companyfacts_classes_placeholders_and_stale():
    def fact(end, val, accn, filed):
        return {"end": end, "val": val, "accn": accn, "filed": filed, "form": "10-Q"}

    doc = {"cik": 42, "entityName": "Two Class Co", "facts": {"dei": {
        "EntityCommonStockSharesOutstanding": {"units": {"shares": [
            fact("2024-04-30", 900_000, "a-1", "2024-05-10"),  # Class A
            fact("2024-04-30", 100_000, "a-1", "2024-05-10"),  # Class B, same filing
            fact("2024-07-31", 1, "a-2", "2024-08-09"),  # placeholder
            fact("2019-07-31", 800_000, "a-3", "2024-08-09"),  # stale: restated old cover
        ]}}}}}  # fmt: skip
    facts = read_companyfacts(json.dumps(doc))
    assert facts.frame.select("as_of_date", "shares_outstanding", "n_facts").rows() == [
        (D(2024, 4, 30), 1_000_000, 2)
    ]
    assert (facts.n_placeholder, facts.n_stale) == (1, 1)


def _shares(*rows):
    return pl.LazyFrame(
        [{"cik": c, "accession_number": a, "as_of_date": d, "source": "xbrl_dei",
          "shares_outstanding": n, "filed_date": f, "source_path": "x"} for c, a, d, n, f in rows],
    )  # fmt: skip


def _offerings(*rows):
    return pl.LazyFrame(
        [{"cik": c, "company_name": name, "filed_date": f, "accession_number": a,
          "source_path": a, "row_number": 1, "row_group": "fees_to_be_paid", "form_type": form,
          "security_title": "Common Stock", "shares_registered": n, "registration_fee": 1.0,
          "fee_check": "ok", "fee_rule": kind[1] if len(kind) > 1 else None}
         for c, name, f, a, n, *kind in rows for form in [kind[0] if kind else "S-8"]],
        schema_overrides={"cik": pl.Int64},
    )  # fmt: skip


def test_point_in_time_never_looks_ahead():
    """A figure filed on or after the S-8's filing date must not be its denominator, even
    when its as-of date is earlier."""
    shares = _shares(
        (7, "10k", D(2022, 2, 1), 100_000_000, D(2022, 3, 1)),
        (7, "10q", D(2022, 4, 29), 200_000_000, D(2022, 5, 10)),  # filed the S-8's day
    )
    offers = _offerings(
        (7, "Co", D(2022, 5, 10), "s8-a", 5_000_000),
        (7, "Co", D(2022, 5, 11), "s8-b", 1_000_000),
        (7, "Co", D(2022, 2, 15), "s8-0", 2_000_000),  # before any figure was filed
    )
    d = build_dilution(offers, shares).collect().sort("filed_date")
    assert d["shares_outstanding"].to_list() == [None, 100_000_000, 200_000_000]
    assert d["denominator_missing_reason"].to_list() == [
        "no_figure_known_before_filing",
        None,
        None,
    ]
    assert d["dilution_pct"].to_list()[1:] == [5.0, 0.5]
    assert d["denominator_age_days"].to_list()[1:] == [(D(2022, 5, 10) - D(2022, 2, 1)).days, 12]
    assert d["ttm_shares_registered"].to_list() == [2_000_000, 7_000_000, 8_000_000]
    assert d["cumulative_shares_registered"].to_list() == [2_000_000, 7_000_000, 8_000_000]


def test_missing_denominators_stay_with_a_reason():
    d = build_dilution(
        _offerings(
            (None, "Bare Doc Inc", D(2003, 9, 26), "s", 2_000_000),
            (9, "No Facts Corp", D(2020, 1, 2), "t", 1_000),
        ),
        _shares((7, "x", D(2019, 1, 1), 10, D(2019, 2, 1))),
    ).collect()
    assert d.height == 2
    assert sorted(d["denominator_missing_reason"].to_list()) == [
        "no_cik", "no_shares_outstanding_for_company",
    ]  # fmt: skip
    assert d["dilution_pct"].null_count() == 2


@pytest.mark.corpus
def test_ingest_reads_json_beside_filings(corpus, tmp_path):
    paths = [*sample_paths(), corpus / "json/companyfacts", corpus / "json/submissions",
             corpus / "json/company_tickers.json", corpus / "filings/10-K"]  # fmt: skip
    result = ingest(paths, workers=1)
    kinds = dict(result.tables["data_files"].group_by("data_kind").len().iter_rows())
    assert kinds == {"companyfacts": 2, "submissions": 3}
    errors = result.parse_issues.filter(pl.col("severity") == "error")
    assert errors.filter(pl.col("code") == "json_not_recognized")["source_path"].to_list() == [
        str(corpus / "json/company_tickers.json")
    ]
    shares = result.tables["shares_outstanding"]
    assert set(shares["source"].cast(pl.String)) == {"cover_text", "xbrl_dei"}
    assert shares.filter(pl.col("cik") == 1640147).height == 18
    # the sample: the dilution table keeps the seed's row and says why it has no ratio
    ingest_to_dir(paths, tmp_path, workers=1, progress=False)
    d = dilution_table(scan_tables(tmp_path))
    seed = d.filter(pl.col("company_name").str.contains("(?i)innovo")).row(0, named=True)
    assert (seed["shares_registered"], seed["denominator_missing_reason"]) == (2_000_000, "no_cik")
    out = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "dilution", "--company", "innovo", "--data",
         str(tmp_path)], capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "2,000,000 shares" in out.stdout and "no ratio: no_cik" in out.stdout
    # CIK or name, as the reports and explorers choose a company (the seed has no CIK)
    both = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "dilution", "--cik", "999", "--company",
         "innovo", "--data", str(tmp_path)], capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "2,000,000 shares" in both.stdout


def _cover_counts(raw: bytes, path: str):
    """The filing and its cover counts as (shares, class, as-of date)."""
    from workbench.sources.files import source_from_bytes

    f = parse_filing(source_from_bytes(raw, path=path))
    return f, [(s.shares_outstanding, s.share_class, s.as_of_date) for s in shares_for(f)]


def test_cover_class_table_in_html():

    html = (
        b"<html><body><p>FORM 10-Q</p><p>QUARTERLY REPORT</p>"
        b"<p>Indicate the number of shares outstanding of each of the issuer's classes of common "
        b"stock, as of the latest practicable date.</p><table>"
        b"<tr><td>Class</td><td>Outstanding at July 26, 2024</td></tr>"
        b"<tr><td>Class A Common Stock, $0.001 par value</td><td>5,451,000,000</td></tr>"
        b"<tr><td>Class C Capital Stock, $0.001 par value</td><td>5,457,000,000</td></tr>"
        b"</table><p>PART I. FINANCIAL INFORMATION</p></body></html>"
    )
    f, got = _cover_counts(html, "inline-10q.htm")
    assert f.form_type == "10-Q"
    assert got == [
        (5_451_000_000, "Class A", D(2024, 7, 26)),
        (5_457_000_000, "Class C", D(2024, 7, 26)),
    ]
    assert shares_for(f)[0].span.slice(f.submission.text) == "5,451,000,000"


def test_every_registered_offering_with_its_kind_kept_apart():
    """`offerings` holds every registration form: each row is in the frame with its form
    and kind, and running totals never add a shelf to a plan."""
    shares = _shares((7, "10k", D(2022, 2, 1), 100_000_000, D(2022, 3, 1)))
    offers = _offerings(
        (7, "Co", D(2022, 5, 10), "s8-a", 5_000_000),
        (7, "Co", D(2022, 5, 11), "s3-a", 9_000_000, "S-3", "457(o)"),
        (7, "Co", D(2022, 5, 12), "s3-r", 2_000_000, "S-3", "457(c)"),
        (7, "Co", D(2022, 5, 13), "b5-a", 3_000_000, "424B5", "457(r)"),
        (7, "Co", D(2022, 6, 1), "s8-b", 1_000_000, "S-8", "Rules 457(h) and 457(c)"),
        (7, "Co", D(2022, 6, 2), "s1-a", 4_000_000, "S-1/A", None),
        (7, "Co", D(2022, 6, 3), "8k", 4_000_000, "8-K", None),  # not a registration
    )
    d = build_dilution(offers, shares).collect().sort("filed_date")
    assert d["accession_number"].to_list() == ["s8-a", "s3-a", "s3-r", "b5-a", "s8-b", "s1-a"]
    assert d["offering_kind"].cast(pl.String).to_list() == [
        "employee_plan", "shelf", "resale", "takedown", "employee_plan", "primary",
    ]  # fmt: skip
    assert d["source_form"].to_list() == ["S-8", "S-3", "S-3", "424B5", "S-8", "S-1/A"]
    assert d["dilution_pct"].to_list() == [5.0, 9.0, 2.0, 3.0, 1.0, 4.0]  # n / 100,000,000
    # the second S-8 adds to the first only: 5,000,000 + 1,000,000
    assert d["cumulative_shares_registered"].to_list() == [
        5_000_000, 9_000_000, 2_000_000, 3_000_000, 6_000_000, 4_000_000,
    ]  # fmt: skip


_day = st.dates(min_value=D(2018, 1, 1), max_value=D(2024, 12, 31))


@settings(max_examples=60, deadline=None)
@given(
    figures=st.lists(st.tuples(_day, st.integers(1, 10**9)), min_size=1, max_size=6),
    s8_days=st.lists(_day, min_size=1, max_size=4, unique=True),
)
def test_property_the_denominator_is_the_latest_figure_filed_before_the_s8(figures, s8_days):
    """Whatever the dates, each S-8 row's denominator is the figure filed last strictly
    before the S-8's filing date (none when none was), never a later one."""
    shares = _shares(*[(7, f"q{i}", filed, n, filed) for i, (filed, n) in enumerate(figures)])
    offers = _offerings(*[(7, "Co", day, f"s8-{i}", 1_000) for i, day in enumerate(s8_days)])
    out = build_dilution(offers, shares).collect()
    for row in out.iter_rows(named=True):
        known = [(f, n) for f, n in figures if f < row["filed_date"]]
        if not known:
            assert row["shares_outstanding"] is None
            continue
        latest = max(f for f, _ in known)
        assert row["denominator_as_of_date"] == latest
        assert row["shares_outstanding"] in {n for f, n in known if f == latest}


def test_cover_class_table_read_by_its_columns_with_the_date_in_the_cell_below():

    # "$" and footnote cells beside the counts, a column of par values that is not a count,
    # and the date on the header's second row: the count is the cell under the header
    html = (
        b"<html><body><p>FORM 10-K</p><p>ANNUAL REPORT</p><table>"
        b"<tr><td>Title of class</td><td>Par value</td><td colspan=2>Outstanding at</td></tr>"
        b"<tr><td></td><td></td><td colspan=2>February 14, 2025</td></tr>"
        b"<tr><td>Common Stock</td><td>$0.01</td><td></td><td>41,234,567</td></tr>"
        b"<tr><td>Class B Common Stock</td><td>$0.01</td><td>(1)</td><td>1,000,000</td></tr>"
        b"</table><p>PART I</p><p>Item 1. Business</p></body></html>"
    )
    f, got = _cover_counts(html, "inline-10k.htm")
    assert got == [
        (41_234_567, "common", D(2025, 2, 14)),
        (1_000_000, "Class B", D(2025, 2, 14)),
    ]
    assert shares_for(f)[1].span.slice(f.submission.text) == "1,000,000"


def test_cover_class_table_in_plain_text():

    text = (
        b"<SEC-DOCUMENT>0000000000-97-000001.txt : 19970301\n<SEC-HEADER>\n"
        b"CONFORMED SUBMISSION TYPE:\t10-K\nFILED AS OF DATE:\t\t19970301\n</SEC-HEADER>\n"
        b"<DOCUMENT>\n<TYPE>10-K\n<SEQUENCE>1\n<TEXT>\n"
        b"                              FORM 10-K\n\n"
        b"Indicate the number of shares outstanding of each of the registrant's classes\n"
        b"of common stock, as of the latest practicable date.\n\n"
        b"        Class                              Outstanding at February 28, 1997\n"
        b"  Common Stock, $.10 par value                       12,345,678\n"
        b"  Class B Stock, $.10 par value                         987,654\n\n"
        b"                                PART I\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    )
    f, got = _cover_counts(text, "old-10k.txt")
    assert got == [(12_345_678, "common", D(1997, 2, 28)), (987_654, "Class B", D(1997, 2, 28))]
    assert shares_for(f)[1].span.slice(f.submission.text) == "987,654"
