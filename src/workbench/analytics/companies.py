"""Choosing a company: by CIK, by a case-insensitive part of its name, or by ticker.

Bare documents such as the bundled seeds carry no CIK, so a name match is a first-class way
in; both reports and explorers go through the same expression. A ticker is looked up in the
``tickers`` table (SEC's company_tickers.json, read by ``workbench index``) and becomes a CIK.
"""

from __future__ import annotations

import polars as pl

from workbench.errors import ValidationError
from workbench.sources.index_files import normal_ticker


def company_key() -> pl.Expr:
    """One key per company: the CIK, or for a filing without one (a bare document) its
    upper-cased name. Every count of "companies" and every per-company window uses it."""
    return pl.coalesce(pl.col("cik").cast(pl.String), pl.col("company_name").str.to_uppercase())


def company_filter(cik: int | None = None, company: str | None = None) -> pl.Expr:
    """Rows of the chosen company (``cik`` and ``company`` columns); both given: either."""
    if cik is None and not company:
        raise ValueError("give a CIK or part of a company name")
    parts: list[pl.Expr] = []
    if cik is not None:
        parts.append(pl.col("cik") == cik)
    if company:
        parts.append(
            pl.col("company_name").str.to_lowercase().str.contains(company.lower(), literal=True)
        )
    expr = parts[0]
    for p in parts[1:]:
        expr = expr | p
    return expr.fill_null(False)


def company_choices(tables: dict[str, pl.LazyFrame], limit: int = 20_000) -> pl.DataFrame:
    """One row per company (``cik``, ``company_name``, ``label``, ``n_filings``) across the
    tables a user has, for a search box; the most-filed companies first."""
    frames = [
        lf.select(pl.col("cik").cast(pl.Int64), pl.col("company_name").cast(pl.String))
        for name, lf in tables.items()
        if name in ("filings", "filings_index", "timeliness", "offerings")
    ]
    if not frames:
        return pl.DataFrame(
            schema={"cik": pl.Int64, "company_name": pl.String, "label": pl.String,
                    "n_filings": pl.UInt32}
        )  # fmt: skip
    names = pl.concat(frames).filter(pl.col("company_name").is_not_null())
    key = company_key()
    out = (
        names.group_by(key.alias("_key"))
        .agg(
            pl.col("cik").drop_nulls().first(),
            pl.col("company_name").mode().sort().first(),
            pl.len().alias("n_filings"),
        )
        .with_columns(
            pl.when(pl.col("cik").is_not_null())
            .then(pl.format("{} (CIK {})", "company_name", "cik"))
            .otherwise(pl.col("company_name"))
            .alias("label")
        )
        .sort(["n_filings", "label"], descending=[True, False])
        .head(limit)
        .select("cik", "company_name", "label", "n_filings")
    )
    return out.collect()


def describe_matches(found: pl.DataFrame, limit: int = 10) -> str:
    """``"Name (CIK 1), 3 rows in the data; ..."`` for an error message (rows of the
    filings, index, timeliness and offerings tables)."""
    parts = [
        f"{r['label']}, {r['n_filings']} rows in the data"
        for r in found.head(limit).iter_rows(named=True)
    ]
    more = f"; and {found.height - limit} more" if found.height > limit else ""
    return "; ".join(parts) + more


def ticker_map(tables: dict[str, pl.LazyFrame]) -> dict[str, int]:
    """Ticker → CIK from the ``tickers`` table; empty when the data has none."""
    lf = tables.get("tickers")
    if lf is None:
        return {}
    return dict(lf.select("ticker", "cik").collect().iter_rows())


def cik_for_ticker(tickers: dict[str, int], ticker: str) -> int:
    """The CIK a ticker names (``brk.b`` finds ``BRK-B``); a ``ValidationError`` that says
    how to get the list when the data has none, or that the ticker is not on it."""
    if not tickers:
        raise ValidationError(
            f"no tickers table in the data, so ticker {ticker!r} cannot be looked up",
            suggestion="fetch SEC's list with `workbench fetch-tickers --dest DIR`, then "
            "`workbench index DIR/files/company_tickers.json --out DATA`; or give -p cik N",
        )
    cik = tickers.get(normal_ticker(ticker))
    if cik is None:
        raise ValidationError(
            f"ticker {ticker!r} is not among the {len(tickers):,} tickers in the data",
            suggestion="SEC's list holds current listings only; give -p cik N or -p company NAME",
        )
    return cik


def named_company(
    tickers: dict[str, int], cik: int | None, company: str | None, ticker: str | None
) -> tuple[int | None, str | None]:
    """``(cik, company)`` as the filter takes them. A ticker, when given, is used instead of
    cik and company (its CIK, no name); a CIK that disagrees with it is a
    ``ValidationError``. The one place that rule lives: runner, notebooks, CLI and
    ``workbench.filings`` all call it."""
    if not ticker:
        return cik, company
    found = cik_for_ticker(tickers, ticker)
    if cik is not None and cik != found:
        raise ValidationError(f"ticker {ticker!r} is CIK {found}, not CIK {cik}")
    return found, None
