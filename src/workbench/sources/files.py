"""Find input files, hash them and decode their bytes the way EDGAR wrote them."""

from __future__ import annotations

import hashlib
import os
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


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield files named directly, and filing-like files below directories (sorted, recursive).

    A path that does not exist is yielded anyway so the caller records it as an error
    instead of silently dropping it.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and child.name not in _SKIP_NAMES
                    and not any(part.startswith(".") for part in child.relative_to(path).parts)
                    and child.suffix.lower() in FILING_SUFFIXES
                ):
                    yield child
        else:
            yield path


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
    if not p.is_file():
        raise SourceError("not a regular file", path=str(p))
    if size > max_bytes:
        raise SourceError(
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
            path=str(p),
            suggestion="split it or raise MAX_FILE_BYTES",
        )
    try:
        return p.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}", path=str(p)) from exc


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
        path=str(path),
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
