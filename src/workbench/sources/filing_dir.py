"""A filing fetched document by document: EDGAR's filing folder
(``Archives/edgar/data/<cik>/<accession without dashes>/``) holding the
``<accession>-index-headers.html`` page and some of the documents it lists.

The headers page is the SGML header of the complete submission plus one stub per document
(type, sequence, file name, description, no text), HTML-escaped in a ``<pre>``. It is the
only small file in the folder that names each document's *type*: ``index.json`` lists names
and sizes only. A fetcher reads it to choose the documents it needs (an S-8's Exhibit 107 is
a few KB; its ``.txt`` carries the plan document too).

``assemble`` turns such a folder back into the complete submission EDGAR would serve, with
the documents that were not fetched left as empty stubs and named in a
``documents_not_fetched`` warning, so the filing parses like any other and nobody mistakes a
part for the whole.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import SourceError

#: the file that makes a folder one filing
HEADERS_SUFFIX = "-index-headers.html"
_HEADERS_NAME = re.compile(r"^(\d{10}-\d{2}-\d{6})-index-headers\.html$")
_PRE = re.compile(r"<pre>(.*?)(?:</pre>|\Z)", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"<a\s[^>]*>.*?</a>\s*(?:<br\s*/?>)?", re.IGNORECASE | re.DOTALL)
_STUB = re.compile(r"^<DOCUMENT>[ \t]*\r?$(.*?)^</DOCUMENT>[ \t]*\r?$", re.M | re.DOTALL)
_TAG = re.compile(r"^<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*(.*?)[ \t]*\r?$", re.M)
_HEADER = re.compile(r"<SEC-HEADER>.*?</SEC-HEADER>", re.DOTALL)
#: a headers page is a few KB; anything this large is not one
MAX_HEADERS_BYTES = 4 << 20


@dataclass(frozen=True, slots=True)
class DocumentStub:
    """One document a filing's headers page lists."""

    doc_type: str | None
    sequence: int | None
    filename: str | None
    description: str | None

    def is_safe_name(self) -> bool:
        """A plain file name in the filing's folder (no path, nothing hidden)."""
        name = self.filename or ""
        return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}", name))


@dataclass(frozen=True, slots=True)
class IndexHeaders:
    """A parsed headers page: the ``<SEC-HEADER>`` block as EDGAR wrote it, and the stubs."""

    accession_number: str
    header: str
    documents: tuple[DocumentStub, ...]


def headers_file(folder: str | os.PathLike[str]) -> Path | None:
    """The headers page in ``folder`` when it is a fetched filing's folder, else None."""
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file()]
    except OSError:
        return None
    found = sorted(n for n in names if _HEADERS_NAME.match(n))
    return Path(folder) / found[0] if found else None


def is_filing_dir(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder holding a filing's headers page."""
    return Path(path).is_dir() and headers_file(path) is not None


def parse_index_headers(text: str, *, name: str = "") -> IndexHeaders:
    """Read a headers page; ``SourceError`` when it holds no ``<SEC-HEADER>``."""
    m = _HEADERS_NAME.match(name)
    pre = _PRE.search(text)
    body = html.unescape(_LINK.sub("", pre.group(1) if pre else text))
    header = _HEADER.search(body)
    if header is None:
        raise SourceError("a filing headers page with no <SEC-HEADER>", path=name or None)
    acc = m.group(1) if m else ""
    if not acc:
        found = re.search(r"ACCESSION NUMBER:\s*(\d{10}-\d{2}-\d{6})", header.group(0))
        acc = found.group(1) if found else ""
    stubs = []
    for block in _STUB.finditer(body, header.end()):
        tags = {k.upper(): v for k, v in _TAG.findall(block.group(1))}
        seq = tags.get("SEQUENCE", "")
        stubs.append(
            DocumentStub(
                doc_type=tags.get("TYPE") or None,
                sequence=int(seq) if seq.isdigit() else None,
                filename=tags.get("FILENAME") or None,
                description=tags.get("DESCRIPTION") or None,
            )
        )
    return IndexHeaders(acc, header.group(0), tuple(stubs))


def read_headers(folder: str | os.PathLike[str]) -> IndexHeaders:
    """The parsed headers page of a fetched filing's folder."""
    page = headers_file(folder)
    if page is None:
        raise SourceError("no <accession>-index-headers.html in the folder", path=str(folder))
    try:
        size = page.stat().st_size
        if size > MAX_HEADERS_BYTES:
            raise SourceError(f"headers page of {size:,} bytes: not one", path=str(page))
        text = page.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path=str(page)) from exc
    return parse_index_headers(text, name=page.name)


def assemble(folder: str | os.PathLike[str], *, max_bytes: int) -> tuple[bytes, list[str]]:
    """The folder as a complete submission (bytes), and the documents not in it ("EX-5.1
    opinion.htm"). Document bodies are the files' bytes, unchanged."""
    headers = read_headers(folder)
    parts = [
        f"<SEC-DOCUMENT>{headers.accession_number}.txt\n".encode(),
        headers.header.encode("utf-8", "replace"),
        b"\n",
    ]
    total = sum(len(p) for p in parts)
    missing: list[str] = []
    for stub in headers.documents:
        tags = [f"<TYPE>{stub.doc_type or ''}"]
        if stub.sequence is not None:
            tags.append(f"<SEQUENCE>{stub.sequence}")
        if stub.filename:
            tags.append(f"<FILENAME>{stub.filename}")
        if stub.description:
            tags.append(f"<DESCRIPTION>{stub.description}")
        body = b""
        file = Path(folder) / stub.filename if stub.filename and stub.is_safe_name() else None
        if file is not None and file.is_file():
            try:
                body = file.read_bytes()
            except OSError as exc:
                raise SourceError(f"cannot read: {exc.strerror or exc}", path=str(file)) from exc
        else:
            missing.append(f"{stub.doc_type or '?'} {stub.filename or '(no name)'}")
        block = ("<DOCUMENT>\n" + "\n".join(tags) + "\n<TEXT>\n").encode() + body
        block += b"\n</TEXT>\n</DOCUMENT>\n"
        total += len(block)
        if total > max_bytes:
            raise SourceError(f"filing folder over the {max_bytes:,}-byte limit", path=str(folder))
        parts.append(block)
    parts.append(b"</SEC-DOCUMENT>\n")
    return b"".join(parts), missing


__all__ = [
    "HEADERS_SUFFIX",
    "DocumentStub",
    "IndexHeaders",
    "assemble",
    "headers_file",
    "is_filing_dir",
    "parse_index_headers",
    "read_headers",
]
