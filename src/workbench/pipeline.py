"""The orchestration module: ingest → derived tables → Parquet, and the bundled sample.

``analytics`` stays LazyFrame in, LazyFrame out and never writes; everything that writes
the derived tables of a data directory lives here (it was ``analytics/derive.py``).

Reports and explorers read Parquet; these functions make sure the derived tables
(``filings_index``, ``timeliness``, ``dilution``) exist for a directory ``workbench ingest``
wrote, so a user can point a notebook at any ingested directory.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from workbench.analytics.companies import company_filter, named_company, ticker_map
from workbench.analytics.dilution import build_dilution_table
from workbench.analytics.timeliness import build_timeliness
from workbench.errors import ValidationError
from workbench.frames.filings_index import build_index
from workbench.frames.ingest import ingest_to_dir
from workbench.frames.store import (
    StoreError,
    Tables,
    read_table,
    scan_tables,
    table_path,
    transaction,
    write_table,
)
from workbench.frames.tables import TABLES
from workbench.frames.validate import validate
from workbench.sample import sample_paths
from workbench.sources.edgar import EdgarClient, submissions_pages
from workbench.sources.edgar_urls import with_filing_index_urls
from workbench.sources.index_files import read_submissions_json
from workbench.version import __version__


def write_timeliness(index: pl.DataFrame, data_dir: str | os.PathLike[str]) -> pl.DataFrame:
    """Build the timeliness panel from a ``filings_index`` frame and store it beside it."""
    panel = validate(build_timeliness(index.lazy()).collect(), "timeliness")
    write_table(panel, data_dir, "timeliness")
    return panel


def derived_frames(data_dir: str | os.PathLike[str]) -> dict[str, pl.DataFrame]:
    """``filings_index`` (when it needs rebuilding), ``timeliness`` and ``dilution`` from
    what ``data_dir`` holds, in memory: nothing is written. Index files a user added with
    ``workbench index`` are kept: the index is only rebuilt when ``data_dir`` has no index
    yet or has ingested filings newer than it."""
    data = Path(data_dir)
    index_path = table_path(data, "filings_index")
    filings_path = table_path(data, "filings")
    out: dict[str, pl.DataFrame] = {}
    if not index_path.exists() or (
        filings_path.exists() and filings_path.stat().st_mtime > index_path.stat().st_mtime
    ):
        existing = read_table(data, "filings_index")
        fresh = build_index([data]).frame
        if existing is not None:  # keep rows other sources contributed
            fresh = pl.concat(
                [existing.filter(pl.col("index_source") != "ingest"), fresh], how="vertical"
            )
        out["filings_index"] = fresh
    index = out["filings_index"] if "filings_index" in out else read_table(data, "filings_index")
    assert index is not None
    out["timeliness"] = validate(build_timeliness(index.lazy()).collect(), "timeliness")
    tables = {**scan_tables(data), "filings_index": index.lazy()}
    out["dilution"] = build_dilution_table(tables)
    return out


def derive_tables(data_dir: str | os.PathLike[str]) -> dict[str, int]:
    """(Re)write the derived tables of ``data_dir`` (see ``derived_frames``) in one
    transaction, read and written under the directory's lock; the row count of each."""
    with transaction(data_dir) as tx:
        frames = derived_frames(data_dir)
        for name, frame in frames.items():
            tx.write(frame, name)
    index = frames.get("filings_index")
    if index is None:
        index = read_table(data_dir, "filings_index")
    assert index is not None
    return {
        "filings_index": index.height,
        "timeliness": frames["timeliness"].height,
        "dilution": frames["dilution"].height,
    }


def default_sample_dir() -> Path:
    """Where the sample tables go when nobody says: ``$WORKBENCH_SAMPLE_DATA``, else a
    per-version folder in the user's cache (the package directory may be read-only)."""
    env = os.environ.get("WORKBENCH_SAMPLE_DATA")
    if env:
        return Path(env)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "filings-workbench" / f"sample-{__version__}"


def prepare_sample(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Ingest the bundled seed filings and derive the tables; cheap when already done. A
    directory left by an older version (tables off today's schema) is rebuilt."""
    data = Path(data_dir) if data_dir is not None else default_sample_dir()
    try:
        ready = all(read_table(data, t) is not None for t in ("timeliness", "dilution"))
    except Exception:  # written by another version: start again
        ready = False
        for name in TABLES:
            table_path(data, name).unlink(missing_ok=True)
    if not ready:
        ingest_to_dir(sample_paths(), data, progress=False)
        derive_tables(data)
    return data


_INPUTS = ("filings", "offerings", "s8_filings", "shares_outstanding", "filings_index")


def _stale(data: Path) -> bool:
    """Whether a derived table is missing or older than a table it is derived from."""
    derived = [table_path(data, t) for t in ("timeliness", "dilution")]
    if not all(p.exists() for p in derived):
        return True
    oldest = min(p.stat().st_mtime for p in derived)
    inputs = [table_path(data, t) for t in _INPUTS]
    return any(p.exists() and p.stat().st_mtime > oldest for p in inputs)


def open_tables(
    data_dir: str | os.PathLike[str] | None = None,
) -> tuple[Path, Tables]:
    """The directory and its tables, ready for analysis: the bundled sample when
    ``data_dir`` is None; for a directory ``workbench ingest`` wrote, the derived tables are
    built first when missing (and kept in memory when the directory is read-only). A
    missing or empty directory is ``scan_tables``' ``NoTables``."""
    data = prepare_sample() if data_dir is None else Path(data_dir)
    if table_path(data, "filings").exists() and _stale(data):
        try:
            derive_tables(data)
        except StoreError:  # read-only, or being written: derived in memory, not stored
            frames = derived_frames(data)
            derived = {k: f.lazy() for k, f in frames.items()}
            return data, Tables(data, {**scan_tables(data), **derived})
    return data, scan_tables(data)


#: columns of ``filings()``, in order
FILINGS_LIST_COLUMNS = ("filed_date", "form_type", "company_name", "cik", "accession_number",
                        "period_end", "edgar_url", "in_data", "index_source", "source_path")  # fmt: skip


def filings(
    cik: int | None = None,
    *,
    company: str | None = None,
    ticker: str | None = None,
    forms: str | Sequence[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    online: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    user_agent: str | None = None,
) -> pl.DataFrame:
    """A company's filings, newest first, with a link to each on EDGAR.

    From the tables in ``data_dir`` (ingested filings, index files, submissions JSON); with
    ``online=True`` also from the company's submissions JSON on EDGAR (every page, cached
    under ``cache_dir``), so filings not in the data are listed too (``in_data`` false).
    ``forms`` keeps those form types (exactly: ask for "10-K/A" to see amendments).
    """
    if data_dir is None and not online:
        raise ValidationError(
            "give data_dir (a table directory) or online=True",
            suggestion="workbench.filings(cik=320193, data_dir='data') or (..., online=True)",
        )
    if cik is None and not company and not ticker:
        raise ValidationError("give cik, company or ticker")
    tables: dict[str, pl.LazyFrame] = open_tables(data_dir)[1] if data_dir is not None else {}
    cik, company = named_company(ticker_map(tables), cik, company, ticker)
    wanted = company_filter(cik, company)
    frames = []
    if "filings_index" in tables:
        local = (
            tables["filings_index"]
            .filter(wanted)
            .with_columns(pl.lit(True).alias("in_data"), pl.col("index_source").cast(pl.String))
        )
        frames.append(local.select(_LISTED).collect())
    if online:
        if cik is None:
            raise ValidationError("online=True needs a CIK or a ticker (EDGAR lists by CIK)")
        frames.append(_submissions_listing(cik, cache_dir, user_agent))
    if not frames:
        return pl.DataFrame(schema={c: _LIST_SCHEMA[c] for c in FILINGS_LIST_COLUMNS})
    listed = pl.concat(frames, how="vertical_relaxed")
    if forms is not None:
        kinds = [forms] if isinstance(forms, str) else list(forms)
        listed = listed.filter(
            pl.col("form_type").str.to_uppercase().is_in([f.strip().upper() for f in kinds])
        )
    with_acc = listed.filter(pl.col("accession_number").is_not_null()).unique(
        "accession_number", keep="first", maintain_order=True
    )  # the data's own row first: it says where the file is
    listed = pl.concat([with_acc, listed.filter(pl.col("accession_number").is_null())])
    return (
        with_filing_index_urls(listed)
        .sort("filed_date", descending=True, nulls_last=True, maintain_order=True)
        .select(FILINGS_LIST_COLUMNS)
    )


#: what each source contributes (``edgar_url`` is added after)
_LISTED = [c for c in FILINGS_LIST_COLUMNS if c != "edgar_url"]
_LIST_SCHEMA: dict[str, pl.DataType] = {
    **{c: TABLES["filings_index"].schema()[c] for c in
       ("filed_date", "form_type", "company_name", "cik", "accession_number", "period_end",
        "source_path")},
    "edgar_url": pl.String(), "in_data": pl.Boolean(), "index_source": pl.String(),
}  # fmt: skip


def _submissions_listing(
    cik: int, cache_dir: str | os.PathLike[str] | None, user_agent: str | None
) -> pl.DataFrame:
    """The company's filings as its submissions JSON on EDGAR lists them (every page)."""
    cache = Path(cache_dir) if cache_dir else default_sample_dir().parent / "edgar-cache"
    with EdgarClient(cache, user_agent=user_agent) as client:
        pages = submissions_pages(client, cik)
        failed = list(client.stats.failures)
    if failed:  # a missing older page shortens the list: say so, never silently
        warnings.warn(
            f"{len(failed)} submissions page(s) of CIK {cik} could not be fetched, so their "
            "filings are missing from the list: "
            + "; ".join(f"{where}: {why}" for where, why in failed[:5]),
            stacklevel=3,
        )
    frame = read_submissions_json(pages[0])
    return frame.with_columns(pl.lit(False).alias("in_data")).select(_LISTED)
