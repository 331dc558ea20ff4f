"""Every column of every table, declared once: name → dtype and meaning.

Dates are ``pl.Date``; money ``Float64`` dollars; share counts ``Int64``. The same name
means the same quantity in every table (``cik``, ``accession_number``, ``filed_date``).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from workbench.vocab import (
    AGGREGATE_CHECKS,
    AMOUNT_KINDS,
    DATA_KINDS,
    FEE_CHECKS,
    FEE_TABLE_LAYOUTS,
    FILER_CATEGORIES,
    INDEX_SOURCES,
    LAYOUTS,
    MISSING_REASONS,
    PERIOD_END_SOURCES,
    ROW_GROUPS,
    SEVERITIES,
    SHARES_SOURCES,
    TEXT_FORMATS,
    TIMELINESS_STATUSES,
)

CHANGE_AMOUNT_STRUCT = pl.Struct(
    {
        "label": pl.String,
        "amount": pl.Float64,
        "period": pl.String,
        "span_start": pl.Int64,
        "span_end": pl.Int64,
    }
)
SPAN_STRUCT = pl.Struct({"field": pl.String, "start": pl.Int64, "end": pl.Int64})


@dataclass(frozen=True, slots=True)
class Field:
    """A column: its Polars dtype and a sentence a researcher can read."""

    dtype: pl.DataType
    description: str
    unit: str | None = None


FIELDS: dict[str, Field] = {
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
    # --- Form 12b-25 late notices
    "is_amendment": Field(pl.Boolean(), "The notice is an amendment (NT 10-K/A ...)."),
    "report_type": Field(
        pl.String(), "Late report: 10-K, 10-Q, 20-F, 11-K, 10-D, N-CEN, N-CSR or N-SAR."
    ),
    "period_ended": Field(pl.Date(), "'For Period Ended' date on the notice's cover."),
    "is_transition_report": Field(pl.Boolean(), "A transition-report box is checked."),
    "transition_period_ended": Field(pl.Date(), "'For the Transition Period Ended' date."),
    "relief_checked": Field(
        pl.Boolean(), "Part II box checked: Rule 12b-25(b) relief sought (null: no box found)."
    ),
    "narrative": Field(pl.String(), "Part III: why the report could not be filed on time."),
    "expected_filing_date": Field(
        pl.Date(), "Date the narrative says the report will be filed by."
    ),
    "other_reports_filed": Field(pl.Boolean(), "Part IV (2): all other periodic reports filed."),
    "other_reports_missing": Field(pl.String(), "Part IV (2): the reports named as not filed."),
    "significant_change": Field(
        pl.Boolean(), "Part IV (3): a significant change in results is anticipated."
    ),
    "change_explanation": Field(pl.String(), "Part IV (3): the explanation given."),
    "change_amounts": Field(
        pl.List(CHANGE_AMOUNT_STRUCT), "Dollar figures in the explanation, with label and period."
    ),
    "contact_name": Field(pl.String(), "Part IV (1): person to contact."),
    "contact_phone": Field(pl.String(), "Part IV (1): telephone, as (AAA) NNN-NNNN."),
    "signer_name": Field(pl.String(), "Who signed the notice."),
    "signer_title": Field(pl.String(), "The signer's title."),
    "signed_date": Field(pl.Date(), "Date beside the signature."),
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
    "as_of_date": Field(pl.Date(), "Date the share count is stated as of."),
    "shares_outstanding": Field(pl.Int64(), "Shares outstanding on as_of_date.", unit="shares"),
    "share_class": Field(
        pl.String(),
        "'common', 'Class A' ...; 'all classes' when XBRL facts of several classes were summed.",
    ),
    "source": Field(
        pl.Enum(SHARES_SOURCES),
        "cover_text: the 10-K/10-Q cover sentence; xbrl_dei: dei:EntityCommonStockSharesOutstanding.",
    ),
    "n_facts": Field(pl.Int64(), "XBRL facts summed into the row (one per class)."),
    "data_kind": Field(pl.Enum(DATA_KINDS), "What an ingested JSON file is."),
    "n_rows": Field(pl.Int64(), "Rows the data file contributed (or filings it lists)."),
    # --- dilution
    "company_key": Field(pl.String(), "CIK, or the upper-cased name for filings without one."),
    "denominator_as_of_date": Field(pl.Date(), "As-of date of the shares-outstanding figure used."),
    "denominator_source": Field(pl.String(), "cover_text or xbrl_dei."),
    "denominator_accession_number": Field(pl.String(), "Filing the denominator was stated in."),
    "denominator_age_days": Field(
        pl.Int64(), "S-8 filing date − denominator as-of date: how stale it is.", unit="days"
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
        "Shares the company registered on S-8 in the 365 days to this filing.",
        unit="shares",
    ),
    "ttm_dilution_pct": Field(
        pl.Float64(),
        "ttm_shares_registered / shares_outstanding × 100 (run-rate proxy).",
        unit="pct",
    ),
    "cumulative_shares_registered": Field(
        pl.Int64(), "Shares the company registered on S-8 so far in the data.", unit="shares"
    ),
    "cumulative_dilution_pct": Field(
        pl.Float64(),
        "cumulative_shares_registered / shares_outstanding × 100 (overhang proxy).",
        unit="pct",
    ),
    # --- Form S-8 registrations
    "row_number": Field(pl.Int64(), "Row of the fee table, from 1 in table order."),
    "row_group": Field(
        pl.Enum(ROW_GROUPS), "Exhibit 107 row group (pre-2022 tables: fees_to_be_paid)."
    ),
    "fee_table_layout": Field(
        pl.Enum(FEE_TABLE_LAYOUTS),
        "Where the fee table was read: cover-page text or HTML table, Exhibit 107 HTML, or "
        "Exhibit 107 inline XBRL (ffd:) facts.",
    ),
    "security_type": Field(
        pl.String(), "Exhibit 107 security type as stated: Equity, Debt, Other, Unallocated..."
    ),
    "security_title": Field(pl.String(), "Title of the securities registered in this row."),
    "amount_registered": Field(
        pl.Float64(), "Amount Registered as stated (shares, units or dollars: see amount_kind)."
    ),
    "amount_kind": Field(
        pl.Enum(AMOUNT_KINDS),
        "What amount_registered counts: shares (or units), dollars (a '$' or principal "
        "amount), indeterminate (the row registers an unspecified amount); null: not stated.",
    ),
    "shares_registered": Field(
        pl.Int64(),
        "Amount registered when it counts shares; never read from a dollar amount.",
        unit="shares",
    ),
    "fee_deferred": Field(
        pl.Boolean(), "No fee now: paid as securities are taken down (Rules 456(b)/457(r))."
    ),
    "carry_forward_form_type": Field(pl.String(), "Form of the earlier statement carried forward."),
    "carry_forward_file_number": Field(pl.String(), "File number of that earlier statement."),
    "carry_forward_initial_effective_date": Field(
        pl.Date(), "Initial effective date of the earlier statement."
    ),
    "carry_forward_fee_previously_paid": Field(
        pl.Float64(), "Fee paid earlier for the unsold securities carried forward.", unit="usd"
    ),
    "fee_check_stated_rate": Field(
        pl.Enum(FEE_CHECKS),
        "Stated fee vs aggregate × the rate the row itself states (same codes as fee_check).",
    ),
    "total_fees_previously_paid": Field(
        pl.Float64(), "Exhibit 107 'Total Fees Previously Paid'.", unit="usd"
    ),
    "total_fee_offsets": Field(pl.Float64(), "Exhibit 107 'Total Fee Offsets'.", unit="usd"),
    "xbrl_html_compared": Field(
        pl.Int64(), "Fields stated by both the ffd: facts and the HTML table (compared)."
    ),
    "xbrl_html_agreed": Field(pl.Int64(), "Of those, fields on which the two agree."),
    "fee_table_warnings": Field(
        pl.List(pl.String()), "parse_issues codes the fee table raised (arithmetic, facts)."
    ),
    "max_price_per_share": Field(
        pl.Float64(), "Proposed maximum offering price per share.", unit="usd"
    ),
    "max_aggregate_offering_price": Field(
        pl.Float64(), "Proposed maximum aggregate offering price.", unit="usd"
    ),
    "registration_fee": Field(pl.Float64(), "Registration fee stated for the row.", unit="usd"),
    "fee_rule": Field(
        pl.String(), "Fee calculation rule as stated, e.g. 'Rule 457(c) and (h)(1)', 'Other'."
    ),
    "fee_rate_per_million_stated": Field(
        pl.Float64(), "Fee rate the row states, normalised to dollars per $1,000,000."
    ),
    "fee_rate_per_million_expected": Field(
        pl.Float64(),
        "Section 6(b) rate in force on the filing date (workbench/data/fee_rates.csv).",
    ),
    "fee_check": Field(
        pl.Enum(FEE_CHECKS),
        "Stated fee vs aggregate × expected rate: ok (within a cent), rounded (whole dollar "
        "or truncated), mismatch, rate_unknown; null when the row states no fee or aggregate.",
    ),
    "aggregate_check": Field(
        pl.Enum(AGGREGATE_CHECKS),
        "Stated aggregate vs shares × price: ok (within $1), rounded (price shown rounded to "
        "cents), mismatch; null when a term is missing.",
    ),
    "plan_names": Field(
        pl.List(pl.String()), "Plans named on the cover ('Full title of the plan')."
    ),
    "prior_registration_numbers": Field(
        pl.List(pl.String()), "Registration statements (333-...) the filing refers to."
    ),
    "plan_shares_before": Field(
        pl.Int64(), "Plan share reserve before the increase ('from X to Y').", unit="shares"
    ),
    "plan_shares_after": Field(
        pl.Int64(), "Plan share reserve after the increase ('from X to Y').", unit="shares"
    ),
    "per_person_limit": Field(
        pl.Int64(), "Per-person award limit after any change, when stated.", unit="shares"
    ),
    "covers_rule_416": Field(
        pl.Boolean(), "The filing invokes Rule 416 (shares added by splits and dividends)."
    ),
    "n_offerings": Field(pl.Int64(), "Fee-table rows read (offerings rows)."),
    "total_shares_registered": Field(
        pl.Int64(), "Shares registered in the rows for which a fee is paid now.", unit="shares"
    ),
    "total_registration_fee": Field(
        pl.Float64(), "Net fee due, else the stated total fee, else the rows' sum.", unit="usd"
    ),
    "total_offering_amount": Field(
        pl.Float64(), "Stated total maximum aggregate offering price.", unit="usd"
    ),
    "total_fee_stated": Field(pl.Float64(), "Stated total registration fee.", unit="usd"),
    "net_fee_due": Field(pl.Float64(), "Exhibit 107 'Net Fee Due'.", unit="usd"),
    "is_deregistration": Field(pl.Boolean(), "An S-8 POS that deregisters unsold shares."),
    "shares_deregistered": Field(pl.Int64(), "Shares removed from registration.", unit="shares"),
    "reason_labels": Field(
        pl.List(pl.String()), "Why late, by the rule-based taxonomy in workbench.forms.reasons."
    ),
}
