"""Every code the workbench writes into a table, declared once with its label and meaning.

A vocabulary is a tuple of its codes (so ``pl.Enum(FEE_CHECKS)``, ``code in FEE_CHECKS`` and
``click.Choice(FEE_CHECKS)`` work as they read) that also knows each code's label, for
reports, explorers and chart legends, and a sentence saying what it means. The parsers that
produce a code, the frames that store it and the pages that show it all import it from here,
so no list of codes is repeated anywhere else. Standard library only: every layer uses it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    """One code: what is stored, what a reader sees, what it means."""

    code: str
    label: str
    description: str


class Vocabulary(tuple[str, ...]):
    """The codes of one column, in their display order, with labels and descriptions."""

    name: str
    _codes: dict[str, Code]

    def __new__(cls, name: str, *codes: Code) -> Vocabulary:
        self = super().__new__(cls, tuple(c.code for c in codes))
        self.name = name
        self._codes = {c.code: c for c in codes}
        return self

    def label(self, code: str | None) -> str:
        """The code's label; an unknown code (or ``None``) is shown as it is."""
        found = self._codes.get(code) if code is not None else None
        return found.label if found else str(code)

    def description(self, code: str) -> str:
        """What the code means."""
        return self._codes[code].description

    def labels(self) -> dict[str, str]:
        """Code → label, for a ``replace`` in a frame (a chart's tooltip reads labels)."""
        return {c.code: c.label for c in self._codes.values()}

    def options(self) -> list[tuple[str, str]]:
        """``(label, code)`` pairs, the shape widget dropdowns take."""
        return [(c.label, c.code) for c in self._codes.values()]

    def codes(self) -> tuple[Code, ...]:
        """Every code with its label and description (for docs and data dictionaries)."""
        return tuple(self._codes.values())


def _v(name: str, *rows: tuple[str, str, str]) -> Vocabulary:
    return Vocabulary(name, *(Code(*r) for r in rows))


# --- files ----------------------------------------------------------------------------------

SEVERITIES = _v(
    "severity",
    ("error", "Error", "The file, or one part of it, could not be used."),
    ("warning", "Warning", "A value was read but does not reconcile, or a part is missing."),
)
LAYOUTS = _v(
    "layout",
    ("sec_document", "SEC-DOCUMENT", "A complete submission wrapped in <SEC-DOCUMENT>."),
    ("ims_document", "IMS-DOCUMENT", "A 1990s complete submission wrapped in <IMS-DOCUMENT>."),
    ("submission", "Submission", "An EDGAR Link submission (<SUBMISSION> header)."),
    ("document_only", "Document only", "One <DOCUMENT> wrapper without a header."),
    ("bare", "Bare document", "A document with no EDGAR wrapper at all."),
)
TEXT_FORMATS = _v(
    "text_format",
    ("text", "Text", "Plain ASCII text."),
    ("html", "HTML", "HTML or inline XBRL."),
    ("xml", "XML", "An XML document (XBRL instance, Form 4, ...)."),
    ("binary", "Binary", "A uuencoded or base64 binary (images, PDFs, zips): not read."),
)

# --- registration fee tables --------------------------------------------------------------

FEE_CHECKS = _v(
    "fee_check",
    ("ok", "Reconciles", "The fee is the aggregate price × the rate, within a cent."),
    ("rounded", "Reconciles (rounded)", "It reconciles after whole-dollar rounding or truncation."),
    ("mismatch", "Does not reconcile", "The fee is not the aggregate price × the rate."),
    ("rate_unknown", "Rate unknown", "No fee rate is known for the filing date."),
)
AGGREGATE_CHECKS = _v(
    "aggregate_check",
    ("ok", "Reconciles", "Shares × price per share is the aggregate price, within a cent."),
    ("rounded", "Reconciles (rounded)", "It reconciles after whole-dollar rounding."),
    ("mismatch", "Does not reconcile", "Shares × price per share is not the aggregate price."),
)
ROW_GROUPS = _v(
    "row_group",
    ("fees_to_be_paid", "Fees to be paid", "Securities registered now, fee paid with this filing."),
    (
        "fees_previously_paid",
        "Fees previously paid",
        "Fee paid with an earlier pre-effective filing.",
    ),
    ("carry_forward", "Carry forward", "Unsold securities carried over from an earlier statement."),
)
FEE_TABLE_LAYOUTS = _v(
    "fee_table_layout",
    ("text", "Cover table (text)", "The pre-2022 cover-page table of a plain-text document."),
    ("html", "Cover table (HTML)", "The pre-2022 cover-page table of an HTML document."),
    ("ex107_html", "Exhibit 107 (HTML)", "An Exhibit 107 read from its HTML table."),
    ("ex107_ixbrl", "Exhibit 107 (inline XBRL)", "An Exhibit 107 read from its ffd: facts."),
)
AMOUNT_KINDS = _v(
    "amount_kind",
    ("shares", "Shares", "The amount registered is a number of shares (or units)."),
    ("dollars", "Dollars", "The amount registered is a dollar amount (debt, shelf)."),
    ("indeterminate", "Indeterminate", "An indeterminate amount (Rule 457(o) shelves)."),
)

# --- timeliness -------------------------------------------------------------------------------

FILER_CATEGORIES = _v(
    "filer_category",
    ("large_accelerated", "Large accelerated", "Public float of $700 million or more."),
    ("accelerated", "Accelerated", "Public float of $75 million to $700 million."),
    ("non_accelerated", "Non-accelerated", "Neither: the longest deadlines."),
    ("smaller_reporting", "Smaller reporting", "A smaller reporting company: a non-accelerated filer's deadlines."),
    ("unknown", "Unknown", "Not stated anywhere the workbench can read."),
)  # fmt: skip
#: the categories a deadline can be computed for
DEADLINE_CATEGORIES = tuple(c for c in FILER_CATEGORIES if c != "unknown")
TIMELINESS_STATUSES = _v(
    "status",
    ("on_time", "On time", "Filed by the due date."),
    ("late_cured", "Late, cured by 12b-25", "12b-25 by its deadline, report by the extended due date."),
    ("nt_but_missed_extension", "Missed the extension", "12b-25 on time, report after the extended due date."),
    ("late_without_nt", "Late, no 12b-25", "Filed after the due date with no notice."),
    ("nt_filed_late", "12b-25 filed late", "A notice after its deadline, and the report late."),
    ("not_filed_yet", "Not filed yet", "No report is known for the period."),
)  # fmt: skip
PERIOD_END_SOURCES = _v(
    "period_end_source",
    ("stated", "Stated", "The filing states the period end."),
    ("inferred_from_fye", "From fiscal year end", "Inferred from the company's fiscal year end."),
    ("inferred_calendar_quarter", "Calendar quarter", "Assumed to be a calendar quarter end."),
)
REASONS = _v(
    "reason_label",
    ("audit_incomplete", "Audit incomplete", "The auditor has not finished its audit or review (or its report or consent)."),
    ("financial_close_incomplete", "Financial close incomplete", "The company has not finished its close, statements, disclosures or the report."),
    ("auditor_change", "Auditor change", "A new, resigned or dismissed auditor."),
    ("restatement", "Restatement", "Prior statements are, or may be, restated; non-reliance (Item 4.02)."),
    ("accounting_complexity", "Accounting complexity", "Impairment, goodwill, valuation, revenue recognition, tax, derivatives."),
    ("investigation", "Investigation", "Audit-committee, special-committee or regulatory investigation."),
    ("internal_control", "Internal control", "Material weakness, ICFR evaluation, SOX 404."),
    ("transaction", "Transaction", "Acquisition, merger, disposal, spin-off, financing."),
    ("subsidiary_or_foreign_operations", "Subsidiary or foreign operations", "A subsidiary, foreign operations, a VIE."),
    ("management_or_staff_change", "Management or staff change", "CFO/CEO/controller departures or appointments, too few accounting staff."),
    ("going_concern_or_liquidity", "Going concern or liquidity", "Going concern, liquidity, bankruptcy, covenant defaults."),
    ("systems_or_cyber", "Systems or cyber", "Cyber incidents, ERP or accounting system changes."),
    ("filing_submission_problem", "Filing submission problem", "EDGAR, filing-agent, transmission or XBRL-tagging trouble at filing time."),
    ("disaster_or_pandemic", "Disaster or pandemic", "COVID-19, hurricanes and other disasters."),
    ("other", "Other", "None of the rules matched."),
)  # fmt: skip

# --- indexes, shares, data files ------------------------------------------------------------

INDEX_SOURCES = _v(
    "index_source",
    ("index_form", "form.idx", "An EDGAR full-index or daily-index form.idx file."),
    ("index_master", "master.idx", "An EDGAR master.idx file."),
    ("index_company", "company.idx", "An EDGAR company.idx file."),
    (
        "submissions_json",
        "Submissions JSON",
        "A company's submissions JSON: its whole filing history.",
    ),
    ("ingest", "Ingested filing", "A filing the workbench parsed itself."),
)
SHARES_SOURCES = _v(
    "shares_source",
    ("cover_text", "Cover page", "The cover page of a 10-K or 10-Q."),
    ("xbrl_dei", "XBRL dei", "dei:EntityCommonStockSharesOutstanding in XBRL data."),
    (
        "xbrl_frames",
        "XBRL frames",
        "A company's figure in an XBRL frames file (every company, one instant); its filing date is not stated.",
    ),
)
OFFERING_KINDS = _v(
    "offering_kind",
    ("employee_plan", "Employee plan", "S-8 family: shares for employee benefit plans."),
    ("primary", "Primary offering", "S-1, F-1, S-11, SB-2: shares the company sells now (an IPO or a follow-on)."),
    ("shelf", "Shelf", "S-3, F-3 (ASR, POS AM): shares that may be sold later, in takedowns."),
    ("takedown", "Takedown", "424B prospectus: shares sold off a shelf (at-the-market programs included)."),
    ("resale", "Resale", "Shares holders may resell: a Rule 457(c) fee on S-1, S-3, F-1 or F-3 (the price of shares already out or about to be issued to them)."),
    ("business_combination", "Business combination", "S-4, F-4: shares issued in a merger or exchange offer."),
    ("other", "Other", "Any other registration form."),
)  # fmt: skip
MISSING_REASONS = _v(
    "denominator_missing_reason",
    ("no_filed_date", "No filing date", "The registration has no filing date to join on."),
    ("no_cik", "No CIK", "The registration names no CIK."),
    ("no_shares_outstanding_for_company", "No shares outstanding", "No figure is known for the company."),
    ("no_figure_known_before_filing", "None before filing", "Every known figure is dated after the filing."),
)  # fmt: skip
DATA_KINDS = _v(
    "data_kind",
    ("companyfacts", "Company facts", "An XBRL companyfacts JSON."),
    ("submissions", "Submissions", "A submissions JSON (filing history)."),
    ("frames", "XBRL frames", "An XBRL frames JSON: one figure per company for one period."),
)

ALL: tuple[Vocabulary, ...] = (
    SEVERITIES, LAYOUTS, TEXT_FORMATS, FEE_CHECKS, AGGREGATE_CHECKS, ROW_GROUPS,
    FEE_TABLE_LAYOUTS, AMOUNT_KINDS, FILER_CATEGORIES, TIMELINESS_STATUSES, PERIOD_END_SOURCES,
    REASONS, INDEX_SOURCES, SHARES_SOURCES, MISSING_REASONS, DATA_KINDS, OFFERING_KINDS,
)  # fmt: skip
