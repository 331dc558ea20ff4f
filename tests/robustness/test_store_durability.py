"""Issue 16, item 2: the store is exactly as before or exactly as after a write — killed,
out of disk, or raced by a second writer — and a rerun restores everything."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import workbench
from workbench.frames import store
from workbench.frames.ingest import ingest_to_dir
from workbench.frames.store import StoreBusy, read_table, table_path, write_table
from workbench.frames.tables import INGEST_TABLES
from workbench.frames.validate import empty
from workbench.sample import sample_paths


def _tables(data: Path) -> dict[str, pl.DataFrame | None]:
    """Every ingest table, rows sorted so that two stores compare row for row."""
    out: dict[str, pl.DataFrame | None] = {}
    for name in INGEST_TABLES:
        frame = read_table(data, name)
        out[name] = None if frame is None else frame.sort(pl.all().exclude("spans"))
    return out


def _same(a: dict[str, pl.DataFrame | None], b: dict[str, pl.DataFrame | None]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        x, y = a[name], b[name]
        assert (x is None) == (y is None), name
        if x is not None and y is not None:
            assert_frame_equal(x, y, check_row_order=True)


@pytest.fixture
def inputs(corpus: Path) -> list[Path]:
    return [corpus / "filings", *sample_paths()]


@pytest.mark.corpus
def test_a_failure_in_the_write_phase_leaves_the_store_as_it_was(
    inputs, tmp_path, monkeypatch
) -> None:
    """A full disk on the third table (or any failure before the commit) changes nothing;
    the rerun then writes what a clean run writes."""
    clean = tmp_path / "clean"
    ingest_to_dir(inputs, clean, workers=1)
    data = tmp_path / "data"
    ingest_to_dir(inputs[1:], data, workers=1)  # the seeds first
    before = _tables(data)
    real = pl.DataFrame.write_parquet
    calls = {"n": 0}

    def full_disk(frame: pl.DataFrame, path: object, *args: object, **kw: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(frame, path, *args, **kw)

    monkeypatch.setattr(pl.DataFrame, "write_parquet", full_disk)
    with pytest.raises(OSError, match="No space"):
        ingest_to_dir(inputs, data, workers=1)
    monkeypatch.undo()
    _same(_tables(data), before)
    assert not list(data.glob(".gen-*.tmp"))  # nothing half-written left behind
    ingest_to_dir(inputs, data, workers=1)
    _same(_tables(data), _tables(clean))


_KILL_SCRIPT = """
import sys
from workbench.frames.ingest import ingest_to_dir
ingest_to_dir(sys.argv[2:], sys.argv[1], workers=1, progress=False)
"""


@pytest.mark.corpus
def test_kills_at_any_moment_then_a_rerun_equal_a_clean_run(inputs, tmp_path) -> None:
    clean = tmp_path / "clean"
    ingest_to_dir(inputs, clean, workers=1)
    expected = _tables(clean)
    data = tmp_path / "data"
    script = tmp_path / "run.py"
    script.write_text(_KILL_SCRIPT)
    args = [sys.executable, str(script), str(data), *map(str, inputs)]
    for delay in (0.3, 0.9, 1.5, 2.1, 2.7, 3.3):  # spread over a run's read, parse and write
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name, frame in _tables(data).items():  # whatever it is, it reads back whole
            assert frame is None or frame.height >= 0, name
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _same(_tables(data), expected)


def test_a_second_writer_is_refused_with_who_holds_the_lock(tmp_path) -> None:
    seeds = sample_paths()
    ingest_to_dir(seeds[:1], tmp_path, workers=1)
    before = _tables(tmp_path)
    with store._locked(tmp_path), pytest.raises(StoreBusy, match=f"pid {os.getpid()}"):
        ingest_to_dir(seeds, tmp_path, workers=1)
    _same(_tables(tmp_path), before)
    ingest_to_dir(seeds, tmp_path, workers=1)  # the lock is free again
    assert read_table(tmp_path, "filings").height == 2  # type: ignore[union-attr]


def test_a_store_written_before_generations_is_carried_over(tmp_path) -> None:
    """Tables as plain DIR/<table>.parquet files are read, and the next commit keeps them."""
    result = workbench.ingest(sample_paths()[:1], workers=1)
    for name, frame in result.tables.items():
        frame.write_parquet(tmp_path / f"{name}.parquet")
    before = _tables(tmp_path)
    assert table_path(tmp_path, "filings") == tmp_path / "filings.parquet"
    ingest_to_dir(sample_paths()[:1], tmp_path, workers=1)  # skipped: already there
    assert (tmp_path / "current").is_symlink()
    _same(_tables(tmp_path), before)
    assert pl.read_parquet(tmp_path / "filings.parquet").height == 1  # the link still reads


def test_a_table_of_an_older_schema_is_read_and_upgraded(tmp_path) -> None:
    """A column added since (null), a naive time (Eastern wall clock, not UTC), an extra
    column (dropped with a warning naming it)."""
    result = workbench.ingest(sample_paths(), workers=1)
    filings = result.filings.with_columns(
        pl.lit(None, pl.Datetime("us", "America/New_York"))
        .fill_null(pl.datetime(2024, 3, 15, 17, 30, time_zone="America/New_York"))
        .alias("acceptance_datetime")
    )
    old = filings.drop("sic").with_columns(
        pl.col("acceptance_datetime").dt.replace_time_zone(None), pl.lit(1).alias("retired")
    )
    write_table(empty("filings"), tmp_path, "filings")  # a store, then the old-format file
    old.write_parquet(tmp_path / "old.parquet")
    (tmp_path / "old.parquet").replace(table_path(tmp_path, "filings").resolve())
    with pytest.warns(UserWarning, match=r"\['retired'\]"):
        back = read_table(tmp_path, "filings")
    assert back is not None and back["sic"].null_count() == back.height
    assert str(back["acceptance_datetime"][0]) == "2024-03-15 17:30:00-04:00"  # not 13:30
