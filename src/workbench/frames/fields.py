"""Every column of every table, declared once: name → dtype and meaning.

The core tables' columns (``filings``, ``documents``, ``parse_issues``, the index,
timeliness and dilution tables) are declared here; each form family declares the columns
it adds in its own module (``workbench.forms.family.Column``, typed with Python types) and
``FIELDS`` takes them from the registry, turning each type into its Polars dtype. A name
declared twice is an error at import.

Dates are ``pl.Date``; money ``Float64`` dollars; share counts ``Int64``. The same name
means the same quantity in every table (``cik``, ``accession_number``, ``filed_date``).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass

import polars as pl

from workbench.forms.family import Column, SpanRow
from workbench.forms.registry import FAMILIES
from workbench.vocab import (
    DATA_KINDS,
    FILER_CATEGORIES,
    INDEX_SOURCES,
    LAYOUTS,
    MISSING_REASONS,
    OFFERING_KINDS,
    PERIOD_END_SOURCES,
    SEVERITIES,
    TEXT_FORMATS,
    TIMELINESS_STATUSES,
    Vocabulary,
)

_SCALARS: dict[object, pl.DataType] = {
    str: pl.String(),
    int: pl.Int64(),
    float: pl.Float64(),
    bool: pl.Boolean(),
    dt.date: pl.Date(),
}


def dtype_of(annotation: object) -> pl.DataType:
    """The Polars dtype of a Python column type: a scalar, ``X | None`` (every column is
    nullable), ``list[X]``, a vocabulary (an Enum of its codes) or a ``TypedDict`` (a
    Struct of its keys, in order)."""
    if isinstance(annotation, Vocabulary):
        return pl.Enum(list(annotation))
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list and len(args) == 1:
        return pl.List(dtype_of(args[0]))
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return dtype_of(rest[0])
    if typing.is_typeddict(annotation):
        hints = typing.get_type_hints(annotation)
        return pl.Struct({k: dtype_of(v) for k, v in hints.items()})
    raise TypeError(f"no column dtype for {annotation!r}")


SPAN_STRUCT = dtype_of(SpanRow)


@dataclass(frozen=True, slots=True)
class Field:
    """A column: its Polars dtype and a sentence a researcher can read."""

    dtype: pl.DataType
    description: str
    unit: str | None = None


_CORE: dict[str, Field] = {
    "source_path": Field(pl.String(), "Path of the input file as given to ingest."),
    "sha256": Field(pl.String(), "SHA-256 of the file's bytes; reruns skip files already seen."),
    "accession_number": Field(pl.String(), "EDGAR accession number (0000000000-YY-NNNNNN)."),
    "cik": Field(pl.Int64(), "SEC Central Index Key of the company the filing is about."),
    "company_name": Field(pl.String(), "Company name as the header (or the cover page) states it."),
    "form_type": Field(pl.String(), "EDGAR form type, e.g. 'S-8', 'NT 10-K', '10-Q/A'."),
    "form_type_source": Field(
        pl.String(), "Where form_type came from: 'header', 'document_type' or 'cover_text'."
    ),
    "filed_date": Field(pl.Date(), "EDGAR filing date (header FILED AS OF DATE, or as stated)."),
    "period_of_report": Field(pl.Date(), "Header CONFORMED PERIOD OF REPORT."),
    "acceptance_datetime": Field(
        pl.Datetime("us", "America/New_York"), "EDGAR acceptance time (Eastern)."
    ),
    "fiscal_year_end": Field(pl.String(), "Fiscal year end as MMDD, from the header."),
    "sic": Field(pl.Int64(), "Standard Industrial Classification code."),
    "state_of_incorporation": Field(pl.String(), "Two-letter state (or country) code."),
    "irs_number": Field(pl.String(), "IRS employer identification number, digits only."),
    "sec_file_number": Field(pl.String(), "SEC file number, e.g. '000-10030' or '333-102580'."),
    "public_document_count": Field(pl.Int64(), "Header PUBLIC DOCUMENT COUNT."),
    "document_count": Field(pl.Int64(), "Documents actually found in the file."),
    "layout": Field(pl.Enum(LAYOUTS), "EDGAR wrapper of the file."),
    "encoding": Field(pl.String(), "How the bytes were decoded: utf-8, cp1252 or latin-1."),
    "n_bytes": Field(pl.Int64(), "File size in bytes.", unit="bytes"),
    "all_ciks": Field(pl.List(pl.Int64()), "Every CIK named in the header (filers, owners...)."),
    "error_count": Field(pl.Int64(), "parse_issues rows of severity 'error' for this file."),
    "warning_count": Field(pl.Int64(), "parse_issues rows of severity 'warning' for this file."),
    "spans": Field(
        pl.List(SPAN_STRUCT),
        "Source character offsets [start, end) of each extracted field in the decoded file.",
    ),
    "sequence": Field(pl.Int64(), "Document <SEQUENCE> number."),
    "doc_type": Field(pl.String(), "Document <TYPE>, e.g. '10-K', 'EX-27', 'GRAPHIC'."),
    "filename": Field(pl.String(), "Document <FILENAME>."),
    "description": Field(pl.String(), "Document <DESCRIPTION>."),
    "text_format": Field(pl.Enum(TEXT_FORMATS), "Body format: text, html, xml or binary."),
    "n_chars": Field(pl.Int64(), "Characters in the document body (encoded size for binaries)."),
    "is_binary": Field(pl.Boolean(), "Body is an encoded binary (never decoded into text)."),
    "binary_encoding": Field(pl.String(), "uuencode, base64 or binary."),
    "is_truncated": Field(pl.Boolean(), "Document is cut off (no </DOCUMENT>)."),
    "text_start": Field(pl.Int64(), "Character offset of the body's first character."),
    "text_end": Field(pl.Int64(), "Character offset just past the body."),
    "severity": Field(
        pl.Enum(SEVERITIES), "'error': the file or a part is unusable; else 'warning'."
    ),
    "code": Field(pl.String(), "Stable snake_case issue code, e.g. 'truncated_document'."),
    "message": Field(pl.String(), "What went wrong, for people."),
    "span_start": Field(pl.Int64(), "Character offset where the problem starts, if known."),
    "span_end": Field(pl.Int64(), "Character offset where the problem ends, if known."),
    # --- filings index and timeliness
    "period_end": Field(
        pl.Date(), "Period the report covers: stated (header, reportDate, notice) or inferred."
    ),
    "file_name": Field(pl.String(), "EDGAR archive path, e.g. edgar/data/320193/....txt."),
    "filer_category_stated": Field(
        pl.String(), "Filer status as the source states it (submissions JSON: current only)."
    ),
    "filed_date_source": Field(
        pl.String(),
        "Where filed_date came from: 'edgar' (assigned by EDGAR), 'cover' (\"As filed ... "
        "on\"), 'signature' (the notice's signature date; no EDGAR date in the file).",
    ),
    "index_source": Field(
        pl.Enum(INDEX_SOURCES), "Which reader produced the row (index file, JSON, ingest)."
    ),
    "ticker": Field(
        pl.String(), "Trading symbol as EDGAR writes it (upper case, class after a dash: BRK-B)."
    ),
    "period_end_source": Field(
        pl.Enum(PERIOD_END_SOURCES),
        "stated; inferred from the fiscal year end and the filing date; or, with no fiscal "
        "year end known, the last calendar quarter end 3 (annual) or 2 (quarterly) weeks "
        "before the filing.",
    ),
    "filer_category": Field(pl.Enum(FILER_CATEGORIES), "Deadline category used for the due date."),
    "filer_category_source": Field(
        pl.String(),
        "Where filer_category came from; 'unknown: non_accelerated deadlines assumed' when "
        "nothing states it.",
    ),
    "due_date": Field(pl.Date(), "Original due date, Rule 0-3 rolled."),
    "nt_deadline": Field(
        pl.Date(), "Last day to file the Form 12b-25 (due date + 1 business day)."
    ),
    "extended_due_date": Field(
        pl.Date(), "Due date + 15 or 5 calendar days (Rule 12b-25(b)), rolled."
    ),
    "deadline_rule": Field(pl.String(), "The rule applied, e.g. '75 days after period end'."),
    "nt_filed_date": Field(pl.Date(), "Filing date of the first Form 12b-25 for this report."),
    "report_filed_date": Field(
        pl.Date(), "Filing date of the first original (not amended) report."
    ),
    "days_late": Field(
        pl.Int64(), "report_filed_date − due_date in calendar days (negative: early).", unit="days"
    ),
    "status": Field(pl.Enum(TIMELINESS_STATUSES), "Timeliness outcome."),
    "n_notices": Field(pl.Int64(), "Form 12b-25 notices filed for this report (amendments apart)."),
    "n_reports": Field(pl.Int64(), "Original reports filed for this period (duplicates > 1)."),
    "n_amendments": Field(pl.Int64(), "Amended reports (10-K/A ...) and amended notices."),
    "report_accession_number": Field(pl.String(), "Accession number of the first report."),
    "nt_accession_number": Field(pl.String(), "Accession number of the first notice."),
    "nt_filed_date_source": Field(
        pl.String(), "filed_date_source of the first notice ('signature' for a bare notice)."
    ),
    "nt_source_path": Field(
        pl.String(), "Where the first notice was read: ingested file, index file or JSON."
    ),
    "report_source_path": Field(
        pl.String(), "Where the first report was read: ingested file, index file or JSON."
    ),
    # --- shares outstanding and data files
    "data_kind": Field(pl.Enum(DATA_KINDS), "What an ingested JSON file is."),
    "n_rows": Field(pl.Int64(), "Rows the data file contributed (or filings it lists)."),
    # --- dilution
    "company_key": Field(pl.String(), "CIK, or the upper-cased name for filings without one."),
    "source_form": Field(
        pl.String(), "Form the row's fee table was filed on (S-8, S-3, 424B5 ...)."
    ),
    "offering_kind": Field(
        pl.Enum(OFFERING_KINDS),
        "What the registration is for, from its form and fee rule: employee plan, primary "
        "offering, shelf, takedown, resale, business combination (see vocab).",
    ),
    "denominator_as_of_date": Field(pl.Date(), "As-of date of the shares-outstanding figure used."),
    "denominator_source": Field(pl.String(), "cover_text, xbrl_dei or xbrl_frames."),
    "denominator_accession_number": Field(pl.String(), "Filing the denominator was stated in."),
    "denominator_age_days": Field(
        pl.Int64(), "Filing date − denominator as-of date: how stale it is.", unit="days"
    ),
    "denominator_missing_reason": Field(
        pl.Enum(MISSING_REASONS),
        "Why there is no denominator: no filing date, no CIK (bare documents), no shares "
        "outstanding for the company in the data, or none known before the filing date.",
    ),
    "dilution_pct": Field(
        pl.Float64(), "shares_registered / shares_outstanding × 100.", unit="pct"
    ),
    "ttm_shares_registered": Field(
        pl.Int64(),
        "Shares the company registered (same offering_kind) in the 365 days to this filing.",
        unit="shares",
    ),
    "ttm_dilution_pct": Field(
        pl.Float64(),
        "ttm_shares_registered / shares_outstanding × 100 (run-rate proxy).",
        unit="pct",
    ),
    "cumulative_shares_registered": Field(
        pl.Int64(),
        "Shares the company registered (same offering_kind) so far in the data.",
        unit="shares",
    ),
    "cumulative_dilution_pct": Field(
        pl.Float64(),
        "cumulative_shares_registered / shares_outstanding × 100 (overhang proxy).",
        unit="pct",
    ),
}


def _collect(core: dict[str, Field], columns: typing.Iterable[Column]) -> dict[str, Field]:
    fields = dict(core)
    for c in columns:
        if c.name in fields:
            raise ValueError(f"column {c.name!r} is declared twice (a family redeclares it)")
        fields[c.name] = Field(dtype_of(c.type), c.description, c.unit)
    return fields


#: every column: the core ones, then each registered family's, in registry order
FIELDS: dict[str, Field] = _collect(_CORE, (c for f in FAMILIES for c in f.columns))
