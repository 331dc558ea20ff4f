"""The one dispatch point from a parsed filing to its form families' rows.

Each form family registers once: its name, the tables it fills and a function from a
``Filing`` to rows (column name → value; the column names are those declared for the
table in ``workbench.frames.fields``). Adding a family — say 8-K items — is one new module
and one ``Family`` entry here.

Every extractor runs on its own: an exception in one becomes an ``extractor_failed``
error naming the extractor, and the filing's other rows (its ``filings`` and
``documents`` rows, every other family's rows) survive.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.forms.filing import Filing
from workbench.forms.nt import LateNotice, notice_for
from workbench.forms.registration import FeeTable, read_fee_table
from workbench.forms.s8 import S8Registration, registration_for
from workbench.forms.shares import shares_for
from workbench.provenance import Issue, Span

Row = dict[str, Any]


@dataclass(slots=True)
class Extracted:
    """What one family found in one filing: rows by table, and warnings."""

    rows: list[tuple[str, Row]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def add(self, table: str, row: Row) -> None:
        """Append a row to a table."""
        self.rows.append((table, row))


@dataclass(slots=True)
class Context:
    """Per-filing memo shared by the families (a fee table is read once)."""

    filing: Filing
    _fee_table: tuple[FeeTable | None] | None = None

    def fee_table(self) -> FeeTable | None:
        """The filing's fee table, read on first use."""
        if self._fee_table is None:
            self._fee_table = (read_fee_table(self.filing),)
        return self._fee_table[0]


@dataclass(frozen=True, slots=True)
class Family:
    """A form family: the tables it fills and how a filing becomes their rows."""

    name: str
    tables: tuple[str, ...]
    extract: Callable[[Context], Extracted]
    description: str


def span_rows(spans: Mapping[str, Span]) -> list[Row]:
    """The ``spans`` column: one ``{field, start, end}`` struct per extracted field."""
    return [{"field": k, "start": v.start, "end": v.end} for k, v in sorted(spans.items())]


def identity(filing: Filing) -> Row:
    """The columns every form table starts with."""
    return {
        "source_path": filing.source_path,
        "accession_number": filing.accession_number,
        "cik": filing.cik,
        "company_name": filing.company_name,
        "form_type": filing.form_type,
        "filed_date": filing.filed_date,
    }


def _fields(record: object, names: tuple[str, ...]) -> Row:
    return {n: getattr(record, n) for n in names}


# --- families ---------------------------------------------------------------------------------

_NOTICE_COLUMNS = (
    "is_amendment", "report_type", "period_ended", "is_transition_report",
    "transition_period_ended", "relief_checked", "narrative", "expected_filing_date",
    "other_reports_filed", "other_reports_missing", "significant_change",
    "change_explanation", "contact_name", "contact_phone", "signer_name", "signer_title",
    "signed_date",
)  # fmt: skip


def _late_notice(ctx: Context) -> Extracted:
    out = Extracted()
    notice: LateNotice | None = notice_for(ctx.filing)
    if notice is None:
        return out
    row: Row = {
        **identity(ctx.filing),
        **_fields(notice, _NOTICE_COLUMNS),
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
    out.add("late_notices", row)
    out.warnings.extend(notice.warnings)
    return out


_OFFERING_COLUMNS = (
    "row_number", "row_group", "security_type", "security_title", "fee_rule",
    "amount_registered", "amount_kind", "shares_registered", "max_price_per_share",
    "max_aggregate_offering_price", "fee_rate_per_million_stated", "registration_fee",
    "fee_deferred", "carry_forward_form_type", "carry_forward_file_number",
    "carry_forward_initial_effective_date", "carry_forward_fee_previously_paid",
    "fee_rate_per_million_expected", "fee_check", "fee_check_stated_rate", "aggregate_check",
)  # fmt: skip
_REGISTRATION_COLUMNS = (
    "total_offering_amount", "total_fee_stated", "total_fees_previously_paid",
    "total_fee_offsets", "net_fee_due", "total_shares_registered", "total_registration_fee",
    "xbrl_html_compared", "xbrl_html_agreed",
)  # fmt: skip


def _fee_table(ctx: Context) -> Extracted:
    out = Extracted()
    table = ctx.fee_table()
    if table is None:
        return out
    ident = identity(ctx.filing)
    layout = table.read_layout
    for o in table.offerings:
        row = {**ident, **_fields(o, _OFFERING_COLUMNS), "fee_table_layout": layout}
        row["spans"] = span_rows(o.spans)
        out.add("offerings", row)
    warning_codes = sorted({code for code, _ in table.warnings})
    out.add(
        "registrations",
        {
            **ident,
            **_fields(table, _REGISTRATION_COLUMNS),
            "fee_table_layout": layout,
            "n_offerings": len(table.offerings),
            "fee_table_warnings": warning_codes,
            "spans": span_rows(table.spans),
        },
    )
    out.warnings.extend(table.warnings)
    return out


_S8_COLUMNS = (
    "plan_names", "prior_registration_numbers", "plan_shares_before", "plan_shares_after",
    "per_person_limit", "covers_rule_416", "is_deregistration", "shares_deregistered",
)  # fmt: skip


def _s8(ctx: Context) -> Extracted:
    out = Extracted()
    reg: S8Registration | None = registration_for(ctx.filing, ctx.fee_table())
    if reg is None:
        return out
    row = {
        **identity(ctx.filing),
        "state_of_incorporation": ctx.filing.state_of_incorporation,
        "irs_number": ctx.filing.irs_number,
        **_fields(reg, _S8_COLUMNS),
        "spans": span_rows(reg.spans),
    }
    row["plan_names"] = list(reg.plan_names)
    row["prior_registration_numbers"] = list(reg.prior_registration_numbers)
    out.add("s8_filings", row)
    out.warnings.extend(reg.warnings)
    return out


def _shares(ctx: Context) -> Extracted:
    out = Extracted()
    f = ctx.filing
    for stated in shares_for(f):
        spans = {"shares_outstanding": stated.span}
        if stated.date_span:
            spans["as_of_date"] = stated.date_span
        out.add(
            "shares_outstanding",
            {
                "cik": f.cik, "company_name": f.company_name, "as_of_date": stated.as_of_date,
                "shares_outstanding": stated.shares_outstanding, "share_class": stated.share_class,
                "source": "cover_text", "source_path": f.source_path,
                "accession_number": f.accession_number, "filed_date": f.filed_date,
                "n_facts": None, "spans": span_rows(spans),
            },
        )  # fmt: skip
    return out


FAMILIES: tuple[Family, ...] = (
    Family("late_notice", ("late_notices",), _late_notice,
           "Form 12b-25 notices (NT 10-K, NT 10-Q, NT 20-F, NT-NCSR ...)."),
    Family("fee_table", ("offerings", "registrations"), _fee_table,
           "Registration fee tables of every form: Exhibit 107 and the cover-page table."),
    Family("s8", ("s8_filings",), _s8,
           "S-8 specifics: plans, pool increases, Rule 416, deregistrations."),
    Family("shares_outstanding", ("shares_outstanding",), _shares,
           "Shares outstanding stated on a 10-K/10-Q cover."),
)  # fmt: skip


def extract_all(
    filing: Filing, families: tuple[Family, ...] | None = None
) -> Iterator[tuple[str, Row] | Issue]:
    """Every family's rows and warnings for a filing; a family that raises yields an
    ``extractor_failed`` error instead of its rows, and the others run on."""
    ctx = Context(filing)
    for family in FAMILIES if families is None else families:
        try:
            found = family.extract(ctx)
        except Exception as exc:  # isolation: one family's bug never loses the file
            where = traceback.extract_tb(exc.__traceback__)[-1]
            yield Issue(
                "error",
                "extractor_failed",
                f"{family.name} extractor failed on {filing.source_path}: "
                f"{type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:"
                f"{where.lineno})",
            )
            continue
        yield from found.rows
        for code, message in found.warnings:
            yield Issue("warning", code, message)
