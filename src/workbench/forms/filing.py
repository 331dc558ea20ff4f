"""``parse_filing``: one EDGAR file → a typed ``Filing`` with its header facts resolved.

Header facts come from the EDGAR header when there is one; otherwise (bare documents,
document-only wrappers) from what the primary document's cover page states.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from workbench.display import chars, company_cell, esc, link, table
from workbench.forms.cover import CoverFacts, extract_cover
from workbench.provenance import Issue, Span
from workbench.sgml.submission import Document, Submission, parse_submission
from workbench.sources.edgar_urls import filing_index_url
from workbench.sources.files import SourceFile, load_source


@dataclass(frozen=True, slots=True, kw_only=True)
class Filing:
    """A parsed EDGAR file; ``None`` means "the file does not state it"."""

    submission: Submission
    accession_number: str | None
    cik: int | None
    company_name: str | None
    form_type: str | None
    #: 'header' | 'document_type' | 'cover_text'
    form_type_source: str | None
    filed_date: dt.date | None
    period_of_report: dt.date | None
    acceptance_datetime: dt.datetime | None
    fiscal_year_end: str | None
    sic: int | None
    state_of_incorporation: str | None
    irs_number: str | None
    sec_file_number: str | None
    public_document_count: int | None
    all_ciks: tuple[int, ...] = ()
    spans: dict[str, Span] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()

    @property
    def source_path(self) -> str:
        """The path the file was read from."""
        return self.submission.source.path

    @property
    def sha256(self) -> str:
        """Content hash used to skip files already ingested."""
        return self.submission.source.sha256

    @property
    def layout(self) -> str:
        """Which EDGAR wrapper the file used (see ``workbench.sgml.submission``)."""
        return self.submission.layout

    @property
    def documents(self) -> tuple[Document, ...]:
        """The file's documents in order."""
        return self.submission.documents

    def source_text(self, name: str) -> str | None:
        """The exact source characters a field was read from."""
        span = self.spans.get(name)
        return span.slice(self.submission.text) if span else None

    def _repr_html_(self) -> str:
        """Header facts (each with the character span it was read from), the documents and
        the parse issues: what a notebook cell holding a ``Filing`` shows."""
        return filing_html(self)

    def __repr__(self) -> str:
        return (
            f"Filing(form_type={self.form_type!r}, company_name={self.company_name!r}, "
            f"cik={self.cik!r}, accession_number={self.accession_number!r}, "
            f"filed_date={self.filed_date!r}, documents={len(self.documents)})"
        )


def _span_note(filing: Filing, name: str) -> str:
    span = filing.spans.get(name)
    return f" <small>{chars(span.start, span.end)}</small>" if span else ""


def filing_html(filing: Filing) -> str:
    """``Filing._repr_html_``: header facts, documents, issues."""
    who = company_cell(filing.company_name, filing.cik).replace("<br>", " ")
    title = f"<h4>{esc(filing.form_type or 'form not stated')}: {who}</h4>"
    url = filing_index_url(filing.cik, filing.accession_number)
    facts: list[tuple[str, str]] = [
        ("accession number", link(url, esc(filing.accession_number or "—"))),
        ("form type", f"{esc(filing.form_type or '—')} <small>from "
                      f"{esc(filing.form_type_source or '—')}</small>"),
        ("filed", esc(filing.filed_date or "—") + _span_note(filing, "filed_date")),
        ("period of report", esc(filing.period_of_report or "—")),
        ("accepted", esc(filing.acceptance_datetime or "—")),
        ("fiscal year end", esc(filing.fiscal_year_end or "—")),
        ("SIC", esc(filing.sic or "—")),
        ("state of incorporation", esc(filing.state_of_incorporation or "—")),
        ("SEC file number", esc(filing.sec_file_number or "—")),
        ("other CIKs", esc(", ".join(str(c) for c in filing.all_ciks if c != filing.cik) or "—")),
        ("layout", esc(filing.layout)),
        ("file", f"<code>{esc(filing.source_path)}</code>"),
    ]  # fmt: skip
    header = table(["", ""], [[esc(k), v] for k, v in facts], "Header", "wb-kv")
    docs = table(
        ["#", "type", "file name", "description", "format", "characters"],
        [
            [esc(d.sequence or "—"), esc(d.doc_type or "—"), esc(d.filename or "—"),
             esc(d.description or "—"),
             esc(d.text_format + (f" ({d.binary_encoding})" if d.binary_encoding else "")
                 + (", truncated" if d.is_truncated else "")),
             esc(f"{d.n_chars:,}")]
            for d in filing.documents
        ],
        f"{len(filing.documents)} document(s)",
    )  # fmt: skip
    if filing.issues:
        issues = table(
            ["severity", "code", "message", "where"],
            [
                [esc(i.severity), f"<code>{esc(i.code)}</code>", esc(i.message),
                 esc(chars(i.span.start, i.span.end) if i.span else "—")]
                for i in filing.issues
            ],
            f"{len(filing.issues)} parse issue(s)",
        )  # fmt: skip
    else:
        issues = "<p>No parse issues.</p>"
    return f'<div class="wb-filing">{title}{header}{docs}{issues}</div>'


def parse_filing(path_or_source: str | os.PathLike[str] | SourceFile) -> Filing:
    """Parse one EDGAR file (complete submission, document-only wrapper or bare document).

    Raises ``SourceError`` when the file cannot be read and ``ParseError`` when it holds
    nothing that is a filing (empty, binary); lesser problems are in ``Filing.issues``.
    """
    source = (
        path_or_source if isinstance(path_or_source, SourceFile) else load_source(path_or_source)
    )
    sub = parse_submission(source)
    header = sub.header
    primary = header.primary
    issues = list(sub.issues)
    spans = dict(header.spans)
    if primary is not None:
        spans.update(primary.spans)
    cover = CoverFacts()
    doc = sub.primary_document
    needs_cover = primary is None or header.form_type is None
    if needs_cover and doc is not None and doc.text_format in ("text", "html"):
        text, offsets = sub.clean_text(doc)
        cover = extract_cover(text, offsets)
        issues.extend(Issue("warning", code, msg) for code, msg in cover.warnings)
    form_type = header.form_type
    form_source: str | None = "header"
    if form_type is None and doc is not None and doc.doc_type:
        form_type, form_source = doc.doc_type, "document_type"
        if "type" in doc.spans:
            spans["form_type"] = doc.spans["type"]
    if form_type is None and cover.form_type:
        form_type, form_source = cover.form_type, "cover_text"
    if form_type is None:
        form_source = None
    if primary is None:
        for key in ("company_name", "irs_number", "sec_file_number", "state_of_incorporation"):
            if key in cover.spans:
                spans[key] = cover.spans[key]
    if header.filed_date is None and "filed_date" in cover.spans:
        spans["filed_date"] = cover.spans["filed_date"]
    if form_source == "cover_text" and "form_type" in cover.spans:
        spans["form_type"] = cover.spans["form_type"]
    ciks = tuple(dict.fromkeys(e.cik for e in header.entities if e.cik is not None))
    return Filing(
        submission=sub,
        accession_number=header.accession_number,
        cik=primary.cik if primary else None,
        company_name=primary.company_name if primary else cover.company_name,
        form_type=form_type,
        form_type_source=form_source,
        filed_date=header.filed_date or cover.filed_date,
        period_of_report=header.period_of_report,
        acceptance_datetime=header.acceptance_datetime,
        fiscal_year_end=primary.fiscal_year_end if primary else None,
        sic=primary.sic if primary else None,
        state_of_incorporation=(
            primary.state_of_incorporation if primary else cover.state_of_incorporation
        ),
        irs_number=primary.irs_number if primary else cover.irs_number,
        sec_file_number=primary.sec_file_number if primary else cover.sec_file_number,
        public_document_count=header.public_document_count,
        all_ciks=ciks,
        spans=spans,
        issues=tuple(issues),
    )
