"""Every EDGAR address the workbench builds, in one place (house style: nothing else spells
``sec.gov``). Light on purpose: parsers and displays link to EDGAR without importing the
HTTP client."""

from __future__ import annotations

import re

import polars as pl

from workbench.errors import ValidationError

WWW = "https://www.sec.gov"
DATA = "https://data.sec.gov"


def archive_path(cik: int, accession_number: str) -> str:
    """``/Archives/edgar/data/<cik>/<accession>.txt``: the complete submission file."""
    if not re.fullmatch(r"\d{10}-\d{2}-\d{6}", accession_number):
        raise ValidationError(f"not an accession number: {accession_number!r}")
    return f"/Archives/edgar/data/{int(cik)}/{accession_number}.txt"


def filing_index_url(cik: int | None, accession_number: str | None) -> str | None:
    """``https://www.sec.gov/Archives/edgar/data/<cik>/<accession without dashes>/``: the
    filing's folder on EDGAR, which lists its documents; None without a CIK or a well-formed
    accession number (a bare document has neither)."""
    if cik is None or not accession_number:
        return None
    digits = accession_number.replace("-", "").strip()
    if not re.fullmatch(r"\d{18}", digits):
        return None
    return f"{WWW}/Archives/edgar/data/{int(cik)}/{digits}/"


def with_filing_index_urls(
    rows: pl.DataFrame, cik: str = "cik", accession: str = "accession_number"
) -> pl.DataFrame:
    """``rows`` plus ``edgar_url``: ``filing_index_url`` of each row (null without a CIK or a
    well-formed accession number). One Python call per row: add it to the rows shown or
    written, not to a whole panel."""
    urls = [
        filing_index_url(c, a)
        for c, a in zip(rows[cik].to_list(), rows[accession].to_list(), strict=True)
    ]
    return rows.with_columns(pl.Series("edgar_url", urls, dtype=pl.String))


def company_tickers_path() -> str:
    """``/files/company_tickers.json``: every listed company's ticker, CIK and name."""
    return "/files/company_tickers.json"


def full_index_path(year: int, quarter: int, kind: str = "form") -> str:
    """``/Archives/edgar/full-index/<year>/QTR<n>/<kind>.idx``."""
    if not 1993 <= year <= 2100 or quarter not in (1, 2, 3, 4):
        raise ValidationError(f"no full index for {year} Q{quarter}")
    if kind not in ("form", "master", "company"):
        raise ValidationError(f"unknown index kind {kind!r}")
    return f"/Archives/edgar/full-index/{year}/QTR{quarter}/{kind}.idx"


def submissions_path(cik: int) -> str:
    """``/submissions/CIK##########.json``."""
    return f"/submissions/CIK{int(cik):010d}.json"


def companyfacts_path(cik: int) -> str:
    """``/api/xbrl/companyfacts/CIK##########.json``."""
    return f"/api/xbrl/companyfacts/CIK{int(cik):010d}.json"


__all__ = [
    "DATA",
    "WWW",
    "archive_path",
    "company_tickers_path",
    "companyfacts_path",
    "filing_index_url",
    "full_index_path",
    "submissions_path",
    "with_filing_index_urls",
]
