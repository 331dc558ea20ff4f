"""Registration fee tables of every registration form: Exhibit 107 and the cover-page table.

Where a fee table lives:

* ``ex107_ixbrl`` — Exhibit 107 (``EX-FILING FEES``) carrying inline XBRL ``ffd:`` facts.
  The facts are the primary source: one row per offering context (offerings that state no
  amount included), ``ix:continuation`` followed, ``ix:exclude`` dropped, boolean flags read
  from ``ixt:booleantrue``/``fixed-true``. When the exhibit's HTML table can be read too,
  both are compared field by field and every disagreement is a warning.
* ``ex107_html`` — Exhibit 107 without facts: its Table 1 read as a grid.
* ``html`` / ``text`` — the pre-2022 "Calculation of Registration Fee" table on the cover of
  the primary document (S-8, S-1, S-3, F-3, 424B...); a plain-text table is put on the same
  grid as an HTML one (``text_table``) and read by the same headers.

A table is read cell by cell (``workbench.text.tables``): columns are found by their
headers (multi-row headers and colspans joined per grid column), each value is read from
its own column, and ``$`` cells, footnote-marker cells and blank cells never shift it.
Footnotes, narrative rows and Tables 2 and 3 never become rows.

Then every row is checked by arithmetic — shares × price ≈ aggregate, aggregate × rate ≈
fee (the stated rate and the Section 6(b) rate in force), rows sum to the totals, net fee
due = total − previously paid − offsets. A row that does not reconcile keeps its values,
carries the check columns and gets a warning naming the row; a table for which no row
reconciles is ``fee_table_unreadable`` and yields no rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_lib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from workbench.form_types import is_registration_form
from workbench.forms.family import (
    IDENTITY,
    Column,
    Context,
    Extracted,
    Family,
    TableSpec,
    Warning_,
    primary_stub,
)
from workbench.forms.fees import check_aggregate, check_fee, expected_rate
from workbench.forms.filing import Filing
from workbench.provenance import Span
from workbench.sgml.submission import Document
from workbench.sources.filing_dir import DocumentStub
from workbench.text.dates import parse_date_text
from workbench.text.html_to_text import OffsetMap
from workbench.text.tables import Cell, Table, html_tables, text_table
from workbench.vocab import (
    AGGREGATE_CHECKS,
    AMOUNT_KINDS,
    FEE_CHECKS,
    FEE_TABLE_LAYOUTS,
    ROW_GROUPS,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Offering:
    """One security class in a fee table; ``None`` means the table does not state it."""

    row_number: int
    row_group: str
    security_type: str | None = None
    security_title: str | None = None
    fee_rule: str | None = None
    amount_registered: float | None = None
    amount_kind: str | None = None
    max_price_per_share: float | None = None
    max_aggregate_offering_price: float | None = None
    fee_rate_per_million_stated: float | None = None
    registration_fee: float | None = None
    fee_deferred: bool = False
    carry_forward_form_type: str | None = None
    carry_forward_file_number: str | None = None
    carry_forward_initial_effective_date: dt.date | None = None
    carry_forward_fee_previously_paid: float | None = None
    fee_rate_per_million_expected: float | None = None
    fee_check: str | None = None
    fee_check_stated_rate: str | None = None
    aggregate_check: str | None = None
    spans: dict[str, Span] = field(default_factory=dict)

    @property
    def shares_registered(self) -> int | None:
        """The amount registered when it counts shares (never a dollar amount)."""
        if self.amount_kind != "shares" or self.amount_registered is None:
            return None
        return int(self.amount_registered)


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeTable:
    """A filing's fee table: its rows, its stated totals and what checking them found."""

    layout: str
    offerings: tuple[Offering, ...]
    total_offering_amount: float | None = None
    total_fee_stated: float | None = None
    total_fees_previously_paid: float | None = None
    total_fee_offsets: float | None = None
    net_fee_due: float | None = None
    #: ffd facts vs the HTML table: fields compared and fields that agree
    xbrl_html_compared: int = 0
    xbrl_html_agreed: int = 0
    spans: dict[str, Span] = field(default_factory=dict)
    warnings: tuple[Warning_, ...] = ()

    @property
    def read_layout(self) -> str | None:
        """``layout`` when a row or a total was read from it; ``None`` for a table found but
        not read (a ``fee_table_unreadable`` warning says why)."""
        read = self.offerings or self.total_offering_amount is not None
        return self.layout if read else None

    @property
    def total_shares_registered(self) -> int | None:
        """Shares registered in the rows for which a fee is paid now."""
        counts = [
            o.shares_registered
            for o in self.offerings
            if o.row_group == "fees_to_be_paid" and o.shares_registered is not None
        ]
        return sum(counts) if counts else None

    @property
    def total_registration_fee(self) -> float | None:
        """Net fee due, else the stated total fee, else the sum of the rows' fees."""
        if self.net_fee_due is not None:
            return self.net_fee_due
        if self.total_fee_stated is not None:
            return self.total_fee_stated
        fees = [
            o.registration_fee
            for o in self.offerings
            if o.row_group == "fees_to_be_paid" and o.registration_fee is not None
        ]
        return round(sum(fees), 2) if fees else None


# --- cell values ----------------------------------------------------------------------------

#: footnote markers in a cell: "(1)", "(a)", "*", "†", "[1]"
FOOTNOTE = re.compile(r"\(\s*\d{1,2}\s*\)|\(\s*[a-z]\s*\)|\*+|[†‡§]|\[\s*\d{1,2}\s*\]")
#: Exhibit 107 row-group labels
GROUP_LABELS = (
    ("fees_previously_paid", re.compile(r"fees?\s+previously\s+paid", re.IGNORECASE)),
    ("carry_forward", re.compile(r"carry\s+forward\s+securities", re.IGNORECASE)),
    ("fees_to_be_paid", re.compile(r"fees?\s+to\s+be\s+paid", re.IGNORECASE)),
)
_NUMBER = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\w])")
_DECIMAL_COMMA = re.compile(r"^\$?\s*(\d{1,3}),(\d{2})$")  # "761,12": no thousands group
_NONE = re.compile(r"^(?:n/?a|none|nil|not\s+applicable|[-–—−]+|-0-|\$?\s*-+)$", re.IGNORECASE)
_INDETERMINATE = re.compile(r"indetermin|unspecified|not\s+specified|\(\s*\d\s*\)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Value:
    value: float
    span: Span
    dollars: bool


def _strip_notes(text: str) -> str:
    return FOOTNOTE.sub(lambda m: " " * len(m.group(0)), text)


def _number(cell: Cell) -> _Value | None:
    """The one number a value cell states, footnote markers masked; ``None`` when the cell
    states no number ("—", "N/A", only a footnote)."""
    text = _strip_notes(cell.text)
    bare = text.strip()
    if not bare or _NONE.match(bare):
        return None
    dm = _DECIMAL_COMMA.match(bare)
    if dm:
        start = cell.text.find(dm.group(1))
        end = start + len(dm.group(1)) + 3
        return _Value(float(f"{dm.group(1)}.{dm.group(2)}"), cell.span(start, end), "$" in bare)
    m = _NUMBER.search(text)
    if m is None:
        return None
    value = float(m.group(0).replace(",", ""))
    tail = text[m.end() : m.end() + 12].lower()
    scale = {"million": 1e6, "billion": 1e9, "thousand": 1e3}
    for word, k in scale.items():
        if tail.strip().startswith(word):
            value = round(value * k, 2)
    lead = re.search(r"\$\s*$", text[: m.start()])  # the span shows the value as written
    first = lead.start() if lead else m.start()
    return _Value(value, cell.span(first, m.end()), "$" in text[: m.start()] or "$" in tail)


def _rate(cell: Cell) -> _Value | None:
    """A fee-rate cell in dollars per $1,000,000: "0.0001531", "$.0000927", "0.011020%",
    "$153.10 per $1,000,000", "$110.20 per million"."""
    v = _number(cell)
    if v is None:
        return None
    text = cell.text.lower()
    if "%" in text:
        value = v.value * 10_000
    elif "per" in text or v.value >= 1:
        value = v.value
    else:
        value = v.value * 1_000_000
    return _Value(round(value, 4), v.span, True)


def parse_fee_rate(text: str) -> float | None:
    """A fee-rate cell's text in dollars per $1,000,000 (see ``_rate``)."""
    if re.search(r"\bpar\b", text, re.IGNORECASE):
        return None  # "$0.0001 par value" is a title, not a rate
    v = _rate(Cell(text, 0, 0, start=0, end=len(text)))
    return v.value if v else None


def _clean_text(cell: Cell | None) -> tuple[str | None, Span | None]:
    """A text cell without footnote markers; ``None`` for blank or "—"."""
    if cell is None:
        return None, None
    text = re.sub(r"\s+", " ", _strip_notes(cell.text)).strip(" ,;:")
    if not text or _NONE.match(text):
        return None, None
    lead = cell.text.find(text[:8]) if text[:8] in cell.text else 0
    return text, cell.span(max(lead, 0), len(cell.text))


_RULE_TAIL_NOTE = re.compile(
    r"(?<=[\w)])\s+\(\s*\d{1,2}\s*\)|(?<=[A-Za-z])\(\s*\d{1,2}\s*\)|(?<!\s)\s*[*†‡§]+"
)


def _rule_text(cell: Cell | None) -> tuple[str | None, Span | None]:
    """The fee-rule cell: "457(c)", "Rule 457(o)", "Other", "415(a)(6)" (a footnote marker
    set off by a space is dropped; "457(h)(1)" stays whole)."""
    if cell is None:
        return None, None
    text = re.sub(r"\s+", " ", _RULE_TAIL_NOTE.sub("", cell.text)).strip(" ,;")
    if not text or _NONE.match(text) or re.fullmatch(r"(?:\(\s*\d{1,2}\s*\)\s*)+", text):
        return None, None
    return text, cell.span()


# --- headers --------------------------------------------------------------------------------

#: column key → header pattern, most specific first (a header matches the first that fits)
_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (k, re.compile(p, re.IGNORECASE))
    for k, p in (
        ("offset", r"offset|registrant\s+or\s+filer|filing\s+date|source"),
        ("fee_rate", r"fee\s+rate|rate\s+of\s+fee"),
        (
            "cf_fee",
            r"(?:unsold|carried\s+forward|carry\s+forward).*fee|fee.*(?:unsold|carried\s+forward)",
        ),
        ("cf_form_type", r"form\s+type"),
        ("cf_file_number", r"file\s+n(?:umber|o)"),
        ("cf_date", r"effective\s+date"),
        ("fee_rule", r"fee\s+calculation|carry\s+forward\s+rule|\brule\b"),
        ("fee", r"registration\s+fee|filing\s+fee|\bfees?\b"),
        ("aggregate", r"aggregate"),
        ("price", r"per\s+(?:unit|share|security|note|debenture|warrant)|price"),
        ("amount", r"^amount\b(?!.*\bfees?\b)"),
        ("security_type", r"security\s+type|type\s+of\s+securit"),
        (
            "security_title",
            r"title|class\s+of\s+securit|securities\s+to\s+be\s+registered|description|^securities$",
        ),
        ("amount", r"amount|number\s+of|to\s+be\s+registered"),
    )
)
_NEEDED = ({"security_title", "security_type"}, {"amount", "aggregate", "fee"})


def _classify(header: str) -> str | None:
    text = re.sub(r"\s+", " ", _strip_notes(header)).strip()
    if not text:
        return None
    for key, rx in _COLUMNS:
        if rx.search(text):
            return key
    return None


@dataclass(slots=True)
class _Layout:
    """Which grid columns hold which field, and the row where the data starts."""

    columns: dict[str, tuple[int, int]]  # key → (first grid column, last grid column)
    first_data_row: int


def _layout(table: Table) -> _Layout | None:
    """Find the header rows (within the first rows) and map grid columns to fields."""
    for top in range(min(len(table.rows), 12)):
        hits = {_classify(c.text) for c in table.rows[top] if c.text}
        if len(hits - {None}) < 2:
            continue
        best: _Layout | None = None
        for bottom in range(top, min(top + 4, len(table.rows))):
            texts = table.column_texts(range(top, bottom + 1))
            keys = [_classify(t) for t in texts]
            columns: dict[str, tuple[int, int]] = {}
            for col, key in enumerate(keys):
                if key is None:
                    continue
                if key in columns:
                    a, b = columns[key]
                    if b == col - 1:
                        columns[key] = (a, col)
                    continue
                columns[key] = (col, col)
            if "offset" in columns or not all(columns.keys() & need for need in _NEEDED):
                continue
            if best is None or len(columns) > len(best.columns):
                best = _Layout(columns, bottom + 1)
        if best is not None:
            return best
    return None


# --- rows -----------------------------------------------------------------------------------

_SECTION = re.compile(r"^(?:newly\s+registered\s+securities|carry\s+forward\s+securities)$", re.I)
_TOTAL = (
    ("total_fees_previously_paid", re.compile(r"^total\s+fees?\s+previously\s+paid", re.I)),
    ("total_fee_offsets", re.compile(r"^total\s+fee\s+offsets?", re.I)),
    ("net_fee_due", re.compile(r"^net\s+fees?\s+due", re.I)),
    ("total_offering_amount", re.compile(r"^total\s+offering\s+amounts?", re.I)),
    ("total_fees_due", re.compile(r"^total\s+fees?\s+due", re.I)),
    ("total", re.compile(r"^totals?\b", re.I)),
)
_TABLE_END = re.compile(
    r"^table\s*2\b|^table\s*3\b|fee\s+offset\s+claims|offset\s+sources|^rule\s+457\s*\(\s*p\s*\)",
    re.IGNORECASE,
)


def _group_of(text: str) -> str | None:
    for group, rx in GROUP_LABELS:
        if rx.search(text) and len(text) < 60:
            return group
    return None


def _row_cells(table: Table, r: int, layout: _Layout) -> dict[str, Cell]:
    """The row's cell for each mapped field. A cell in an unmapped column (a "$" column, a
    column with no header) belongs to the nearest mapped column on its left when that
    column holds nothing else in this row."""
    spans = sorted(layout.columns.items(), key=lambda kv: kv[1][0])
    found: dict[str, list[Cell]] = {}
    strays: list[Cell] = []
    for c in table.rows[r]:
        if not c.text:
            continue
        owner = next((k for k, (a, b) in spans if c.col <= b and c.last_col >= a), None)
        if owner is None:
            strays.append(c)
        else:
            found.setdefault(owner, []).append(c)
    for c in strays:
        left = [k for k, (_a, b) in spans if b < c.col]
        if not left:
            continue
        k = left[-1]
        held = " ".join(x.text for x in found.get(k, []))
        if not held.strip(" $"):
            found.setdefault(k, []).append(c)
    out: dict[str, Cell] = {}
    for k, cells in found.items():
        if len(cells) == 1:
            out[k] = cells[0]
            continue
        # "$" in one cell and the number in the next: keep the cell with the most content
        cells = [x for x in cells if x.text.strip(" $")] or cells
        out[k] = cells[0] if len(cells) == 1 else _join(cells)
    return out


def _join(cells: list[Cell]) -> Cell:
    """Cells of one field in one row (a split cell) as one cell; the span covers them all."""
    first = cells[0]
    text = " ".join(c.text for c in cells)
    return dataclasses.replace(
        first, text=text, end=cells[-1].end, offsets=None, char_src=_chars(cells)
    )


def _chars(cells: list[Cell]) -> tuple[int, ...]:
    out: list[int] = []
    for i, c in enumerate(cells):
        if i:
            out.append(out[-1])  # the joining space maps to the previous character
        for k in range(len(c.text)):
            out.append(c.span(k, k + 1).start)
    return tuple(out)


_TEXT_FIELDS = (
    ("security_type", "security_type"),
    ("security_title", "security_title"),
    ("cf_form_type", "carry_forward_form_type"),
    ("cf_file_number", "carry_forward_file_number"),
)
_MONEY_FIELDS = (
    ("price", "max_price_per_share"),
    ("aggregate", "max_aggregate_offering_price"),
    ("fee", "registration_fee"),
    ("cf_fee", "carry_forward_fee_previously_paid"),
)


def _amount(cell: Cell, values: dict[str, object], spans: dict[str, Span]) -> None:
    """The Amount Registered cell: a count of shares (or units), a dollar amount ("$",
    "principal amount") or an indeterminate amount; a dollar figure is never shares."""
    v = _number(cell)
    if v is not None:
        values["amount_registered"], spans["amount_registered"] = v.value, v.span
        debt = "principal" in cell.text.lower()
        values["amount_kind"] = "dollars" if v.dollars or debt else "shares"
    elif _INDETERMINATE.search(cell.text):
        values["amount_kind"] = "indeterminate"
        spans["amount_registered"] = cell.span()


_VALUE_LABELS = {
    "amount": "amount registered",
    "price": "price per unit",
    "aggregate": "aggregate offering price",
    "fee": "registration fee",
}


def _unread(cells: dict[str, Cell], values: dict[str, object], number: int) -> list[Warning_]:
    """Value cells that hold words this reader cannot take as a value ("see below", "to be
    determined"): each is a warning naming the row, never a silent blank."""
    out: list[Warning_] = []
    read = {
        "amount": "amount_registered" in values or "amount_kind" in values,
        "price": "max_price_per_share" in values,
        "aggregate": "max_aggregate_offering_price" in values,
        "fee": "registration_fee" in values,
    }
    for key, label in _VALUE_LABELS.items():
        cell = cells.get(key)
        if cell is None or read[key]:
            continue
        text = re.sub(r"\s+", " ", _strip_notes(cell.text)).strip(" $")
        if text and not _NONE.match(text) and not _INDETERMINATE.search(text):
            out.append(
                ("fee_cell_unread", f"row {number}: {label} cell {text[:40]!r} is not a value")
            )
    return out


def _offering(
    cells: dict[str, Cell], group: str, number: int, unread: list[Warning_] | None = None
) -> Offering | None:
    spans: dict[str, Span] = {}
    values: dict[str, object] = {}
    for key, name in _TEXT_FIELDS:
        text, span = _clean_text(cells.get(key))
        if text is not None and span is not None:
            values[name], spans[name] = text, span
    rule, rule_span = _rule_text(cells.get("fee_rule"))
    if rule and rule_span:
        values["fee_rule"], spans["fee_rule"] = rule, rule_span
    for key, name in _MONEY_FIELDS:
        v = _number(cells[key]) if key in cells else None
        if v is not None:
            values[name], spans[name] = v.value, v.span
    rate = _rate(cells["fee_rate"]) if "fee_rate" in cells else None
    if rate is not None:
        values["fee_rate_per_million_stated"] = rate.value
        spans["fee_rate_per_million_stated"] = rate.span
    if "amount" in cells:
        _amount(cells["amount"], values, spans)
    date = parse_date_text(cells["cf_date"].text) if "cf_date" in cells else None
    if date is not None:
        values["carry_forward_initial_effective_date"] = date
        spans["carry_forward_initial_effective_date"] = cells["cf_date"].span()
    has_number = values.keys() & {
        "amount_registered",
        "max_aggregate_offering_price",
        "registration_fee",
    }
    if not has_number and not ({"security_title", "security_type"} & values.keys()):
        return None
    if unread is not None:
        unread.extend(_unread(cells, values, number))
    return Offering(row_number=number, row_group=group, spans=spans, **values)  # type: ignore[arg-type]


def _is_narrative(table: Table, r: int) -> bool:
    """A footnote or prose row: one cell (or a marker and one cell) spanning most columns."""
    cells = [c for c in table.rows[r] if c.text]
    if not cells:
        return False
    widest = max(cells, key=lambda c: c.colspan)
    long_text = max(len(c.text) for c in cells) > 120
    spans_most = widest.colspan >= max(2, int(0.6 * table.n_cols))
    marker_first = bool(re.match(r"^\s*(?:\(\s*\w{1,2}\s*\)|\*|†|\d{1,2}\.)\s*$", cells[0].text))
    return (spans_most and _group_of(widest.text) is None and not _total_label(widest.text)) or (
        long_text and (marker_first or len(cells) <= 2)
    )


def _total_label(text: str) -> str | None:
    stripped = text.strip()
    for key, rx in _TOTAL:
        if rx.search(stripped):
            return key
    return None


@dataclass(slots=True)
class _Read:
    offerings: list[Offering] = field(default_factory=list)
    totals: dict[str, tuple[float | None, Span | None]] = field(default_factory=dict)
    layout: _Layout | None = None
    ended: bool = False  # Table 2 or 3 reached: nothing after it continues Table 1
    unread: list[Warning_] = field(default_factory=list)  # value cells not taken as values
    notes: list[Warning_] = field(default_factory=list)  # how the table was read


def read_html_table(
    table: Table, carried: _Layout | None = None, out: _Read | None = None
) -> _Read | None:
    """Table 1 of a fee table as offerings and totals; ``None`` when no header fits.

    ``carried``/``out``: a table that continues the previous one (Table 1 split at a page
    break, or its header set as a table of its own) is read with that table's columns
    into the same reading.
    """
    layout = _layout(table) if carried is None else _Layout(carried.columns, 0)
    if layout is None:
        return None
    out = _Read() if out is None else out
    out.layout = layout
    group = out.offerings[-1].row_group if out.offerings else "fees_to_be_paid"
    for r in range(layout.first_data_row, len(table.rows)):
        cells = [c for c in table.rows[r] if c.text]
        if not cells:
            continue
        first = cells[0].text.strip()
        if any(_TABLE_END.search(c.text.strip()) for c in cells[:2]):
            out.ended = True
            break
        if _is_narrative(table, r):
            continue
        labels = [_group_of(c.text) for c in cells]
        if all(
            lb is not None or _SECTION.match(c.text.strip())
            for lb, c in zip(labels, cells, strict=True)
        ):
            group = next((lb for lb in labels if lb), group)
            continue
        for lb, c in zip(labels, cells, strict=True):
            if lb is not None and c.col < min(a for a, _ in layout.columns.values()):
                group = lb
        total = next(filter(None, (_total_label(c.text) for c in cells[:2])), None)
        mapped = _row_cells(table, r, layout)
        if total is not None:
            _total_row(total, mapped, out.totals)
            continue
        mapped = {
            k: v for k, v in mapped.items() if _group_of(v.text) is None or k != "security_type"
        }
        offering = _offering(mapped, group, len(out.offerings) + 1, out.unread)
        if offering is None:
            continue
        _append(out.offerings, offering, first)
    return out


def _append(offerings: list[Offering], offering: Offering, first: str) -> None:
    """Add a row, or join a title-only row to the title it continues."""
    only_title = set(offering.spans) == {"security_title"}
    if not (only_title and offerings and _continues(first, offerings[-1])):
        offerings.append(offering)
        return
    prev = offerings[-1]
    title = f"{prev.security_title} {offering.security_title}".strip()
    spans = dict(prev.spans)
    if "security_title" in prev.spans:
        a, b = prev.spans["security_title"], offering.spans["security_title"]
        spans["security_title"] = Span(min(a.start, b.start), max(a.end, b.end))
    offerings[-1] = dataclasses.replace(prev, security_title=title, spans=spans)


def _continues(text: str, prev: Offering) -> bool:
    """A title-only row continues the previous row's title when that title looks cut off
    (ends mid-phrase) or this one starts in lower case."""
    if not prev.security_title:
        return False
    return text[:1].islower() or prev.security_title.rstrip().endswith((",", "of", "and", "per"))


def _total_row(
    kind: str, cells: dict[str, Cell], totals: dict[str, tuple[float | None, Span | None]]
) -> None:
    fee = _number(cells["fee"]) if "fee" in cells else None
    agg = _number(cells["aggregate"]) if "aggregate" in cells else None
    if kind in ("total_offering_amount", "total"):
        if agg is not None:
            totals["total_offering_amount"] = (agg.value, agg.span)
        if fee is not None:
            totals["total_fee_stated"] = (fee.value, fee.span)
    elif kind == "total_fees_due":
        if fee is not None:
            totals["total_fee_stated"] = (fee.value, fee.span)
    else:
        value = fee or agg
        totals[kind] = (value.value, value.span) if value else (None, None)


# --- inline XBRL ------------------------------------------------------------------------------

_IX_TAG = re.compile(
    r"<ix:(?P<tag>nonFraction|nonNumeric|continuation)\b(?P<attrs>[^>]{0,4000})>",
    re.IGNORECASE,
)
_ATTR = re.compile(r"(?<![\w:.-])([\w:.-]++)\s*+=\s*+(\"[^\"]*\"|'[^']*')")
_CONTEXT = re.compile(
    r"<xbrli:context\b[^>]{0,2000}?\bid\s*=\s*[\"']([^\"']+)[\"'][^>]{0,2000}>(.*?)</xbrli:context>",
    re.IGNORECASE | re.DOTALL,
)
_AXIS = re.compile(
    r"dimension\s*=\s*[\"']ffd:(\w+)Axis[\"'][^>]*>\s*(?:<[^>]+>\s*)?([^<\s]+)", re.IGNORECASE
)
_FFD_ROW = {
    "OfferingSctyTp": "security_type",
    "OfferingSctyTitl": "security_title",
    "AmtSctiesRegd": "amount_registered",
    "MaxOfferingPricPerScty": "max_price_per_share",
    "MaxAggtOfferingPric": "max_aggregate_offering_price",
    "FeeRate": "fee_rate_per_million_stated",
    "FeeAmt": "registration_fee",
}
_FFD_TOTAL = {
    "TtlOfferingAmt": "total_offering_amount",
    "NrrtvMaxAggtOfferingPric": "total_offering_amount",
    "TtlFeeAmt": "total_fee_stated",
    "TtlPrevslyPdAmt": "total_fees_previously_paid",
    "TtlOffsetAmt": "total_fee_offsets",
    "NetFeeAmt": "net_fee_due",
}
_RULE_FLAG = re.compile(r"^Rule(\d{3})([a-z])(\d?)Flg$")


@dataclass(frozen=True, slots=True)
class _Fact:
    name: str
    context: str
    value: float | str | bool
    span: Span
    unit: str | None = None  # unitRef of a number: shares, USD...


def _end_of(raw: str, tag: str, pos: int) -> int:
    """Where the element opened just before ``pos`` closes (same-name nesting counted)."""
    rx = re.compile(rf"<(/?)ix:{tag}\b[^>]{{0,4000}}>", re.IGNORECASE)
    depth = 1
    for m in rx.finditer(raw, pos, min(len(raw), pos + 200_000)):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    return min(len(raw), pos + 200_000)


def _plain(raw: str) -> str:
    raw = re.sub(r"<ix:exclude\b.*?</ix:exclude>", " ", raw, flags=re.IGNORECASE | re.DOTALL)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", raw))).strip()


def _ix_number(body: str, attrs: dict[str, str]) -> float | None:
    """A ``nonFraction`` value: format (zero, comma decimal), scale and sign applied."""
    fmt = attrs.get("format", "").lower()
    text = _plain(body)
    if "zero" in fmt or text in ("", "-", "—", "–"):
        number = 0.0
    else:
        digits = text.replace(" ", "")
        if "comma" in fmt and "decimal" in fmt:
            digits = digits.replace(".", "").replace(",", ".")
        try:
            number = float(re.sub(r"[^\d.]", "", digits))
        except ValueError:
            return None
    try:
        number *= 10.0 ** max(-30, min(30, int(attrs.get("scale", "0") or 0)))
    except ValueError:
        return None
    return -number if attrs.get("sign") == "-" else number


def _ix_text(body: str, nxt: str | None, continuations: dict[str, tuple[str, str | None]]) -> str:
    """A ``nonNumeric`` value with its ``ix:continuation`` chain followed."""
    text = _plain(body)
    seen: set[str] = set()
    while nxt and nxt in continuations and nxt not in seen:
        seen.add(nxt)
        more, nxt = continuations[nxt]
        text = f"{text} {_plain(more)}".strip()
    return text


def _ix_facts(raw: str, base: int) -> list[_Fact]:
    """Every ``ffd:`` fact, numbers scaled and signed, booleans read, text continued."""
    continuations: dict[str, tuple[str, str | None]] = {}
    opened = []
    for m in _IX_TAG.finditer(raw):
        attrs = {k.lower(): v[1:-1] for k, v in _ATTR.findall(m.group("attrs"))}
        tag = m.group("tag").lower()
        if tag == "continuation":
            end = _end_of(raw, "continuation", m.end())
            continuations[attrs.get("id", "")] = (raw[m.end() : end], attrs.get("continuedat"))
        elif tag in ("nonfraction", "nonnumeric"):
            opened.append((m, attrs, tag))
    facts = []
    for m, attrs, tag in opened:
        name = attrs.get("name", "")
        if not name.lower().startswith("ffd:"):
            continue
        end = _end_of(raw, m.group("tag"), m.end())
        body = raw[m.end() : end]
        fmt = attrs.get("format", "").lower()
        value: float | str | bool | None
        if tag == "nonfraction":
            value = _ix_number(body, attrs)
            if value is None:
                continue
        elif "true" in fmt or "false" in fmt:
            value = "true" in fmt
        else:
            value = _ix_text(body, attrs.get("continuedat"), continuations)
        span = Span(base + m.end(), base + end)
        name = name.split(":", 1)[1]
        facts.append(_Fact(name, attrs.get("contextref", ""), value, span, attrs.get("unitref")))
    return facts


def _line_numbers(raw: str) -> dict[str, tuple[str, int]]:
    """Context id → (axis, line number) for contexts on an ffd axis (OfferingAxis...)."""
    out: dict[str, tuple[str, int]] = {}
    for m in _CONTEXT.finditer(raw):
        axis = _AXIS.search(m.group(2))
        if axis is None:
            continue
        number = re.sub(r"\D", "", axis.group(2))
        out[m.group(1)] = (axis.group(1), int(number) if number else len(out) + 1)
    return out


def _truthy(v: object) -> bool:
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in ("true", "yes", "1", "x", "☒", "✓")


def read_ixbrl(raw: str, base: int) -> _Read | None:
    """Offerings and totals from ``ffd:`` facts; ``None`` when there are none."""
    facts = _ix_facts(raw, base)
    if not facts:
        return None
    lines = _line_numbers(raw)
    rows: dict[str, dict[str, tuple[object, Span]]] = {}
    units: dict[str, dict[str, str]] = {}
    out = _Read()
    for f in facts:
        axis = lines.get(f.context, ("", 0))[0]
        if f.name in _FFD_TOTAL and isinstance(f.value, float):
            out.totals.setdefault(_FFD_TOTAL[f.name], (f.value, f.span))
        elif axis.lower().startswith("offering") or not axis:
            rows.setdefault(f.context, {})[f.name] = (f.value, f.span)
            if f.unit:
                units.setdefault(f.context, {})[f.name] = f.unit
    order = sorted(rows, key=lambda ctx: (lines.get(ctx, ("", 10**6))[1], ctx))
    for ctx in order:
        if rows[ctx].keys() & (_FFD_ROW.keys() - {"FeeRate"}):
            row = _ix_row(rows[ctx], units.get(ctx, {}), len(out.offerings) + 1)
            out.offerings.append(row)
    return out


_IxCells = dict[str, tuple[object, Span]]


def _ix_row(cells: _IxCells, units: dict[str, str], number: int) -> Offering:
    """One offering context's facts (and their units) as a row."""
    values: dict[str, object] = {}
    spans: dict[str, Span] = {}
    for name, key in _FFD_ROW.items():
        if name in cells:
            v, span = cells[name]
            if key == "fee_rate_per_million_stated" and isinstance(v, float):
                v = round(v * 1_000_000, 4)
            if isinstance(v, str) and key not in ("security_type", "security_title"):
                continue
            values[key], spans[key] = v, span
    rules, group = _ix_flags(cells, values, spans)
    if "415(a)(6)" in rules or any(k.startswith("carry_forward") for k in values):
        group = "carry_forward"
    if rules:
        values["fee_rule"] = ", ".join(rules)
    if "amount_registered" in values:
        unit = units.get("AmtSctiesRegd", "").lower()
        values["amount_kind"] = "dollars" if "usd" in unit else "shares"
    return Offering(row_number=number, row_group=group, spans=spans, **values)  # type: ignore[arg-type]


def _cfwd_key(name: str, value: object) -> str | None:
    if name.endswith("FormTp"):
        return "carry_forward_form_type"
    if name.endswith("FileNb"):
        return "carry_forward_file_number"
    if name.endswith("Dt"):
        return "carry_forward_initial_effective_date"
    return "carry_forward_fee_previously_paid" if isinstance(value, float) else None


def _ix_flags(
    cells: _IxCells, values: dict[str, object], spans: dict[str, Span]
) -> tuple[list[str], str]:
    """Fee rules from the rule flags, the row group, and the carry-forward facts."""
    rules: list[str] = []
    group = "fees_to_be_paid"
    for name, (v, span) in cells.items():
        rm = _RULE_FLAG.match(name)
        shown = str(v).strip().lower()
        if rm:
            rule = f"{rm.group(1)}({rm.group(2)})" + (f"({rm.group(3)})" if rm.group(3) else "")
            if _truthy(v) or shown == rule.lower():
                rules.append(rule)
                spans.setdefault("fee_rule", span)
        elif name == "FeesOthrRuleFlg" and (_truthy(v) or shown == "other"):
            rules.append("Other")
            spans.setdefault("fee_rule", span)
        elif name == "PrevslyPdFlg" and _truthy(v):
            group = "fees_previously_paid"
        elif name.startswith("Cfwd"):
            key = _cfwd_key(name, v)
            if key == "carry_forward_initial_effective_date":
                v = parse_date_text(str(v))
            if key and v is not None:
                values[key], spans[key] = v, span
    return rules, group


# --- locating the table ---------------------------------------------------------------------

_EX107_TITLE = re.compile(r"Filing\s+Fee\s+Tables?|EX-FILING\s+FEES", re.IGNORECASE)
_HEADING = re.compile(r"CALCULATION\s+OF\s+(?:THE\s+)?(?:REGISTRATION|FILING)\s+FEES?", re.I)


def is_fee_exhibit(doc_type: str | None, filename: str | None) -> bool:
    """An Exhibit 107 by its type ("EX-FILING FEES", "EX-107") or its file name."""
    kind = (doc_type or "").upper()
    name = (filename or "").lower().replace("-", "").replace("_", "")
    return kind.startswith(("EX-FILING FEES", "EX-107")) or "filingfee" in name


def exhibit_107(filing: Filing) -> Document | None:
    """The filing's Exhibit 107 document, if any."""
    for doc in filing.documents:
        if not doc.is_binary and is_fee_exhibit(doc.doc_type, doc.filename):
            return doc
    return None


def _reads(form_type: str, docs: Sequence[DocumentStub]) -> list[DocumentStub]:
    """A registration's Exhibit 107 when it has one, else its primary document (the
    cover-page table, or a bare Exhibit 107 filed as the document)."""
    if not is_registration_form(form_type):
        return []
    exhibits = [d for d in docs if is_fee_exhibit(d.doc_type, d.filename)]
    first = primary_stub(docs)
    return exhibits or ([first] if first is not None else [])


def _first_readable(raw: str, start: int, end: int, limit: int = 40) -> _Read | None:
    """The first table with fee-table headers, with the tables that continue it: the next
    tables of the same width that have no header of their own, until Table 2 or a table
    of another shape."""
    read: _Read | None = None
    width = last_end = 0
    for i, table in enumerate(html_tables(raw, start, end)):
        if i >= limit:
            break
        if read is not None and read.layout is not None:
            if not read.ended and _is_footnotes(table):
                last_end = table.end
                continue  # footnotes set between the parts of a split table
            between = raw[last_end : table.start]
            if (
                read.ended
                or table.n_cols != width
                or _TABLE_END.search(re.sub(r"<[^>]*>", " ", between).strip())
                or _OTHER_TABLE.search(between)
                or _has_header(table)
            ):
                break
            read_html_table(table, read.layout, read)
            last_end = table.end
            continue
        found = read_html_table(table)
        if found is not None:
            read, width, last_end = found, table.n_cols, table.end
    return read if read is not None and (read.offerings or read.totals) else None


_OTHER_TABLE = re.compile(r"Table\s*[23]\b|Offset|Combined\s+Prospectus", re.IGNORECASE)


def _has_header(table: Table) -> bool:
    """Whether a table starts with a header row of its own (any fee-table-like words)."""
    return any(sum(1 for c in row if c.text and _classify(c.text)) >= 2 for row in table.rows[:3])


def _is_footnotes(table: Table) -> bool:
    """A table of footnotes: each row a marker and a sentence."""
    return all(
        len([c for c in row if c.text]) <= 2 and sum(len(c.text) for c in row) > 40
        for row in table.rows
        if any(c.text for c in row)
    )


_GAP = r"(?:\s|&nbsp;|&#160;|<[^>]{0,300}>)+"
_RAW_HEADING = re.compile(
    rf"CALCULATION{_GAP}OF{_GAP}(?:THE{_GAP})?(?:REGISTRATION|FILING){_GAP}FEE", re.IGNORECASE
)


def _cover_table(filing: Filing) -> tuple[str, _Read | None] | None:
    """The pre-2022 cover-page table of the primary document (layout, reading)."""
    if not is_registration_form(filing.form_type):
        return None
    sub = filing.submission
    doc = sub.primary_document
    if doc is None or doc.text_format not in ("text", "html"):
        return None
    head = sub.text[doc.text_span.start : min(doc.text_span.end, doc.text_span.start + 600_000)]
    if _RAW_HEADING.search(head) is None:
        return None  # cheap test on the raw bytes before the document's text is built
    text, offsets = sub.clean_text(doc)
    heading = _HEADING.search(text, 0, min(len(text), 400_000))
    if heading is None:
        return None
    line_start = text.rfind("\n", 0, heading.start()) + 1
    line_end = text.find("\n", heading.end())
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if len(line.strip()) > len(heading.group(0)) + 40:
        return None  # the words inside a sentence, not a table's heading
    if doc.text_format == "html":
        src = offsets.to_source(heading.end())
        return "html", _first_readable(sub.text, src, min(doc.text_span.end, src + 200_000), 3)
    return "text", _text_cover_table(text, offsets, heading.end())


#: where a text-era cover table ends: its ``</TABLE>``, the first footnote, the next part
_TEXT_END = re.compile(
    r"</TABLE>|^[ \t]*EXPLANATORY\s+NOTE|^[ \t]*PART\s+I\b"
    r"|^[ \t]*(?:\(\s*(?:1|a)\s*\)|\*|1\.)[ \t]+[A-Z]",
    re.IGNORECASE | re.MULTILINE,
)
_RULE = re.compile(
    r"(?:Rules?\s+)?(?:457|415)\s*\(\s*[a-z]\s*\)(?:\s*\(\s*\d\s*\))?"
    r"(?:\s*(?:,|and|&|/)\s*(?:Rules?\s+)?(?:457\s*)?\(\s*[a-z]\s*\)(?:\s*\(\s*\d\s*\))?)*",
    re.IGNORECASE,
)


#: the pre-2022 cover table's columns in the order the forms prescribe
_FORM_ORDER = _Layout(
    {
        "security_title": (0, 0),
        "amount": (1, 1),
        "price": (2, 2),
        "aggregate": (3, 3),
        "fee": (4, 4),
    },
    0,
)


def _text_cover_table(text: str, offsets: OffsetMap, start: int) -> _Read | None:
    """A plain-text cover table, read on the same grid and by the same headers as an HTML
    one; rows with no rule cell take the rule the footnotes cite ("Pursuant to Rule 457(c)
    and (h)(1) ..."), which is where tables of that era state it."""
    end_m = _TEXT_END.search(text, start, min(len(text), start + 30_000))
    end = end_m.start() if end_m else min(len(text), start + 8000)
    table = text_table(text, start, end, offsets)
    if table is None:
        return None
    read = read_html_table(table)
    if read is None and table.n_cols == len(_FORM_ORDER.columns):
        # no header line: the columns in the order the form prescribes, kept only where
        # the arithmetic reconciles (``_build`` drops a table none of whose rows does)
        read = read_html_table(table, _FORM_ORDER)
        if read is not None:
            read.notes.append(("fee_table_no_header", "no column headers: columns taken in the "
                               "form's order (title, amount, price, aggregate, fee)"))  # fmt: skip
    if read is None or not (read.offerings or read.totals):
        return None
    m = _RULE.search(text, end, min(len(text), end + 4000))
    if m is not None:
        rule = re.sub(r"\s+", " ", m.group(0)).strip()
        span = Span(*offsets.span_to_source(m.start(), m.end()))
        read.offerings = [
            o
            if o.fee_rule
            else dataclasses.replace(o, fee_rule=rule, spans={**o.spans, "fee_rule": span})
            for o in read.offerings
        ]
    return read


# --- checks ---------------------------------------------------------------------------------


def _checked(o: Offering, filed: dt.date | None) -> Offering:
    rate = expected_rate(filed)
    aggregate, fee = o.max_aggregate_offering_price, o.registration_fee
    paid_now = o.row_group == "fees_to_be_paid"
    # Rules 456(b)/457(r): a well-known seasoned issuer pays as it takes securities down
    deferred = o.fee_deferred or bool(
        o.registration_fee is None
        and o.fee_rule
        and re.search(
            r"457\s*\((?:\s*\w\s*\)\s*(?:,|and|&)\s*\()?\s*r\s*\)|456\s*\(\s*b", o.fee_rule
        )
    )
    if (
        o.amount_kind == "shares"
        and o.amount_registered is not None
        and o.max_aggregate_offering_price is not None
        and abs(o.amount_registered - o.max_aggregate_offering_price) < 0.5
        and o.max_price_per_share in (None, 100.0)
        and o.amount_registered >= 1_000
    ):  # a principal amount written without "$": the amount *is* the aggregate price
        o = dataclasses.replace(o, amount_kind="dollars")
    spans = o.spans
    if o.shares_registered is not None and "amount_registered" in spans:
        spans = {**spans, "shares_registered": spans["amount_registered"]}
    return dataclasses.replace(
        o,
        spans=spans,
        fee_deferred=deferred,
        fee_rate_per_million_expected=rate,
        fee_check=check_fee(aggregate, fee, rate) if paid_now else None,
        fee_check_stated_rate=(
            check_fee(aggregate, fee, o.fee_rate_per_million_stated)
            if paid_now and o.fee_rate_per_million_stated is not None
            else None
        ),
        aggregate_check=check_aggregate(o.shares_registered, o.max_price_per_share, aggregate),
    )


#: Section 6(b) rates have run from $92.70 to $295 per million; a stated rate far outside
#: is a value read from the wrong column or a typo
_PLAUSIBLE_RATE = (20.0, 1_000.0)


def _row_warnings(o: Offering) -> list[Warning_]:
    out: list[Warning_] = []
    n = o.row_number
    rate = o.fee_rate_per_million_stated
    if rate is not None and not _PLAUSIBLE_RATE[0] <= rate <= _PLAUSIBLE_RATE[1]:
        out.append(("fee_rate_implausible", f"row {n}: stated fee rate {rate}/M is not a "
                    "Section 6(b) rate"))  # fmt: skip
    if o.aggregate_check == "mismatch":
        out.append(
            (
                "aggregate_mismatch",
                f"row {n}: aggregate {o.max_aggregate_offering_price} "
                f"≠ {o.shares_registered} shares × {o.max_price_per_share}",
            )
        )
    if o.fee_check == "mismatch" and o.fee_check_stated_rate in (None, "mismatch"):
        out.append(
            (
                "fee_mismatch",
                f"row {n}: fee {o.registration_fee} ≠ "
                f"{o.max_aggregate_offering_price} × {o.fee_rate_per_million_expected}/1e6",
            )
        )
    elif o.fee_check == "mismatch":
        out.append(
            (
                "fee_rate_mismatch",
                f"row {n}: the stated rate {o.fee_rate_per_million_stated}"
                f"/M is not the Section 6(b) rate {o.fee_rate_per_million_expected}/M in force "
                "on the filing date",
            )
        )
    return out


def _close(a: float, b: float, rows: int = 1) -> bool:
    """Equal within a cent, or within whole-dollar rounding of each summed row."""
    return abs(a - b) <= 0.011 or abs(a - b) <= rows * 1.0 + 0.01


def _table_warnings(t: FeeTable) -> list[Warning_]:
    out: list[Warning_] = []
    paid = [o for o in t.offerings if o.row_group == "fees_to_be_paid"]
    fees = [o.registration_fee for o in paid]
    if t.total_fee_stated is not None and fees and all(f is not None for f in fees):
        summed = round(sum(f for f in fees if f is not None), 2)
        if not _close(summed, t.total_fee_stated, len(fees)):
            out.append(
                ("fee_total_mismatch", f"rows sum to {summed}, total states {t.total_fee_stated}")
            )
    aggs = [
        o.max_aggregate_offering_price for o in t.offerings if o.row_group != "fees_previously_paid"
    ]
    if t.total_offering_amount is not None and aggs and all(a is not None for a in aggs):
        summed = round(sum(a for a in aggs if a is not None), 2)
        if not _close(summed, t.total_offering_amount):
            out.append(
                (
                    "aggregate_total_mismatch",
                    f"rows' aggregate prices sum to {summed}, total states {t.total_offering_amount}",
                )
            )
    if t.net_fee_due is not None and t.total_fee_stated is not None:
        net = t.total_fee_stated - (t.total_fees_previously_paid or 0) - (t.total_fee_offsets or 0)
        if not _close(round(net, 2), t.net_fee_due) and round(net, 2) > 0:
            out.append(
                (
                    "net_fee_mismatch",
                    f"total {t.total_fee_stated} − previously paid "
                    f"{t.total_fees_previously_paid} − offsets {t.total_fee_offsets} = {net:.2f}, "
                    f"net fee due states {t.net_fee_due}",
                )
            )
    return out


def _reconciles(o: Offering) -> bool | None:
    """True/False when the row has something to check, ``None`` when it has nothing."""
    checks = [o.aggregate_check, o.fee_check, o.fee_check_stated_rate]
    known = [c for c in checks if c is not None and c != "rate_unknown"]
    if not known:
        return None
    return any(c in ("ok", "rounded") for c in known)


# --- comparison of facts and table ---------------------------------------------------------

_COMPARED = (
    "security_title",
    "amount_registered",
    "max_price_per_share",
    "max_aggregate_offering_price",
    "fee_rate_per_million_stated",
    "registration_fee",
)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 0.011 or abs(a - b) <= 1e-6 * max(abs(a), abs(b))
    if isinstance(a, str) and isinstance(b, str):
        norm = lambda s: re.sub(r"[^a-z0-9]", "", s.lower())  # noqa: E731
        return norm(a) == norm(b)
    return a == b


def _compare(facts: list[Offering], table: list[Offering]) -> tuple[int, int, list[Warning_]]:
    compared = agreed = 0
    warnings: list[Warning_] = []
    if len(facts) != len(table):
        warnings.append(
            ("xbrl_html_disagree", f"ffd facts give {len(facts)} rows, the HTML table {len(table)}")
        )
    for f, h in zip(facts, table, strict=False):
        for name in _COMPARED:
            a, b = getattr(f, name), getattr(h, name)
            if a is None or b is None:
                continue
            compared += 1
            if _same(a, b):
                agreed += 1
            else:
                warnings.append(
                    (
                        "xbrl_html_disagree",
                        f"row {f.row_number}: {name} is {a!r} in the ffd facts, {b!r} in the HTML table",
                    )
                )
    return compared, agreed, warnings


# --- entry point ----------------------------------------------------------------------------


def _build(layout: str, read: _Read, filing: Filing, extra: Iterable[Warning_] = ()) -> FeeTable:
    offerings = tuple(_checked(o, filing.filed_date) for o in read.offerings)
    totals = {k: v for k, (v, _s) in read.totals.items() if k in _TOTAL_FIELDS}
    spans = {k: s for k, (_v, s) in read.totals.items() if s is not None and k in _TOTAL_FIELDS}
    warnings: list[Warning_] = list(extra)
    stated = any(
        o.amount_registered is not None
        or o.max_aggregate_offering_price is not None
        or o.registration_fee is not None
        or o.amount_kind is not None
        for o in offerings
    )
    if read.unread and not stated and not totals:
        return _unreadable(layout, "no value of the fee table could be read: "
                           + "; ".join(m for _c, m in read.unread[:4]))  # fmt: skip
    warnings.extend(read.unread)
    warnings.extend(read.notes)
    verdicts = [_reconciles(o) for o in offerings]
    if offerings and any(v is not None for v in verdicts) and not any(verdicts):
        shown = "; ".join(f"row {o.row_number}: {o.security_title}" for o in offerings[:4])
        warnings.append(
            (
                "fee_table_unreadable",
                "no row of the fee table reconciles (shares × "
                f"price, aggregate × rate); nothing kept. Read: {shown}",
            )
        )
        offerings = ()
    for o in offerings:
        warnings.extend(_row_warnings(o))
    table = FeeTable(layout=layout, offerings=offerings, spans=spans, **totals)  # type: ignore[arg-type]
    warnings.extend(_table_warnings(table))
    return dataclasses.replace(table, warnings=tuple(warnings))


_TOTAL_FIELDS = (
    "total_offering_amount",
    "total_fee_stated",
    "total_fees_previously_paid",
    "total_fee_offsets",
    "net_fee_due",
)


def read_fee_table(filing: Filing) -> FeeTable | None:
    """The filing's fee table in whichever layout it uses; ``None`` when there is none.

    A found but unreadable table is a ``FeeTable`` with no rows and a
    ``fee_table_unreadable`` warning, never a table of guesses.
    """
    sub = filing.submission
    exhibit = exhibit_107(filing)
    primary = sub.primary_document
    bare = False
    if exhibit is None and primary is not None and not primary.is_binary:
        head = sub.raw_text(primary)[:200_000]
        if re.search(r"name\s*=\s*[\"']ffd:", head) or _EX107_TITLE.search(head[:5000]):
            exhibit, bare = primary, True  # a bare Exhibit 107 (or one filed as the document)
    if exhibit is not None:
        raw = sub.raw_text(exhibit)
        base = exhibit.text_span.start
        facts = read_ixbrl(raw, base)
        html_read = _first_readable(sub.text, exhibit.text_span.start, exhibit.text_span.end)
        if facts is not None and (facts.offerings or facts.totals):
            extra: list[Warning_] = []
            compared = agreed = 0
            if html_read is not None and html_read.offerings and facts.offerings:
                compared, agreed, extra = _compare(facts.offerings, html_read.offerings)
                _fill_from_html(facts, html_read)
            built = _build("ex107_ixbrl", facts, filing, extra)
            return dataclasses.replace(built, xbrl_html_compared=compared, xbrl_html_agreed=agreed)
        if html_read is not None:
            return _build("ex107_html", html_read, filing)
        if bare:
            return None  # the words "Filing Fee Tables" on a page that holds no such table
        return _unreadable("ex107_html", "Exhibit 107 found but no table with fee-table column "
                           "headers in it")  # fmt: skip
    cover = _cover_table(filing)
    if cover is None:
        return None
    layout, read = cover
    if read is None:
        return _unreadable(layout, "'Calculation of Registration Fee' heading found but no "
                           "table under it has fee-table column headers")  # fmt: skip
    return _build(layout, read, filing)


def _unreadable(layout: str, message: str) -> FeeTable:
    """A fee table that was found but could not be read: no rows, one warning."""
    return FeeTable(layout=layout, offerings=(), warnings=(("fee_table_unreadable", message),))


def _fill_from_html(facts: _Read, html_read: _Read) -> None:
    """Fields the facts do not carry (the security type in older taxonomies) from the
    matching HTML row, when the two agree on the title."""
    if len(facts.offerings) != len(html_read.offerings):
        return
    for i, (f, h) in enumerate(zip(facts.offerings, html_read.offerings, strict=True)):
        titles_agree = f.security_title is not None and h.security_title is not None
        titles_agree = titles_agree and _same(f.security_title, h.security_title)
        if f.security_type is None and h.security_type is not None and titles_agree:
            spans = {**f.spans, "security_type": h.spans["security_type"]}
            facts.offerings[i] = dataclasses.replace(f, security_type=h.security_type, spans=spans)


# --- the family: its tables, its columns, its extractor ---------------------------------------

OFFERINGS = TableSpec(
    "offerings",
    (
        *IDENTITY, "row_number", "row_group", "fee_table_layout", "security_type",
        "security_title", "fee_rule", "amount_registered", "amount_kind",
        "shares_registered", "max_price_per_share", "max_aggregate_offering_price",
        "fee_rate_per_million_stated", "registration_fee", "fee_deferred",
        "carry_forward_form_type", "carry_forward_file_number",
        "carry_forward_initial_effective_date", "carry_forward_fee_previously_paid",
        "fee_rate_per_million_expected", "fee_check", "fee_check_stated_rate",
        "aggregate_check", "spans",
    ),
    ("source_path", "row_number"),
    "One row per security class in the fee table of any registration form.",
)  # fmt: skip
REGISTRATIONS = TableSpec(
    "registrations",
    (
        *IDENTITY, "fee_table_layout", "n_offerings", "total_shares_registered",
        "total_offering_amount", "total_fee_stated", "total_fees_previously_paid",
        "total_fee_offsets", "net_fee_due", "total_registration_fee",
        "xbrl_html_compared", "xbrl_html_agreed", "fee_table_warnings", "spans",
    ),
    ("source_path",),
    "One row per filing with a fee table: its totals, offsets and net fee due.",
)  # fmt: skip

COLUMNS = (
    Column("row_number", int, "Row of the fee table, from 1 in table order."),
    Column("row_group", ROW_GROUPS, "Exhibit 107 row group (pre-2022 tables: fees_to_be_paid)."),
    Column(
        "fee_table_layout",
        FEE_TABLE_LAYOUTS,
        "Where the fee table was read: cover-page text or HTML table, Exhibit 107 HTML, "
        "or Exhibit 107 inline XBRL (ffd:) facts.",
    ),
    Column(
        "security_type",
        str,
        "Exhibit 107 security type as stated: Equity, Debt, Other, Unallocated...",
    ),
    Column("security_title", str, "Title of the securities registered in this row."),
    Column(
        "fee_rule",
        str,
        "Fee calculation rule as stated, e.g. 'Rule 457(c) and (h)(1)', 'Other'.",
    ),
    Column(
        "amount_registered",
        float,
        "Amount Registered as stated (shares, units or dollars: see amount_kind).",
    ),
    Column(
        "amount_kind",
        AMOUNT_KINDS,
        "What amount_registered counts: shares (or units), dollars (a '$' or principal "
        "amount), indeterminate (the row registers an unspecified amount); null: not "
        "stated.",
    ),
    Column(
        "shares_registered",
        int,
        "Amount registered when it counts shares; never read from a dollar amount.",
        unit="shares",
    ),
    Column("max_price_per_share", float, "Proposed maximum offering price per share.", unit="usd"),
    Column(
        "max_aggregate_offering_price",
        float,
        "Proposed maximum aggregate offering price.",
        unit="usd",
    ),
    Column(
        "fee_rate_per_million_stated",
        float,
        "Fee rate the row states, normalised to dollars per $1,000,000.",
    ),
    Column("registration_fee", float, "Registration fee stated for the row.", unit="usd"),
    Column(
        "fee_deferred",
        bool,
        "No fee now: paid as securities are taken down (Rules 456(b)/457(r)).",
    ),
    Column("carry_forward_form_type", str, "Form of the earlier statement carried forward."),
    Column("carry_forward_file_number", str, "File number of that earlier statement."),
    Column(
        "carry_forward_initial_effective_date",
        dt.date,
        "Initial effective date of the earlier statement.",
    ),
    Column(
        "carry_forward_fee_previously_paid",
        float,
        "Fee paid earlier for the unsold securities carried forward.",
        unit="usd",
    ),
    Column(
        "fee_rate_per_million_expected",
        float,
        "Section 6(b) rate in force on the filing date (workbench/data/fee_rates.csv).",
    ),
    Column(
        "fee_check",
        FEE_CHECKS,
        "Stated fee vs aggregate × expected rate: ok (within a cent), rounded (whole "
        "dollar or truncated), mismatch, rate_unknown; null when the row states no fee or"
        " aggregate.",
    ),
    Column(
        "fee_check_stated_rate",
        FEE_CHECKS,
        "Stated fee vs aggregate × the rate the row itself states (same codes as fee_check).",
    ),
    Column(
        "aggregate_check",
        AGGREGATE_CHECKS,
        "Stated aggregate vs shares × price: ok (within $1), rounded (price shown rounded"
        " to cents), mismatch; null when a term is missing.",
    ),
    Column("n_offerings", int, "Fee-table rows read (offerings rows)."),
    Column(
        "total_shares_registered",
        int,
        "Shares registered in the rows for which a fee is paid now.",
        unit="shares",
    ),
    Column(
        "total_offering_amount",
        float,
        "Stated total maximum aggregate offering price.",
        unit="usd",
    ),
    Column("total_fee_stated", float, "Stated total registration fee.", unit="usd"),
    Column(
        "total_fees_previously_paid",
        float,
        "Exhibit 107 'Total Fees Previously Paid'.",
        unit="usd",
    ),
    Column("total_fee_offsets", float, "Exhibit 107 'Total Fee Offsets'.", unit="usd"),
    Column("net_fee_due", float, "Exhibit 107 'Net Fee Due'.", unit="usd"),
    Column(
        "total_registration_fee",
        float,
        "Net fee due, else the stated total fee, else the rows' sum.",
        unit="usd",
    ),
    Column(
        "xbrl_html_compared",
        int,
        "Fields stated by both the ffd: facts and the HTML table (compared).",
    ),
    Column("xbrl_html_agreed", int, "Of those, fields on which the two agree."),
    Column(
        "fee_table_warnings",
        list[str],
        "parse_issues codes the fee table raised (arithmetic, facts).",
    ),
)


def fee_table_of(ctx: Context) -> FeeTable | None:
    """The filing's fee table, read once however many families ask for it."""
    table: FeeTable | None = ctx.memo("fee_table", read_fee_table)
    return table


def _extract(ctx: Context) -> Extracted:
    out = Extracted()
    table = fee_table_of(ctx)
    if table is None:
        return out
    layout = table.read_layout
    for o in table.offerings:
        out.add_found(ctx.filing, OFFERINGS, o, o.spans, fee_table_layout=layout)
    out.add_found(
        ctx.filing,
        REGISTRATIONS,
        table,
        table.spans,
        fee_table_layout=layout,
        n_offerings=len(table.offerings),
        fee_table_warnings=sorted({code for code, _ in table.warnings}),
    )
    out.warnings.extend(table.warnings)
    return out


FAMILY = Family(
    "fee_table",
    "Registration fee tables of every form: Exhibit 107 and the cover-page table.",
    (OFFERINGS, REGISTRATIONS),
    COLUMNS,
    _extract,
    reads=_reads,
)
