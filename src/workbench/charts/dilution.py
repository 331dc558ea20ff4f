"""Dilution charts: S-8 registrations over time, plan-pool steps, fee-check outliers.

The registrations chart takes a brush over filing dates (``FILED_RANGE``) that a live
explorer reads back with ``selected``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import altair as alt
import polars as pl

from workbench.charts import (
    COUNT_AXIS,
    MAX_ROWS,
    bounded,
    code_label,
    empty_chart,
    instant,
    interval,
    tip_text,
)
from workbench.vocab import FEE_CHECKS, OFFERING_KINDS

#: what a tooltip says for a filing without a CIK
_NO_CIK = "none (bare document)"

#: brush over the registrations chart's filing dates: ``{"filed_date": [t0, t1]}``
FILED_RANGE = "filed_range"


def selected(rows: pl.DataFrame, selections: Mapping[str, Any]) -> tuple[pl.DataFrame, list[str]]:
    """The rows inside every active chart selection, and a phrase for each one. A filing
    day is in a brush when the instant its bar stands at (midnight UTC) is."""
    said: list[str] = []
    if (ends := interval(selections, FILED_RANGE, "filed_date")) is not None:
        lo, hi = (instant(e) for e in ends)
        first = (lo - dt.timedelta(microseconds=1)).date() + dt.timedelta(days=1)  # ceiling
        last = hi.date()
        rows = rows.filter(pl.col("filed_date").is_between(first, last))
        said.append(f"filed {first} to {last}")
    return rows, said


def registrations_chart(registrations: pl.DataFrame) -> alt.Chart | alt.LayerChart:
    """Shares registered per filing date (bars) with the cumulative dilution % (line,
    right axis) where shares outstanding are known. Input: ``dilution`` rows."""
    if not registrations.height:
        return empty_chart("no S-8 registrations")
    per_day = bounded(
        registrations.group_by("filed_date", "company_name")
        .agg(
            pl.col("cik").first(),
            pl.col("shares_registered").sum(),
            pl.col("cumulative_dilution_pct").max(),
            pl.col("form_type").drop_nulls().unique().sort().str.join(", ").alias("forms"),
            pl.col("accession_number").drop_nulls().unique().sort().str.join(", ").alias("filings"),
            pl.len().alias("n_rows"),
        )
        .sort("filed_date")
        .tail(MAX_ROWS)
        .with_columns(tip_text("cik", _NO_CIK), tip_text("filings"))
    )
    base = alt.Chart(per_day).encode(
        x=alt.X(
            "filed_date:T", title="filed (drag to select dates)", axis=alt.Axis(format="%Y-%m-%d")
        )
    )
    brush = alt.selection_interval(name=FILED_RANGE, encodings=["x"])
    bars = (
        base.mark_bar(color="#4c78a8", size=12)
        .encode(
            y=alt.Y("shares_registered:Q", title="shares registered"),
            tooltip=[
                alt.Tooltip("filed_date:T", title="filed", format="%Y-%m-%d"),
                alt.Tooltip("company_name:N", title="company"),
                alt.Tooltip("cik:N", title="CIK"),
                alt.Tooltip("forms:N", title="form"),
                alt.Tooltip("shares_registered:Q", title="shares registered", format=","),
                alt.Tooltip("n_rows:Q", title="fee-table rows"),
                alt.Tooltip("filings:N", title="accession number"),
            ],
        )
        .add_params(brush)
    )
    chart: alt.Chart | alt.LayerChart = bars
    if per_day["cumulative_dilution_pct"].drop_nulls().len():
        line = base.mark_line(point=True, color="#e45756").encode(
            y=alt.Y("cumulative_dilution_pct:Q", title="cumulative dilution %"),
            tooltip=[
                alt.Tooltip("filed_date:T", title="filed", format="%Y-%m-%d"),
                alt.Tooltip("company_name:N", title="company"),
                alt.Tooltip(
                    "cumulative_dilution_pct:Q", title="cumulative dilution %", format=".2f"
                ),
            ],
        )
        chart = alt.layer(bars, line).resolve_scale(y="independent")
    total = int(registrations["shares_registered"].sum() or 0)
    return chart.properties(
        width=560,
        height=240,
        title="S-8 registrations",
        description=(
            f"Bars of shares registered on {per_day.height:,} filing day(s) from "
            f"{per_day['filed_date'].min()!s} to {per_day['filed_date'].max()!s}, "
            f"{total:,} shares in all"
            + (
                ", with the cumulative dilution % as a line."
                if isinstance(chart, alt.LayerChart)
                else "."
            )
        ),
    )


def plan_pool_chart(registrations: pl.DataFrame) -> alt.Chart:
    """The plan's share pool before and after each S-8 that states it (the pool steps)."""
    rows = registrations.filter(pl.col("plan_shares_after").is_not_null())
    if not rows.height:
        return empty_chart("no S-8 states a plan pool")
    steps = bounded(
        rows.unique("source_path")
        .with_columns(
            pl.col("plan_names").list.first().fill_null("(plan not named)").alias("plan"),
            pl.col("filed_date").cast(pl.String).alias("filed"),
        )
        .select(
            "plan",
            "filed",
            "company_name",
            "accession_number",
            "plan_shares_before",
            "plan_shares_after",
        )
        .unpivot(
            index=["plan", "filed", "company_name", "accession_number"],
            on=["plan_shares_before", "plan_shares_after"],
            variable_name="when",
            value_name="pool_shares",
        )
        .drop_nulls("pool_shares")
        .with_columns(pl.col("when").str.strip_prefix("plan_shares_"))
        .sort("filed", "plan")
    )
    return (
        alt.Chart(steps)
        .mark_bar()
        .encode(
            x=alt.X("filed:O", title="S-8 filed"),
            xOffset=alt.XOffset("when:N", sort=["before", "after"]),
            y=alt.Y("pool_shares:Q", title="shares in the plan pool"),
            color=alt.Color("when:N", sort=["before", "after"], title="pool"),
            tooltip=[
                alt.Tooltip("company_name:N", title="company"),
                alt.Tooltip("plan:N", title="plan"),
                alt.Tooltip("filed:O", title="S-8 filed"),
                alt.Tooltip("when:N", title="pool"),
                alt.Tooltip("pool_shares:Q", title="shares in the pool", format=","),
                alt.Tooltip("accession_number:N", title="accession number"),
            ],
        )
        .properties(
            width=max(320, 80 * steps["filed"].n_unique()),  # room for the title
            height=200,
            title="Plan pool before and after each S-8",
            description=(
                f"Paired bars of the plan's share pool before and after each of "
                f"{rows['source_path'].n_unique():,} S-8s that state it."
            ),
        )
    )


def fee_check_chart(offerings: pl.DataFrame, max_points: int = 2_000) -> alt.Chart:
    """Stated fee against aggregate × the Section 6(b) rate in force, coloured by
    ``fee_check``: every row that is not ``ok`` and a fixed sample of the ``ok`` ones."""
    rows = offerings.filter(
        pl.col("registration_fee").is_not_null()
        & pl.col("max_aggregate_offering_price").is_not_null()
        & pl.col("fee_rate_per_million_expected").is_not_null()
    ).with_columns(
        (
            pl.col("max_aggregate_offering_price") * pl.col("fee_rate_per_million_expected") / 1e6
        ).alias("expected_fee"),
        pl.col("fee_check").cast(pl.String),
        code_label("fee_check", FEE_CHECKS).alias("check_label"),
    )  # fmt: skip
    if not rows.height:
        return empty_chart("no fee can be checked")
    odd = rows.filter(pl.col("fee_check") != "ok").head(max_points)
    ok = rows.filter(pl.col("fee_check") == "ok")
    if ok.height > max_points - odd.height:
        ok = ok.sample(max(max_points - odd.height, 0), seed=0)
    points = bounded(pl.concat([odd, ok]).select(
        "company_name", "cik", "form_type", "filed_date", "accession_number", "shares_registered",
        "max_aggregate_offering_price", "registration_fee", "expected_fee", "fee_check",
        "check_label",
    ).with_columns(tip_text("cik", _NO_CIK), tip_text("accession_number")))  # fmt: skip
    return (
        alt.Chart(points)
        .mark_point(filled=True, opacity=0.7)
        .encode(
            x=alt.X("expected_fee:Q", title="expected fee ($)", scale=alt.Scale(type="symlog")),
            y=alt.Y("registration_fee:Q", title="stated fee ($)", scale=alt.Scale(type="symlog")),
            color=alt.Color("fee_check:N", title="fee check"),
            tooltip=[
                alt.Tooltip("company_name:N", title="company"),
                alt.Tooltip("cik:N", title="CIK"),
                alt.Tooltip("form_type:N", title="form"),
                alt.Tooltip("filed_date:T", title="filed", format="%Y-%m-%d"),
                alt.Tooltip("shares_registered:Q", title="shares registered", format=","),
                alt.Tooltip(
                    "max_aggregate_offering_price:Q", title="aggregate price ($)", format=",.2f"
                ),
                alt.Tooltip("registration_fee:Q", title="stated fee ($)", format=",.2f"),
                alt.Tooltip("expected_fee:Q", title="expected fee ($)", format=",.2f"),
                alt.Tooltip("check_label:N", title="fee check"),
                alt.Tooltip("accession_number:N", title="accession number"),
            ],
        )
        .interactive()
        .properties(
            width=360,
            height=300,
            title="Fee check",
            description=(
                f"Scatter of the stated fee against the fee the SEC rate gives for "
                f"{rows.height:,} fee-table rows ({points.height:,} drawn), coloured by check; "
                f"{rows.filter(pl.col('fee_check') != 'ok').height:,} do not match exactly."
            ),
        )
    )


def dilution_distribution_chart(rows: pl.DataFrame) -> alt.Chart:
    """How many fee-table rows register what share of the shares outstanding, by offering
    kind (rows without a denominator are left out and counted in the description)."""
    data = rows.filter(pl.col("dilution_pct").is_not_null()).select(
        "dilution_pct", code_label("offering_kind", OFFERING_KINDS).alias("kind")
    )
    if not data.height:
        return empty_chart("no registration has a shares-outstanding figure")
    return (
        alt.Chart(bounded(data))
        .mark_bar()
        .encode(
            x=alt.X(
                "dilution_pct:Q",
                bin=alt.Bin(maxbins=30),
                title="dilution (% of shares outstanding)",
            ),
            y=alt.Y("count():Q", title="fee-table rows", axis=COUNT_AXIS),
            color=alt.Color("kind:N", title="offering kind"),
            tooltip=[
                alt.Tooltip("kind:N", title="offering kind"),
                alt.Tooltip("dilution_pct:Q", bin=alt.Bin(maxbins=30), title="dilution (%)"),
                alt.Tooltip("count():Q", title="rows"),
            ],
        )
        .properties(
            width=420,
            height=240,
            title="Distribution of dilution",
            description=(
                f"Histogram of dilution_pct for {data.height:,} of {rows.height:,} fee-table rows "
                "(the others have no shares-outstanding figure known before their filing)."
            ),
        )
    )
