"""The orchestration module: ingest → derived tables → Parquet, and the bundled sample.

``analytics`` stays LazyFrame in, LazyFrame out and never writes; everything that writes
the derived tables of a data directory lives here (it was ``analytics/derive.py``).

Reports and explorers read Parquet; these functions make sure the derived tables
(``filings_index``, ``timeliness``, ``dilution``) exist for a directory ``workbench ingest``
wrote, so a user can point a notebook at any ingested directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from workbench.analytics.dilution import build_dilution_table
from workbench.analytics.timeliness import build_timeliness
from workbench.frames.filings_index import build_index
from workbench.frames.ingest import ingest_to_dir
from workbench.frames.store import (
    StoreError,
    read_table,
    scan_tables,
    table_path,
    transaction,
    write_table,
)
from workbench.frames.tables import TABLES
from workbench.frames.validate import validate
from workbench.sample import sample_paths
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
) -> tuple[Path, dict[str, pl.LazyFrame]]:
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
            return data, {**scan_tables(data), **{k: f.lazy() for k, f in frames.items()}}
    return data, scan_tables(data)
