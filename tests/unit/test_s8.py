"""Form S-8 fee tables in every layout, the explanatory note, S-8 POS, and the fee check.

Expected values are read off the filings' own text (the seed; the synthetic fixtures, whose
figures were computed by hand when they were written), never off this code's output.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from workbench.forms import fees
from workbench.forms.filing import parse_filing
from workbench.forms.registration import parse_fee_rate
from workbench.forms.s8 import registration_for
from workbench.frames.ingest import ingest
from workbench.sample import sample_paths
from workbench.sources.files import source_from_bytes


def _reg(path):
    f = parse_filing(path)
    r = registration_for(f)
    assert r is not None, path
    return f, r


def _codes(r) -> list[str]:
    """Warning codes of the S-8 reading and of its fee table."""
    table = r.fee_table.warnings if r.fee_table else ()
    return [c for c, _ in (*r.warnings, *table)]


def _digits(text: str) -> str:
    return re.sub(r"[^\d]", "", text).lstrip("0")


def _assert_spans_hold_values(f, r):
    """Every number's span covers the characters it was read from."""
    src = f.submission.text
    for o in r.offerings:
        for name in ("shares_registered", "max_price_per_share", "max_aggregate_offering_price",
                     "registration_fee"):  # fmt: skip
            value = getattr(o, name)
            if value is None:
                continue
            key = "amount_registered" if name == "shares_registered" else name
            shown = o.spans[key].slice(src)
            want = f"{value:.6f}".rstrip("0").rstrip(".").replace(".", "")
            assert _digits(shown).startswith(want.lstrip("0")[:6]), (name, shown, value)


def test_seed_s8_comes_out_exactly():
    f, r = _reg(next(p for p in sample_paths() if p.name.startswith("001_")))
    src = f.submission.text
    assert (f.form_type, f.filed_date) == ("S-8", dt.date(2003, 9, 26))
    assert r.fee_table_layout == "text"
    (o,) = r.offerings
    assert o.shares_registered == 2_000_000
    assert o.max_price_per_share == 6.495
    assert o.max_aggregate_offering_price == 12_990_000
    assert o.registration_fee == 1_050.89
    assert o.security_title == "Common Stock, par value $0.10 per share"
    assert o.fee_rule == "Rule 457(c) and (h)(1)"  # from footnote (2)
    assert o.fee_rate_per_million_expected == 80.90
    assert (o.fee_check, o.aggregate_check) == ("ok", "ok")
    assert r.plan_names == ("2000 Employee Stock Incentive Plan",)
    assert r.prior_registration_numbers == ("333-102580",)
    assert (r.plan_shares_before, r.plan_shares_after) == (1_000_000, 3_000_000)
    assert r.per_person_limit == 1_250_000
    assert r.covers_rule_416 is True
    assert (r.total_shares_registered, r.total_registration_fee) == (2_000_000, 1_050.89)
    assert o.spans["shares_registered"].slice(src) == "2,000,000"
    assert o.spans["max_price_per_share"].slice(src) == "$6.495"
    assert o.spans["max_aggregate_offering_price"].slice(src) == "$12,990,000"
    assert o.spans["registration_fee"].slice(src) == "$1,050.89"
    assert o.spans["security_title"].slice(src) == "Common Stock, par value $0.10 per share"
    assert r.spans["plan_shares_before"].slice(src) == "1,000,000"
    assert r.spans["plan_names"].slice(src) == "2000 Employee Stock Incentive Plan"
    assert r.warnings == ()


def test_text_table_1998_whitespace_columns_wrapped_titles_and_total(fixtures):
    f, r = _reg(fixtures / "synthetic-s8-text-1998-sgml.txt")
    assert r.fee_table_layout == "text"
    rows = [(o.shares_registered, o.max_price_per_share, o.max_aggregate_offering_price,
             o.registration_fee) for o in r.offerings]  # fmt: skip
    assert rows == [(1_500_000, 12.375, 18_562_500, 5_475.94), (250_000, 10.52, 2_629_688, 775.76)]
    assert r.offerings[0].security_title == (
        "Common Stock, $.01 par value, issuable under the 1998 Stock Incentive Plan"
    )
    assert r.offerings[1].security_title.endswith("1998 Employee Stock Purchase Plan")
    # FY1998: $295 per million; 2,629,688 = 250,000 × 10.51875 (price shown rounded)
    assert [o.fee_check for o in r.offerings] == ["ok", "ok"]
    assert [o.aggregate_check for o in r.offerings] == ["ok", "rounded"]
    assert (r.total_offering_amount, r.total_fee_stated) == (21_192_188, 6_251.70)
    assert r.plan_names == ("1998 Stock Incentive Plan", "1998 Employee Stock Purchase Plan")
    assert r.offerings[0].fee_rule == "Rule 457(c) and (h)"
    _assert_spans_hold_values(f, r)


def test_html_table_2008_dollar_signs_in_own_cells(fixtures):
    f, r = _reg(fixtures / "synthetic-s8-html-2008-sgml.txt")
    assert r.fee_table_layout == "html"
    rows = [(o.shares_registered, o.max_price_per_share, o.max_aggregate_offering_price,
             o.registration_fee) for o in r.offerings]  # fmt: skip
    assert rows == [(2_500_000, 23.46, 58_650_000, 2_304.95), (400_000, 19.94, 7_976_000, 314.0)]
    # FY2008 $39.30: 7,976,000 × 39.30 / 1e6 = 313.46, shown as a whole-dollar $314
    assert [o.fee_check for o in r.offerings] == ["ok", "rounded"]
    assert [o.fee_rate_per_million_expected for o in r.offerings] == [39.30, 39.30]
    assert (r.plan_shares_before, r.plan_shares_after) == (5_000_000, 7_500_000)
    assert r.per_person_limit == 300_000  # "No participant ... from 200,000 to 300,000"
    assert r.prior_registration_numbers == ("333-118801", "333-133456")
    assert r.plan_names == (
        "Amended and Restated 2004 Equity Incentive Plan",
        "2008 Non-Employee Director Stock Plan",
    )
    assert (r.total_offering_amount, r.total_fee_stated) == (66_626_000, 2_618.95)
    assert r.covers_rule_416 is True
    _assert_spans_hold_values(f, r)


def test_exhibit_107_html_row_groups_totals_and_rate_styles(fixtures):
    f, r = _reg(fixtures / "synthetic-s8-ex107-2023-sgml.txt")
    assert r.fee_table_layout == "ex107_html"
    paid = [o for o in r.offerings if o.row_group == "fees_to_be_paid"]
    assert [
        (
            o.shares_registered,
            o.max_price_per_share,
            o.max_aggregate_offering_price,
            o.registration_fee,
        )
        for o in paid
    ] == [
        (3_250_000, 41.27, 134_127_500, 14_780.85),
        (1_000_000, 35.08, 35_080_000, 3_865.82),
    ]
    # "0.0001102" and "$110.20 per $1,000,000" are the same FY2023 rate
    assert [o.fee_rate_per_million_stated for o in paid] == [110.20, 110.20]
    assert [o.fee_check for o in paid] == ["ok", "ok"]
    assert [o.fee_rule for o in paid] == ["Other", "Rule 457(c) and Rule 457(h)"]
    (carry,) = [o for o in r.offerings if o.row_group == "carry_forward"]
    assert (carry.shares_registered, carry.registration_fee, carry.fee_check) == (
        125_000,
        None,
        None,
    )
    assert (r.total_offering_amount, r.total_fee_stated, r.net_fee_due) == (
        172_332_500, 18_646.67, 18_646.67,
    )  # fmt: skip
    assert r.total_shares_registered == 4_250_000  # carry-forward shares are not new
    # Table 2 (offset claims) is not read as an offering
    assert all(o.max_aggregate_offering_price != 9_999_999 for o in r.offerings)
    _assert_spans_hold_values(f, r)


def test_exhibit_107_inline_xbrl_facts(fixtures):
    f, r = _reg(fixtures / "synthetic-s8-ex107-ixbrl-2025-sgml.txt")
    src = f.submission.text
    assert r.fee_table_layout == "ex107_ixbrl"
    assert [
        (o.security_title, o.shares_registered, o.max_aggregate_offering_price, o.registration_fee)
        for o in r.offerings
    ] == [
        ("Class A Common Stock, par value $0.0001 per share", 5_000_000, 61_700_000, 9_446.27),
        (
            "Class A Common Stock reserved under the 2021 Employee Stock Purchase Plan",
            1_000_000,
            10_490_000,
            1_606.02,
        ),  # scale="6": 10.49 million
    ]
    assert [o.fee_rate_per_million_stated for o in r.offerings] == [153.10, 153.10]
    assert [o.fee_check for o in r.offerings] == ["ok", "ok"]
    assert [o.fee_rule for o in r.offerings] == ["Other", "Other"]
    assert r.net_fee_due == 11_052.29
    assert r.offerings[0].spans["registration_fee"].slice(src) == "9,446.27"


def test_fee_paid_at_next_years_rate_is_a_mismatch(fixtures):
    """Filed 2004-01-15, before the FY2004 rate took effect (2004-01-28): $80.90 applied,
    but the filer paid 8,000,000 × $126.70 / 1e6 = $1,013.60."""
    _f, r = _reg(fixtures / "synthetic-s8-text-2004-early-rate.txt")
    (o,) = r.offerings
    assert (o.shares_registered, o.max_price_per_share, o.registration_fee) == (
        1_000_000,
        8.0,
        1_013.6,
    )
    assert o.security_title == "Common Stock, $0.001 par value"
    assert (o.fee_rate_per_million_expected, o.fee_check) == (80.90, "mismatch")
    assert _codes(r) == ["fee_mismatch"]


def test_unreadable_table_is_a_warning_not_a_row_of_nulls(fixtures):
    _f, r = _reg(fixtures / "synthetic-s8-text-2005-unreadable.txt")
    assert r.offerings == ()
    assert _codes(r) == ["fee_table_unreadable"]


def test_missing_table_is_a_warning():
    src = source_from_bytes(
        b"FORM S-8\nREGISTRATION STATEMENT UNDER THE SECURITIES ACT OF 1933\nNo table here.\n",
        path="inline-s8.txt",
    )
    _, r = _reg(src)
    assert _codes(r) == ["fee_table_not_found"]


def test_s8_pos_deregistration(fixtures):
    f, r = _reg(fixtures / "synthetic-s8pos-2020-deregistration-sgml.txt")
    assert f.form_type == "S-8 POS"
    assert (r.is_deregistration, r.shares_deregistered) == (True, 1_250_000)
    assert r.prior_registration_numbers == ("333-215000",)
    assert r.spans["shares_deregistered"].slice(f.submission.text) == "1,250,000"
    assert r.warnings == ()  # no fee table is due on a post-effective amendment


@pytest.mark.parametrize(
    ("cell", "per_million"),
    [
        ("$153.10 per $1,000,000", 153.10),
        ("0.0001102", 110.20),
        (".0000927", 92.70),
        ("$110.20 per million", 110.20),
        ("0.011020%", 110.20),
        ("0.00015310", 153.10),
        ("$0.0001 par value", None),
    ],
)
def test_fee_rate_cells(cell, per_million):
    assert parse_fee_rate(cell) == per_million


@pytest.mark.parametrize(
    ("filed", "rate"),
    [
        (dt.date(2003, 9, 26), 80.90),  # the seed
        (dt.date(2003, 2, 24), 92.00),  # FY2003 rate only from 2003-02-25
        (dt.date(2004, 12, 10), 126.70),  # reference: "an S-8 filed 2004-12-10 pays $126.70"
        (dt.date(2004, 12, 13), 117.70),
        (dt.date(2011, 10, 1), 114.60),
        (dt.date(2025, 9, 30), 153.10),
        (dt.date(2025, 10, 1), 138.10),
        (dt.date(2002, 1, 16), None),  # rate charged before the Fee Relief Act: not known
        (dt.date(2026, 10, 1), None),  # FY2027 not in the table yet
        (None, None),
    ],
)
def test_fee_rate_in_force_on_filing_date(filed, rate):
    assert fees.expected_rate(filed) == rate


def test_fee_check_classes():
    assert fees.check_fee(12_990_000, 1_050.89, 80.90) == "ok"
    assert fees.check_fee(12_990_000, 1_051.00, 80.90) == "rounded"
    assert fees.check_fee(12_990_000, 1_050.00, 80.90) == "rounded"  # truncated
    assert fees.check_fee(12_990_000, 1_200.00, 80.90) == "mismatch"
    assert fees.check_fee(12_990_000, 1_050.89, None) == "rate_unknown"
    assert fees.check_fee(None, 1_050.89, 80.90) is None


def test_ingest_writes_s8_tables(fixtures):
    paths = [*sample_paths(), *sorted(fixtures.glob("synthetic-s8*"))]
    result = ingest(paths, workers=1)
    offerings, filings = result.tables["offerings"], result.tables["s8_filings"]
    assert filings.height == len(paths) - 1  # every S-8 but the 12b-25 seed
    assert offerings.height == 11
    seed = offerings.filter(pl.col("source_path").str.contains("001_"))
    assert seed.select("shares_registered", "registration_fee", "fee_check").row(0) == (
        2_000_000, 1_050.89, "ok",
    )  # fmt: skip
    assert set(seed["spans"][0].struct.field("field").to_list()) >= {
        "shares_registered", "registration_fee", "max_aggregate_offering_price",
    }  # fmt: skip
    codes = result.parse_issues.filter(pl.col("code").str.starts_with("fee"))["code"].to_list()
    assert sorted(codes) == ["fee_mismatch", "fee_table_unreadable"]


def test_html_table_without_dollar_signs_and_text_table_with_inline_column_tags():
    html = (
        b"<html><body><p>As filed with the Securities and Exchange Commission on June 2, 2016</p>"
        b"<p>FORM S-8</p><p>CALCULATION OF REGISTRATION FEE</p><table>"
        b"<tr><td>Title</td><td>Amount</td><td>Price</td><td>Aggregate</td><td>Fee</td></tr>"
        b"<tr><td>Common Stock, no par value</td><td>750,000(1)</td><td>14.20(2)</td>"
        b"<td>10,650,000(2)</td><td>1,072.46</td></tr></table>"
        b"<p>(1) Pursuant to Rule 416 ...</p></body></html>"
    )
    _, r = _reg(source_from_bytes(html, path="inline-s8.htm"))
    (o,) = r.offerings
    assert (o.shares_registered, o.max_price_per_share, o.max_aggregate_offering_price,
            o.registration_fee) == (750_000, 14.20, 10_650_000, 1_072.46)  # fmt: skip
    assert o.fee_check == "ok"  # FY2016: 10,650,000 × $100.70 / 1e6 = $1,072.455
    text = (
        b"FORM S-8\nCALCULATION OF REGISTRATION FEE\n<TABLE>\n"
        b"<S>Common Stock       <C>300,000 shares  <C>$4.50  <C>$1,350,000  <C>$109.35\n"
        b"</TABLE>\n"
    )
    _, r = _reg(source_from_bytes(text, path="inline-s8.txt"))
    (o,) = r.offerings
    assert o.security_title == "Common Stock"
    assert (o.shares_registered, o.registration_fee, o.fee_check) == (
        300_000,
        109.35,
        "rate_unknown",
    )
