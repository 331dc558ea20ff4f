"""XBRL companyfacts JSON (``/api/xbrl/companyfacts/CIK##########.json``): the cover-page
``dei:EntityCommonStockSharesOutstanding`` facts, as a frame of shares outstanding.

Companyfacts keeps one fact per (filing, date) and drops the class dimension, so a company
with several classes has several facts with the same accession number and end date: they
are summed (``n_facts`` says how many). Placeholder values (1, 100, 1,000: anything up to
1,000) and stale facts (dated after their filing, or more than a year before it — re-stated
covers of old filings) are dropped and counted, never silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from workbench.errors import ParseError

PLACEHOLDER_MAX = 1_000
STALE_DAYS = 365


@dataclass(frozen=True, slots=True)
class SharesFacts:
    """The usable facts and what was dropped."""

    cik: int | None
    entity_name: str | None
    frame: (
        pl.DataFrame
    )  # cik, as_of_date, shares_outstanding, n_facts, accession_number, filed_date, form
    n_placeholder: int
    n_stale: int


def read_companyfacts(text: str, *, path: str = "<json>") -> SharesFacts:
    """Parse a companyfacts document (already decoded)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            "json_invalid", f"not JSON: {exc.msg} at line {exc.lineno}", path=path
        ) from exc
    if not isinstance(doc, dict) or "facts" not in doc:
        raise ParseError("companyfacts_layout_unknown", "no 'facts' object", path=path)
    cik = int(doc["cik"]) if str(doc.get("cik", "")).strip().isdigit() else None
    facts = (
        doc["facts"].get("dei", {}).get("EntityCommonStockSharesOutstanding", {}).get("units", {})
    )
    raw = pl.DataFrame(
        [
            {"end": f.get("end"), "val": f.get("val"), "accn": f.get("accn"),
             "filed": f.get("filed"), "form": f.get("form")}
            for f in facts.get("shares", [])
        ],
        schema={"end": pl.String, "val": pl.Int64, "accn": pl.String, "filed": pl.String, "form": pl.String},
    ).with_columns(pl.col("end").str.to_date(strict=False), pl.col("filed").str.to_date(strict=False))  # fmt: skip
    placeholder = pl.col("val") <= PLACEHOLDER_MAX
    age = (pl.col("filed") - pl.col("end")).dt.total_days()
    stale = (age < 0) | (age > STALE_DAYS) | pl.col("end").is_null() | pl.col("filed").is_null()
    n_placeholder = raw.filter(placeholder).height
    n_stale = raw.filter(~placeholder & stale).height
    usable = raw.filter(~placeholder & ~stale)
    frame = (
        usable.group_by("accn", "end", maintain_order=True)
        .agg(
            pl.col("val").sum().alias("shares_outstanding"),
            pl.len().cast(pl.Int64).alias("n_facts"),
            pl.col("filed").first().alias("filed_date"),
            pl.col("form").first(),
        )
        .select(
            pl.lit(cik, pl.Int64).alias("cik"),
            pl.col("end").alias("as_of_date"),
            "shares_outstanding",
            "n_facts",
            pl.col("accn").alias("accession_number"),
            "filed_date",
            "form",
        )
    )
    return SharesFacts(cik, doc.get("entityName"), frame, n_placeholder, n_stale)
