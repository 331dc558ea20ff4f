"""Securities Act Section 6(b) registration fee rates and the checks a fee table must pass.

The rates ship as package data (``workbench/data/fee_rates.csv``: rate in dollars per
$1,000,000, the date it took effect, a confidence mark and the source in
``shared/reference/edgar-rules.md`` §4). The rate in force on the *filing date* applies,
so a rate change is a step function over dates; a row without a rate marks a period whose
rate is not known, which yields ``rate_unknown`` rather than a guess.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

# the codes these checks return are declared, with their meanings, in workbench.vocab


@dataclass(frozen=True, slots=True)
class FeeRate:
    """One row of the rate table: in force from ``effective_from`` until the next row."""

    fiscal_year: int
    rate_per_million: float | None
    effective_from: dt.date
    status: str
    source: str


@cache
def fee_rates() -> tuple[FeeRate, ...]:
    """The packaged rate table, oldest first."""
    text = (resources.files("workbench") / "data" / "fee_rates.csv").read_text(encoding="utf-8")
    rows = [
        FeeRate(
            fiscal_year=int(r["fiscal_year"]),
            rate_per_million=float(r["rate_per_million"]) if r["rate_per_million"] else None,
            effective_from=dt.date.fromisoformat(r["effective_from"]),
            status=r["status"],
            source=r["source"],
        )
        for r in csv.DictReader(text.splitlines())
    ]
    return tuple(sorted(rows, key=lambda r: r.effective_from))


def rate_on(filed: dt.date | None) -> FeeRate | None:
    """The table row in force on a filing date (``None`` before the table starts)."""
    if filed is None:
        return None
    rows = fee_rates()
    i = bisect.bisect_right([r.effective_from for r in rows], filed) - 1
    return rows[i] if i >= 0 else None


def expected_rate(filed: dt.date | None) -> float | None:
    """Dollars per $1,000,000 in force on ``filed``; ``None`` when unknown."""
    row = rate_on(filed)
    return row.rate_per_million if row else None


def check_fee(aggregate: float | None, fee: float | None, rate: float | None) -> str | None:
    """Classify a stated fee against aggregate × rate; ``None`` when the row states no fee
    or no aggregate (nothing to check)."""
    if aggregate is None or fee is None:
        return None
    if rate is None:
        return "rate_unknown"
    exact = aggregate * rate / 1_000_000
    if abs(fee - exact) <= 0.0100001:
        return "ok"
    roundings = (math.ceil(exact), round(exact), math.floor(exact), math.floor(exact * 100) / 100)
    if any(abs(fee - r) < 0.005 for r in roundings):
        return "rounded"
    return "mismatch"


def check_aggregate(shares: int | None, price: float | None, aggregate: float | None) -> str | None:
    """Classify the stated aggregate against shares × price (``None`` when a term is missing)."""
    if shares is None or price is None or aggregate is None:
        return None
    exact = shares * price
    if abs(aggregate - exact) <= 1.0:
        return "ok"
    if abs(aggregate - exact) <= shares * 0.005 + 1.0:
        return "rounded"  # the price shown was rounded to cents
    return "mismatch"
