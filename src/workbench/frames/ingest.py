"""Ingest many files on every core into validated frames, optionally into a Parquet store.

Conservation rule: every input file ends up as a ``filings`` row or as an ``error`` row in
``parse_issues`` — including files that crash a worker process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import polars as pl
from tqdm.auto import tqdm

from workbench.display import esc
from workbench.display import table as html_table
from workbench.errors import ValidationError
from workbench.frames.records import FileRecords, Row, issue_row, process_file
from workbench.frames.store import read_table, transaction
from workbench.frames.tables import INGEST_TABLES
from workbench.frames.validate import from_rows
from workbench.provenance import Issue
from workbench.sources.files import iter_input_files

#: parse issues an ingest result shows in a notebook (all of them are in ``parse_issues``)
_ISSUES_SHOWN = 20
#: Below this many files a process pool costs more than it saves.
_POOL_MIN_FILES = 4


@dataclass(slots=True)
class IngestResult:
    """Frames produced by one ingest run and its bookkeeping."""

    tables: dict[str, pl.DataFrame]
    n_inputs: int
    n_skipped: int = 0
    skipped_paths: list[str] = field(default_factory=list)

    @property
    def filings(self) -> pl.DataFrame:
        """One row per filing."""
        return self.tables["filings"]

    @property
    def documents(self) -> pl.DataFrame:
        """One row per document."""
        return self.tables["documents"]

    @property
    def parse_issues(self) -> pl.DataFrame:
        """Errors and warnings met."""
        return self.tables["parse_issues"]

    @property
    def n_errors(self) -> int:
        """Input files with no filings row (each has an error issue)."""
        parsed = set(self.filings["source_path"].to_list())
        failed = self.parse_issues.filter(pl.col("severity") == "error")["source_path"]
        return len(set(failed.to_list()) - parsed)

    def _repr_html_(self) -> str:
        """Counts, rows per table and the first issues: what a notebook shows for a result."""
        issues = self.parse_issues
        n_warn = issues.filter(pl.col("severity") == "warning").height
        lead = (
            f"<p><b>{self.n_inputs:,}</b> input file(s): <b>{self.filings.height:,}</b> "
            f"filing(s) read, {self.n_skipped:,} skipped as already stored, "
            f"<b>{self.n_errors:,}</b> unusable (an error row each), {n_warn:,} warning(s).</p>"
        )
        counts = html_table(
            ["table", "rows"],
            [[esc(name), esc(f"{frame.height:,}")] for name, frame in self.tables.items()
             if frame.height],
            "Rows written", "wb-counts",
        )  # fmt: skip
        shown = issues.sort(pl.col("severity") != "error", maintain_order=True).head(_ISSUES_SHOWN)
        listing = html_table(
            ["severity", "code", "file", "message"],
            [[esc(r["severity"]), f"<code>{esc(r['code'])}</code>",
              f'<span title="{esc(r["source_path"])}">{esc(PurePath(r["source_path"]).name)}</span>',
              esc(r["message"])]
             for r in shown.iter_rows(named=True)],
            f"parse issues: {min(issues.height, _ISSUES_SHOWN)} of {issues.height:,}, errors "
            "first (all of them in .parse_issues)", "wb-issues",
        ) if issues.height else "<p>No parse issues.</p>"  # fmt: skip
        return f'<div class="wb-ingest">{lead}{counts}{listing}</div>'


_WORKER_SKIP: frozenset[str] = frozenset()


def _init_worker(skip: frozenset[str]) -> None:
    """Hand each worker the hashes to skip once, not with every file."""
    global _WORKER_SKIP
    _WORKER_SKIP = skip


def _process_in_worker(path: str) -> FileRecords:
    return process_file(path, skip_sha256=_WORKER_SKIP)


def _pool_pass(
    paths: Sequence[str],
    workers: int,
    done: dict[str, FileRecords],
    bar: tqdm,
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    """One pool over ``paths``; returns the paths whose worker died under them."""
    broken: list[str] = []
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(skip,)
    ) as pool:
        futures: dict[Future[FileRecords], str] = {
            pool.submit(_process_in_worker, p): p for p in paths
        }
        for fut in as_completed(futures):
            try:
                done[futures[fut]] = fut.result()
                bar.update(1)
            except BrokenProcessPool:
                broken.append(futures[fut])
    return broken


def _spawn_ok() -> bool:
    """Spawned workers re-import ``__main__``; that fails for ``python -`` / stdin sessions."""
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None)
    return main_file is None or Path(main_file).exists()


def _run_pool(
    paths: Sequence[str], workers: int, bar: tqdm, skip: frozenset[str]
) -> dict[str, FileRecords]:
    """Parse in worker processes. A dead worker takes its pool's pending files with it, so
    those are retried one by one; a file that kills a fresh worker alone is the culprit."""
    done: dict[str, FileRecords] = {}
    for path in _pool_pass(paths, workers, done, bar, skip):
        if _pool_pass([path], 1, done, bar, skip):
            rec = FileRecords(source_path=path, sha256=None)
            issue = Issue("error", "worker_crashed", "parsing this file killed the worker process")
            rec.add("parse_issues", issue_row(path, None, issue))
            done[path] = rec
            bar.update(1)
    return done


def _collect(records: Iterable[FileRecords]) -> dict[str, pl.DataFrame]:
    rows: dict[str, list[Row]] = {name: [] for name in INGEST_TABLES}
    for rec in records:
        for table, table_rows in rec.rows.items():
            rows[table].extend(table_rows)
    # process_file screened every row but the parse_issues ones (records._screen)
    return {
        name: from_rows(name, table_rows, checked=name != "parse_issues")
        for name, table_rows in rows.items()
    }


def _conserve(paths: Sequence[str], records: dict[str, FileRecords]) -> None:
    """Guarantee the conservation rule even if a bug lost a file's rows."""
    for path in paths:
        rec = records.get(path)
        if rec is None:
            rec = records[path] = FileRecords(source_path=path, sha256=None)
        if rec.skipped:
            continue  # in the store already: its rows are there
        has_filing = bool(rec.rows.get("filings") or rec.rows.get("data_files"))
        has_error = any(r["severity"] == "error" for r in rec.rows.get("parse_issues", []))
        if not has_filing and not has_error:
            rec.add(
                "parse_issues",
                issue_row(
                    path, rec.sha256, Issue("error", "not_accounted", "file produced no rows")
                ),
            )


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    progress: bool | None = False,
    skip_sha256: frozenset[str] = frozenset(),
) -> IngestResult:
    """Parse files (directories are walked) into validated frames without writing anything.

    ``skip_sha256``: content hashes already ingested; those files are skipped and counted.
    ``progress``: ``None`` shows a bar only on a terminal.
    """
    todo = [str(p) for p in iter_input_files(paths)]
    n_workers = workers or os.cpu_count() or 1
    with tqdm(total=len(todo), desc="ingest", unit="file", disable=progress is False) as bar:
        if n_workers > 1 and len(todo) >= _POOL_MIN_FILES and _spawn_ok():
            records = _run_pool(todo, n_workers, bar, skip_sha256)
        else:
            records = {}
            for p in todo:
                records[p] = process_file(p, skip_sha256=skip_sha256)
                bar.update(1)
    _conserve(todo, records)
    skipped = [p for p in todo if records[p].skipped]
    tables = _collect(records[p] for p in todo if not records[p].skipped)
    return IngestResult(
        tables=tables, n_inputs=len(todo), n_skipped=len(skipped), skipped_paths=skipped
    )


def ingest_to_dir(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    workers: int | None = None,
    progress: bool | None = None,
) -> IngestResult:
    """Ingest into ``out_dir``'s Parquet tables, appending to what is there.

    Files whose sha256 is already in the store (as a filing, a data file or an error) are
    skipped. Every table (and so the skip list) is committed at once, under the store's
    lock: a kill or a full disk leaves the store as it was. The result holds this run's
    rows; the store holds everything.
    """
    out = Path(out_dir)
    paths = list(paths)
    if next(iter(iter_input_files(paths)), None) is None:
        shown = ", ".join(str(p) for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
        raise ValidationError(
            f"no filings to ingest under {shown}",
            suggestion="name EDGAR .txt/.htm/.xml files, folders holding them, or archives",
        )
    with transaction(out) as tx:  # the lock is held from reading the store to the commit
        existing = {name: read_table(out, name) for name in INGEST_TABLES}
        seen: set[str] = set()
        for name in ("filings", "data_files", "parse_issues"):
            frame = existing[name]
            if frame is not None:
                seen.update(s for s in frame["sha256"].to_list() if s)
        result = ingest(paths, workers=workers, progress=progress, skip_sha256=frozenset(seen))
        for name in INGEST_TABLES:
            old = existing[name]
            new = result.tables[name]
            if old is not None and old.height:
                replaced = set(new["source_path"].to_list())
                old = old.filter(~pl.col("source_path").is_in(list(replaced)))
                combined = pl.concat([old, new], how="vertical")
            else:
                combined = new
            tx.write(combined, name)
    return result
