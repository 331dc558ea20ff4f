"""Fee tables of every registration form read cell by cell, checked by arithmetic.

Each table here is written by hand in a layout filing agents use; every expected value is
worked out by hand from the cells written (the fee rate of the filing date from
``data/fee_rates.csv``: $153.10 per million from 2024-10-01). Tables written for a test
are not evidence that the reader generalises: that figure is ``benchmarks/fee_tables.py``
on real exhibits, and ``tests/corpus/test_fee_tables_corpus.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.forms import registry
from workbench.forms.family import Context, Extracted, Family
from workbench.forms.filing import parse_filing
from workbench.forms.registration import read_fee_table
from workbench.frames.records import process_file
from workbench.sample import sample_paths
from workbench.sources.files import source_from_bytes


def _submission(form: str, exhibit: str, filed: str = "20250310") -> bytes:
    return (
        "<SEC-DOCUMENT>0000000000-25-000001.txt : 20250310\n<SEC-HEADER>\n"
        "ACCESSION NUMBER:\t\t0000000000-25-000001\n"
        f"CONFORMED SUBMISSION TYPE:\t{form}\nPUBLIC DOCUMENT COUNT:\t\t2\n"
        f"FILED AS OF DATE:\t\t{filed}\nFILER:\n\tCOMPANY DATA:\t\n"
        "\t\tCOMPANY CONFORMED NAME:\t\t\tEXAMPLE CO\n"
        "\t\tCENTRAL INDEX KEY:\t\t\t0000000001\n</SEC-HEADER>\n"
        f"<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n<FILENAME>main.htm\n<TEXT>\n"
        "<html><body><p>Registration statement</p></body></html>\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-FILING FEES\n<SEQUENCE>2\n<FILENAME>ex107.htm\n<TEXT>\n"
        f"{exhibit}\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    ).encode()


def _table(form: str, exhibit: str):
    filing = parse_filing(source_from_bytes(_submission(form, exhibit), path="t.txt"))
    return filing, read_fee_table(filing)


def _p(*cells: str) -> str:
    """A row in the style of agents that wrap every cell's text in <p>."""
    return "<tr>" + "".join(f"<td><p style='margin:0'>{c}</p></td>" for c in cells) + "</tr>"


#: Workiva-like: a group-label column, "$" in its own cell, footnote cells, Table 2 and a
#: footnote in the same <table>.
WORKIVA = (
    "<html><body><p>Calculation of Filing Fee Tables</p><p>Table 1: Newly Registered Securities</p>"
    "<table>"
    + "<tr><td></td><td>Security Type</td><td>Security Class Title</td>"
    "<td>Fee Calculation Rule</td><td colspan=2>Amount Registered (1)</td>"
    "<td colspan=2><p>Proposed Maximum Offering</p><p>Price Per Unit</p></td>"
    "<td colspan=2>Maximum Aggregate Offering Price</td><td>Fee Rate</td>"
    "<td colspan=2>Amount of Registration Fee</td></tr>"
    + _p("Fees to Be Paid", "Equity", "Common Stock, par value $0.01 per share (2)",
         "Rule 457(c)", "1,000,000", "(3)", "$", "12.50", "$", "12,500,000.00", "0.0001531",
         "$", "1,913.75")
    + _p("", "Equity", "Common Stock issuable under the Plan", "Other (4)", "250,000", "",
         "$", "8.00", "$", "2,000,000.00", "0.0001531", "$", "306.20")
    + _p("Fees Previously Paid", "", "", "", "", "", "", "", "", "", "", "", "")
    + _p("", "Total Offering Amounts", "", "", "", "", "", "", "$", "14,500,000.00", "", "$",
         "2,219.95")
    + _p("", "Total Fees Previously Paid", "", "", "", "", "", "", "", "", "", "", "—")
    + _p("", "Total Fee Offsets", "", "", "", "", "", "", "", "", "", "", "—")
    + _p("", "Net Fee Due", "", "", "", "", "", "", "", "", "", "$", "2,219.95")
    + "<tr><td colspan=12>(1) Pursuant to Rule 416(a), this registration statement also "
    "covers any additional shares that become issuable by reason of any stock dividend, "
    "stock split or similar transaction, 5,000,000 shares at most.</td></tr>"
    + _p("Table 2: Fee Offset Claims and Sources", "", "", "", "", "", "", "", "", "", "", "", "")
    + _p("Rule 457(p)", "Fee Offset Claims", "Example Co", "S-8", "333-000001", "", "", "", "",
         "", "", "", "$500.00")
    + "</table></body></html>"
)  # fmt: skip


def test_agent_html_with_dollar_cells_footnote_cells_and_table_2():
    filing, t = _table("S-8", WORKIVA)
    assert t.layout == "ex107_html"
    a, b = t.offerings  # Table 2, the footnote and the empty group row are not rows
    assert (a.security_type, a.security_title, a.fee_rule) == (
        "Equity", "Common Stock, par value $0.01 per share", "Rule 457(c)",
    )  # fmt: skip
    assert (a.shares_registered, a.max_price_per_share, a.max_aggregate_offering_price) == (
        1_000_000, 12.50, 12_500_000.00,
    )  # fmt: skip
    assert (a.fee_rate_per_million_stated, a.registration_fee) == (153.10, 1_913.75)
    assert (b.fee_rule, b.shares_registered, b.registration_fee) == ("Other", 250_000, 306.20)
    # 12,500,000 × 153.10 / 1e6 = 1,913.75; 2,000,000 × 153.10 / 1e6 = 306.20
    assert [(o.fee_check, o.fee_check_stated_rate, o.aggregate_check) for o in t.offerings] == [
        ("ok", "ok", "ok"), ("ok", "ok", "ok"),
    ]  # fmt: skip
    assert (t.total_offering_amount, t.total_fee_stated, t.net_fee_due) == (
        14_500_000.00, 2_219.95, 2_219.95,
    )  # fmt: skip
    assert (t.total_fees_previously_paid, t.total_fee_offsets) == (None, None)
    assert t.warnings == ()
    src = filing.submission.text
    assert a.spans["registration_fee"].slice(src) == "1,913.75"
    assert a.spans["amount_registered"].slice(src) == "1,000,000"
    assert t.spans["net_fee_due"].slice(src) == "2,219.95"


def test_a_dollar_amount_registered_is_never_shares():
    rows = (
        _p("Security Type", "Security Class Title", "Fee Calculation Rule", "Amount Registered",
           "Maximum Aggregate Offering Price", "Fee Rate", "Amount of Registration Fee")
        + _p("Debt", "5.25% Senior Notes due 2035", "457(r)", "$300,000,000", "$300,000,000",
             "0.0001531", "$45,930")
    )  # fmt: skip
    _, t = _table("424B2", f"<table>{rows}</table>")
    (o,) = t.offerings
    assert (o.amount_registered, o.amount_kind, o.shares_registered) == (
        300_000_000,
        "dollars",
        None,
    )
    assert o.registration_fee == 45_930  # 300,000,000 × 153.10 / 1e6
    assert o.fee_check == "ok" and o.fee_deferred is False


def test_a_row_that_does_not_reconcile_is_kept_and_named():
    rows = (
        _p("Security Type", "Security Class Title", "Amount Registered",
           "Proposed Maximum Offering Price Per Share", "Maximum Aggregate Offering Price",
           "Fee Rate", "Amount of Registration Fee")
        + _p("Equity", "Common Stock", "100,000", "$10.00", "$1,000,000", "0.0001531", "$153.10")
        + _p("Equity", "Common Stock (ESPP)", "100,000", "$10.00", "$1,000,000", "0.0001531", "$999.00")
    )  # fmt: skip
    _, t = _table("S-8", f"<table>{rows}</table>")
    assert [o.fee_check for o in t.offerings] == ["ok", "mismatch"]
    assert t.offerings[1].registration_fee == 999.00
    assert ("fee_mismatch", "row 2") in [(c, m[:5]) for c, m in t.warnings]


def test_a_table_no_reading_of_which_reconciles_gives_no_rows():
    rows = (
        _p("Security Class Title", "Amount Registered", "Proposed Maximum Offering Price Per Share",
           "Maximum Aggregate Offering Price", "Amount of Registration Fee")
        + _p("Common Stock", "100,000", "$10.00", "$7,000", "$45,000")
    )  # fmt: skip
    _, t = _table("S-8", f"<table>{rows}</table>")
    assert t.offerings == ()
    assert [c for c, _ in t.warnings] == ["fee_table_unreadable"]


IXBRL = """<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><body>
<ix:header><ix:resources>
<xbrli:context id="c0"><xbrli:entity/></xbrli:context>
<xbrli:context id="o1"><xbrli:entity><xbrli:segment><xbrldi:typedMember dimension="ffd:OfferingAxis"><dei:lineNo>1</dei:lineNo></xbrldi:typedMember></xbrli:segment></xbrli:entity></xbrli:context>
<xbrli:context id="o2"><xbrli:entity><xbrli:segment><xbrldi:typedMember dimension="ffd:OfferingAxis"><dei:lineNo>2</dei:lineNo></xbrldi:typedMember></xbrli:segment></xbrli:entity></xbrli:context>
</ix:resources></ix:header>
<table>
<tr><td>Security Type</td><td>Security Class Title</td><td>Fee Calculation Rule</td><td>Amount Registered</td><td>Proposed Maximum Offering Price Per Unit</td><td>Maximum Aggregate Offering Price</td><td>Fee Rate</td><td>Amount of Registration Fee</td></tr>
<tr><td><ix:nonNumeric name="ffd:OfferingSctyTp" contextRef="o1">Equity</ix:nonNumeric></td>
<td><ix:nonNumeric name="ffd:OfferingSctyTitl" contextRef="o1" continuedAt="k1">Common Stock,</ix:nonNumeric><ix:continuation id="k1"> par value $0.001<ix:exclude> (1)</ix:exclude></ix:continuation></td>
<td><ix:nonNumeric name="ffd:Rule457cFlg" contextRef="o1" format="ixt:booleantrue">457(c)</ix:nonNumeric></td>
<td><ix:nonFraction name="ffd:AmtSctiesRegd" contextRef="o1" unitRef="shares" decimals="0">2,000,000</ix:nonFraction></td>
<td>$<ix:nonFraction name="ffd:MaxOfferingPricPerScty" contextRef="o1" unitRef="usdPerShare" decimals="2">5.00</ix:nonFraction></td>
<td>$<ix:nonFraction name="ffd:MaxAggtOfferingPric" contextRef="o1" unitRef="usd" decimals="2">10,000,000.00</ix:nonFraction></td>
<td><ix:nonFraction name="ffd:FeeRate" contextRef="o1" unitRef="pure" decimals="7">0.0001531</ix:nonFraction></td>
<td>$<ix:nonFraction name="ffd:FeeAmt" contextRef="o1" unitRef="usd" decimals="2">1,531.00</ix:nonFraction></td></tr>
<tr><td><ix:nonNumeric name="ffd:OfferingSctyTp" contextRef="o2">Equity</ix:nonNumeric></td>
<td><ix:nonNumeric name="ffd:OfferingSctyTitl" contextRef="o2">Preferred Stock</ix:nonNumeric></td>
<td><ix:nonNumeric name="ffd:Rule457rFlg" contextRef="o2" format="ixt:booleantrue">457(r)</ix:nonNumeric></td>
<td></td><td></td><td></td><td></td><td></td></tr>
<tr><td colspan=5>Total Offering Amounts</td><td>$<ix:nonFraction name="ffd:TtlOfferingAmt" contextRef="c0" unitRef="usd" decimals="2">10,000,000.00</ix:nonFraction></td><td></td><td>$<ix:nonFraction name="ffd:TtlFeeAmt" contextRef="c0" unitRef="usd" decimals="2">1,531.00</ix:nonFraction></td></tr>
<tr><td colspan=7>Net Fee Due</td><td>$<ix:nonFraction name="ffd:NetFeeAmt" contextRef="c0" unitRef="usd" decimals="2">1,531.00</ix:nonFraction></td></tr>
</table></body></html>"""


def test_inline_xbrl_facts_first_with_continuation_exclude_and_boolean_flags():
    _, t = _table("S-3", IXBRL)
    assert t.layout == "ex107_ixbrl"
    a, b = t.offerings  # the second offering states no amount and is still a row
    assert a.security_title == "Common Stock, par value $0.001"
    assert (a.fee_rule, a.shares_registered, a.max_price_per_share) == ("457(c)", 2_000_000, 5.00)
    assert (a.fee_rate_per_million_stated, a.registration_fee, a.fee_check) == (
        153.10,
        1_531.0,
        "ok",
    )
    assert (b.security_title, b.fee_rule, b.amount_registered, b.fee_deferred) == (
        "Preferred Stock", "457(r)", None, True,
    )  # fmt: skip
    assert (t.total_offering_amount, t.total_fee_stated, t.net_fee_due) == (10e6, 1_531.0, 1_531.0)
    # facts and table both state six fields of row 1 and the title of row 2; all agree
    assert (t.xbrl_html_compared, t.xbrl_html_agreed) == (7, 7)
    assert t.warnings == ()


def test_facts_and_table_that_disagree_are_a_warning():
    # scale="1" makes the price fact 50.00 while the cell shows 5.00
    html = IXBRL.replace(
        'unitRef="usdPerShare" decimals="2"', 'unitRef="usdPerShare" decimals="2" scale="1"'
    )
    _, t = _table("S-3", html)
    assert t.offerings[0].max_price_per_share == 50.00  # the fact is the primary source
    codes = [(c, m[: len("row 1: max_price_per_share")]) for c, m in t.warnings]
    assert ("xbrl_html_disagree", "row 1: max_price_per_share") in codes
    assert ("aggregate_mismatch", "row 1: aggregate 10000000") in [
        (c, m[:25]) for c, m in t.warnings
    ]
    assert t.xbrl_html_agreed == t.xbrl_html_compared - 1


def test_one_failing_extractor_loses_nothing_else(monkeypatch):
    """An exception in one form family is an error row naming it; the file's filings and
    documents rows and every other family's rows survive."""

    def boom(ctx: Context) -> Extracted:
        raise RuntimeError("injected")

    families = (Family("boom", "fails", (), (), boom), *registry.FAMILIES)
    monkeypatch.setattr(registry, "FAMILIES", families)
    seed = str(next(p for p in sample_paths() if p.name.startswith("001_")))
    rec = process_file(seed)
    assert len(rec.rows["filings"]) == 1 and rec.rows["documents"]
    assert [r["shares_registered"] for r in rec.rows["offerings"]] == [2_000_000]
    assert len(rec.rows["s8_filings"]) == 1 and len(rec.rows["registrations"]) == 1
    errors = [r for r in rec.rows["parse_issues"] if r["severity"] == "error"]
    assert [r["code"] for r in errors] == ["extractor_failed"]
    assert "boom extractor failed" in errors[0]["message"] and seed in errors[0]["message"]
    assert "RuntimeError: injected" in errors[0]["message"]


def test_registrations_row_for_every_filing_with_a_table(tmp_path):
    from workbench.frames.ingest import ingest

    path = tmp_path / "s3.txt"
    path.write_bytes(_submission("S-3", WORKIVA))
    result = ingest([path], workers=1)
    reg = result.tables["registrations"]
    assert reg.select("form_type", "n_offerings", "net_fee_due", "fee_table_layout").row(0) == (
        "S-3", 2, 2_219.95, "ex107_html",
    )  # fmt: skip
    off = result.tables["offerings"]
    assert off["form_type"].to_list() == ["S-3", "S-3"]
    assert off.schema["amount_kind"] == pl.Enum(["shares", "dollars", "indeterminate"])
    assert off["filed_date"].to_list() == [dt.date(2025, 3, 10)] * 2


@pytest.mark.parametrize(
    ("aggregate", "rate", "fee"),
    [(12_500_000.0, 153.10, 1_913.75), (21_730_000.0, 92.70, 2_014.37)],
)
def test_fee_arithmetic_examples(aggregate, rate, fee):
    from workbench.forms.fees import check_fee

    assert check_fee(aggregate, fee, rate) == "ok"


def test_table_1_split_over_two_html_tables_is_read_whole():
    """Header set as a table of its own, then the rows; then a page break repeats nothing."""
    head = _p("Security Type", "Security Class Title", "Amount Registered",
              "Proposed Maximum Offering Price Per Share", "Maximum Aggregate Offering Price",
              "Fee Rate", "Amount of Registration Fee")  # fmt: skip
    row1 = _p("Equity", "Common Stock", "100,000", "$10.00", "$1,000,000", "0.0001531", "$153.10")
    row2 = _p(
        "Equity", "Common Stock (ESPP)", "50,000", "$10.00", "$500,000", "0.0001531", "$76.55"
    )
    total = _p("Total Offering Amounts", "", "", "", "$1,500,000", "", "$229.65")
    notes = "<table><tr><td>(1)</td><td>Pursuant to Rule 416(a), this statement covers more shares.</td></tr></table>"
    html = f"<table>{head}</table><table>{row1}</table>{notes}<table>{row2}{total}</table>"
    _, t = _table("S-8", html)
    assert [(o.security_title, o.shares_registered, o.registration_fee) for o in t.offerings] == [
        ("Common Stock", 100_000, 153.10), ("Common Stock (ESPP)", 50_000, 76.55),
    ]  # fmt: skip
    # 153.10 + 76.55 = 229.65: the rows sum to the total, so no warning
    assert (t.total_offering_amount, t.total_fee_stated, t.warnings) == (1_500_000, 229.65, ())


_money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(1, 50_000_000), _money), min_size=1, max_size=4),
    dollar_cells=st.booleans(),
    wrap=st.sampled_from(["{}", "<p>{}</p>", "<div><font>{}</font></div>"]),
)
def test_property_a_written_table_reads_back_and_reconciles(rows, dollar_cells, wrap):
    """Any table written with consistent arithmetic (aggregate = shares × price, fee =
    aggregate × $153.10/M rounded to cents) reads back exactly, with every check ok and no
    warning, however the agent wraps its cells and whether "$" has a cell of its own."""
    rate = Decimal("153.10")

    def cell(text: str, colspan: int = 1) -> str:
        return f"<td colspan={colspan}>{wrap.format(text)}</td>"

    def money(v: Decimal) -> str:
        return (cell("$") + cell(f"{v:,.2f}")) if dollar_cells else cell(f"${v:,.2f}", 2)

    span = 2
    head = (
        "<tr>"
        + "".join(cell(h) for h in ("Security Type", "Security Class Title", "Amount Registered"))
        + "".join(
            cell(h, span)
            for h in (
                "Proposed Maximum Offering Price Per Share",
                "Maximum Aggregate Offering Price",
            )
        )
        + cell("Fee Rate")
        + cell("Amount of Registration Fee", span)
        + "</tr>"
    )
    body, want = "", []
    for i, (shares, price) in enumerate(rows):
        aggregate = shares * price
        fee = (aggregate * rate / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        body += (
            "<tr>" + cell("Equity") + cell(f"Common Stock tranche {i + 1}") + cell(f"{shares:,}")
        )
        body += money(price) + money(aggregate) + cell("0.0001531") + money(fee) + "</tr>"
        want.append((shares, float(price), float(aggregate), float(fee)))
    _, t = _table("S-8", f"<table>{head}{body}</table>")
    got = [
        (
            o.shares_registered,
            o.max_price_per_share,
            o.max_aggregate_offering_price,
            o.registration_fee,
        )
        for o in t.offerings
    ]
    assert got == want
    assert all((o.fee_check, o.aggregate_check) == ("ok", "ok") for o in t.offerings)
    assert t.warnings == ()


def test_security_type_missing_from_the_facts_comes_from_the_matching_html_row():
    # the type is printed but not tagged; the titles of facts and table agree
    untagged = IXBRL.replace(
        '<ix:nonNumeric name="ffd:OfferingSctyTp" contextRef="o1">Equity</ix:nonNumeric>', "Equity"
    )
    _, t = _table("S-3", untagged)
    assert t.offerings[0].security_type == "Equity"
    # a table row whose title is not the fact's title lends nothing
    other = untagged.replace(
        "</ix:continuation></td>", "</ix:continuation> and Rights</td>", 1
    ).replace("<ix:exclude> (1)</ix:exclude>", "")
    _, t = _table("S-3", other)
    assert t.offerings[0].security_type is None


def _text_s8(table: str, filed: str = "19981015") -> bytes:
    return (
        "<SEC-DOCUMENT>0000000000-98-000001.txt : 19981015\n<SEC-HEADER>\n"
        "ACCESSION NUMBER:\t\t0000000000-98-000001\nCONFORMED SUBMISSION TYPE:\tS-8\n"
        f"PUBLIC DOCUMENT COUNT:\t\t1\nFILED AS OF DATE:\t\t{filed}\n</SEC-HEADER>\n"
        "<DOCUMENT>\n<TYPE>S-8\n<SEQUENCE>1\n<TEXT>\n"
        f"                    CALCULATION OF REGISTRATION FEE\n<TABLE>\n{table}</TABLE>\n\n"
        "(1) Estimated pursuant to Rule 457(h) on the exercise prices of the options.\n"
        "</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    ).encode()


def test_text_table_small_share_counts_are_read_from_their_column():
    # the plain-text era: option plans assumed in an acquisition register 17 and 732 shares;
    # a reader that takes numbers by size misses them (seen on real 1998-99 S-8s)
    table = (
        "                                   Proposed       Proposed\n"
        "Title of                           maximum        maximum\n"
        "securities to       Amount to      offering       aggregate        Amount of\n"
        "be registered       be registered  price/share    offering price   registration fee\n"
        "------------------------------------------------------------------------------------\n"
        "<S>                 <C>            <C>            <C>              <C>\n"
        "Common Stock,              17      $3.82          $64.94           $0.02\n"
        "  $.01 par value\n"
        "Common Stock              732      $10.00         $7,320           $2.04\n"
        "Total                     749                     $7,384.94        $2.06\n"
    )
    f = parse_filing(source_from_bytes(_text_s8(table), path="small.txt"))
    t = read_fee_table(f)
    assert t is not None and t.layout == "text"
    got = [(o.security_title, o.shares_registered, o.max_price_per_share,
            o.max_aggregate_offering_price, o.registration_fee) for o in t.offerings]  # fmt: skip
    assert got == [
        ("Common Stock, $.01 par value", 17, 3.82, 64.94, 0.02),
        ("Common Stock", 732, 10.00, 7_320.0, 2.04),
    ]
    assert (t.total_offering_amount, t.total_fee_stated) == (7_384.94, 2.06)
    # rate from 1998-10-01 $278 per million: 64.94 × 278e-6 = 0.018 → 0.02; 7,320 × 278e-6 = 2.035
    # → 2.04
    assert [o.fee_check for o in t.offerings] == ["ok", "ok"]
    assert all(o.fee_rule == "Rule 457(h)" for o in t.offerings)
    assert not t.warnings
    raw = f.submission.text
    s = t.offerings[1].spans["amount_registered"]
    assert raw[s.start : s.end] == "732"


def test_text_table_without_header_is_read_in_the_forms_order_only_when_it_reconciles():
    ok = "<S>Common Stock       <C>300,000 shares  <C>$4.50  <C>$1,350,000  <C>$375.30\n"  # 1,350,000 × 278e-6
    t = read_fee_table(parse_filing(source_from_bytes(_text_s8(ok), path="a.txt")))
    assert t is not None and [o.shares_registered for o in t.offerings] == [300_000]
    assert [c for c, _ in t.warnings] == ["fee_table_no_header"]
    # the same cells in another order: nothing reconciles, so nothing is kept
    bad = "<S>Common Stock       <C>$4.50  <C>300,000 shares  <C>$375.30  <C>$1,350,000\n"
    t = read_fee_table(parse_filing(source_from_bytes(_text_s8(bad), path="b.txt")))
    assert t is not None and t.offerings == ()
    assert "fee_table_unreadable" in [c for c, _ in t.warnings]
