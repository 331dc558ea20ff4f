"""Find input files, hash them and decode their bytes the way EDGAR wrote them.

Compressed inputs are read in place, never unpacked to disk: ``x.txt.gz`` is one input; a
``.zip`` or ``.tar`` (``.tar.gz``, ``.tgz``...) archive is a folder of inputs, each member
named ``<archive path>/<member name>`` (unambiguous: below a regular file nothing else can
exist). EDGAR's bulk ``companyfacts.zip`` and ``submissions.zip`` are read this way. A
filing fetched document by document (a folder holding ``<accession>-index-headers.html``,
see ``filing_dir``) is one input, read as the complete submission it was cut from.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar

from workbench.errors import SourceError
from workbench.sources import filing_dir

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


_T = TypeVar("_T")

#: Archives read as folders of inputs.
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


def is_archive(name: str) -> bool:
    """Whether ``name`` is a zip or tar archive by its name."""
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _is_input(name: str) -> bool:
    if name in _SKIP_NAMES or name.startswith("."):
        return False
    if is_archive(name):
        return True
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return Path(lower).suffix in FILING_SUFFIXES


@functools.lru_cache(maxsize=4)
def _open_archive(path: str) -> zipfile.ZipFile | tarfile.TarFile:
    """An open archive, kept for the next member (a zip's directory is read once, a tar
    scanned once); raises ``SourceError`` when it is not a readable archive."""
    try:
        if path.lower().endswith(".zip"):
            return zipfile.ZipFile(path)
        return tarfile.open(path, "r:*")
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error) as exc:
        kind = "zip" if path.lower().endswith(".zip") else "tar"
        raise SourceError(f"not a readable {kind} archive: {exc}", path=path) from exc


def _members(archive: Path) -> list[str]:
    """The names of an archive's filing-like members (folders left out, links and other
    special members kept so that they become error rows)."""
    handle = _open_archive(str(archive))
    try:
        if isinstance(handle, zipfile.ZipFile):
            names = [i.filename for i in handle.infolist() if not i.is_dir()]
        else:
            names = [m.name for m in handle.getmembers() if not m.isdir()]
    except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
        raise SourceError(f"cannot list archive: {exc}", path=str(archive)) from exc
    return sorted(n for n in names if _is_input(n.rstrip("/").rsplit("/", 1)[-1]))


def _split_archive(path: Path) -> tuple[Path, str] | None:
    """``(archive, member)`` when ``path`` names a member inside an archive file."""
    parts = path.parts
    for i in range(1, len(parts)):
        head = Path(*parts[:i])
        if is_archive(head.name) and head.is_file():
            return head, "/".join(parts[i:])
    return None


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
        if filing_dir.is_filing_dir(folder):
            yield folder  # one fetched filing, never its documents one by one
            continue
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
            for item, key in _expand(found):
                if key not in yielded:
                    yielded.add(key)
                    yield item


def _expand(found: Path) -> Iterator[tuple[Path, str]]:
    """An input and its identity (real path, plus member name inside an archive); an
    archive becomes its members, or itself when it cannot be read or holds none (so that
    it gets an error row)."""
    key = os.path.realpath(found)
    if not (is_archive(found.name) and found.is_file()):
        yield found, key
        return
    try:
        members = _members(found)
    except SourceError:
        members = []
    if not members:
        yield found, key
    for name in members:
        # "/etc/passwd" as a member name must not name the file outside the archive
        yield found / name.lstrip("/"), f"{key}\0{name}"


def sha256_bytes(data: bytes) -> str:
    """Hex digest used to recognise a file already ingested."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a file (or an archive member, or a gzip file's content, or a fetched filing's
    folder as its complete submission), turning OS failures into ``SourceError`` with the
    path attached."""
    return _read(path, max_bytes)[0]


def _read(path: str | os.PathLike[str], max_bytes: int) -> tuple[bytes, list[str]]:
    """``read_bytes``, and the documents a fetched filing's folder lacks."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        if (inside := _split_archive(p)) is not None:
            return _member_bytes(*inside, max_bytes), []
        raise SourceError(f"cannot read file: {exc.strerror or exc}", path=str(p)) from exc
    if p.is_dir():
        if filing_dir.is_filing_dir(p):
            return filing_dir.assemble(p, max_bytes=max_bytes)
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
    if is_archive(p.name):
        _open_archive(str(p))  # raises when it is not a readable archive
        raise SourceError("an archive with no filing-like files in it", path=str(p))
    try:
        if p.name.lower().endswith(".gz"):
            with p.open("rb") as raw:
                return _gunzip(raw, max_bytes, str(p)), []
        return p.read_bytes(), []
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}", path=str(p)) from exc


def _read_capped(read: Callable[[int], bytes], max_bytes: int, where: str) -> bytes:
    """All a stream holds, refused past ``max_bytes`` (a small bomb expands without end)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := read(1 << 20):
        total += len(chunk)
        if total > max_bytes:
            raise SourceError(f"over the {max_bytes:,}-byte limit once decompressed", path=where)
        chunks.append(chunk)
    return b"".join(chunks)


def _gunzip(raw: IO[bytes], max_bytes: int, where: str) -> bytes:
    """A gzip stream's content, capped."""
    try:
        with gzip.open(raw, "rb") as f:
            return _read_capped(f.read, max_bytes, where)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise SourceError(f"not a readable gzip file: {exc}", path=where) from exc


def _entry(lookup: Callable[[str], _T], member: str) -> _T:
    """An archive entry by name; a name stored absolute ("/etc/passwd") was listed without
    its leading slash."""
    try:
        return lookup(member)
    except KeyError:
        return lookup("/" + member)


def _member_bytes(archive: Path, member: str, max_bytes: int) -> bytes:
    """One archive member's bytes (gunzipped when it is ``.gz``), capped; a member that is
    a link, a device or a nested archive is an error."""
    where = str(archive / member)
    handle = _open_archive(str(archive))
    if is_archive(member):
        raise SourceError("an archive inside an archive is not read", path=where)
    try:
        if isinstance(handle, zipfile.ZipFile):
            opened: IO[bytes] | None = handle.open(_entry(handle.getinfo, member))
        else:
            info = _entry(handle.getmember, member)
            if not info.isfile():
                raise SourceError("a link or special file in the archive, not a file", path=where)
            opened = handle.extractfile(info)
        if opened is None:  # pragma: no cover - extractfile gives None only for non-files
            raise SourceError("not a file in the archive", path=where)
        with opened:
            if member.lower().endswith(".gz"):
                return _gunzip(opened, max_bytes, where)
            return _read_capped(opened.read, max_bytes, where)
    except SourceError:
        raise
    except KeyError as exc:
        raise SourceError("no such member in the archive", path=where) from exc
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error,
            RuntimeError) as exc:  # fmt: skip
        raise SourceError(f"cannot read archive member: {exc}", path=where) from exc


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
    """Read, hash and decode one file (or one fetched filing's folder)."""
    data, missing = _read(path, max_bytes)
    text, encoding, warnings = decode(data)
    if missing:
        what = f"{len(missing)} document{'s' if len(missing) != 1 else ''}"
        warnings += (("documents_not_fetched", f"{what} not fetched (only the documents the "
                      f"workbench reads were): {'; '.join(missing)[:2000]}"),)  # fmt: skip
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
