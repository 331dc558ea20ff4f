"""Parquet on disk: tables committed together or not at all, read back validated.

``DIR/current`` points at the committed generation (``DIR/.gen-<id>/<table>.parquet``);
``DIR/<table>.parquet`` are links to it for anyone reading the files directly. Writers
take ``DIR/.lock``; a second concurrent writer is refused with a clear message.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from workbench.display import esc, table
from workbench.errors import WorkbenchError
from workbench.frames.tables import TABLES
from workbench.frames.validate import validate

#: the pointer to the committed generation of tables (a symlink to ``.gen-<n>``)
CURRENT = "current"
_LOCK = ".lock"


class StoreError(WorkbenchError):
    """The table directory cannot be written now; nothing was changed."""


class StoreBusy(StoreError):
    """Another process is writing the same table directory."""


class StoreUnwritable(StoreError):
    """The table directory cannot be created or written (read-only, not a folder, no
    permission); raised when a writer starts, before any work is done."""


class NoTables(StoreError, FileNotFoundError):
    """The directory does not exist or holds no workbench tables: reading it would give
    empty answers that look like real ones."""


def has_tables(data_dir: str | os.PathLike[str]) -> bool:
    """Whether ``data_dir`` holds at least one workbench table."""
    return any(table_path(data_dir, name).exists() for name in TABLES)


def table_path(data_dir: str | os.PathLike[str], table: str) -> Path:
    """Where ``table`` is read from: ``DIR/current/<table>.parquet`` (the committed
    generation), or ``DIR/<table>.parquet`` in a directory written before generations."""
    d = Path(data_dir)
    current = d / CURRENT
    if current.is_symlink() or current.is_dir():
        return current / f"{table}.parquet"
    return d / f"{table}.parquet"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unwritable(data_dir: Path, exc: OSError) -> StoreUnwritable:
    return StoreUnwritable(
        f"cannot write tables to {data_dir}: {exc.strerror or exc}",
        suggestion="choose a directory you can write to",
    )


@contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    """Hold the directory's write lock; a second writer is refused at once, with who holds
    it, rather than overwriting the first one's rows."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(data_dir / _LOCK, os.O_RDWR | os.O_CREAT, 0o666)  # the umask decides
    except OSError as exc:
        raise _unwritable(data_dir, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise StoreBusy(
                f"{data_dir} is being written by {holder}",
                suggestion="wait for it to finish, or write to another --out",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def current_umask() -> int:
    """The process umask, read without changing it where Linux allows (``/proc``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Transaction:
    """Tables written together: a kill, a full disk or any error before ``commit`` leaves
    the directory exactly as it was; after it, exactly as written. New tables go to a fresh
    generation folder (fsynced), the tables not rewritten are hard-linked into it from the
    current generation, and one atomic rename of the ``current`` pointer commits them all."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.folder = Path(tempfile.mkdtemp(prefix=".gen-", suffix=".tmp", dir=data_dir))
        # mkdtemp makes it 0700; a team sharing the directory must be able to read it
        self.folder.chmod(0o777 & ~current_umask())
        self.written: set[str] = set()

    def write(self, frame: pl.DataFrame, table: str) -> None:
        """Validate and stage one table."""
        validate(frame, table)
        path = self.folder / f"{table}.parquet"
        frame.write_parquet(path)
        _fsync(path)
        self.written.add(table)

    def commit(self) -> None:
        """Carry the other tables over, then switch ``current`` to the new generation."""
        for name in TABLES:
            if name in self.written:
                continue
            old = table_path(self.data_dir, name)
            if old.exists():
                try:
                    os.link(old.resolve(), self.folder / old.name)
                except OSError:  # no hard links here: copy
                    shutil.copy2(old, self.folder / old.name)
        _fsync(self.folder)
        final = self.folder.with_name(self.folder.name.removesuffix(".tmp"))
        self.folder.rename(final)
        pointer = self.data_dir / f".{CURRENT}.tmp"
        pointer.unlink(missing_ok=True)
        pointer.symlink_to(final.name)
        pointer.replace(self.data_dir / CURRENT)  # the commit point
        _fsync(self.data_dir)
        for name in TABLES:  # DIR/<table>.parquet keeps working for readers of files
            if (final / f"{name}.parquet").exists():
                link = self.data_dir / f"{name}.parquet"
                if not link.is_symlink():
                    tmp = self.data_dir / f".{name}.parquet.link"
                    tmp.unlink(missing_ok=True)
                    tmp.symlink_to(Path(CURRENT) / f"{name}.parquet")
                    tmp.replace(link)
        for old_gen in self.data_dir.glob(".gen-*"):
            if old_gen != final:
                shutil.rmtree(old_gen, ignore_errors=True)

    def abort(self) -> None:
        """Drop what was staged."""
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def transaction(data_dir: str | os.PathLike[str]) -> Iterator[Transaction]:
    """``with transaction(dir) as tx: tx.write(frame, "filings") ...``: all or nothing,
    under the directory's write lock."""
    d = Path(data_dir)
    with _locked(d):
        try:
            tx = Transaction(d)
        except OSError as exc:
            raise _unwritable(d, exc) from None
        try:
            yield tx
            tx.commit()
        except BaseException:
            tx.abort()
            raise


def write_table(frame: pl.DataFrame, data_dir: str | os.PathLike[str], table: str) -> Path:
    """Validate and commit one table (a transaction of one)."""
    with transaction(data_dir) as tx:
        tx.write(frame, table)
    return table_path(data_dir, table)


def _conform(stored: pl.Schema, table: str) -> list[pl.Expr]:
    """Expressions that bring a stored table to today's declared schema: columns added
    since it was written come back null (never a failed read), a time stored without a zone
    is read as EDGAR's Eastern wall clock (never as UTC), the rest cast. A stored column
    the schema no longer has is dropped with a warning that names it."""
    schema = TABLES[table].schema()
    extra = [c for c in stored.names() if c not in schema]
    if extra:
        warnings.warn(
            f"{table}: stored columns {extra} are not in the schema; not read", stacklevel=3
        )
    out = []
    for name, dtype in schema.items():
        have = stored.get(name)
        if have is None:
            out.append(pl.lit(None, dtype).alias(name))
        elif (
            isinstance(dtype, pl.Datetime)
            and isinstance(have, pl.Datetime)
            and dtype.time_zone
            and not have.time_zone
        ):
            out.append(pl.col(name).dt.replace_time_zone(dtype.time_zone).cast(dtype))
        else:
            out.append(pl.col(name).cast(dtype))
    return out


def read_table(data_dir: str | os.PathLike[str], table: str) -> pl.DataFrame | None:
    """The stored table brought to its declared schema, or ``None`` when not written yet."""
    path = table_path(data_dir, table)
    if not path.exists():
        return None
    frame = pl.read_parquet(path)
    return validate(frame.select(_conform(frame.schema, table)), table)


class Tables(dict[str, pl.LazyFrame]):
    """Table name → LazyFrame, as ``scan_tables`` opens them; a notebook shows what each
    table is, its rows and columns."""

    def __init__(self, data_dir: str | os.PathLike[str], frames: dict[str, pl.LazyFrame]) -> None:
        super().__init__(frames)
        self.data_dir = Path(data_dir)

    def _repr_html_(self) -> str:
        rows = []
        for name, lf in self.items():
            n = lf.select(pl.len()).collect().item()  # Parquet metadata: no data read
            described = TABLES[name].description if name in TABLES else ""
            rows.append([f"<code>{esc(name)}</code>", esc(f"{n:,}"),
                         esc(len(lf.collect_schema())), esc(described)])  # fmt: skip
        return table(
            ["table", "rows", "columns", "what it holds"],
            rows,
            f"{len(self)} table(s) in {self.data_dir}",
            "wb-tables",
        )


def scan_tables(data_dir: str | os.PathLike[str]) -> Tables:
    """Lazy frames for every table present in ``data_dir`` (analytics start here).

    ``NoTables`` when the directory is missing or holds no tables at all."""
    if not Path(data_dir).is_dir():
        raise NoTables(f"no such table directory: {data_dir}")
    if not has_tables(data_dir):
        raise NoTables(
            f"no workbench tables in {data_dir}",
            suggestion=f"write them first: workbench ingest FILES --out {data_dir}",
        )
    out: dict[str, pl.LazyFrame] = {}
    for name in TABLES:
        path = table_path(data_dir, name)
        if path.exists():
            lazy = pl.scan_parquet(path)
            out[name] = lazy.select(_conform(lazy.collect_schema(), name))
    return Tables(data_dir, out)


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
