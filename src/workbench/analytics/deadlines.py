"""SEC due dates for periodic reports, Rule 12b-25 extensions and EDGAR filing dates.

The rules are ``shared/reference/edgar-rules.md`` §1–§3, written once as Polars expressions
(``with_deadlines``) so that a 25-million-row panel and a single ``due_dates()`` call use the
same code. Rule 0-3 (weekend or holiday → next business day) is a join against
``calendar_frame()``.

Rule eras, by the *period end* of the report:

* 10-K: 90 days; accelerated filers 75 for fiscal years ending on/after 2003-12-15; large
  accelerated filers (a category from FY ending 2005-12-15) 75, then 60 for fiscal years
  ending on/after 2006-12-15. Before their category existed, large filers were accelerated.
* 10-Q: 45 days; accelerated and large accelerated 40 for quarters of fiscal years that
  follow a fiscal year end on/after 2003-12-15 (the fiscal year end comes from
  ``fiscal_year_end`` MMDD when known, else December 31 is assumed).
* 20-F: six months after the fiscal year end, four months for years ending on/after
  2011-12-15 (calendar months; a month-end period end gives a month-end due date).
* 10-KT / 10-QT as 10-K / 10-Q; 11-K 180 days; N-CEN 75; N-CSR 70 (10 days after the 60-day
  shareholder report); 10-D 15; 40-F 90 (follows the Canadian annual filing; a proxy).
* 12b-25: the notice is due one business day after the due date; the extended due date is
  the due date + 15 calendar days (annual reports, N-CEN, N-CSR) or + 5 (10-Q, 10-D), rolled.
  40-F has no 12b-25 relief.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import polars as pl

from workbench.analytics.calendar import (
    add_months,
    calendar_frame,
    prior_fiscal_year_end,
)
from workbench.display import esc, table
from workbench.errors import ValidationError
from workbench.form_types import REPORT_TYPES, report_type_of
from workbench.vocab import DEADLINE_CATEGORIES

#: Forms EDGAR dates the same day when accepted by 10:00 pm Eastern (Reg S-T 13(a)(3)-(4)).
TEN_PM_FORMS = frozenset({"3", "3/A", "4", "4/A", "5", "5/A", "144", "144/A", "POS 462B"})
EASTERN = ZoneInfo("America/New_York")
_GRACE = {"10-K": 15, "10-KT": 15, "20-F": 15, "11-K": 15, "N-CEN": 15, "N-CSR": 15,
          "10-Q": 5, "10-QT": 5, "10-D": 5}  # fmt: skip


def _d(text: str) -> pl.Expr:
    return pl.lit(dt.date.fromisoformat(text))


def _days(report: pl.Expr, pe: pl.Expr, cat: pl.Expr, prior: pl.Expr) -> pl.Expr:
    """Calendar days allowed after the period end (null for month-based 20-F); ``prior`` is
    the fiscal year end before the period end (it decides a 10-Q's phase-in year)."""
    laf, af = cat == "large_accelerated", cat == "accelerated"
    annual = (
        pl.when(laf & (pe >= _d("2006-12-15"))).then(60)
        .when((laf | af) & (pe >= _d("2003-12-15"))).then(75)
        .otherwise(90)
    )  # fmt: skip
    quarterly = pl.when((laf | af) & (prior >= _d("2003-12-15"))).then(40).otherwise(45)
    return (
        pl.when(report.is_in(["10-K", "10-KT"])).then(annual)
        .when(report.is_in(["10-Q", "10-QT"])).then(quarterly)
        .when(report == "11-K").then(180)
        .when(report == "N-CEN").then(75)
        .when(report == "N-CSR").then(70)
        .when(report == "10-D").then(15)
        .when(report == "40-F").then(90)
    )  # fmt: skip


def _raw_due(report: pl.Expr, pe: pl.Expr, days: pl.Expr) -> pl.Expr:
    months = pl.when(pe >= _d("2011-12-15")).then(4).otherwise(6)
    return (
        pl.when(report == "20-F")
        .then(add_months(pe, months))
        .otherwise(pe + pl.duration(days=days))
    )


def _rule_text(report: pl.Expr, pe: pl.Expr, days: pl.Expr) -> pl.Expr:
    months = pl.when(pe >= _d("2011-12-15")).then(4).otherwise(6)
    return (
        pl.when(report == "20-F")
        .then(pl.format("{} months after period end", months))
        .otherwise(pl.format("{} days after period end", days))
    )


#: The first periodic report after a registration statement goes effective is due no
#: earlier than this many days after the effective date: Rules 13a-13/15d-13 (the first
#: 10-Q, 45 days) and 15d-2 (the special report on Form 10-K, 90 days).
AFTER_EFFECTIVE_DAYS = {"10-Q": 45, "10-K": 90}


def with_deadlines(
    frame: pl.LazyFrame,
    *,
    report_type: str = "report_type",
    period_end: str = "period_end",
    filer_category: str = "filer_category",
    fiscal_year_end: str | None = None,
    registration_effective: str | None = None,
) -> pl.LazyFrame:
    """Add ``deadline_rule, due_date, nt_deadline, extended_due_date`` (Rule 0-3 rolled).

    ``registration_effective``: a date column, set on a row that is the company's first
    periodic report after a registration statement went effective; its due date is then
    the later of the normal one and ``AFTER_EFFECTIVE_DAYS`` after that date, and
    ``deadline_rule`` says which of the two applied. Rows whose report type or filer
    category is unknown get nulls.
    """
    report, pe, cat = pl.col(report_type), pl.col(period_end), pl.col(filer_category)
    fye = pl.col(fiscal_year_end) if fiscal_year_end else pl.lit(None, pl.String)
    cat = pl.when(cat == "smaller_reporting").then(pl.lit("non_accelerated")).otherwise(cat)
    cal = calendar_frame().lazy()
    # staged columns, not nested expressions: each stage is computed once per row
    out = frame.with_columns(
        cat.alias("_cat"),
        prior_fiscal_year_end(pe, fye).alias("_prior_fye"),
        report.replace_strict(_GRACE, default=None, return_dtype=pl.Int32).alias("_grace"),
    ).with_columns(
        _days(report, pe, pl.col("_cat"), pl.col("_prior_fye")).alias("_days"),
        (pl.col("_cat").is_in(DEADLINE_CATEGORIES) & report.is_in(REPORT_TYPES)).alias("_known"),
    )
    days, known = pl.col("_days"), pl.col("_known")
    out = out.with_columns(
        pl.when(known).then(_rule_text(report, pe, days)).alias("deadline_rule"),
        pl.when(known).then(_raw_due(report, pe, days)).alias("_raw_due"),
    )
    if registration_effective is not None:
        eff = pl.col(registration_effective)
        after = report.replace_strict(AFTER_EFFECTIVE_DAYS, default=None, return_dtype=pl.Int32)
        later = eff + pl.duration(days=after)
        applies = known & eff.is_not_null() & after.is_not_null() & (later > pl.col("_raw_due"))
        out = out.with_columns(
            pl.when(applies)
            .then(pl.format(
                "{} days after registration effective {} (first report after registration;"
                " later than {})", after, eff.dt.to_string("%Y-%m-%d"), pl.col("deadline_rule"),
            ))
            .otherwise(pl.col("deadline_rule")).alias("deadline_rule"),
            pl.when(applies).then(later).otherwise(pl.col("_raw_due")).alias("_raw_due"),
        )  # fmt: skip
    out = out.join(
        cal.select(pl.col("date").alias("_raw_due"), pl.col("rolled").alias("due_date")),
        on="_raw_due",
        how="left",
        maintain_order="left",
    )
    out = out.join(
        cal.select(pl.col("date").alias("due_date"), pl.col("next_business_day").alias("_next_bd")),
        on="due_date",
        how="left",
        maintain_order="left",
    ).with_columns(
        pl.when(pl.col("_grace").is_not_null()).then(pl.col("_next_bd")).alias("nt_deadline"),
        (pl.col("due_date") + pl.duration(days=pl.col("_grace"))).alias("_raw_ext"),
    )
    out = out.join(
        cal.select(pl.col("date").alias("_raw_ext"), pl.col("rolled").alias("extended_due_date")),
        on="_raw_ext",
        how="left",
        maintain_order="left",
    )
    return out.drop(
        "_raw_due", "_grace", "_next_bd", "_raw_ext", "_cat", "_prior_fye", "_days", "_known"
    )


@dataclass(frozen=True, slots=True)
class DueDates:
    """When a report is due and what Rule 12b-25 allows; ``candidates`` holds one
    ``DueDates`` per filer category when the category is unknown (the other fields are then
    ``None``)."""

    report_type: str
    period_end: dt.date
    filer_category: str
    deadline_rule: str | None
    due_date: dt.date | None
    nt_deadline: dt.date | None
    extended_due_date: dt.date | None
    candidates: tuple[DueDates, ...] = field(default=())

    def as_dict(self) -> dict[str, str | None]:
        """ISO dates, for JSON."""
        iso = {
            "due_date": self.due_date,
            "nt_deadline": self.nt_deadline,
            "extended_due_date": self.extended_due_date,
        }
        return {k: v.isoformat() if v else None for k, v in iso.items()}

    def _repr_html_(self) -> str:
        """The deadlines as a table: one row, or one per filer category when it is unknown."""
        rows = self.candidates or (self,)
        body = [
            [esc(r.filer_category), esc(r.due_date or "—"), esc(r.nt_deadline or "—"),
             esc(r.extended_due_date or "—"), esc(r.deadline_rule or "—")]
            for r in rows
        ]  # fmt: skip
        caption = f"{self.report_type} for the period ended {self.period_end.isoformat()}" + (
            ": filer category unknown, so every category's dates" if self.candidates else ""
        )
        return table(
            ["filer category", "due", "notice (12b-25) by", "extended to", "rule"], body, caption
        )


def _normalise_report(form_type: str) -> str:
    form = form_type.strip().upper()
    if form in REPORT_TYPES:
        return form
    report = report_type_of(form)
    if report is None:
        raise ValidationError(
            f"no deadline rule for form {form_type!r}",
            suggestion=f"one of {', '.join(REPORT_TYPES)}",
        )
    return report


def due_dates(
    form_type: str,
    period_end: dt.date | str,
    filer_category: str | None = "unknown",
    *,
    registration_effective: dt.date | str | None = None,
) -> DueDates:
    """Due date, 12b-25 notice deadline and extended due date for one report.

    ``filer_category``: ``large_accelerated``, ``accelerated``, ``non_accelerated``,
    ``smaller_reporting``; ``None``/``"unknown"`` gives every candidate in ``candidates``.
    ``registration_effective``: when this is the first report after a registration
    statement went effective (see ``with_deadlines``).
    """
    report = _normalise_report(form_type)
    pe = dt.date.fromisoformat(period_end) if isinstance(period_end, str) else period_end
    category = (filer_category or "unknown").strip().lower().replace("-", "_").replace(" ", "_")
    if category == "unknown":
        cands = tuple(
            due_dates(report, pe, c, registration_effective=registration_effective)
            for c in DEADLINE_CATEGORIES
        )
        return DueDates(report, pe, "unknown", None, None, None, None, cands)
    if category not in DEADLINE_CATEGORIES:
        raise ValidationError(
            f"unknown filer category {filer_category!r}",
            suggestion=f"one of {', '.join(DEADLINE_CATEGORIES)} or unknown",
        )
    if not dt.date(1993, 1, 1) <= pe <= dt.date(2034, 6, 30):
        raise ValidationError(f"period end {pe} is outside the calendar (1993–2034)")
    eff = (
        dt.date.fromisoformat(registration_effective)
        if isinstance(registration_effective, str)
        else registration_effective
    )
    frame = pl.LazyFrame(
        {"report_type": [report], "period_end": [pe], "filer_category": [category],
         "_effective": pl.Series([eff], dtype=pl.Date)}
    )  # fmt: skip
    row = with_deadlines(frame, registration_effective="_effective").collect().row(0, named=True)
    return DueDates(
        report,
        pe,
        category,
        row["deadline_rule"],
        row["due_date"],
        row["nt_deadline"],
        row["extended_due_date"],
    )


def edgar_filing_date(accepted_at: dt.datetime | str, form_type: str | None = None) -> dt.date:
    """EDGAR's filing date for a submission accepted at ``accepted_at``.

    Reg S-T 13(a)(2): accepted by 5:30 pm Eastern (to the minute) on a business day → that
    day; later, or on a weekend or holiday → the next business day. Forms 3/4/5, 144 and POS 462B keep the
    same day until 10:00 pm. Naive datetimes are taken as Eastern (EDGAR's own clock).
    One row through ``filing_dates``, so the scalar and the panel share one rule.
    """
    when = dt.datetime.fromisoformat(accepted_at) if isinstance(accepted_at, str) else accepted_at
    local = when.replace(tzinfo=EASTERN) if when.tzinfo is None else when.astimezone(EASTERN)
    row = pl.LazyFrame(
        {"accepted": [local.replace(tzinfo=None)], "form_type": [form_type]},
        schema={"accepted": pl.Datetime("us"), "form_type": pl.String},
    ).with_columns(pl.col("accepted").dt.replace_time_zone("America/New_York"))
    day = (
        filing_dates(row, "accepted", form_type="form_type").collect().item(0, "edgar_filing_date")
    )
    assert isinstance(day, dt.date)
    return day


def _acceptance_parts(accepted: str, form_type: str | None) -> pl.Expr:
    """Eastern calendar day of the acceptance and whether it came after the day's cut-off
    (5:30 pm; 10 pm for ``TEN_PM_FORMS``).

    The comparison is to the minute: Rule 13(a)(2) counts from when a submission
    *commences*, and it is accepted a little later, so EDGAR dates everything accepted
    17:30:00–17:30:59 that day (all 14 of 4,805 real NT filings; 7 of 9 at 17:31 went to
    the next day). Measured in ``benchmarks/filing_dates.py``.
    """
    local = pl.col(accepted).dt.convert_time_zone("America/New_York")
    cutoff = pl.lit(dt.time(17, 30))  # wall-clock time, so DST change days stay right
    if form_type is not None:
        ten_pm = pl.col(form_type).str.to_uppercase().is_in(sorted(TEN_PM_FORMS))
        cutoff = pl.when(ten_pm).then(pl.lit(dt.time(22, 0))).otherwise(cutoff)
    minute = local.dt.truncate("1m").dt.time()
    return pl.struct(local.dt.date().alias("day"), (minute > cutoff).alias("late"))


def filing_dates(
    frame: pl.LazyFrame,
    accepted: str,
    *,
    form_type: str | None = None,
    stated: str | None = None,
    out: str = "edgar_filing_date",
) -> pl.LazyFrame:
    """Add ``out``: the EDGAR filing date of each row's acceptance time (vectorised).

    ``stated``: a column of EDGAR's own filing dates, where known. On a day when EDGAR
    dated a submission accepted after the cut-off that same day, it held the day open
    (a backlog on a deadline day, an outage): any other submission accepted that day up
    to the latest such time is dated that day too. Each row's own stated date is left out
    of its evidence, so the agreement measured with it is honest.
    """
    cal = calendar_frame().lazy()
    tmp = frame.with_columns(_acceptance_parts(accepted, form_type).alias("_fd"))
    tmp = tmp.with_columns(
        pl.col("_fd").struct.field("day").alias("_day"),
        pl.col("_fd").struct.field("late").alias("_late"),
    )
    if stated is not None:
        tmp = _held_open(tmp, accepted, stated)
    tmp = tmp.join(
        cal.select(
            pl.col("date").alias("_day"),
            pl.col("is_business_day").alias("_bd"),
            pl.col("rolled").alias("_rolled"),
            pl.col("next_business_day").alias("_next"),
        ),
        on="_day",
        how="left",
        maintain_order="left",
    )
    return tmp.with_columns(
        pl.when(~pl.col("_bd"))
        .then(pl.col("_rolled"))
        .when(pl.col("_late"))
        .then(pl.col("_next"))
        .otherwise(pl.col("_day"))
        .alias(out)
    ).drop("_fd", "_day", "_late", "_bd", "_rolled", "_next")


def _held_open(frame: pl.LazyFrame, accepted: str, stated: str) -> pl.LazyFrame:
    """Clear ``_late`` for a row accepted after the cut-off on a day that other rows show
    EDGAR held open at least until then (leave-one-out: the two latest held times per day,
    and a row that is itself the latest compares with the second)."""
    when = pl.col(accepted).dt.convert_time_zone("America/New_York").dt.replace_time_zone(None)
    held = pl.col("_late") & (pl.col(stated) == pl.col("_day"))
    tmp = frame.with_columns(pl.when(held).then(when).alias("_held"))
    top = tmp.group_by("_day").agg(
        pl.col("_held").drop_nulls().sort(descending=True).head(2).alias("_top")
    )
    first = pl.col("_top").list.get(0, null_on_oob=True)
    second = pl.col("_top").list.get(1, null_on_oob=True)
    evidence = pl.when(pl.col("_held") == first).then(second).otherwise(first)
    return (
        tmp.join(top, on="_day", how="left", maintain_order="left")
        .with_columns(
            pl.col("_late") & ~(evidence.is_not_null() & (when <= evidence)).fill_null(False)
        )
        .drop("_held", "_top")
    )


#: How a computed filing date relates to EDGAR's own (see docs/timeliness.md).
AGREEMENT_KINDS = (
    "agree",
    "no_acceptance_time",
    "accepted_after_cutoff_dated_same_day",
    "dated_before_acceptance_day",
    "dated_after_computed_date",
    "other",
)


def filing_date_agreement(frame: pl.LazyFrame, *, accepted: str, stated: str) -> pl.LazyFrame:
    """Compare ``edgar_filing_date(accepted)`` with EDGAR's ``stated`` date, row by row.

    Adds ``edgar_filing_date``, ``accepted_et_time`` and ``kind``: ``agree``; a submission
    accepted after 5:30 pm yet dated that day (Rule 13(a)(2) counts when transmission
    *commenced*, which the acceptance time does not show); dated before the day it was
    accepted (a filing-date adjustment granted afterwards); dated after the computed date
    (held and released later); or no acceptance time at all.
    """
    et = pl.col(accepted).dt.convert_time_zone("America/New_York")
    kind = (
        pl.when(pl.col(accepted).is_null()).then(pl.lit("no_acceptance_time"))
        .when(pl.col("edgar_filing_date") == pl.col(stated)).then(pl.lit("agree"))
        .when((pl.col(stated) == et.dt.date()) & (et.dt.hour() >= 17))
        .then(pl.lit("accepted_after_cutoff_dated_same_day"))
        .when(pl.col(stated) < et.dt.date()).then(pl.lit("dated_before_acceptance_day"))
        .when(pl.col(stated) > pl.col("edgar_filing_date"))
        .then(pl.lit("dated_after_computed_date"))
        .otherwise(pl.lit("other"))
    )  # fmt: skip
    return filing_dates(frame, accepted, stated=stated).with_columns(
        et.dt.time().alias("accepted_et_time"),
        kind.cast(pl.Enum(AGREEMENT_KINDS)).alias("kind"),
    )
