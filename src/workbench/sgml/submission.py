"""Split an EDGAR file into its header and documents, whatever its era or wrapper.

Layouts recognised (``Submission.layout``):

* ``sec_document`` — ``<SEC-DOCUMENT>`` + ``<SEC-HEADER>`` (1996 on, optionally PEM-wrapped);
* ``ims_document`` — the 1993–1996 ``<IMS-DOCUMENT>`` + ``<IMS-HEADER>``;
* ``submission`` — the tag-per-line ``<SUBMISSION>`` dissemination layout;
* ``document_only`` — one or more ``<DOCUMENT>`` blocks with no header;
* ``bare`` — a document with no SGML at all (text or HTML), e.g. the seed filings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.errors import ParseError
from workbench.provenance import Issue, Span
from workbench.sgml.binary import binary_encoding
from workbench.sgml.header import HeaderRecord, parse_header
from workbench.sources.files import SourceFile
from workbench.text.html_to_text import OffsetMap, html_to_text, looks_like_html

_TEXT_START = re.compile(r"^[ \t]*<TEXT>[ \t]*\r?\n?", re.IGNORECASE | re.MULTILINE)
_TEXT_END = re.compile(r"</TEXT>", re.IGNORECASE)
_DOC_TAG = re.compile(r"^[ \t]*<([A-Z][A-Z0-9-]*)>[ \t]*(.*?)[ \t]*\r?$", re.IGNORECASE)
_WRAPPER_OPEN = re.compile(r"<(SEC-DOCUMENT|IMS-DOCUMENT|SUBMISSION)>", re.IGNORECASE)
_HEADER_OPEN = re.compile(r"<(SEC-HEADER|IMS-HEADER)>[^\n]*\n?", re.IGNORECASE)
_XML_START = re.compile(r"\A\s*(?:<XML>|<\?xml|<XBRL>)", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One ``<DOCUMENT>`` of a submission (or the whole file for a bare document)."""

    sequence: int | None
    doc_type: str | None
    filename: str | None
    description: str | None
    #: the whole ``<DOCUMENT>...</DOCUMENT>`` block
    span: Span
    #: the body between ``<TEXT>`` and ``</TEXT>``
    text_span: Span
    text_format: str  # 'text' | 'html' | 'xml' | 'binary'
    binary_encoding: str | None = None
    is_truncated: bool = False
    spans: dict[str, Span] = field(default_factory=dict)

    @property
    def n_chars(self) -> int:
        """Characters in the body (for binaries: the encoded size)."""
        return self.text_span.end - self.text_span.start

    @property
    def is_binary(self) -> bool:
        """Encoded binaries are sized, never turned into text."""
        return self.binary_encoding is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    """A parsed EDGAR file: layout, header, documents and the problems met on the way."""

    source: SourceFile
    layout: str
    header: HeaderRecord
    header_span: Span | None
    documents: tuple[Document, ...]
    issues: tuple[Issue, ...] = ()
    #: clean text per document, computed once and shared by every extractor
    _clean: dict[int, tuple[str, OffsetMap]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def text(self) -> str:
        """The decoded file."""
        return self.source.text

    def raw_text(self, doc: Document) -> str:
        """The document body exactly as in the file (HTML stays HTML)."""
        if doc.is_binary:
            raise ParseError(
                "binary_document",
                "document is an encoded binary and has no text",
                sequence=doc.sequence,
                filename=doc.filename,
            )
        return self.source.text[doc.text_span.start : doc.text_span.end]

    def clean_text(self, doc: Document) -> tuple[str, OffsetMap]:
        """Reader text for extractors plus a map back to file offsets.

        HTML is converted (entities, spaces, cells kept apart); plain text is returned as is
        with an identity map.
        """
        key = doc.text_span.start
        if key not in self._clean:
            raw = self.raw_text(doc)
            if doc.text_format == "html":
                self._clean[key] = html_to_text(raw, base=doc.text_span.start)
            else:
                ident = OffsetMap((0,), (0,), (len(raw),), (True,), doc.text_span.start)
                self._clean[key] = (raw, ident)
        return self._clean[key]

    @property
    def primary_document(self) -> Document | None:
        """The main document: sequence 1, else the first non-binary one."""
        for doc in self.documents:
            if doc.sequence == 1 and not doc.is_binary:
                return doc
        return next((d for d in self.documents if not d.is_binary), None)


def parse_submission(source: SourceFile) -> Submission:
    """Parse decoded file text into a ``Submission``.

    Raises ``ParseError`` only when nothing usable is there (empty or binary file); every
    lesser problem is returned in ``Submission.issues``.
    """
    text = source.text
    if not text.strip():
        raise ParseError("empty_file", "file is empty or only whitespace", path=source.path)
    issues: list[Issue] = [Issue("warning", code, msg) for code, msg in source.warnings]
    head = text[:65536]
    wrapper = _WRAPPER_OPEN.search(head)
    doc_starts = _document_starts(text)
    first_doc = doc_starts[0] if doc_starts else None
    if wrapper is None and first_doc is None:
        return _bare(source, issues)

    header = HeaderRecord()
    header_span: Span | None = None
    layout = "document_only"
    if wrapper is not None and (first_doc is None or wrapper.start() < first_doc):
        kind = wrapper.group(1).upper()
        layout = {"SEC-DOCUMENT": "sec_document", "IMS-DOCUMENT": "ims_document"}.get(
            kind, "submission"
        )
        header_span, header_issues = _header_region(text, wrapper.end(), first_doc, kind)
        issues.extend(header_issues)
        if header_span is not None:
            header = parse_header(text, header_span.start, header_span.end)
            issues.extend(Issue("warning", c, m) for c, m in header.warnings)
        wrapper_close = f"</{kind}>"
        if text.rfind(wrapper_close, max(0, len(text) - 4096)) == -1 and kind != "SUBMISSION":
            issues.append(
                Issue("warning", "missing_closing_tag", f"no {wrapper_close} at the end of file")
            )
    documents = _documents(text, doc_starts, issues)
    if not documents:
        issues.append(Issue("error", "no_documents", "header found but no <DOCUMENT> blocks"))
    count = header.public_document_count
    if count is not None and documents and count != len(documents):
        issues.append(
            Issue(
                "warning",
                "header_count_mismatch",
                f"header PUBLIC DOCUMENT COUNT is {count}, file holds {len(documents)} documents",
                header.spans.get("public_document_count"),
            )
        )
    return Submission(
        source=source,
        layout=layout,
        header=header,
        header_span=header_span,
        documents=tuple(documents),
        issues=tuple(issues),
    )


def _header_region(
    text: str, after_wrapper: int, first_doc: int | None, kind: str
) -> tuple[Span | None, list[Issue]]:
    issues: list[Issue] = []
    limit = first_doc if first_doc is not None else len(text)
    if kind == "SUBMISSION":
        return Span(after_wrapper, limit), issues
    opened = _HEADER_OPEN.search(text, after_wrapper, limit)
    if opened is None:
        issues.append(Issue("warning", "missing_header", f"<{kind}> without a header block"))
        return None, issues
    close_tag = "</" + opened.group(1).upper() + ">"
    close = text.find(close_tag, opened.end(), limit)
    if close == -1:
        issues.append(Issue("warning", "missing_closing_tag", f"no {close_tag}"))
        close = limit
    return Span(opened.end(), close), issues


def _alone_on_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def _document_starts(text: str) -> list[int]:
    """Offsets of ``<DOCUMENT>`` tags standing alone on their line.

    ``str.find`` rather than a multiline regex: this runs over every byte of every file.
    Lower-case tags are accepted only when the file has no upper-case ones.
    """
    for tag in ("<DOCUMENT>", "<document>"):
        starts: list[int] = []
        pos = text.find(tag)
        while pos != -1:
            if _alone_on_line(text, pos, pos + len(tag)):
                starts.append(pos)
            pos = text.find(tag, pos + len(tag))
        if starts:
            return starts
    return []


def _documents(text: str, starts: list[int], issues: list[Issue]) -> list[Document]:
    docs: list[Document] = []
    for i, start in enumerate(starts):
        region_end = starts[i + 1] if i + 1 < len(starts) else len(text)
        docs.append(_document(text, start, start + len("<DOCUMENT>"), region_end, issues))
    return docs


def _last_end_tag(text: str, start: int, end: int) -> int:
    """Offset of the last ``</DOCUMENT>`` in ``text[start:end]``, or -1."""
    return max(text.rfind("</DOCUMENT>", start, end), text.rfind("</document>", start, end))


def _document(
    text: str, start: int, after_tag: int, region_end: int, issues: list[Issue]
) -> Document:
    end_at = _last_end_tag(text, after_tag, region_end)
    truncated = end_at == -1
    doc_end = region_end if truncated else end_at
    text_open = _TEXT_START.search(text, after_tag, doc_end)
    tags, spans = _document_tags(text, after_tag, text_open.start() if text_open else doc_end)
    if text_open is None:
        body_start = body_end = doc_end
        issues.append(
            Issue("warning", "missing_text", "document has no <TEXT> block", Span(start, doc_end))
        )
    else:
        body_start = text_open.end()
        body_end = doc_end
        closing = None
        # </TEXT> sits near the end; look only at the last 1 KB so long bodies stay cheap.
        tail_from = max(body_start, doc_end - 1024)
        for closing in _TEXT_END.finditer(text, tail_from, doc_end):  # noqa: B007 - want the last
            pass
        if closing is not None:
            body_end = closing.start()
        elif not truncated:
            issues.append(
                Issue(
                    "warning", "missing_closing_tag", "no </TEXT> in document", Span(start, doc_end)
                )
            )
    seq_raw = tags.get("SEQUENCE", "").strip()
    doc_type = tags.get("TYPE", "").strip() or None
    filename = tags.get("FILENAME", "").strip() or None
    body = text[body_start:body_end]
    encoding = binary_encoding(body, filename)
    if encoding:
        fmt = "binary"
    elif looks_like_html(body):
        fmt = "html"
    elif _XML_START.match(body) or (filename or "").lower().endswith((".xml", ".xsd")):
        fmt = "xml"
    else:
        fmt = "text"
    if truncated:
        issues.append(
            Issue(
                "error",
                "truncated_document",
                f"document {seq_raw or '?'} ({doc_type or 'no type'}) is cut off: "
                "no </DOCUMENT> before the next document or end of file",
                Span(start, region_end),
            )
        )
    return Document(
        sequence=int(seq_raw) if seq_raw.isdigit() else None,
        doc_type=doc_type,
        filename=filename,
        description=tags.get("DESCRIPTION", "").strip() or None,
        span=Span(start, doc_end if not truncated else region_end),
        text_span=Span(body_start, body_end),
        text_format=fmt,
        binary_encoding=encoding,
        is_truncated=truncated,
        spans=spans,
    )


def _document_tags(text: str, start: int, end: int) -> tuple[dict[str, str], dict[str, Span]]:
    """``<TYPE>``, ``<SEQUENCE>``, ``<FILENAME>``, ``<DESCRIPTION>`` (which may wrap lines)."""
    tags: dict[str, str] = {}
    spans: dict[str, Span] = {}
    last: str | None = None
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        m = _DOC_TAG.match(line.rstrip("\n"))
        if m:
            name = m.group(1).upper()
            if name not in tags:
                tags[name] = m.group(2)
                value_at = line_start + m.start(2)
                spans[name.lower()] = Span(value_at, value_at + len(m.group(2)))
            last = name
        elif last == "DESCRIPTION" and line.strip():
            tags[last] = tags[last] + " " + line.strip()
    return tags, spans


def _bare(source: SourceFile, issues: list[Issue]) -> Submission:
    text = source.text
    encoding = binary_encoding(text[:4096])
    if encoding:
        raise ParseError(
            "binary_file",
            f"file holds binary data ({encoding}), not a filing",
            path=source.path,
        )
    fmt = "html" if looks_like_html(text) else "text"
    doc = Document(
        sequence=1,
        doc_type=None,
        filename=None,
        description=None,
        span=Span(0, len(text)),
        text_span=Span(0, len(text)),
        text_format=fmt,
    )
    return Submission(
        source=source,
        layout="bare",
        header=HeaderRecord(),
        header_span=None,
        documents=(doc,),
        issues=tuple(issues),
    )
