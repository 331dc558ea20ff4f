"""Form S-8 (and S-8 POS) specifics: plans, pool increases, Rule 416, deregistrations.

The fee table of an S-8 is read like every other registration form's, by
``workbench.forms.registration`` (rows in ``offerings``, totals in ``registrations``);
this module reads what only an employee-plan registration states: the plans' full titles,
the earlier registration statements it adds to, a "from X to Y" increase of the plan's
share reserve, a per-person limit, whether Rule 416 is invoked, and for an S-8 POS the
shares it deregisters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.form_types import S8_FORMS, is_s8
from workbench.forms.family import (
    IDENTITY,
    Column,
    Context,
    Extracted,
    Family,
    TableSpec,
    primary_when,
)
from workbench.forms.filing import Filing
from workbench.forms.registration import FOOTNOTE as _FOOTNOTE
from workbench.forms.registration import FeeTable, Offering, fee_table_of, read_fee_table
from workbench.provenance import Span
from workbench.text.html_to_text import OffsetMap

ToSource = Callable[[int, int], Span]
#: a line that separates blocks: blank, a rule, or only SGML table tags
_SEPARATOR = re.compile(
    r"^[\s\-=_|+~.:*]*$|^\s*(?:</?(?:S|C|CAPTION|TABLE|FN|PAGE)>\s*)+$", re.IGNORECASE
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past blanks and cell rules at either edge."""
    while start < end and text[start] in " \t\n|":
        start += 1
    while end > start and text[end - 1] in " \t\n|":
        end -= 1
    return start, end


@dataclass(frozen=True, slots=True, kw_only=True)
class S8Registration:
    """What an S-8 or S-8 POS registers (or deregisters); its fee table is ``fee_table``."""

    fee_table: FeeTable | None
    plan_names: tuple[str, ...] = ()
    prior_registration_numbers: tuple[str, ...] = ()
    plan_shares_before: int | None = None
    plan_shares_after: int | None = None
    per_person_limit: int | None = None
    covers_rule_416: bool = False
    is_deregistration: bool = False
    shares_deregistered: int | None = None
    spans: dict[str, Span] = field(default_factory=dict)
    warnings: tuple[tuple[str, str], ...] = ()

    @property
    def offerings(self) -> tuple[Offering, ...]:
        """The fee table's rows (empty without one)."""
        return self.fee_table.offerings if self.fee_table else ()

    @property
    def fee_table_layout(self) -> str | None:
        """Where the fee table was read; ``None`` when no row or total could be read."""
        return self.fee_table.read_layout if self.fee_table else None

    @property
    def total_shares_registered(self) -> int | None:
        """Shares registered in the rows for which a fee is paid now."""
        return self.fee_table.total_shares_registered if self.fee_table else None

    @property
    def total_registration_fee(self) -> float | None:
        """Net fee due, else the stated total fee, else the sum of the rows' fees."""
        return self.fee_table.total_registration_fee if self.fee_table else None

    @property
    def total_offering_amount(self) -> float | None:
        """Stated total maximum aggregate offering price."""
        return self.fee_table.total_offering_amount if self.fee_table else None

    @property
    def total_fee_stated(self) -> float | None:
        """Stated total fee."""
        return self.fee_table.total_fee_stated if self.fee_table else None

    @property
    def net_fee_due(self) -> float | None:
        """Exhibit 107 "Net Fee Due"."""
        return self.fee_table.net_fee_due if self.fee_table else None


_PLAN_LABEL = re.compile(r"(?:\(\s*+)?Full\s+titles?\s+of\s+(?:the\s+)?plans?\s*\)?", re.IGNORECASE)
_REG_NO = re.compile(r"\b333-\d{4,7}\b")
_FROM_TO = re.compile(
    r"from\s+(?P<a>\d{1,3}(?:,\d{3})+|\d{4,})\s*(?:shares)?\s+to\s+(?P<b>\d{1,3}(?:,\d{3})+|\d{4,})",
    re.IGNORECASE,
)
_PER_PERSON = re.compile(
    r"individual|participant|any\s+(?:one\s+)?(?:person|employee)|per\s+person|single\s+person",
    re.IGNORECASE,
)
_DEREGISTER = re.compile(r"deregist", re.IGNORECASE)
_DEREGISTERED_COUNT = re.compile(
    r"deregist\w*,?\s+[^.\d]{0,120}?(?<![\d,.$])(?P<a>\d{1,3}(?:,\d{3})+|\d{4,})\s+shares"
    r"|(?<![\d,.$])(?P<b>\d{1,3}(?:,\d{3})+|\d{4,})\s+shares[^.]{0,200}?\bderegistered\b",
    re.IGNORECASE,
)
_RULE_416 = re.compile(r"Rule\s+416", re.IGNORECASE)


def _mapper(offsets: OffsetMap) -> ToSource:
    return lambda s, e: Span(*offsets.span_to_source(s, e))


# --- explanatory note, plans, deregistration ----------------------------------------------


def _plan_names(text: str, to_src: ToSource) -> tuple[tuple[str, ...], Span | None]:
    label = _PLAN_LABEL.search(text, 0, 12000)
    if label is None:
        return (), None
    lines = text[: label.start()].split("\n")
    collected: list[str] = []
    pos = label.start()
    first = None
    for line in reversed(lines):
        pos -= len(line) + 1
        if _SEPARATOR.match(line):
            if collected:
                break
            continue
        collected.insert(0, line)
        first = pos + 1
    if not collected or first is None:
        return (), None
    names: list[str] = []
    for piece in re.split(r"\n|;|\t", "\n".join(collected)):
        piece = re.sub(r"\s+", " ", _FOOTNOTE.sub(" ", piece)).strip(" ,.")
        parts = (
            re.split(r",\s*(?:and\s+)?|\s+and\s+(?=(?:the\s+)?(?:\d{4}\s+)?[A-Z])", piece)
            if len(re.findall(r"\b(?:Plan|Program|Agreement)s?\b", piece)) > 1
            else [piece]
        )
        for part in parts:
            part = re.sub(r"^(?:and\s+|the\s+)", "", part.strip(" ,."), flags=re.IGNORECASE)
            if part and part not in names:
                names.append(part)
    return tuple(names), to_src(*_trim(text, first, label.start()))


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, pos), text.rfind(".\n", 0, pos))
    end = text.find(". ", pos)
    return (start + 1 if start >= 0 else 0), (end if end >= 0 else len(text))


def _note(filing: Filing, form_type: str) -> dict[str, object]:
    """Plan names, prior registrations, plan-size steps, Rule 416, deregistration."""
    sub = filing.submission
    doc = sub.primary_document
    out: dict[str, object] = {"spans": {}}
    spans: dict[str, Span] = out["spans"]  # type: ignore[assignment]
    if doc is None or doc.text_format not in ("text", "html"):
        return out
    text, offsets = sub.clean_text(doc)
    to_src = _mapper(offsets)
    names, span = _plan_names(text, to_src)
    if names and span:
        out["plan_names"] = names
        spans["plan_names"] = span
    regs = list(dict.fromkeys(m.group(0) for m in _REG_NO.finditer(text)))
    if regs:
        out["prior_registration_numbers"] = tuple(regs)
        first = _REG_NO.search(text)
        assert first is not None
        spans["prior_registration_numbers"] = to_src(first.start(), first.end())
    for m in _FROM_TO.finditer(text):
        s, _e = _sentence(text, m.start())
        before = text[s : m.start()]
        after_b = int(m.group("b").replace(",", ""))
        if _PER_PERSON.search(before):
            if "per_person_limit" not in out:
                out["per_person_limit"] = after_b
                spans["per_person_limit"] = to_src(m.start("b"), m.end("b"))
        elif "plan_shares_after" not in out:
            out["plan_shares_before"] = int(m.group("a").replace(",", ""))
            out["plan_shares_after"] = after_b
            spans["plan_shares_before"] = to_src(m.start("a"), m.end("a"))
            spans["plan_shares_after"] = to_src(m.start("b"), m.end("b"))
    rule416 = _RULE_416.search(text)
    if rule416:
        out["covers_rule_416"] = True
        spans["covers_rule_416"] = to_src(rule416.start(), rule416.end())
    if form_type == "S-8 POS" and _DEREGISTER.search(text):
        out["is_deregistration"] = True
        count = _DEREGISTERED_COUNT.search(text)
        if count:
            g = "a" if count.group("a") else "b"
            out["shares_deregistered"] = int(count.group(g).replace(",", ""))
            spans["shares_deregistered"] = to_src(count.start(g), count.end(g))
    return out


# --- entry point ----------------------------------------------------------------------------


#: ``registration_for`` reads the fee table itself unless given it (``None`` included)
_UNREAD: Any = object()


def registration_for(filing: Filing, fee_table: FeeTable | None = _UNREAD) -> S8Registration | None:
    """The S-8 content of a parsed filing, or ``None`` when it is not an S-8.

    ``fee_table``: the filing's fee table when the caller has read it already (``None``
    when it has none), so it is not read twice.
    """
    form = (filing.form_type or "").upper()
    if form not in S8_FORMS:
        return None
    table = read_fee_table(filing) if fee_table is _UNREAD else fee_table
    note = _note(filing, form)
    spans: dict[str, Span] = dict(note.pop("spans"))  # type: ignore[call-overload]
    warnings: list[tuple[str, str]] = []
    if table is None and form != "S-8 POS":
        warnings.append(
            (
                "fee_table_not_found",
                "no 'Calculation of Registration Fee' table, Exhibit 107 or ffd: facts found",
            )
        )
    return S8Registration(
        fee_table=table,
        spans=spans,
        warnings=tuple(warnings),
        **note,  # type: ignore[arg-type]
    )


# --- the family: its table, its columns, its extractor ----------------------------------------

S8_FILINGS = TableSpec(
    "s8_filings",
    (
        *IDENTITY, "state_of_incorporation", "irs_number", "plan_names",
        "prior_registration_numbers", "plan_shares_before", "plan_shares_after",
        "per_person_limit", "covers_rule_416", "is_deregistration",
        "shares_deregistered", "spans",
    ),
    ("source_path",),
    "One row per S-8, S-8/A or S-8 POS: plans, pool increases, deregistrations.",
)  # fmt: skip

COLUMNS = (
    Column("plan_names", list[str], "Plans named on the cover ('Full title of the plan')."),
    Column(
        "prior_registration_numbers",
        list[str],
        "Registration statements (333-...) the filing refers to.",
    ),
    Column(
        "plan_shares_before",
        int,
        "Plan share reserve before the increase ('from X to Y').",
        unit="shares",
    ),
    Column(
        "plan_shares_after",
        int,
        "Plan share reserve after the increase ('from X to Y').",
        unit="shares",
    ),
    Column(
        "per_person_limit",
        int,
        "Per-person award limit after any change, when stated.",
        unit="shares",
    ),
    Column(
        "covers_rule_416",
        bool,
        "The filing invokes Rule 416 (shares added by splits and dividends).",
    ),
    Column("is_deregistration", bool, "An S-8 POS that deregisters unsold shares."),
    Column("shares_deregistered", int, "Shares removed from registration.", unit="shares"),
)


def _extract(ctx: Context) -> Extracted:
    out = Extracted()
    reg = registration_for(ctx.filing, fee_table_of(ctx))
    if reg is None:
        return out
    f = ctx.filing
    out.add_found(
        f,
        S8_FILINGS,
        reg,
        reg.spans,
        state_of_incorporation=f.state_of_incorporation,
        irs_number=f.irs_number,
    )
    out.warnings.extend(reg.warnings)
    return out


FAMILY = Family(
    "s8",
    "S-8 specifics: plans, pool increases, Rule 416, deregistrations.",
    (S8_FILINGS,),
    COLUMNS,
    _extract,
    reads=primary_when(is_s8),
)
