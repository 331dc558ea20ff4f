"""Report blocks on hand-made rows: exceptions come first, long lists fold, nothing is lost."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from workbench.frames.validate import empty
from workbench.reports import notebook as nb


def _rows(table: str, **columns) -> pl.DataFrame:
    return pl.concat([empty(table), pl.DataFrame(columns)], how="diagonal_relaxed")


def test_dilution_exceptions_name_each_problem_with_its_filing():
    rows = _rows(
        "dilution",
        company_name=["A CORP", "B CORP", "C CORP"],
        cik=[1, 2, 3],
        filed_date=[dt.date(2023, 3, 1)] * 3,
        accession_number=["0000000001-23-000001", "0000000002-23-000001", "0000000003-23-000001"],
        source_path=["a.txt", "b.txt", "c.txt"],
        shares_registered=[1_000, 2_000, 3_000],
        registration_fee=[10.0, 20.0, 30.0],
        fee_check=["mismatch", "ok", "ok"],
        fee_rate_per_million_expected=[110.2, 110.2, 110.2],
        aggregate_check=["ok", "mismatch", "ok"],
        max_aggregate_offering_price=[90_000.0, 5_000.0, 30_000.0],
        max_price_per_share=[90.0, 10.0, 10.0],
        denominator_as_of_date=[dt.date(2022, 12, 31), dt.date(2022, 12, 31), dt.date(2021, 6, 30)],
        denominator_age_days=[60, 60, 609],
    )
    page = nb.dilution_exceptions(rows).data
    assert "Exceptions: 3 to check first" in page
    assert "Fee check: Does not reconcile (stated $10.00; rate $110.2 per million)" in page
    assert "is not shares × price (2,000 × $10)" in page
    assert "Stale denominator: shares outstanding as of 2021-06-30, 609 days before the S-8" in page
    for acc in ("0000000001-23-000001", "0000000002-23-000001", "0000000003-23-000001"):
        assert acc in page  # each exception with its filing
    clean = rows.with_columns(
        pl.lit("ok").cast(rows["fee_check"].dtype).alias("fee_check"),
        pl.lit("ok").cast(rows["aggregate_check"].dtype).alias("aggregate_check"),
        pl.lit(30, pl.Int64).alias("denominator_age_days"),
    )
    assert "No exceptions" in nb.dilution_exceptions(clean).data


def test_long_lists_fold_and_keep_every_row():
    n = nb.FOLD_ROWS + 5
    due = [dt.date(2000, 2, 14) + dt.timedelta(days=91 * i) for i in range(n)]
    periods = _rows(
        "timeliness",
        company_name=["A CORP"] * n, cik=[1] * n, report_type=["10-Q"] * n,
        period_end=[d - dt.timedelta(days=45) for d in due], period_end_source=["stated"] * n,
        due_date=due, nt_deadline=due, extended_due_date=due, report_filed_date=due,
        days_late=[0] * (n - 1) + [12], status=["on_time"] * (n - 1) + ["late_without_nt"],
        deadline_rule=["45 days"] * n, filer_category=["unknown"] * n,
        filer_category_source=["none"] * n,
    )  # fmt: skip
    listing = nb.timeliness_summary(periods).data
    assert listing.startswith('<details class="wb-fold">')
    assert f"Every report due, one sentence each: {n} rows" in listing
    assert listing.count("<li>") == n  # folded, not cut
    assert nb.periods_table(periods).data.count("<tr>") == n + 1
    figures = re.sub("<[^>]+>", "", nb.timeliness_key_figures(periods).data)
    assert f"{n} reports due (10-Q: {n})" in figures and f"{n - 1} on time" in figures
    exceptions = nb.timeliness_exceptions(periods).data
    assert "Exceptions: 1 report(s) not filed on time" in exceptions
    assert "(12 days after the due date)" in exceptions and "<details" not in exceptions
    short = nb.timeliness_summary(periods.head(3)).data
    assert "<details" not in short and short.count("<li>") == 3
