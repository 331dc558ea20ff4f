"""One input file → row dicts for every table; never raises past the file."""

from __future__ import annotations

import json
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.errors import ParseError, SourceError
from workbench.forms.filing import Filing, parse_filing
from workbench.forms.nt import LateNotice, notice_for
from workbench.forms.s8 import S8Registration, registration_for
from workbench.forms.shares import shares_for
from workbench.provenance import Issue, Span
from workbench.sources.companyfacts import read_companyfacts
from workbench.sources.files import MAX_FILE_BYTES, SourceFile, load_source

Row = dict[str, Any]


@dataclass(slots=True)
class FileRecords:
    """Rows one input produced, by table name."""

    source_path: str
    sha256: str | None
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, table: str, row: Row) -> None:
        """Append a row to a table."""
        self.rows.setdefault(table, []).append(row)


def issue_row(source_path: str, sha256: str | None, issue: Issue) -> Row:
    """A ``parse_issues`` row."""
    return {
        "source_path": source_path,
        "sha256": sha256,
        "severity": issue.severity,
        "code": issue.code,
        "message": issue.message,
        "span_start": issue.span.start if issue.span else None,
        "span_end": issue.span.end if issue.span else None,
    }


def span_rows(spans: Mapping[str, Span]) -> list[Row]:
    """The ``spans`` column: one ``{field, start, end}`` struct per extracted field."""
    return [{"field": k, "start": v.start, "end": v.end} for k, v in sorted(spans.items())]


def filing_rows(filing: Filing, out: FileRecords) -> None:
    """Rows of ``filings`` and ``documents`` for a parsed file (plus its issues)."""
    sub = filing.submission
    path = filing.source_path
    errors = sum(1 for i in filing.issues if i.severity == "error")
    out.add(
        "filings",
        {
            "source_path": path,
            "sha256": filing.sha256,
            "accession_number": filing.accession_number,
            "cik": filing.cik,
            "company_name": filing.company_name,
            "form_type": filing.form_type,
            "form_type_source": filing.form_type_source,
            "filed_date": filing.filed_date,
            "period_of_report": filing.period_of_report,
            "acceptance_datetime": filing.acceptance_datetime,
            "fiscal_year_end": filing.fiscal_year_end,
            "sic": filing.sic,
            "state_of_incorporation": filing.state_of_incorporation,
            "irs_number": filing.irs_number,
            "sec_file_number": filing.sec_file_number,
            "public_document_count": filing.public_document_count,
            "document_count": len(sub.documents),
            "layout": sub.layout,
            "encoding": sub.source.encoding,
            "n_bytes": sub.source.n_bytes,
            "all_ciks": list(filing.all_ciks),
            "error_count": errors,
            "warning_count": len(filing.issues) - errors,
            "spans": span_rows(filing.spans),
        },
    )
    for doc in sub.documents:
        out.add(
            "documents",
            {
                "source_path": path,
                "accession_number": filing.accession_number,
                "sequence": doc.sequence,
                "doc_type": doc.doc_type,
                "filename": doc.filename,
                "description": doc.description,
                "text_format": doc.text_format,
                "n_chars": doc.n_chars,
                "is_binary": doc.is_binary,
                "binary_encoding": doc.binary_encoding,
                "is_truncated": doc.is_truncated,
                "text_start": doc.text_span.start,
                "text_end": doc.text_span.end,
            },
        )
    for issue in filing.issues:
        out.add("parse_issues", issue_row(path, filing.sha256, issue))
    notice = notice_for(filing)
    if notice is not None:
        notice_rows(filing, notice, out)
    registration = registration_for(filing)
    if registration is not None:
        s8_rows(filing, registration, out)
    for stated in shares_for(filing):
        spans = {"shares_outstanding": stated.span}
        if stated.date_span:
            spans["as_of_date"] = stated.date_span
        out.add(
            "shares_outstanding",
            {
                "cik": filing.cik,
                "company_name": filing.company_name,
                "as_of_date": stated.as_of_date,
                "shares_outstanding": stated.shares_outstanding,
                "share_class": stated.share_class,
                "source": "cover_text",
                "source_path": filing.source_path,
                "accession_number": filing.accession_number,
                "filed_date": filing.filed_date,
                "n_facts": None,
                "spans": span_rows(spans),
            },
        )


def json_rows(source: SourceFile, out: FileRecords) -> None:
    """A companyfacts or submissions JSON file: a ``data_files`` row (and, for companyfacts,
    ``shares_outstanding`` rows). Anything else is an error."""
    head = source.text[:4000]
    if '"facts"' in head or '"facts"' in source.text:
        facts = read_companyfacts(source.text, path=source.path)
        for row in facts.frame.iter_rows(named=True):
            out.add(
                "shares_outstanding",
                {
                    "cik": row["cik"],
                    "company_name": facts.entity_name,
                    "as_of_date": row["as_of_date"],
                    "shares_outstanding": row["shares_outstanding"],
                    "share_class": "all classes" if row["n_facts"] > 1 else "common",
                    "source": "xbrl_dei",
                    "source_path": source.path,
                    "accession_number": row["accession_number"],
                    "filed_date": row["filed_date"],
                    "n_facts": row["n_facts"],
                    "spans": [],
                },
            )
        for count, what in ((facts.n_placeholder, "placeholder"), (facts.n_stale, "stale")):
            if count:
                issue = Issue("warning", f"xbrl_{what}_facts_dropped",
                              f"{count} {what} dei:EntityCommonStockSharesOutstanding facts dropped")  # fmt: skip
                out.add("parse_issues", issue_row(source.path, source.sha256, issue))
        kind, cik, name, n = "companyfacts", facts.cik, facts.entity_name, facts.frame.height
    elif '"filings"' in source.text:
        try:
            doc = json.loads(source.text)
        except json.JSONDecodeError as exc:
            raise ParseError("json_invalid", f"not JSON: {exc.msg}") from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("filings"), dict):
            raise ParseError("submissions_layout_unknown", "no 'filings' object")
        recent = doc["filings"].get("recent", {})
        cik_raw = str(doc.get("cik", ""))
        kind, cik, name = (
            "submissions",
            int(cik_raw) if cik_raw.isdigit() else None,
            doc.get("name"),
        )
        n = len(recent.get("form", []))
    elif '"accessionNumber"' in head:  # an older submissions page: the arrays at top level
        try:
            page = json.loads(source.text)
        except json.JSONDecodeError as exc:
            raise ParseError("json_invalid", f"not JSON: {exc.msg}") from exc
        kind, cik, name = "submissions", None, None
        n = len(page.get("form", [])) if isinstance(page, dict) else 0
    else:
        raise ParseError(
            "json_not_recognized", "JSON is neither a companyfacts nor a submissions document"
        )
    out.add(
        "data_files",
        {"source_path": source.path, "sha256": source.sha256, "data_kind": kind, "cik": cik,
         "company_name": name, "n_rows": n},
    )  # fmt: skip


def _identity(filing: Filing) -> Row:
    """The columns every form table starts with."""
    return {
        "source_path": filing.source_path,
        "accession_number": filing.accession_number,
        "cik": filing.cik,
        "company_name": filing.company_name,
        "form_type": filing.form_type,
        "filed_date": filing.filed_date,
    }


def _warning_rows(filing: Filing, warnings: tuple[tuple[str, str], ...], out: FileRecords) -> None:
    for code, message in warnings:
        out.add(
            "parse_issues",
            issue_row(filing.source_path, filing.sha256, Issue("warning", code, message)),
        )


def s8_rows(filing: Filing, reg: S8Registration, out: FileRecords) -> None:
    """``s8_filings`` and ``s8_offerings`` rows and the registration's warnings."""
    ident = _identity(filing)
    for o in reg.offerings:
        row: Row = dict(ident)
        for name in (
            "row_number", "row_group", "security_title", "shares_registered",
            "max_price_per_share", "max_aggregate_offering_price", "registration_fee",
            "fee_rule", "fee_rate_per_million_stated", "fee_rate_per_million_expected",
            "fee_check", "aggregate_check",
        ):  # fmt: skip
            row[name] = getattr(o, name)
        row["fee_table_layout"] = reg.fee_table_layout
        row["spans"] = span_rows(o.spans)
        out.add("s8_offerings", row)
    summary: Row = dict(ident)
    summary.update(
        state_of_incorporation=filing.state_of_incorporation,
        irs_number=filing.irs_number,
        plan_names=list(reg.plan_names),
        prior_registration_numbers=list(reg.prior_registration_numbers),
        n_offerings=len(reg.offerings),
        total_shares_registered=reg.total_shares_registered,
        total_registration_fee=reg.total_registration_fee,
        spans=span_rows(reg.spans),
    )
    for name in (
        "plan_shares_before", "plan_shares_after", "per_person_limit", "covers_rule_416",
        "fee_table_layout", "total_offering_amount", "total_fee_stated", "net_fee_due",
        "is_deregistration", "shares_deregistered",
    ):  # fmt: skip
        summary[name] = getattr(reg, name)
    out.add("s8_filings", summary)
    _warning_rows(filing, reg.warnings, out)


def notice_rows(filing: Filing, notice: LateNotice, out: FileRecords) -> None:
    """A ``late_notices`` row and the notice's warnings."""
    row: Row = {
        **_identity(filing),
        "change_amounts": [
            {
                "label": a.label,
                "amount": a.amount,
                "period": a.period,
                "span_start": a.span.start,
                "span_end": a.span.end,
            }
            for a in notice.change_amounts
        ],
        "reason_labels": list(notice.reason_labels),
        "spans": span_rows(notice.spans),
    }
    for name in (
        "is_amendment", "report_type", "period_ended", "is_transition_report",
        "transition_period_ended", "relief_checked", "narrative", "expected_filing_date",
        "other_reports_filed", "other_reports_missing", "significant_change",
        "change_explanation", "contact_name", "contact_phone", "signer_name", "signer_title",
        "signed_date",
    ):  # fmt: skip
        row[name] = getattr(notice, name)
    out.add("late_notices", row)
    _warning_rows(filing, notice.warnings, out)


def process_file(path: str, max_bytes: int = MAX_FILE_BYTES) -> FileRecords:
    """Everything one file yields. Any failure becomes an ``error`` issue row instead."""
    out = FileRecords(source_path=path, sha256=None)
    try:
        source = load_source(path, max_bytes=max_bytes)
        out.sha256 = source.sha256
        if path.lower().endswith(".json"):
            json_rows(source, out)
        else:
            filing_rows(parse_filing(source), out)
    except SourceError as exc:
        out.rows.clear()
        out.add(
            "parse_issues", issue_row(path, out.sha256, Issue("error", "unreadable_file", str(exc)))
        )
    except ParseError as exc:
        out.rows.clear()
        out.add("parse_issues", issue_row(path, out.sha256, Issue("error", exc.code, exc.message)))
    except Exception as exc:  # a bug or hostile input: record it, keep the batch going
        out.rows.clear()
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = (
            f"{type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
        )
        out.add(
            "parse_issues", issue_row(path, out.sha256, Issue("error", "internal_error", message))
        )
    return out
