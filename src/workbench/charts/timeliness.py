"""Timeliness charts over the ``timeliness`` panel and the ``late_notices`` table.

Two charts take a selection a live explorer reads back (``selected``): a brush over days
late (``DAYS_LATE_RANGE``) and a click on a status-mix segment (``STATUS_PICK``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import altair as alt
import polars as pl

from workbench.charts import (
    COUNT_AXIS,
    bounded,
    code_label,
    empty_chart,
    interval,
    label_expr,
    tip_text,
)
from workbench.vocab import FILER_CATEGORIES, REASONS, TIMELINESS_STATUSES

_STATUS_COLOURS = ["#54a24b", "#4c78a8", "#f58518", "#e45756", "#b279a2", "#9d9d9d"]

#: brush over the days-late chart's x axis: ``{"days_late_bin": [lo, hi]}``
DAYS_LATE_RANGE = "days_late_range"
#: click (shift-click for more) on status-mix segments: ``[{"year": y, "status": s}, ...]``
STATUS_PICK = "status_pick"

#: days late at and past which the days-late chart puts a report in its last bin
DAYS_LATE_CLIP = 120


def days_late_bounds(
    lo: float, hi: float, clip: int = DAYS_LATE_CLIP
) -> tuple[int, int | None] | None:
    """The whole days late a brush from ``lo`` to ``hi`` covers. Day ``d`` is drawn in the
    slot ``[m, m + 1)`` of its bar, ``m = min(d, clip)``, and counts when the brush touches
    that slot: ``floor(lo) <= m <= ceil(hi) - 1``. Touching the last slot takes every report
    past ``clip`` (None: no upper end); a brush touching no slot gives None."""
    first, last = max(1, math.floor(lo)), math.ceil(hi) - 1
    if first > clip or last < first:
        return None
    return first, (None if last >= clip else last)


def selected(panel: pl.DataFrame, selections: Mapping[str, Any]) -> tuple[pl.DataFrame, list[str]]:
    """The panel rows inside every active chart selection, and a phrase for each one
    (what a table caption says it shows)."""
    said: list[str] = []
    if (ends := interval(selections, DAYS_LATE_RANGE, "days_late_bin")) is not None:
        days = pl.col("days_late")
        if (bounds := days_late_bounds(*ends)) is None:
            panel, phrase = panel.clear(), "no whole day of days late"
        elif bounds[1] is None:
            panel, phrase = panel.filter(days >= bounds[0]), f"{bounds[0]}+ days late"
        else:
            panel = panel.filter(days.is_between(*bounds))
            phrase = f"{bounds[0]}–{bounds[1]} days late"
        said.append(phrase)
    if picks := selections.get(STATUS_PICK):
        year, status = pl.col("due_date").dt.year(), pl.col("status").cast(pl.String)
        keep = pl.lit(False)
        for pick in picks:
            keep = keep | ((year == pick.get("year")) & (status == pick.get("status")))
        panel = panel.filter(keep)
        said.append(
            "; ".join(
                f"{TIMELINESS_STATUSES.label(p.get('status'))} in {p.get('year')}" for p in picks
            )
        )
    return panel, said


def _status_scale() -> alt.Scale:
    return alt.Scale(domain=list(TIMELINESS_STATUSES), range=_STATUS_COLOURS)


def nt_vs_deadline_chart(panel: pl.DataFrame, clip: int = 20) -> alt.Chart:
    """When notices were filed, in calendar days after the report's due date (day 0 = due;
    one business day later is the notice deadline), by filer category."""
    rows = panel.filter(pl.col("nt_filed_date").is_not_null())
    if not rows.height:
        return empty_chart("no Form 12b-25 notices")
    counts = bounded(
        rows.with_columns(
            (pl.col("nt_filed_date") - pl.col("due_date"))
            .dt.total_days()
            .clip(-clip, clip)
            .alias("days_after_due"),
            pl.col("filer_category").cast(pl.String),
        )
        .group_by("days_after_due", "filer_category")
        .len("notices")
        .with_columns(code_label("filer_category", FILER_CATEGORIES).alias("category_label"))
        .sort("days_after_due")
    )
    early = rows.filter(pl.col("nt_filed_date") <= pl.col("due_date")).height
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("days_after_due:O", title=f"days after the due date (clipped at ±{clip})"),
            y=alt.Y("notices:Q", title="notices", axis=COUNT_AXIS),
            color=alt.Color(
                "filer_category:N",
                title="filer category",
                legend=alt.Legend(labelExpr=label_expr(FILER_CATEGORIES)),
            ),
            tooltip=[
                alt.Tooltip("days_after_due:O", title="days after the due date"),
                alt.Tooltip("category_label:N", title="filer category"),
                alt.Tooltip("notices:Q", title="notices", format=","),
            ],
        )
        .properties(
            width=560,
            height=220,
            title="Form 12b-25 filing day relative to due date",
            description=(
                f"Bars of {rows.height:,} Form 12b-25 notices by calendar days between the "
                f"report's due date and the notice (clipped at ±{clip}), coloured by filer "
                f"category; {early:,} of them came on or before the due date."
            ),
        )
    )


def status_mix_chart(panel: pl.DataFrame) -> alt.Chart:
    """Reports due per year of the due date, stacked by timeliness status."""
    if not panel.height:
        return empty_chart("no reports due")
    counts = bounded(
        panel.group_by(pl.col("due_date").dt.year().alias("year"), pl.col("status").cast(pl.String))
        .len("reports")
        .with_columns(
            (pl.col("reports") / pl.col("reports").sum().over("year")).alias("share"),
            code_label("status", TIMELINESS_STATUSES).alias("status_label"),
        )
        .sort("year")
    )
    on_time = panel.filter(pl.col("status").cast(pl.String) == "on_time").height / panel.height
    pick = alt.selection_point(name=STATUS_PICK, fields=["year", "status"])
    return (
        alt.Chart(counts)
        .mark_bar(cursor="pointer")
        .encode(
            x=alt.X("year:O", title="year due"),
            y=alt.Y(
                "reports:Q", stack="normalize", title="share of reports", axis=alt.Axis(format="%")
            ),
            color=alt.Color(
                "status:N",
                scale=_status_scale(),
                title="status",
                legend=alt.Legend(labelExpr=label_expr(TIMELINESS_STATUSES)),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("year:O", title="year due"),
                alt.Tooltip("status_label:N", title="status"),
                alt.Tooltip("reports:Q", title="reports", format=","),
                alt.Tooltip("share:Q", title="share of the year", format=".1%"),
            ],
        )
        .add_params(pick)
        .properties(
            width=560,
            height=220,
            title="Status mix by year",
            description=(
                f"Stacked bars of the status shares of {panel.height:,} reports due, by year "
                f"due ({counts['year'].min()!s}–{counts['year'].max()!s}); {on_time:.0%} of them "
                "were filed on time."
            ),
        )
    )


def days_late_chart(panel: pl.DataFrame, clip: int = DAYS_LATE_CLIP, step: int = 5) -> alt.Chart:
    """Distribution of days late (report filed − due date) for reports filed after the due
    date, in ``step``-day bins, by whether a notice was filed. Brushing the x axis selects
    a range of days late (``DAYS_LATE_RANGE``; ``days_late_bounds`` says which)."""
    rows = panel.filter(pl.col("days_late") > 0)
    if not rows.height:
        return empty_chart("no late reports")
    counts = bounded(
        rows.with_columns(
            ((pl.col("days_late").clip(1, clip) - 1) // step * step + 1).alias("days_late_bin"),
            pl.when(pl.col("nt_filed_date").is_not_null())
            .then(pl.lit("with a notice"))
            .otherwise(pl.lit("no notice"))
            .alias("notice"),
        )
        .group_by("days_late_bin", "notice")
        .len("reports")
        .with_columns(
            pl.when(pl.col("days_late_bin") + step > clip)
            .then(pl.format("{}+", "days_late_bin"))
            .otherwise(pl.format("{}–{}", "days_late_bin", pl.col("days_late_bin") + step - 1))
            .alias("days")
        )
        .sort("days_late_bin")
    )
    brush = alt.selection_interval(name=DAYS_LATE_RANGE, encodings=["x"])
    ticks = list(range(1, clip + step + 1, step * 2 if clip // step > 12 else step))
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X(
                "days_late_bin:Q",
                bin=alt.Bin(binned=True, step=step),
                title=f"days late ({step}-day bins; {clip}+ in the last)",
                axis=alt.Axis(values=ticks),
            ),
            x2=alt.X2("bin_end:Q"),
            y=alt.Y("reports:Q", title="reports", axis=COUNT_AXIS),
            color=alt.Color("notice:N", title=""),
            tooltip=[
                alt.Tooltip("days:N", title="days late"),
                alt.Tooltip("notice:N", title="notice"),
                alt.Tooltip("reports:Q", title="reports", format=","),
            ],
        )
        .transform_calculate(bin_end=f"datum.days_late_bin + {step}")
        .add_params(brush)
        .properties(
            width=560,
            height=220,
            title="How late the late reports came",
            description=(
                f"Bars of {rows.height:,} reports filed after their due date by days late, in "
                f"{step}-day bins ({clip}+ in the last), split by whether a notice was filed; "
                f"the median is {rows.select(pl.col('days_late').median()).item():g} days."
            ),
        )
    )


def reason_mix_chart(notices: pl.DataFrame) -> alt.Chart:
    """Notices per reason label (a notice may carry several), from ``late_notices``."""
    labels = notices.select(pl.col("reason_labels").list.explode(keep_nulls=False)).drop_nulls()
    if not labels.height:
        return empty_chart("no notice narratives in the data")
    counts = bounded(
        labels.group_by("reason_labels")
        .len("notices")
        .with_columns(code_label("reason_labels", REASONS).alias("reason"))
        .sort("notices", descending=True)
    )
    top, top_n = REASONS.label(counts["reason_labels"][0]), int(counts["notices"][0])
    return (
        alt.Chart(counts)
        .mark_bar(color="#72b7b2")
        .encode(
            y=alt.Y("reason:N", sort="-x", title="reason"),
            x=alt.X("notices:Q", title="notices", axis=COUNT_AXIS),
            tooltip=[
                alt.Tooltip("reason:N", title="reason"),
                alt.Tooltip("notices:Q", title="notices", format=","),
            ],
        )
        .properties(
            width=420,
            height=alt.Step(18),
            title="Reasons given in Part III",
            description=(
                f"Bars of the reasons given in {notices.height:,} Form 12b-25 notices (a "
                f"notice may give several); the most given is {top} ({top_n:,} notices)."
            ),
        )
    )


_MILESTONES = {"due_date": "due", "nt_filed_date": "notice filed", "nt_deadline": "notice deadline",
               "extended_due_date": "extended due", "report_filed_date": "report filed"}  # fmt: skip


#: reports on one company timeline; a longer history shows its latest reports and says so
TIMELINE_MAX = 60


def timeline_window(periods: pl.DataFrame, limit: int = TIMELINE_MAX) -> tuple[pl.DataFrame, str]:
    """The latest ``limit`` reports by due date (sorted first, so the cut is never arbitrary)
    and the title that says how many of how many are shown."""
    rows = periods.sort("due_date", "report_type", nulls_last=True)
    if rows.height <= limit:
        return rows, "Due dates and filings"
    first = rows["due_date"][-limit]
    return rows.tail(limit), (
        f"Due dates and filings: the latest {limit} of {rows.height:,} reports due "
        f"(due {first} onwards)"
    )


def company_timeline_chart(periods: pl.DataFrame, limit: int = TIMELINE_MAX) -> alt.Chart:
    """One line per report due, oldest at the top: its due date, notice deadline and
    extension as ticks, and the notice and report filings as points. Over ``limit`` reports,
    the latest ``limit``, with a title saying so."""
    if not periods.height:
        return empty_chart("no reports due for this company")
    shown, title = timeline_window(periods, limit)
    shown = shown.with_columns(
        pl.format("{} {}", "report_type", pl.col("period_end").cast(pl.String)).alias("report")
    )
    order = shown["report"].unique(maintain_order=True).to_list()
    n_late = shown.filter(pl.col("report_filed_date") > pl.col("due_date")).height
    long = bounded(
        shown.with_columns(code_label("status", TIMELINESS_STATUSES).alias("status_label"))
        .unpivot(
            index=["report", "status_label", "company_name", "cik", "report_accession_number",
                   "nt_accession_number"],
            on=list(_MILESTONES),
            variable_name="event",
            value_name="date",
        )
        .drop_nulls("date")
        .with_columns(
            pl.when(pl.col("event") == "nt_filed_date")
            .then(pl.col("nt_accession_number"))
            .when(pl.col("event") == "report_filed_date")
            .then(pl.col("report_accession_number"))
            .alias("accession_number"),
            pl.col("event").replace_strict(_MILESTONES).alias("event"),
        )
        .drop("report_accession_number", "nt_accession_number")
        .with_columns(tip_text("cik", "none"), tip_text("accession_number"))
    )  # fmt: skip
    events = alt.Scale(domain=list(_MILESTONES.values()))
    return (
        alt.Chart(long)
        .mark_point(size=90, filled=True)
        .encode(
            x=alt.X(  # padding: a mark on the first or last day is not cut in half
                "date:T", title="date (drag to pan, wheel to zoom)", scale=alt.Scale(padding=12)
            ),
            y=alt.Y("report:N", title="report (period end)", sort=order),
            shape=alt.Shape("event:N", title="event", scale=events),
            color=alt.Color("event:N", title="event", scale=events),
            tooltip=[
                alt.Tooltip("company_name:N", title="company"),
                alt.Tooltip("cik:N", title="CIK"),
                alt.Tooltip("report:N", title="report"),
                alt.Tooltip("event:N", title="event"),
                alt.Tooltip("date:T", title="date", format="%Y-%m-%d"),
                alt.Tooltip("status_label:N", title="status"),
                alt.Tooltip("accession_number:N", title="accession number"),
            ],
        )
        .interactive(bind_y=False)
        .properties(
            width=560,
            height=alt.Step(28),
            title=title,
            description=(
                f"Timeline of {shown.height:,} reports due from {shown['due_date'].min()!s} to "
                f"{shown['due_date'].max()!s}, one line each, marking the due date, notice "
                f"deadline, extension and the filings; {n_late:,} were filed late."
            ),
        )
    )
