"""Find input files, hash them and decode their bytes the way EDGAR wrote them."""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import SourceError

#: Files larger than this are refused with a clear error rather than read into memory.
MAX_FILE_BYTES = 1_000_000_000

#: Suffixes ``iter_input_files`` picks up when walking a directory.
FILING_SUFFIXES = frozenset({".txt", ".htm", ".html", ".nc", ".sgml", ".xml", ".json", ""})
#: Names that are never filings (editor droppings, our own outputs).
_SKIP_NAMES = frozenset({".DS_Store", "MANIFEST.csv", "Thumbs.db"})


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The decoded text of one input file and what decoding had to do."""

    path: str
    sha256: str
    n_bytes: int
    text: str
    encoding: str
    #: (code, message) warnings raised while decoding
    warnings: tuple[tuple[str, str], ...] = field(default=())


def table_text(text: str) -> str:
    """Text a UTF-8 table can hold: bytes a file name could not decode (kept as surrogate
    escapes) are shown as ``\\xNN``, any other lone surrogate (a JSON escape) as
    ``\\udNNN``. Either would otherwise stop a table being written."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def path_text(path: str | os.PathLike[str]) -> str:
    """A path as text for tables and messages (see ``table_text``)."""
    return table_text(os.fspath(path))


def _is_input(name: str) -> bool:
    if name in _SKIP_NAMES or name.startswith("."):
        return False
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return Path(lower).suffix in FILING_SUFFIXES


def _walk(root: Path) -> Iterator[Path]:
    """Every filing-like entry below ``root`` (sorted), special files and broken links
    included, so that the reader records them; a folder that cannot be listed is yielded
    itself. Symlinked folders are followed once each (a loop ends where it starts over)."""
    seen: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            yield folder
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows links; a loop or dangling link is not one
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(Path(entry.path))
            elif _is_input(entry.name):
                yield Path(entry.path)
        stack.extend(reversed(subdirs))


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield files named directly, and filing-like files below directories (sorted, recursive),
    each once however often it is named or reached (by its real path).

    Nothing is dropped silently: a path that does not exist, a FIFO, a dangling or looping
    link, a folder that cannot be listed is yielded too, so the caller records an error row.
    """
    yielded: set[str] = set()
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        for found in _walk(path) if is_dir else (path,):
            key = os.path.realpath(found)
            if key not in yielded:
                yielded.add(key)
                yield found


def sha256_bytes(data: bytes) -> str:
    """Hex digest used to recognise a file already ingested."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a file, turning OS failures into ``SourceError`` with the path attached."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}", path=str(p)) from exc
    if p.is_dir():
        try:
            with os.scandir(p):
                pass
        except OSError as exc:
            raise SourceError(f"cannot list folder: {exc.strerror or exc}", path=str(p)) from exc
        raise SourceError("a folder, not a file", path=str(p))
    if not p.is_file():
        raise SourceError("not a regular file (a FIFO, socket or device)", path=str(p))
    if size > max_bytes:
        raise SourceError(
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
            path=str(p),
            suggestion="split it or raise MAX_FILE_BYTES",
        )
    try:
        if p.name.lower().endswith(".gz"):
            return _gunzip(p, max_bytes)
        return p.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}", path=str(p)) from exc


def _gunzip(p: Path, max_bytes: int) -> bytes:
    """A gzip file's content, refused past ``max_bytes`` (a small bomb expands without end)."""
    chunks: list[bytes] = []
    total = 0
    try:
        with gzip.open(p, "rb") as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
                if total > max_bytes:
                    raise SourceError(
                        f"decompresses to over the {max_bytes:,}-byte limit", path=str(p)
                    )
                chunks.append(chunk)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise SourceError(f"not a readable gzip file: {exc}", path=str(p)) from exc
    return b"".join(chunks)


def decode(data: bytes) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """Decode EDGAR bytes: UTF-8 when valid, else cp1252, else latin-1 (never fails).

    Pre-2000s filings are ASCII with the odd cp1252 quote; modern HTML is UTF-8. Windows-1252
    leaves five bytes undefined, so latin-1 is the last resort that maps every byte.
    Returns ``(text, encoding, warnings)``.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError as exc:
        where = exc.start
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return (
            text,
            encoding,
            (("encoding_fallback", f"not valid UTF-8 at byte {where}; decoded as {encoding}"),),
        )
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def load_source(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> SourceFile:
    """Read, hash and decode one file."""
    data = read_bytes(path, max_bytes=max_bytes)
    text, encoding, warnings = decode(data)
    return SourceFile(
        path=path_text(path),
        sha256=sha256_bytes(data),
        n_bytes=len(data),
        text=text,
        encoding=encoding,
        warnings=warnings,
    )


def source_from_bytes(data: bytes, *, path: str = "<bytes>") -> SourceFile:
    """Same as ``load_source`` for bytes already in memory (tests, notebooks, HTTP)."""
    text, encoding, warnings = decode(data)
    return SourceFile(
        path=path,
        sha256=sha256_bytes(data),
        n_bytes=len(data),
        text=text,
        encoding=encoding,
        warnings=warnings,
    )
