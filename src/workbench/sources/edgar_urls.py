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


def daily_index_listing_path(year: int, quarter: int) -> str:
    """``/Archives/edgar/daily-index/<year>/QTR<n>/index.json``: the day files of a quarter."""
    if not 1993 <= year <= 2100 or quarter not in (1, 2, 3, 4):
        raise ValidationError(f"no daily index for {year} Q{quarter}")
    return f"/Archives/edgar/daily-index/{year}/QTR{quarter}/index.json"


def daily_index_path(year: int, quarter: int, name: str) -> str:
    """``/Archives/edgar/daily-index/<year>/QTR<n>/<name>`` (``master.20230103.idx``)."""
    if not re.fullmatch(r"(?:master|form|company)\.\d{6,8}\.idx", name):
        raise ValidationError(f"not a daily index file name: {name!r}")
    return daily_index_listing_path(year, quarter).rsplit("/", 1)[0] + "/" + name


def _folder(cik: int, accession_number: str) -> str:
    if not re.fullmatch(r"\d{10}-\d{2}-\d{6}", accession_number):
        raise ValidationError(f"not an accession number: {accession_number!r}")
    return f"/Archives/edgar/data/{int(cik)}/{accession_number.replace('-', '')}"


def index_headers_path(cik: int, accession_number: str) -> str:
    """``.../<accession without dashes>/<accession>-index-headers.html``: the filing's SGML
    header and the type and file name of each of its documents."""
    return f"{_folder(cik, accession_number)}/{accession_number}-index-headers.html"


def document_path(cik: int, accession_number: str, filename: str) -> str:
    """``.../<accession without dashes>/<filename>``: one document of a filing."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}", filename):
        raise ValidationError(f"not a plain document file name: {filename!r}")
    return f"{_folder(cik, accession_number)}/{filename}"


def frames_path(concept: str, period: str, *, taxonomy: str = "dei", unit: str = "shares") -> str:
    """``/api/xbrl/frames/<taxonomy>/<concept>/<unit>/<period>.json``: one fact per company
    for a period (``CY2023``, ``CY2023Q4``) or an instant (``CY2023Q4I``)."""
    if not re.fullmatch(r"CY\d{4}(?:Q[1-4]I?)?", period):
        raise ValidationError(
            f"not a frames period: {period!r}", suggestion="CY2023, CY2023Q4 or CY2023Q4I"
        )
    for part in (taxonomy, concept, unit):
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", part):
            raise ValidationError(f"not a frames name: {part!r}")
    return f"/api/xbrl/frames/{taxonomy}/{concept}/{unit}/{period}.json"


def companyfacts_zip_path() -> str:
    """``/Archives/edgar/daily-index/xbrl/companyfacts.zip``: every company's facts, rebuilt
    nightly (about 1 GB)."""
    return "/Archives/edgar/daily-index/xbrl/companyfacts.zip"


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
    "companyfacts_zip_path",
    "daily_index_listing_path",
    "daily_index_path",
    "document_path",
    "filing_index_url",
    "frames_path",
    "full_index_path",
    "index_headers_path",
    "submissions_path",
    "with_filing_index_urls",
]
