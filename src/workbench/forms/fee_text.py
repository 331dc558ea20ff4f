"""The plain-text cover-page fee table (pre-2001 to 2022 ``<TABLE>``/``<S>``/``<C>`` layouts).

Plain-text tables have no cell markup; this reader cuts the region after the "Calculation
of Registration Fee" heading into logical rows (rule lines, blank lines and ``<S>``/``<C>``
tags separate them; a row whose title wraps keeps its continuation lines) and reads the
values of a row in the table's column order — amount registered, price per share,
aggregate price, (fee rate,) fee. Par-value phrases, footnote markers, dates and file
numbers are masked (replaced by spaces, so offsets stay put) before values are read.
HTML tables are read as grids instead (``workbench.forms.registration``); the arithmetic
checks there catch a text row read out of order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.provenance import Span
from workbench.text.dates import DATE_RE
from workbench.text.html_to_text import OffsetMap

ToSource = Callable[[int, int], Span]


@dataclass(frozen=True, slots=True, kw_only=True)
class TextRow:
    """One row of a text fee table; ``None`` means the table does not state it."""

    row_group: str
    security_title: str | None
    shares_registered: int | None
    max_price_per_share: float | None
    max_aggregate_offering_price: float | None
    registration_fee: float | None
    fee_rule: str | None
    fee_rate_per_million_stated: float | None
    spans: dict[str, Span] = field(default_factory=dict)


# --- patterns -----------------------------------------------------------------------------

_REGION_END = re.compile(
    r"</TABLE>|^[ \t]*EXPLANATORY\s+NOTE|^[ \t]*PART\s+I\b|^[ \t]*(?:\(\s*(?:1|a)\s*\)|\*|1\.)[ \t]+[A-Z]",
    re.IGNORECASE | re.MULTILINE,
)
SEPARATOR = re.compile(
    r"^[\s\-=_|+~.:*]*$|^\s*(?:</?(?:S|C|CAPTION|TABLE|FN|PAGE)>\s*)+$", re.IGNORECASE
)
_RULE = re.compile(
    r"(?:Rules?\s+)?(?:457|415)\s*\(\s*[a-z]\s*\)(?:\s*\(\s*\d\s*\))?"
    r"(?:\s*(?:,|and|&|/)\s*(?:Rules?\s+)?(?:457\s*)?\(\s*[a-z]\s*\)(?:\s*\(\s*\d\s*\))?)*",
    re.IGNORECASE,
)
_OTHER_RULE = re.compile(r"(?:^|\t)[ ]*(Other)[ ]*(?:\(\d{1,2}\))?[ ]*(?=\t|$)", re.MULTILINE)
_RATE = re.compile(
    r"\$?\s*(?P<permil>\d{1,4}(?:\.\d+)?)\s+per\s+(?:\$\s*1,000,000|\$?\s*1\s+million|million)"
    r"|(?P<frac>(?<![\d$,.])0?\.0\d{3,}(?![\d%]|\s+%))"
    r"|(?P<pct>(?<![\d$,.])0?\.\d+)\s*%",
    re.IGNORECASE,
)
_PAR_VALUE = re.compile(
    r"par[ \n]+value[ \n]*(?:of[ \n]*)?(?:\$[ \n]*(?:\d*\.\d+|\d+)|\d*\.\d+)(?:[ \n]+per[ \n]+share)?"
    r"|\$[ \n]*(?:\d*\.\d+|\d+)[ \n]+par[ \n]+value",
    re.IGNORECASE,
)
FOOTNOTE = re.compile(r"\(\s*\d{1,2}\s*\)|\(\s*[a-z]\s*\)|\*+|[†‡§]")
_FILE_NO = re.compile(r"\b\d{3}-\d{4,}\b")
_VALUE = re.compile(
    r"(?P<money>\$[ \t]*(?P<mnum>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+))"
    r"|(?P<num>(?<![\w.$,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{5,}(?:\.\d+)?|\d+\.\d+)(?![\w,]|\.\d))(?P<shares>\s+shares)?"
    r"|(?P<small>(?<![\w.$,])\d{1,4}(?![\w,.]))(?P<small_shares>\s+shares)"
    r"|(?P<na>N/?A\b|-0-|—|–)",
    re.IGNORECASE,
)
#: Exhibit 107 row-group labels, for every fee-table reader
GROUP_LABELS = (
    ("fees_previously_paid", re.compile(r"fees?\s+previously\s+paid", re.IGNORECASE)),
    ("carry_forward", re.compile(r"carry\s+forward\s+securities", re.IGNORECASE)),
    ("fees_to_be_paid", re.compile(r"fees?\s+to\s+be\s+paid", re.IGNORECASE)),
)
_SECURITY_TYPES = re.compile(
    r"^(?:Equity|Debt|Other|Unallocated(?:\s+\(Universal\)\s+Shelf)?|Exchange\s+Traded\s+Vehicle\s+Securities|Asset-backed\s+Securities|Non-Convertible\s+Debt|Convertible\s+Debt|Mortgage\s+Backed\s+Securities)\s*(?:\t|$)",
    re.IGNORECASE,
)
_TOTAL = re.compile(
    r"^\s*(?P<kind>Total\s+Offering\s+Amounts?|Total\s+Fees?\s+Previously\s+Paid|Total\s+Fee\s+Offsets?|Net\s+Fee\s+Due|Total(?:\s+Fees?\s+Due)?)\b",
    re.IGNORECASE,
)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past blanks and cell rules at either edge."""
    while start < end and text[start] in " \t\n|":
        start += 1
    while end > start and text[end - 1] in " \t\n|":
        end -= 1
    return start, end


def _mask(text: str, start: int, end: int, patterns: tuple[re.Pattern[str], ...]) -> str:
    """``text[start:end]`` with every match of ``patterns`` blanked (offsets preserved)."""
    chunk = list(text[start:end])
    for rx in patterns:
        for m in rx.finditer(text, start, end):
            for i in range(m.start() - start, m.end() - start):
                if chunk[i] not in "\n\t":
                    chunk[i] = " "
    return "".join(chunk)


def _number(raw: str) -> float:
    return float(raw.replace(",", "").replace(" ", "").replace("\t", ""))


def _rate_value(m: re.Match[str]) -> float:
    if m.group("permil"):
        return float(m.group("permil").replace(",", ""))
    if m.group("frac"):
        return round(float(m.group("frac")) * 1_000_000, 4)
    return round(float(m.group("pct")) * 10_000, 4)


def parse_fee_rate(text: str) -> float | None:
    """A fee-rate cell in dollars per $1,000,000: "$153.10 per $1,000,000", "0.0001102",
    ".0000927", "$110.20 per million", "0.011020%" → 153.10, 110.20, 92.70, 110.20, 110.20."""
    m = _RATE.search(text)
    return _rate_value(m) if m else None


def _clean_title(raw: str) -> str | None:
    text = FOOTNOTE.sub(" ", re.sub(r"</?(?:S|C|CAPTION|FN)>", " ", raw, flags=re.IGNORECASE))
    for _, rx in GROUP_LABELS:
        text = rx.sub(" ", text)
    text = text.replace("|", " ").strip(" \t\n")
    while True:  # a leading security-type cell ("Equity") is not the title
        m = _SECURITY_TYPES.match(text)
        if not m or not text[m.end() :].strip():
            break
        text = text[m.end() :].lstrip(" \t")
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–—")
    return text or None


@dataclass(slots=True)
class _Token:
    kind: str  # 'money' | 'num' | 'shares' | 'na'
    value: float | None
    start: int
    end: int


def _tokens(masked: str, base: int) -> list[_Token]:
    out: list[_Token] = []
    for m in _VALUE.finditer(masked):
        s, e = m.start() + base, m.end() + base
        if m.group("money"):
            out.append(_Token("money", _number(m.group("mnum")), s, e))
        elif m.group("num"):
            num = m.group("num")
            kind = "shares" if m.group("shares") else ("num" if "." in num else "int")
            out.append(_Token(kind, _number(num), s, m.start("num") + base + len(num)))
        elif m.group("small"):
            out.append(_Token("shares", _number(m.group("small")), s, e))
        elif out:  # a dash or N/A before any value is part of the title
            out.append(_Token("na", None, s, e))
    return out


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        spans.append((pos, stop))
        pos = stop + 1
    return spans


def _logical_rows(text: str, masked: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """Group the region's lines into rows: separators split, each value line starts a row."""
    groups: list[list[tuple[int, int]]] = [[]]
    for a, b in _line_spans(text, start, end):
        if SEPARATOR.match(text[a:b]):
            if groups[-1]:
                groups.append([])
            continue
        groups[-1].append((a, b))
    rows: list[list[tuple[int, int]]] = []
    for group in groups:
        current: list[tuple[int, int]] = []
        seen_value = False
        for a, b in group:
            has_value = bool(_tokens(masked[a - start : b - start], a))
            if has_value and seen_value:
                rows.append(current)
                current = []
            current.append((a, b))
            seen_value = seen_value or has_value
        if current:
            rows.append(current)
    return rows


@dataclass(slots=True)
class _Table:
    offerings: list[TextRow] = field(default_factory=list)
    totals: dict[str, tuple[float, Span]] = field(default_factory=dict)


def _assign(
    shares: int | None, values: list[_Token]
) -> tuple[_Token | None, _Token | None, _Token | None]:
    """(price, aggregate, fee) from the money cells after the amount registered."""
    if len(values) >= 3:
        return values[0], values[1], values[2]
    if len(values) == 2:
        a, b = values
        if shares and a.value and b.value and abs(shares * a.value - b.value) <= 0.01 * b.value:
            return a, b, None
        return None, a, b
    if len(values) == 1:
        v = values[0]
        if shares and v.value is not None and v.value < 10_000 and v.value * shares > 10_000:
            return v, None, None
        return None, v, None
    return None, None, None


def _blank(chars: list[str], lo: int, hi: int) -> None:
    for i in range(max(lo, 0), min(hi, len(chars))):
        if chars[i] != "\n":
            chars[i] = " "


def _rule_and_rate(
    text: str, masked: str, start: int, row: tuple[int, int], to_src: ToSource
) -> tuple[str | None, float | None, dict[str, Span], list[tuple[int, int]], str]:
    """The row's fee-rule and fee-rate cells, their spans, where they sit (file text
    coordinates) and the row's masked text with both blanked out."""
    row_start, row_end = row
    spans: dict[str, Span] = {}
    cells: list[tuple[int, int]] = []
    local = list(masked[row_start - start : row_end - start])
    rule = rate = None
    rule_m = _RULE.search(text, row_start, row_end) or _OTHER_RULE.search(text, row_start, row_end)
    if rule_m:
        g = 1 if rule_m.re is _OTHER_RULE else 0
        rule = re.sub(r"\s+", " ", rule_m.group(g)).strip()
        spans["fee_rule"] = to_src(rule_m.start(g), rule_m.end(g))
        cells.append((rule_m.start(g), rule_m.end(g)))
        _blank(local, rule_m.start() - row_start, rule_m.end() - row_start)
    rate_m = _RATE.search(masked, row_start - start, row_end - start)
    if rate_m:
        rate = _rate_value(rate_m)
        spans["fee_rate_per_million_stated"] = to_src(rate_m.start() + start, rate_m.end() + start)
        _blank(local, rate_m.start() - (row_start - start), rate_m.end() - (row_start - start))
    return rule, rate, spans, cells, "".join(local)


def _title(
    text: str, lines: list[tuple[int, int]], tokens: list[_Token], cells: list[tuple[int, int]]
) -> str:
    """The title column: text before the first value on each line of the row (continuation
    lines: left of the first value's column), without the rule cell."""
    first_col = tokens[0].start - text.rfind("\n", 0, tokens[0].start) - 1
    parts = []
    for a, b in lines:
        line_tokens = [t for t in tokens if a <= t.start < b]
        cut = line_tokens[0].start if line_tokens else min(b, a + max(first_col, 0))
        chars = list(text[a:cut])
        for lo, hi in cells:
            _blank(chars, lo - a, hi - a)
        parts.append("".join(chars))
    return " ".join(parts)


_TOTAL_KEYS = {
    "total fees previously paid": "previously_paid",
    "total fee previously paid": "previously_paid",
    "total fee offsets": "offsets",
    "total fee offset": "offsets",
    "net fee due": "net_fee_due",
}


def _totals(kind: str, tokens: list[_Token], to_src: ToSource) -> list[tuple[str, float, Span]]:
    """A totals row: the last money cell is a fee; "Total" rows also give the aggregate."""
    monies = [t for t in tokens if t.kind in ("money", "num") and t.value is not None]
    if not monies:
        return []
    key = _TOTAL_KEYS.get(re.sub(r"\s+", " ", kind.lower()), "total_fee")
    last = monies[-1]
    found = [(key, last.value or 0.0, to_src(last.start, last.end))]
    if key == "total_fee" and len(monies) >= 2:
        before = monies[-2]
        found.append(
            ("total_offering_amount", before.value or 0.0, to_src(before.start, before.end))
        )
    return found


def _read_row(
    text: str, masked: str, start: int, lines: list[tuple[int, int]], group: str, to_src: ToSource
) -> tuple[TextRow | None, list[tuple[str, float, Span]]]:
    """One logical row → an offering (or a totals row)."""
    row_start, row_end = lines[0][0], lines[-1][1]
    rule, rate, spans, cells, row_masked = _rule_and_rate(
        text, masked, start, (row_start, row_end), to_src
    )
    tokens = _tokens(row_masked, row_start)
    if (
        len(tokens) > 1
        and tokens[0].kind == "money"
        and (tokens[0].value or 0) <= 1.0
        and tokens[1].kind in ("int", "shares")
    ):
        tokens = tokens[1:]  # "$0.001" of a par value whose words wrapped to the next line
    if not tokens:
        return None, []
    title = _clean_title(_title(text, lines, tokens, cells))
    total = _TOTAL.match(title or "")
    if total:
        return None, _totals(total.group("kind"), tokens, to_src)
    shares_tok = tokens[0] if tokens[0].kind in ("int", "shares") else None
    shares = int(shares_tok.value) if shares_tok and shares_tok.value is not None else None
    # after the amount registered, bare numbers are money too (some tables omit the "$")
    rest = [t for t in tokens[1 if shares_tok else 0 :] if t.kind in ("money", "num", "int", "na")]
    price, aggregate, fee = _assign(shares, rest)
    if group == "carry_forward":
        fee = None  # the last money cell is the fee paid with the earlier statement
    for name, tok in (
        ("shares_registered", shares_tok),
        ("max_price_per_share", price),
        ("max_aggregate_offering_price", aggregate),
        ("registration_fee", fee),
    ):
        if tok is not None and tok.value is not None:
            spans[name] = to_src(tok.start, tok.end)
    if title:
        spans["security_title"] = to_src(*trim(text, row_start, max(row_start, tokens[0].start)))
    offering = TextRow(
        row_group=group,
        security_title=title,
        shares_registered=shares,
        max_price_per_share=price.value if price else None,
        max_aggregate_offering_price=aggregate.value if aggregate else None,
        registration_fee=fee.value if fee else None,
        fee_rule=rule,
        fee_rate_per_million_stated=rate,
        spans=spans,
    )
    return offering, []


def _read_table(text: str, start: int, end: int, to_src: ToSource) -> _Table:
    """Rows and totals of a fee table in ``text[start:end]`` (clean text)."""
    # footnote markers are blanked here; fee-rule cells ("457(c)") are read from ``text``
    masked = _mask(text, start, end, (_PAR_VALUE, DATE_RE, _FILE_NO, FOOTNOTE))
    table = _Table()
    group = "fees_to_be_paid"
    for lines in _logical_rows(text, masked, start, end):
        row_text = text[lines[0][0] : lines[-1][1]]
        for name, rx in GROUP_LABELS:
            if rx.search(row_text):
                group = name
                break
        offering, totals = _read_row(text, masked, start, lines, group, to_src)
        for key, value, span in totals:
            table.totals.setdefault(key, (value, span))
        if offering is not None and (
            offering.shares_registered is not None
            or offering.max_aggregate_offering_price is not None
        ):
            table.offerings.append(offering)
    return table


def _footnote_rule(table: _Table, text: str, end: int, to_src: ToSource) -> _Table:
    """Rows whose rule cell is empty take the rule their footnotes cite ("Pursuant to Rule
    457(c) and (h)(1) ..."), which is where pre-2022 tables state it."""
    m = _RULE.search(text, end, min(len(text), end + 4000))
    if m is None or all(o.fee_rule for o in table.offerings):
        return table
    rule = re.sub(r"\s+", " ", m.group(0)).strip()
    table.offerings = [
        o
        if o.fee_rule
        else dataclasses.replace(
            o, fee_rule=rule, spans={**o.spans, "fee_rule": to_src(m.start(), m.end())}
        )
        for o in table.offerings
    ]
    return table


def _mapper(offsets: OffsetMap) -> ToSource:
    return lambda s, e: Span(*offsets.span_to_source(s, e))


def read_text_table(
    text: str, offsets: OffsetMap, start: int
) -> tuple[list[TextRow], dict[str, tuple[float, Span]]]:
    """Rows and totals of the text fee table that starts at ``start`` (just after the
    heading the caller found)."""
    end_m = _REGION_END.search(text, start)
    end = end_m.start() if end_m else min(len(text), start + 8000)
    to_src = _mapper(offsets)
    table = _footnote_rule(_read_table(text, start, end, to_src), text, end, to_src)
    return table.offerings, table.totals
