"""One input file → row dicts for every table; never raises past the file.

The form families' rows come from ``workbench.forms.registry`` (one dispatch point, every
extractor isolated); this module adds the rows every file has (``filings``,
``documents``, ``parse_issues``) and reads the JSON data files.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from workbench.errors import ParseError, SourceError
from workbench.forms.family import Row, span_rows, table_row
from workbench.forms.filing import Filing, parse_filing
from workbench.forms.registry import extract_all
from workbench.forms.shares import SHARES_OUTSTANDING
from workbench.frames.validate import row_problems
from workbench.provenance import Issue
from workbench.sources.companyfacts import (
    is_frames,
    parse_json,
    read_companyfacts,
    read_frames,
)
from workbench.sources.files import MAX_FILE_BYTES, SourceFile, load_source, path_text, table_text
from workbench.sources.limits import FILE_BUDGET_S, TimeBudgetExceeded, time_budget


@dataclass(slots=True)
class FileRecords:
    """Rows one input produced, by table name."""

    source_path: str
    sha256: str | None
    rows: dict[str, list[Row]] = field(default_factory=dict)
    #: already in the store (its sha256 was given to skip): read and hashed, not parsed
    skipped: bool = False

    def add(self, table: str, row: Row) -> None:
        """Append a row to a table."""
        self.rows.setdefault(table, []).append(row)


def issue_row(source_path: str, sha256: str | None, issue: Issue) -> Row:
    """A ``parse_issues`` row."""
    return {
        "source_path": table_text(source_path),
        "sha256": sha256,
        "severity": issue.severity,
        "code": issue.code,
        "message": table_text(issue.message),
        "span_start": issue.span.start if issue.span else None,
        "span_end": issue.span.end if issue.span else None,
    }


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
    for item in extract_all(filing):
        if isinstance(item, Issue):
            out.add("parse_issues", issue_row(path, filing.sha256, item))
        else:
            out.add(*item)


def _shares_row(file: SourceFile, **values: object) -> Row:
    """A ``shares_outstanding`` row read from a JSON data file (no spans: JSON, not text)."""
    return table_row(SHARES_OUTSTANDING, source_path=file.path, spans=[], **values)


def _dropped(source: SourceFile, out: FileRecords, counts: dict[str, int], where: str) -> None:
    """One warning per kind of fact left out (placeholder, stale, unreadable)."""
    for what, count in counts.items():
        if count:
            issue = Issue("warning", f"xbrl_{what}_facts_dropped",
                          f"{count} {what} dei:EntityCommonStockSharesOutstanding facts dropped "
                          f"from {where}")  # fmt: skip
            out.add("parse_issues", issue_row(source.path, source.sha256, issue))


def _frames_rows(source: SourceFile, out: FileRecords) -> tuple[str, int | None, str | None, int]:
    frames = read_frames(source.text, path=source.path)
    for row in frames.frame.iter_rows(named=True):
        out.add(SHARES_OUTSTANDING.name, _shares_row(
            source, **row, share_class="common", source="xbrl_frames", filed_date=None,
            n_facts=1,
        ))  # fmt: skip
    counts = {"placeholder": frames.n_placeholder, "unreadable": frames.n_unreadable}
    _dropped(source, out, counts, f"the {frames.period or '?'} frame")
    return "frames", None, None, frames.frame.height


def _companyfacts_rows(
    source: SourceFile, out: FileRecords
) -> tuple[str, int | None, str | None, int]:
    facts = read_companyfacts(source.text, path=source.path)
    for row in facts.frame.iter_rows(named=True):
        out.add(SHARES_OUTSTANDING.name, _shares_row(
            source, cik=row["cik"], company_name=facts.entity_name, as_of_date=row["as_of_date"],
            shares_outstanding=row["shares_outstanding"],
            share_class="all classes" if row["n_facts"] > 1 else "common", source="xbrl_dei",
            accession_number=row["accession_number"], filed_date=row["filed_date"],
            n_facts=row["n_facts"],
        ))  # fmt: skip
    _dropped(source, out, {"placeholder": facts.n_placeholder, "stale": facts.n_stale},
             "the company facts")  # fmt: skip
    return "companyfacts", facts.cik, facts.entity_name, facts.frame.height


def json_rows(source: SourceFile, out: FileRecords) -> None:
    """A companyfacts, frames or submissions JSON file: a ``data_files`` row (and, for
    companyfacts and frames, ``shares_outstanding`` rows). Anything else is an error."""
    head = source.text[:4000]
    if is_frames(source.text):
        kind, cik, name, n = _frames_rows(source, out)
    elif '"facts"' in head or '"facts"' in source.text:
        kind, cik, name, n = _companyfacts_rows(source, out)
    elif '"filings"' in source.text:
        doc = parse_json(source.text, path=source.path)
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
        page = parse_json(source.text, path=source.path)
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


def _screen(out: FileRecords) -> None:
    """Drop rows with a value that does not fit its column (frames are built strictly, so
    one such row would fail the whole batch); each becomes an ``error`` row that says which
    table and column, and the file's other rows stay."""
    for table in list(out.rows):
        if table == "parse_issues":
            continue
        kept = []
        for row in out.rows[table]:
            problems = row_problems(table, row)
            if not problems:
                kept.append(row)
                continue
            message = f"a {table} row was not kept: " + "; ".join(problems[:3])
            issue = Issue("error", "value_does_not_fit", message)
            out.rows.setdefault("parse_issues", []).append(
                issue_row(out.source_path, out.sha256, issue)
            )
        out.rows[table] = kept


def process_file(
    path: str,
    max_bytes: int = MAX_FILE_BYTES,
    skip_sha256: frozenset[str] = frozenset(),
    budget_s: float = FILE_BUDGET_S,
) -> FileRecords:
    """Everything one file yields. Any failure becomes an ``error`` issue row instead.

    ``skip_sha256``: hashes already in the store; such a file is read and hashed once,
    here, and comes back ``skipped`` with no rows. ``budget_s``: a file that takes longer
    is an ``error timeout`` row and the batch goes on.
    """
    shown = path_text(path)
    out = FileRecords(source_path=shown, sha256=None)
    try:
        with time_budget(budget_s):
            source = load_source(path, max_bytes=max_bytes)
            out.sha256 = source.sha256
            if source.sha256 in skip_sha256:
                out.skipped = True
                return out
            if path.lower().endswith((".json", ".json.gz")):
                json_rows(source, out)
            else:
                filing_rows(parse_filing(source), out)
    except TimeBudgetExceeded:
        out.rows.clear()
        issue = Issue("error", "timeout", f"parsing took over the {budget_s:g} s budget per file")
        out.add("parse_issues", issue_row(shown, out.sha256, issue))
    except SourceError as exc:
        out.rows.clear()
        out.add(
            "parse_issues",
            issue_row(shown, out.sha256, Issue("error", "unreadable_file", str(exc))),
        )
    except ParseError as exc:
        out.rows.clear()
        out.add("parse_issues", issue_row(shown, out.sha256, Issue("error", exc.code, exc.message)))
    except Exception as exc:  # a bug or hostile input: record it, keep the batch going
        out.rows.clear()
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = (
            f"{type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
        )
        out.add(
            "parse_issues", issue_row(shown, out.sha256, Issue("error", "internal_error", message))
        )
    _screen(out)
    return out
