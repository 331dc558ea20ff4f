"""Parquet on disk: one file per table, written atomically, read back validated."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import polars as pl

from workbench.frames.tables import TABLES
from workbench.frames.validate import validate


def table_path(data_dir: str | os.PathLike[str], table: str) -> Path:
    """``DIR/<table>.parquet``."""
    return Path(data_dir) / f"{table}.parquet"


def write_table(frame: pl.DataFrame, data_dir: str | os.PathLike[str], table: str) -> Path:
    """Validate, then write to a temp file and rename, so readers never see half a file."""
    validate(frame, table)
    target = table_path(data_dir, table)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{table}.", suffix=".parquet.tmp", dir=target.parent)
    os.close(fd)
    try:
        frame.write_parquet(tmp)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def read_table(data_dir: str | os.PathLike[str], table: str) -> pl.DataFrame | None:
    """The stored table cast to its declared schema, or ``None`` when not written yet."""
    path = table_path(data_dir, table)
    if not path.exists():
        return None
    schema = TABLES[table].schema()
    frame = pl.read_parquet(path)
    frame = frame.select([pl.col(c).cast(schema[c]) for c in schema.names()])
    return validate(frame, table)


def scan_tables(data_dir: str | os.PathLike[str]) -> dict[str, pl.LazyFrame]:
    """Lazy frames for every table present in ``data_dir`` (analytics start here)."""
    out: dict[str, pl.LazyFrame] = {}
    for name, spec in TABLES.items():
        path = table_path(data_dir, name)
        if path.exists():
            schema = spec.schema()
            out[name] = pl.scan_parquet(path).select(
                [pl.col(c).cast(schema[c]) for c in schema.names()]
            )
    return out


def snapshot(data_dir: str | os.PathLike[str]) -> tuple[str, dict[str, str]]:
    """A hash of the whole table directory and the sha256 of each table file.

    Reports print it so a reader can tell whether two reports saw the same data."""
    files: dict[str, str] = {}
    for name in TABLES:
        path = table_path(data_dir, name)
        if path.exists():
            digest = hashlib.sha256()
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            files[name] = digest.hexdigest()
    overall = hashlib.sha256("".join(f"{k}={v}\n" for k, v in files.items()).encode())
    return overall.hexdigest(), files
