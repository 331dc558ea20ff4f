"""The tables ``workbench ingest`` writes, each a list of declared fields and a key."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from workbench.forms.registry import FAMILIES
from workbench.frames.fields import FIELDS


@dataclass(frozen=True, slots=True)
class Table:
    """A named table: ordered columns (declared in ``FIELDS``) and its primary key."""

    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    description: str
    #: the command that writes it: 'ingest', 'index' (workbench index) or 'analytics'
    producer: str = "ingest"

    def schema(self) -> pl.Schema:
        """The exact Polars schema every frame of this table must have."""
        return pl.Schema({c: FIELDS[c].dtype for c in self.columns})


_FAMILY_TABLES = [t for f in FAMILIES for t in f.tables]

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "filings",
            (
                "source_path", "sha256", "accession_number", "cik", "company_name", "form_type",
                "form_type_source", "filed_date", "period_of_report", "acceptance_datetime",
                "fiscal_year_end", "sic", "state_of_incorporation", "irs_number",
                "sec_file_number", "public_document_count", "document_count", "layout",
                "encoding", "n_bytes", "all_ciks", "error_count", "warning_count", "spans",
            ),
            ("source_path",),
            "One row per input file that holds a filing.",
        ),
        Table(
            "documents",
            (
                "source_path", "accession_number", "sequence", "doc_type", "filename",
                "description", "text_format", "n_chars", "is_binary", "binary_encoding",
                "is_truncated", "text_start", "text_end",
            ),
            ("source_path", "text_start"),
            "One row per <DOCUMENT> (a bare file counts as one document).",
        ),
        Table(
            "parse_issues",
            ("source_path", "sha256", "severity", "code", "message", "span_start", "span_end"),
            (),
            "Problems met while reading inputs; an 'error' row for every unusable file.",
        ),
        # the form families' tables, as each family module declares them
        *(Table(t.name, t.columns, t.primary_key, t.description) for t in _FAMILY_TABLES),
        Table(
            "data_files",
            ("source_path", "sha256", "data_kind", "cik", "company_name", "n_rows"),
            ("source_path",),
            "One row per ingested JSON data file (companyfacts, submissions).",
        ),
        Table(
            "dilution",
            (
                "cik", "company_name", "filed_date", "accession_number", "source_form",
                "offering_kind", "source_path", "row_number", "security_title",
                "shares_registered", "registration_fee",
                "fee_check", "shares_outstanding", "denominator_as_of_date", "denominator_source",
                "denominator_accession_number", "denominator_age_days",
                "denominator_missing_reason", "dilution_pct", "ttm_shares_registered",
                "ttm_dilution_pct", "cumulative_shares_registered", "cumulative_dilution_pct",
                "plan_names", "plan_shares_before", "plan_shares_after",
            ),
            (),
            "One row per fee-table row registering shares (S-8 plans and every other "
            "registered offering), over the shares outstanding known before its filing date.",
            "analytics",
        ),
        Table(
            "filings_index",
            (
                "cik", "company_name", "form_type", "filed_date", "period_end",
                "acceptance_datetime", "accession_number", "file_name", "fiscal_year_end",
                "filer_category_stated", "filed_date_source", "index_source", "source_path",
            ),
            (),
            "One row per filing listed by an EDGAR index file, a submissions JSON or ingest.",
            "index",
        ),
        Table(
            "tickers",
            ("ticker", "cik", "company_name", "source_path"),
            ("ticker",),
            "One row per ticker, from SEC's company_tickers.json or a submissions JSON: a "
            "third way to name a company.",
            "index",
        ),
        Table(
            "timeliness",
            (
                "cik", "company_name", "report_type", "period_end", "period_end_source",
                "filer_category", "filer_category_source", "deadline_rule", "due_date",
                "nt_filed_date", "nt_deadline", "extended_due_date", "report_filed_date",
                "days_late", "status", "n_notices", "n_reports", "n_amendments",
                "report_accession_number", "nt_accession_number", "nt_filed_date_source",
                "report_source_path", "nt_source_path",
            ),
            (),
            "One row per periodic report due (company, report type, period end).",
            "index",
        ),
    )
}  # fmt: skip
#: the tables one ingest run writes
INGEST_TABLES = tuple(name for name, t in TABLES.items() if t.producer == "ingest")

_undeclared = [f"{t.name}.{c}" for t in TABLES.values() for c in t.columns if c not in FIELDS]
if _undeclared:  # a family's table names a column nobody declares
    raise ValueError(f"columns with no declaration: {_undeclared}")
