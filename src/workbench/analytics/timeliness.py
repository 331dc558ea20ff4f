"""The timeliness panel: one row per periodic report due, with its deadlines, the Form 12b-25
filed for it and when the report really came.

``build_timeliness`` takes the ``filings_index`` (lazily) and:

1. keeps periodic reports (10-K, 10-Q, 20-F, 40-F, 11-K, 10-KT, 10-QT, N-CSR, N-CEN, 10-D and
   their older names), their amendments, and the 12b-25 notices (``NT 10-K`` ... ``NT-NCSR``,
   with ``/A``); 13F-NT and 24F-2NT are not notices;
2. takes the period end as stated, or infers it from the fiscal year end and the filing
   date — the last fiscal year end (annual reports) or quarter end (10-Q) before the filing —
   and says so in ``period_end_source``; with no fiscal year end known (index files carry
   none) it takes the last calendar quarter end at least three weeks (annual) or two weeks
   (quarterly) before the filing (``inferred_calendar_quarter``): right for the many whose
   fiscal quarters end on calendar quarter ends, and flagged so. 10-D, 11-K, N-CSR and N-CEN
   rows need a stated period (their periods do not follow from the filing date);
3. groups by company (CIK, or the name for bare documents without one), report type and
   period end: the first original report and the first notice count; duplicate notices,
   duplicate reports and amendments are counted, never double-counted;
4. applies ``with_deadlines`` with the filer category (unknown → non-accelerated deadlines,
   the most lenient, stated in ``filer_category_source``) and sets ``status``:

   * ``on_time``: report filed by the due date;
   * ``late_cured``: notice filed by its deadline and report by the extended due date;
   * ``nt_but_missed_extension``: notice on time, report after the extended due date;
   * ``nt_filed_late``: a notice, but after its deadline (and the report late);
   * ``late_without_nt``: report late and no notice;
   * ``not_filed_yet``: no report in the data (as of ``as_of``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

import polars as pl

from workbench.analytics.calendar import add_months, prior_fiscal_year_end
from workbench.analytics.companies import company_filter, company_key
from workbench.analytics.deadlines import AFTER_EFFECTIVE_DAYS, with_deadlines
from workbench.form_types import FORM_TO_REPORT
from workbench.sources.index_files import filer_category_expr
from workbench.vocab import FILER_CATEGORIES, PERIOD_END_SOURCES, TIMELINESS_STATUSES

_ANNUAL = ("10-K", "10-KT", "20-F", "40-F", "11-K", "N-CEN")
_NT_REPORT = {"10-K": "10-K", "10-Q": "10-Q", "20-F": "20-F", "11-K": "11-K", "10-D": "10-D",
              "NCEN": "N-CEN", "N-CEN": "N-CEN", "NCSR": "N-CSR", "N-CSR": "N-CSR"}  # fmt: skip


_Frame = TypeVar("_Frame", pl.DataFrame, pl.LazyFrame)


def most_late_first(frame: _Frame) -> _Frame:
    """``frame`` ordered the way every late-report list reads: most days late first, then
    by due date; reports without a filing (no days late) last."""
    return frame.sort("days_late", "due_date", descending=[True, False], nulls_last=True)


def _form_table() -> dict[str, tuple[str, str]]:
    """Every form string that matters, as EDGAR writes it → (report_type, kind)."""
    table: dict[str, tuple[str, str]] = {}
    for form, report in FORM_TO_REPORT.items():
        table[form] = (report, "report")
        table[form + "/A"] = (report, "amendment")
    for suffix, report in _NT_REPORT.items():
        for prefix in ("NT ", "NT-", "NT"):
            table[prefix + suffix] = (report, "notice")
            table[prefix + suffix + "/A"] = (report, "notice_amendment")
    return table


#: exact form strings: matching 25 million index rows by hash beats string surgery on each
_FORMS = _form_table()


def _classify(form: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(report_type, kind) with kind in report / amendment / notice / notice_amendment;
    both null for every other form (13F-NT and 24F-2NT included)."""
    report = form.replace_strict(
        {k: v[0] for k, v in _FORMS.items()}, default=None, return_dtype=pl.String
    )
    kind = form.replace_strict(
        {k: v[1] for k, v in _FORMS.items()}, default=None, return_dtype=pl.String
    )
    return report, kind


def _with_inferred_fye_period(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``_fye_period``: the last fiscal year end (annual) or quarter end (quarterly)
    before the filing date, from ``fiscal_year_end``.

    Built in stages of plain columns: nesting these expressions inside one another
    re-evaluates each piece many times over (16 s instead of 0.5 s on 2 million rows).
    """
    filed = pl.col("filed_date")
    staged = frame.with_columns(
        prior_fiscal_year_end(filed, pl.col("fiscal_year_end")).alias("_last")
    )
    staged = staged.with_columns(
        add_months(pl.col("_last"), k).alias(f"_q{k}") for k in (-3, 3, 6, 9)
    )
    quarter = (
        pl.when(pl.col("_q9") < filed).then(pl.col("_q9"))
        .when(pl.col("_q6") < filed).then(pl.col("_q6"))
        .when(pl.col("_q3") < filed).then(pl.col("_q3"))
        .otherwise(pl.col("_q-3"))
    )  # fmt: skip
    half = pl.when(pl.col("_q6") < filed).then(pl.col("_q6")).otherwise(pl.col("_last"))
    report = pl.col("report_type")
    return staged.with_columns(
        pl.when(report.is_in(["10-Q", "10-QT", "10-D"])).then(quarter)
        .when(report == "N-CSR").then(half)
        .otherwise(pl.col("_last")).alias("_fye_period")
    ).drop("_last", "_q-3", "_q3", "_q6", "_q9")  # fmt: skip


#: reports whose period can be inferred from the filing date; 10-D (monthly distributions),
#: 11-K (plan years), N-CSR and N-CEN (fund years) need a stated period
_INFERABLE = ("10-K", "10-Q", "10-KT", "10-QT", "20-F", "40-F")


def _calendar_quarter_before(filed: pl.Expr, min_days: int) -> pl.Expr:
    """The last calendar quarter end at least ``min_days`` before ``filed``."""
    back = filed.dt.offset_by(f"-{min_days}d")
    start = pl.date(back.dt.year(), ((back.dt.month() - 1) // 3) * 3 + 1, 1)
    this_q_end = start.dt.offset_by("3mo").dt.offset_by("-1d")
    return pl.when(this_q_end <= back).then(this_q_end).otherwise(start.dt.offset_by("-1d"))


def _first(value: str, kind: str) -> pl.Expr:
    """``value`` of the earliest filing of ``kind`` in the group (rows come sorted by date)."""
    return pl.col(value).filter(pl.col("_kind") == kind).first()


#: how long before a registration's effectiveness the data must reach to say that a
#: company without periodic filings in it had none (a year of 10-Qs and a 10-K, and margin)
_HISTORY_DAYS = 400


def _registration_effective(
    index: pl.LazyFrame, rows: pl.LazyFrame, grouped: pl.LazyFrame
) -> pl.LazyFrame:
    """``grouped`` with ``_effective``: the date a registration statement went effective
    (EDGAR's ``EFFECT`` notice) when the row is the company's first periodic report after
    it — the latest period ending before that date, of a company with no periodic report or
    notice filed before it. Said only when the data can tell: the company's own
    submissions JSON (its whole history) is in the index, or the index reaches back
    ``_HISTORY_DAYS`` before the effective date."""
    source = (
        pl.col("index_source").cast(pl.String)
        if "index_source" in index.collect_schema().names()
        else pl.lit(None, pl.String)
    )
    effects = (
        index.filter((pl.col("form_type") == "EFFECT") & pl.col("filed_date").is_not_null())
        .select(company_key().alias("_company"), pl.col("filed_date").alias("_effective"))
        .unique()
    )
    # only companies with an EFFECT notice matter: narrow before grouping (most have none)
    whole_history = (
        index.filter(source == "submissions_json")
        .select(company_key().alias("_company"))
        .join(effects, on="_company", how="semi")
        .unique()
        .with_columns(pl.lit(True).alias("_whole_history"))
    )
    first_periodic = (
        rows.join(effects, on="_company", how="semi")
        .group_by("_company")
        .agg(pl.col("filed_date").min().alias("_first"))
    )
    start = index.select(pl.col("filed_date").min().alias("_data_start"))
    known = (
        effects.join(first_periodic, on="_company", how="left")
        .join(whole_history, on="_company", how="left")
        .join(start, how="cross")
        .filter(
            (pl.col("_first").is_null() | (pl.col("_first") >= pl.col("_effective")))
            & (
                pl.col("_whole_history").fill_null(False)
                | ((pl.col("_effective") - pl.col("_data_start")).dt.total_days() >= _HISTORY_DAYS)
            )
        )
        .select("_company", "_effective")
    )
    first_reports = (
        grouped.select("_company", "report_type", "period_end")
        .join(known, on="_company", how="inner")
        .filter(pl.col("report_type").is_in(list(AFTER_EFFECTIVE_DAYS)))
        .filter(pl.col("period_end") < pl.col("_effective"))
        .group_by("_company", "report_type", "_effective")
        .agg(pl.col("period_end").max())
        .group_by("_company", "report_type", "period_end")
        .agg(pl.col("_effective").max())
    )
    return grouped.join(
        first_reports, on=["_company", "report_type", "period_end"], how="left",
        maintain_order="left",
    )  # fmt: skip


def build_timeliness(index: pl.LazyFrame) -> pl.LazyFrame:
    """The panel (``timeliness`` table columns) from a ``filings_index`` LazyFrame."""
    report, kind = _classify(pl.col("form_type"))
    have = index.collect_schema().names()
    index = index.with_columns(  # provenance columns a hand-built index may lack
        pl.lit(None, pl.String()).alias(c)
        for c in ("filed_date_source", "source_path")
        if c not in have
    )
    rows = index.filter(
        pl.col("form_type").is_in(list(_FORMS)) & pl.col("filed_date").is_not_null()
    ).with_columns(report.alias("report_type"), kind.alias("_kind"))
    rows = _with_inferred_fye_period(rows).with_columns(
        _calendar_quarter_before(pl.col("filed_date"), 14).alias("_cq14"),
        _calendar_quarter_before(pl.col("filed_date"), 21).alias("_cq21"),
    )
    inferred = (
        pl.when(~pl.col("report_type").is_in(_INFERABLE)).then(None)
        .when(pl.col("fiscal_year_end").is_not_null()).then(pl.col("_fye_period"))
        .when(pl.col("report_type").is_in(["10-Q", "10-QT"])).then(pl.col("_cq14"))
        .otherwise(pl.col("_cq21"))
    )  # fmt: skip
    rows = rows.with_columns(
        pl.when(pl.col("period_end").is_not_null()).then(pl.lit("stated"))
        .when(pl.col("fiscal_year_end").is_not_null()).then(pl.lit("inferred_from_fye"))
        .otherwise(pl.lit("inferred_calendar_quarter")).alias("period_end_source"),
        pl.coalesce("period_end", inferred).alias("period_end"),
        company_key().alias("_company"),
    ).drop("_fye_period", "_cq14", "_cq21")  # fmt: skip
    rows = rows.filter(pl.col("period_end").is_not_null()).sort("filed_date")
    grouped = rows.group_by("_company", "report_type", "period_end").agg(
        pl.col("cik").drop_nulls().first(),
        pl.col("company_name").drop_nulls().first(),
        pl.col("period_end_source").min(),
        pl.col("filer_category_stated").drop_nulls().first(),
        _first("filed_date", "report").alias("report_filed_date"),
        _first("accession_number", "report").alias("report_accession_number"),
        _first("filed_date", "notice").alias("nt_filed_date"),
        _first("accession_number", "notice").alias("nt_accession_number"),
        _first("filed_date_source", "notice").alias("nt_filed_date_source"),
        _first("source_path", "report").alias("report_source_path"),
        _first("source_path", "notice").alias("nt_source_path"),
        (pl.col("_kind") == "notice").sum().cast(pl.Int64).alias("n_notices"),
        (pl.col("_kind") == "report").sum().cast(pl.Int64).alias("n_reports"),
        pl.col("_kind")
        .is_in(["amendment", "notice_amendment"])
        .sum()
        .cast(pl.Int64)
        .alias("n_amendments"),
    )
    grouped = grouped.with_columns(
        filer_category_expr(pl.col("filer_category_stated")).alias("filer_category"),
    ).with_columns(
        pl.when(pl.col("filer_category") == "unknown")
        .then(pl.lit("unknown: non_accelerated deadlines assumed"))
        .otherwise(pl.lit("submissions JSON category (current status, applied to every period)"))
        .alias("filer_category_source"),
        pl.when(pl.col("filer_category") == "unknown").then(pl.lit("non_accelerated"))
        .otherwise(pl.col("filer_category")).alias("_deadline_category"),
    )  # fmt: skip
    grouped = _registration_effective(index, rows, grouped)
    panel = with_deadlines(
        grouped, filer_category="_deadline_category", registration_effective="_effective"
    )
    filed, due = pl.col("report_filed_date"), pl.col("due_date")
    nt, nt_due, ext = pl.col("nt_filed_date"), pl.col("nt_deadline"), pl.col("extended_due_date")
    status = (
        pl.when(filed.is_null()).then(pl.lit("not_filed_yet"))
        .when(filed <= due).then(pl.lit("on_time"))
        .when(nt.is_not_null() & (nt > nt_due)).then(pl.lit("nt_filed_late"))
        .when(nt.is_not_null() & (filed <= ext)).then(pl.lit("late_cured"))
        .when(nt.is_not_null()).then(pl.lit("nt_but_missed_extension"))
        .otherwise(pl.lit("late_without_nt"))
    )  # fmt: skip
    return panel.with_columns(
        (filed - due).dt.total_days().cast(pl.Int64).alias("days_late"),
        status.cast(pl.Enum(TIMELINESS_STATUSES)).alias("status"),
    ).select(
        "cik", "company_name", "report_type", "period_end",
        pl.col("period_end_source").cast(pl.Enum(PERIOD_END_SOURCES)),
        pl.col("filer_category").cast(pl.Enum(FILER_CATEGORIES)),
        "filer_category_source", "deadline_rule", "due_date", "nt_filed_date", "nt_deadline",
        "extended_due_date", "report_filed_date", "days_late", "status", "n_notices",
        "n_reports", "n_amendments", "report_accession_number", "nt_accession_number",
        "nt_filed_date_source", "report_source_path", "nt_source_path",
    )  # fmt: skip


def with_notice_details(panel: pl.LazyFrame, notices: pl.LazyFrame | None) -> pl.LazyFrame:
    """The panel with what each row's first notice said, for notices the user ingested
    (``nt_reason_labels``, ``nt_expected_filing_date``, ``nt_narrative``, ``nt_spans``)."""
    cols: dict[str, pl.DataType] = {"nt_reason_labels": pl.List(pl.String),
            "nt_expected_filing_date": pl.Date(), "nt_narrative": pl.String()}  # fmt: skip
    if notices is None:
        return panel.with_columns(pl.lit(None, t).alias(c) for c, t in cols.items()).with_columns(
            pl.lit(None).alias("nt_spans")
        )
    details = notices.filter(~pl.col("is_amendment")).select(
        pl.col("source_path").alias("nt_source_path"),
        pl.col("reason_labels").alias("nt_reason_labels"),
        pl.col("expected_filing_date").alias("nt_expected_filing_date"),
        pl.col("narrative").alias("nt_narrative"),
        pl.col("spans").alias("nt_spans"),
    ).unique("nt_source_path", keep="first")  # fmt: skip
    return panel.join(details, on="nt_source_path", how="left", maintain_order="left")


def company_periods(
    panel: pl.LazyFrame,
    notices: pl.LazyFrame | None = None,
    *,
    cik: int | None = None,
    company: str | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> pl.DataFrame:
    """One company's periodic reports due (years of the period end, inclusive), oldest first,
    with their notices' details."""
    rows = panel.filter(company_filter(cik, company))
    if start_year is not None:
        rows = rows.filter(pl.col("period_end").dt.year() >= start_year)
    if end_year is not None:
        rows = rows.filter(pl.col("period_end").dt.year() <= end_year)
    return with_notice_details(rows, notices).sort("period_end", "report_type").collect()


def market_panel(
    panel: pl.LazyFrame,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    report_types: Sequence[str] = (),
) -> pl.LazyFrame:
    """The panel for due dates in [start, end] and the given report types (all when empty)."""
    rows = panel
    if start is not None:
        rows = rows.filter(pl.col("due_date") >= start)
    if end is not None:
        rows = rows.filter(pl.col("due_date") <= end)
    if report_types:
        rows = rows.filter(pl.col("report_type").is_in(list(report_types)))
    return rows


def notices_in(
    notices: pl.LazyFrame | None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    report_types: Sequence[str] = (),
) -> pl.DataFrame:
    """Ingested original notices for periods ending in [start, end] and the report types."""
    if notices is None:
        return pl.DataFrame(schema={"reason_labels": pl.List(pl.String)})
    rows = notices.filter(~pl.col("is_amendment"))
    if start is not None:
        rows = rows.filter(pl.col("period_ended") >= start)
    if end is not None:
        rows = rows.filter(pl.col("period_ended") <= end)
    if report_types:
        rows = rows.filter(pl.col("report_type").is_in(list(report_types)))
    return rows.collect()


def data_coverage(panel: pl.LazyFrame, index: pl.LazyFrame | None) -> pl.LazyFrame:
    """What a panel's figures stand on, one row per kind of source (``index_source``): how
    many files, how many of them are daily index files (one day each, by the date in
    their name) or quarterly ones (``QTRn``), the filings they list, the dates covered and
    how many companies. A rate from five daily index files describes those days' filers,
    not the market; this is how a report says so. (A daily file also lists a few filings
    dated earlier, so the distinct filing dates in it would overstate its days.)"""
    paths = (
        pl.concat(
            [
                panel.select(pl.col("report_source_path").alias("source_path")),
                panel.select(pl.col("nt_source_path").alias("source_path")),
            ]
        )
        .drop_nulls()
        .unique()
    )
    if index is None:
        return paths.select(pl.lit("unknown").alias("index_source"), pl.len().alias("files"))
    name = pl.col("source_path").str.split("/").list.last()
    day = name.str.extract(r"\.((?:19|20)\d{6})\.").str.to_date("%Y%m%d", strict=False)
    quarterly = pl.col("source_path").str.contains(r"(?i)QTR[1-4]")
    used = index.join(paths, on="source_path", how="semi").with_columns(
        day.alias("_day"), quarterly.alias("_quarterly")
    )
    return (
        used.group_by(pl.col("index_source").cast(pl.String))
        .agg(
            pl.col("source_path").n_unique().alias("files"),
            pl.col("source_path")
            .filter(pl.col("_day").is_not_null())
            .n_unique()
            .alias("daily_files"),
            pl.col("source_path").filter(pl.col("_quarterly")).n_unique().alias("quarterly_files"),
            pl.len().alias("filings"),
            pl.coalesce("_day", "filed_date").min().alias("first_filed"),
            pl.coalesce("_day", "filed_date").max().alias("last_filed"),
            pl.col("cik").n_unique().alias("companies"),
        )
        .sort("index_source")
    )
