"""The SEC business-day calendar behind Rule 0-3 and the 5:30 pm filing-date rule.

A business day is a weekday that is neither a US federal holiday (the ``holidays`` package,
with its Saturday → Friday / Sunday → Monday observance) nor a one-off EDGAR closure. The
closures are data, ``workbench/data/edgar_closures.csv``, each with its source in
``shared/reference/edgar-rules.md`` §3.3; rows whose EDGAR closure is unconfirmed are kept
there with ``applied=false`` so the choice is visible and reversible.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from importlib import resources

import holidays
import polars as pl

#: The calendar table covers these years; dates outside raise ``ValueError``.
FIRST_YEAR, LAST_YEAR = 1990, 2035


@cache
def closures() -> dict[dt.date, str]:
    """One-off EDGAR closures that count as holidays (``applied=true`` rows)."""
    text = (resources.files("workbench") / "data" / "edgar_closures.csv").read_text("utf-8")
    return {
        dt.date.fromisoformat(r["date"]): r["reason"]
        for r in csv.DictReader(text.splitlines())
        if r["applied"] == "true"
    }


@cache
def _holidays() -> frozenset[dt.date]:
    federal = holidays.US(years=range(FIRST_YEAR, LAST_YEAR + 1), observed=True)
    return frozenset(federal) | frozenset(closures())


def holiday_name(day: dt.date) -> str | None:
    """Why ``day`` is not a business day (``None`` when it is, or is just a weekend)."""
    if day in closures():
        return closures()[day]
    federal = holidays.US(years=day.year, observed=True)
    return federal.get(day)


def is_business_day(day: dt.date) -> bool:
    """Monday–Friday and not a holiday or closure."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"{day} is outside the calendar ({FIRST_YEAR}–{LAST_YEAR})")
    return day.weekday() < 5 and day not in _holidays()


def roll_forward(day: dt.date) -> dt.date:
    """Rule 0-3: a last day that falls on a weekend or holiday moves to the next business day."""
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def next_business_day(day: dt.date) -> dt.date:
    """The first business day strictly after ``day``."""
    return roll_forward(day + dt.timedelta(days=1))


@cache
def calendar_frame() -> pl.DataFrame:
    """Every date of the calendar with its roll-forward and next business day, so lazy
    pipelines apply Rule 0-3 with a join instead of a Python loop."""
    start, end = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
    days = pl.date_range(start, end, "1d", eager=True)
    business = [is_business_day(d) for d in days.to_list()]
    frame = pl.DataFrame({"date": days, "is_business_day": business})
    # roll_forward: the next business date at or after each date (backward fill of business dates)
    frame = frame.with_columns(
        pl.when(pl.col("is_business_day")).then(pl.col("date")).alias("rolled")
    ).with_columns(pl.col("rolled").backward_fill())
    return frame.with_columns(pl.col("rolled").shift(-1).alias("next_business_day")).select(
        "date",
        "is_business_day",
        "rolled",
        pl.col("next_business_day").fill_null(pl.col("rolled")),
    )


def days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    """28–31, by integer arithmetic (no date construction)."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return (
        pl.when(month == 2).then(pl.when(leap).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11])).then(30)
        .otherwise(31)
    )  # fmt: skip


def clamped_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """``date(year, month, day)`` with the day cut to the month's length (Feb 30 → Feb 28/29).

    Integer arithmetic only: string offsets (``offset_by("4mo")`` built per row) and
    ``month_end()`` are an order of magnitude slower on millions of rows.
    """
    return pl.date(year, month, pl.min_horizontal(day, days_in_month(year, month)))


def add_months(day: pl.Expr, months: pl.Expr | int) -> pl.Expr:
    """``day`` + ``months`` calendar months; a month-end stays a month-end (Jun 30 + 4 →
    Oct 31), another day keeps its number where the month has it (Jan 31 is a month-end)."""
    y = day.dt.year().cast(pl.Int32)
    m = day.dt.month().cast(pl.Int32)
    d = day.dt.day().cast(pl.Int32)
    total = y * 12 + m - 1 + months
    year, month = total // 12, total % 12 + 1
    last = days_in_month(year, month)
    is_month_end = d == days_in_month(y, m)
    return pl.date(
        year, month, pl.when(is_month_end).then(last).otherwise(pl.min_horizontal(d, last))
    )


def prior_fiscal_year_end(day: pl.Expr, fiscal_year_end: pl.Expr) -> pl.Expr:
    """The most recent fiscal year end strictly before ``day``, from an MMDD string
    (December 31 when null); Feb 29 year ends fall back to Feb 28 in other years."""
    mmdd = fiscal_year_end.fill_null("1231")
    month = mmdd.str.slice(0, 2).cast(pl.Int32, strict=False).fill_null(12)
    dom = mmdd.str.slice(2, 2).cast(pl.Int32, strict=False).fill_null(31)
    year = day.dt.year().cast(pl.Int32)
    this_year = clamped_date(year, month, dom)
    return pl.when(this_year < day).then(this_year).otherwise(clamped_date(year - 1, month, dom))
