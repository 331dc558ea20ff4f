"""Dilution from registered offerings: each fee-table row registering shares — S-8 plan
registrations and the equity of every other registration form — over the shares
outstanding known *before* it was filed.

Each row has its ``source_form`` and an ``offering_kind`` read from the form and the fee
rule (``offering_kind_expr``), so plan dilution stays apart from capital raising: a shelf
and the takedowns off it register the same shares twice, and a resale registers shares that
may already be out, so kinds are never added together here.

Definitions (see docs/dilution.md for the longer form and what filings do not provide):

* ``dilution_pct`` = shares registered in the row / shares outstanding × 100 — the most
  the registration can add to the share count, relative to the count known at filing.
* ``ttm_dilution_pct`` = shares registered by the company's filings of the same kind in the
  365 days up to and including this filing / the same denominator × 100: for S-8s an
  annual *registration* run rate (a proxy for ISS's burn rate, which needs grants the S-8
  does not state).
* ``cumulative_dilution_pct`` = every share registered by the company's filings of the same
  kind so far (in the data) / the same denominator × 100: for S-8s an overhang proxy (ISS
  overhang counts awards outstanding plus shares available, from the 10-K instead).

Point in time: a shares-outstanding figure is *known* from the day it was filed (the 10-K /
10-Q filing date, or the XBRL fact's ``filed``); the join takes the latest figure known
strictly before the S-8's filing date, never one filed later, whatever its as-of date.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from workbench.analytics.companies import company_filter, company_key
from workbench.form_types import REGISTRATION_PATTERN, S8_FORMS
from workbench.frames.tables import TABLES
from workbench.frames.validate import validate
from workbench.vocab import MISSING_REASONS, OFFERING_KINDS

#: which figure wins when sources state one filing's count: the filing's own XBRL fact,
#: then a frames file's copy of it, then the cover text
_SOURCE_RANK = {"xbrl_dei": 0, "xbrl_frames": 1, "cover_text": 2}


def _denominators(shares: pl.LazyFrame) -> pl.LazyFrame:
    """One total per (company, filing, as-of date): cover classes summed, XBRL preferred
    over the cover text of the same filing. A figure without a filing date (a frames fact)
    takes its filing's date from another source that states it, else its as-of date."""
    filed = pl.col("filed_date").fill_null(
        pl.col("filed_date").min().over("cik", "accession_number")
    )
    known = pl.coalesce(filed, "as_of_date")
    rank = pl.col("source").cast(pl.String).replace_strict(_SOURCE_RANK, default=9)
    per_filing = (
        shares.filter(pl.col("cik").is_not_null() & pl.col("as_of_date").is_not_null())
        .with_columns(known.alias("_known"))
        .group_by("cik", "accession_number", "as_of_date", "source")
        .agg(
            pl.col("shares_outstanding").sum(),
            pl.col("_known").min().alias("known_date"),
            pl.col("source_path").first().alias("denominator_source_path"),
        )
        .sort(rank, "denominator_source_path")
        .unique(["cik", "accession_number", "as_of_date"], keep="first")
    )
    return per_filing.select(
        "cik",
        "known_date",
        pl.col("as_of_date").alias("denominator_as_of_date"),
        pl.col("shares_outstanding"),
        pl.col("source").cast(pl.String).alias("denominator_source"),
        pl.col("accession_number").alias("denominator_accession_number"),
        "denominator_source_path",
    ).sort("known_date", "denominator_as_of_date")


def offering_kind_expr(form: str = "form_type", rule: str = "fee_rule") -> pl.Expr:
    """What a registration row is for, from its form and its fee rule: S-8 family →
    employee plan; 424B → takedown; a Rule 457(c) fee (market price of shares already out)
    on S-1/S-3/F-1/F-3 → resale; other S-3/F-3 → shelf; S-1/F-1/S-11/SB-2 → primary;
    S-4/F-4 → business combination."""
    f = pl.col(form).str.strip_chars().str.to_uppercase().str.replace(r"/A$", "")
    r = pl.col(rule).fill_null("")
    resale = r.str.contains(r"457\s*\(\s*c\s*\)") & ~r.str.contains(r"457\s*\(\s*h\s*\)")
    return (
        pl.when(f.is_in(list(S8_FORMS))).then(pl.lit("employee_plan"))
        .when(f.str.starts_with("424B")).then(pl.lit("takedown"))
        .when(f.str.contains(r"^(?:S-1|S-3|F-1|F-3)") & resale).then(pl.lit("resale"))
        .when(f.str.contains(r"^(?:S-3|F-3|POS AM|POS ASR)")).then(pl.lit("shelf"))
        .when(f.str.contains(r"^(?:S-1|F-1|S-11|SB-2)")).then(pl.lit("primary"))
        .when(f.str.contains(r"^(?:S-4|F-4)")).then(pl.lit("business_combination"))
        .otherwise(pl.lit("other"))
        .cast(pl.Enum(OFFERING_KINDS))
    )  # fmt: skip


def build_dilution(
    offerings: pl.LazyFrame, shares: pl.LazyFrame, s8_filings: pl.LazyFrame | None = None
) -> pl.LazyFrame:
    """One row per fee-table row of a registration form registering shares now, with its
    form, offering kind, point-in-time denominator, ratios, running totals (per company
    and kind) and, for S-8s, the plan-pool step of its filing."""
    registration = pl.col("form_type").str.strip_chars().str.contains(f"(?i){REGISTRATION_PATTERN}")
    rows = offerings.filter(
        registration
        & (pl.col("row_group") == "fees_to_be_paid")
        & pl.col("shares_registered").is_not_null()
    ).with_columns(
        company_key().alias("company_key"),
        pl.col("form_type").alias("source_form"),
        offering_kind_expr().alias("offering_kind"),
    )
    if s8_filings is not None:
        rows = rows.join(
            s8_filings.select(
                "source_path", "plan_names", "plan_shares_before", "plan_shares_after"
            ),
            on="source_path",
            how="left",
            maintain_order="left",
        )
    else:
        rows = rows.with_columns(
            pl.lit(None, pl.List(pl.String)).alias("plan_names"),
            pl.lit(None, pl.Int64).alias("plan_shares_before"),
            pl.lit(None, pl.Int64).alias("plan_shares_after"),
        )
    denominators = _denominators(shares)
    dated = rows.filter(pl.col("filed_date").is_not_null() & pl.col("cik").is_not_null()).sort(
        "filed_date"
    )
    joined = dated.join_asof(
        denominators,
        left_on="filed_date",
        right_on="known_date",
        by="cik",
        strategy="backward",
        allow_exact_matches=False,
        check_sortedness=False,  # both sides are sorted by date above; groups keep that order
    )
    undated = rows.filter(pl.col("filed_date").is_null() | pl.col("cik").is_null())
    both = pl.concat([joined, undated], how="diagonal_relaxed")
    ciks_with_shares = denominators.select("cik").unique().with_columns(pl.lit(True).alias("_has"))
    both = both.join(ciks_with_shares, on="cik", how="left", maintain_order="left")
    group = ["company_key", "offering_kind"]
    running = both.sort("company_key", "filed_date", "row_number").with_columns(
        pl.col("shares_registered").cum_sum().over(group).alias("cumulative_shares_registered"),
        pl.col("shares_registered")
        .rolling_sum_by("filed_date", window_size="365d")
        .over(group)
        .alias("ttm_shares_registered"),
    )
    denominator = pl.col("shares_outstanding")
    reason = (
        pl.when(pl.col("filed_date").is_null()).then(pl.lit("no_filed_date"))
        .when(pl.col("cik").is_null()).then(pl.lit("no_cik"))
        .when(pl.col("_has").is_null()).then(pl.lit("no_shares_outstanding_for_company"))
        .when(denominator.is_null()).then(pl.lit("no_figure_known_before_filing"))
    )  # fmt: skip
    return running.with_columns(
        (pl.col("shares_registered") / denominator * 100).alias("dilution_pct"),
        (pl.col("ttm_shares_registered") / denominator * 100).alias("ttm_dilution_pct"),
        (pl.col("cumulative_shares_registered") / denominator * 100).alias("cumulative_dilution_pct"),
        (pl.col("filed_date") - pl.col("denominator_as_of_date")).dt.total_days().alias("denominator_age_days"),
        reason.cast(pl.Enum(MISSING_REASONS)).alias("denominator_missing_reason"),
    ).select(
        "cik", "company_name", "filed_date", "accession_number", "source_form", "offering_kind",
        "source_path", "row_number",
        "security_title", "shares_registered", "registration_fee", "fee_check",
        pl.col("shares_outstanding").alias("shares_outstanding"), "denominator_as_of_date",
        "denominator_source", "denominator_accession_number", "denominator_age_days",
        "denominator_missing_reason", "dilution_pct", "ttm_shares_registered", "ttm_dilution_pct",
        "cumulative_shares_registered", "cumulative_dilution_pct", "plan_names",
        "plan_shares_before", "plan_shares_after",
    )  # fmt: skip


def dilution_table(tables: dict[str, pl.LazyFrame]) -> pl.DataFrame:
    """The validated ``dilution`` frame of ``scan_tables(data_dir)``: the stored table the
    pipeline derived (``open_tables`` re-derives it when its inputs are newer), else built
    from ``offerings`` and ``shares_outstanding`` now."""
    stored = tables.get("dilution")
    if stored is not None and stored.collect_schema().names() == _schema().names():
        return validate(stored.collect(), "dilution")
    return build_dilution_table(tables)  # none stored, or stored by an older version


def build_dilution_table(tables: dict[str, pl.LazyFrame]) -> pl.DataFrame:
    """The ``dilution`` frame built from its inputs (empty when there are no S-8 rows; no
    shares-outstanding table means every row says why it has no ratio)."""
    if "offerings" not in tables:
        return validate(pl.DataFrame(schema=_schema()), "dilution")
    shares = tables.get("shares_outstanding")
    if shares is None:
        shares = pl.LazyFrame(
            schema={"cik": pl.Int64, "accession_number": pl.String, "as_of_date": pl.Date,
                    "source": pl.String, "shares_outstanding": pl.Int64, "filed_date": pl.Date,
                    "source_path": pl.String}
        )  # fmt: skip
    frame = build_dilution(tables["offerings"], shares, tables.get("s8_filings")).collect()
    return validate(frame.select([pl.col(c).cast(t) for c, t in _schema().items()]), "dilution")


def _schema() -> pl.Schema:
    return TABLES["dilution"].schema()


def registrations_detail(tables: dict[str, pl.LazyFrame]) -> pl.DataFrame:
    """Every S-8 row, oldest first: the ``dilution`` columns plus what the fee table said
    (form, price, aggregate, fee rule, expected rate, aggregate check) and the source spans
    of each figure (``spans``: fee-table row; ``filing_spans``: plan and pool)."""
    frame = dilution_table(tables)
    extra: dict[str, pl.DataType] = {
        "form_type": pl.String(), "max_price_per_share": pl.Float64(),
        "max_aggregate_offering_price": pl.Float64(), "fee_rule": pl.String(),
        "fee_rate_per_million_expected": pl.Float64(), "fee_table_layout": pl.String(),
        "prior_registration_numbers": pl.List(pl.String), "per_person_limit": pl.Int64(),
    }  # fmt: skip
    if not frame.height or "offerings" not in tables:
        return frame.with_columns(pl.lit(None, t).alias(c) for c, t in extra.items()).clear()
    offerings = (
        tables["offerings"]
        .select(
            "source_path",
            "row_number",
            "form_type",
            "max_price_per_share",
            "max_aggregate_offering_price",
            "fee_rule",
            "fee_rate_per_million_expected",
            "aggregate_check",
            "fee_table_layout",
            "spans",
        )
        .collect()
    )
    out = frame.join(offerings, on=["source_path", "row_number"], how="left", maintain_order="left")
    if "s8_filings" in tables:
        plans = tables["s8_filings"].select(
            "source_path", "prior_registration_numbers", "per_person_limit",
            pl.col("spans").alias("filing_spans"),
        ).collect()  # fmt: skip
        out = out.join(plans, on="source_path", how="left", maintain_order="left")
    return out.sort("filed_date", "source_path", "row_number")


def company_registrations(
    tables: dict[str, pl.LazyFrame], *, cik: int | None = None, company: str | None = None
) -> pl.DataFrame:
    """One company's rows of ``registrations_detail``."""
    return registrations_detail(tables).filter(company_filter(cik, company))


# --- the market: every company's registrations in a period ------------------------------------


def market_rows(
    dilution: pl.LazyFrame,
    filings: pl.LazyFrame | None,
    *,
    start: dt.date,
    end: dt.date,
    kinds: list[str] | None = None,
) -> pl.LazyFrame:
    """The ``dilution`` rows filed from ``start`` to ``end`` (of ``kinds``, all when None),
    with the filing year and the registrant's SIC code from its ``filings`` row."""
    rows = dilution.filter(pl.col("filed_date").is_between(start, end))
    if kinds:
        rows = rows.filter(pl.col("offering_kind").cast(pl.String).is_in(kinds))
    if filings is not None:
        sic = filings.select("source_path", "sic").unique("source_path")
        rows = rows.join(sic, on="source_path", how="left", maintain_order="left")
    else:
        rows = rows.with_columns(pl.lit(None, pl.Int64).alias("sic"))
    return rows.with_columns(pl.col("filed_date").dt.year().alias("year"))


def _volume() -> list[pl.Expr]:
    """What every market breakdown counts per group: filings, companies, shares registered
    and the median ``dilution_pct`` (over the rows that have one)."""
    return [
        pl.col("accession_number").n_unique().alias("filings"),
        pl.col("cik").n_unique().alias("companies"),
        pl.col("shares_registered").sum(),
        pl.col("dilution_pct").median().alias("median_dilution_pct"),
    ]


def by_year_and_kind(rows: pl.LazyFrame) -> pl.LazyFrame:
    """Per filing year and offering kind: filings, companies, shares registered and the
    median and 90th percentile of ``dilution_pct`` (over the rows that have one)."""
    return (
        rows.group_by("year", "offering_kind")
        .agg(
            *_volume(),
            pl.col("dilution_pct").is_not_null().sum().alias("with_denominator"),
            pl.col("dilution_pct").quantile(0.9, "nearest").alias("p90_dilution_pct"),
        )
        .sort("year", "offering_kind")
    )


def by_industry(rows: pl.LazyFrame) -> pl.LazyFrame:
    """Per SIC major group (first two digits; null when the filing states none) and kind:
    filings, companies, shares registered, median ``dilution_pct``; most filings first."""
    return (
        rows.with_columns((pl.col("sic") // 100).alias("sic_major_group"))
        .group_by("sic_major_group", "offering_kind")
        .agg(*_volume())
        .sort("filings", "sic_major_group", descending=[True, False], nulls_last=True)
    )


def largest_registrants(rows: pl.LazyFrame, n: int = 10) -> pl.LazyFrame:
    """The ``n`` (company, kind) pairs with the most shares registered, each with its filings'
    accession numbers (every figure traced), its summed ``dilution_pct`` over the rows that
    have a denominator and its latest trailing-12-month rate."""
    return (
        rows.sort("filed_date", "row_number")
        .group_by("cik", "offering_kind")
        .agg(
            pl.col("company_name").last(),
            pl.col("shares_registered").sum(),
            pl.col("dilution_pct").sum().alias("dilution_pct_sum"),
            pl.col("ttm_dilution_pct").last().alias("latest_ttm_dilution_pct"),
            pl.col("accession_number").unique(maintain_order=True).alias("accession_numbers"),
        )
        .sort("shares_registered", descending=True)
        .head(n)
    )
