"""Form S-8 (and S-8 POS): the registration fee table, the explanatory note, deregistrations.

Fee tables come in four layouts, tried in this order:

* ``ex107_ixbrl`` — the Exhibit 107 "Filing Fee Tables" document (2022+) carrying inline
  XBRL ``ffd:`` facts: values are read from the tagged facts, grouped by context.
* ``ex107_html`` — the same exhibit without tags: its HTML table is read as text.
* ``html`` / ``text`` — the pre-2022 "Calculation of Registration Fee" table on the cover of
  the primary document, as HTML or as plain text (``<TABLE>``/``<S>``/``<C>`` markup, pipes,
  dashes, cells wrapped over several lines, footnote markers such as "(1)").

Tables are read the same way in every text layout: the region after the heading is cut into
logical rows (rule lines, blank lines and ``<S>``/``<C>`` tags separate them; a row whose
title wraps keeps its continuation lines), and within a row the values appear in the
table's column order — amount registered, price per share, aggregate price, (fee rate,)
fee. Par-value phrases, footnote markers, dates and file numbers are masked (replaced by
spaces, so offsets stay put) before values are read. Every value keeps its source span.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.forms.fees import check_aggregate, check_fee, expected_rate
from workbench.forms.filing import Filing
from workbench.provenance import Span
from workbench.sgml.submission import Document
from workbench.text.dates import DATE_RE
from workbench.text.html_to_text import OffsetMap

S8_FORMS = ("S-8", "S-8/A", "S-8 POS")
ROW_GROUPS = ("fees_to_be_paid", "fees_previously_paid", "carry_forward")
FEE_TABLE_LAYOUTS = ("text", "html", "ex107_html", "ex107_ixbrl")

ToSource = Callable[[int, int], Span]


@dataclass(frozen=True, slots=True, kw_only=True)
class S8Offering:
    """One security class in the fee table; ``None`` means the table does not state it."""

    row_number: int
    row_group: str
    security_title: str | None
    shares_registered: int | None
    max_price_per_share: float | None
    max_aggregate_offering_price: float | None
    registration_fee: float | None
    fee_rule: str | None
    fee_rate_per_million_stated: float | None
    fee_rate_per_million_expected: float | None = None
    fee_check: str | None = None
    aggregate_check: str | None = None
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class S8Registration:
    """What an S-8 or S-8 POS registers (or deregisters)."""

    fee_table_layout: str | None
    offerings: tuple[S8Offering, ...]
    total_offering_amount: float | None = None
    total_fee_stated: float | None = None
    net_fee_due: float | None = None
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
        """The fee stated as the total, else the sum of the rows' fees."""
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


# --- patterns -----------------------------------------------------------------------------

_HEADING = re.compile(r"CALCULATION\s+OF\s+(?:THE\s+)?REGISTRATION\s+FEES?", re.IGNORECASE)
_EX107_START = re.compile(
    r"Table\s+1\b|Security\s+Class\s+Title|Newly\s+Registered\s+and\s+Carry\s+Forward",
    re.IGNORECASE,
)
_EX107_END = re.compile(r"^\s*Table\s+2\b|^\s*Table\s+2\s*[:.–—-]", re.IGNORECASE | re.MULTILINE)
_REGION_END = re.compile(
    r"</TABLE>|^[ \t]*EXPLANATORY\s+NOTE|^[ \t]*PART\s+I\b|^[ \t]*(?:\(\s*(?:1|a)\s*\)|\*|1\.)[ \t]+[A-Z]",
    re.IGNORECASE | re.MULTILINE,
)
_SEPARATOR = re.compile(
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
_FOOTNOTE = re.compile(r"\(\s*\d{1,2}\s*\)|\(\s*[a-z]\s*\)|\*+|[†‡§]")
_FILE_NO = re.compile(r"\b\d{3}-\d{4,}\b")
_VALUE = re.compile(
    r"(?P<money>\$[ \t]*(?P<mnum>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+))"
    r"|(?P<num>(?<![\w.$,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{5,}(?:\.\d+)?|\d+\.\d+)(?![\w,]|\.\d))(?P<shares>\s+shares)?"
    r"|(?P<small>(?<![\w.$,])\d{1,4}(?![\w,.]))(?P<small_shares>\s+shares)"
    r"|(?P<na>N/?A\b|-0-|—|–)",
    re.IGNORECASE,
)
_GROUP_LABELS = (
    ("fees_previously_paid", re.compile(r"Fees\s+Previously\s+Paid", re.IGNORECASE)),
    ("carry_forward", re.compile(r"Carry\s+Forward\s+Securities", re.IGNORECASE)),
    ("fees_to_be_paid", re.compile(r"Fees\s+to\s+be\s+Paid", re.IGNORECASE)),
)
_SECURITY_TYPES = re.compile(
    r"^(?:Equity|Debt|Other|Unallocated(?:\s+\(Universal\)\s+Shelf)?|Exchange\s+Traded\s+Vehicle\s+Securities|Asset-backed\s+Securities|Non-Convertible\s+Debt|Convertible\s+Debt|Mortgage\s+Backed\s+Securities)\s*(?:\t|$)",
    re.IGNORECASE,
)
_TOTAL = re.compile(
    r"^\s*(?P<kind>Total\s+Offering\s+Amounts?|Total\s+Fees?\s+Previously\s+Paid|Total\s+Fee\s+Offsets?|Net\s+Fee\s+Due|Total(?:\s+Fees?\s+Due)?)\b",
    re.IGNORECASE,
)
_PLAN_LABEL = re.compile(r"\(?\s*Full\s+titles?\s+of\s+(?:the\s+)?plans?\s*\)?", re.IGNORECASE)
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


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
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
    text = _FOOTNOTE.sub(" ", re.sub(r"</?(?:S|C|CAPTION|FN)>", " ", raw, flags=re.IGNORECASE))
    for _, rx in _GROUP_LABELS:
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
        if _SEPARATOR.match(text[a:b]):
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
    offerings: list[S8Offering] = field(default_factory=list)
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
) -> tuple[S8Offering | None, list[tuple[str, float, Span]]]:
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
        spans["security_title"] = to_src(*_trim(text, row_start, max(row_start, tokens[0].start)))
    offering = S8Offering(
        row_number=0,
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
    masked = _mask(text, start, end, (_PAR_VALUE, DATE_RE, _FILE_NO, _FOOTNOTE))
    table = _Table()
    group = "fees_to_be_paid"
    for lines in _logical_rows(text, masked, start, end):
        row_text = text[lines[0][0] : lines[-1][1]]
        for name, rx in _GROUP_LABELS:
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


# --- layouts --------------------------------------------------------------------------------


def _exhibit(filing: Filing) -> Document | None:
    for doc in filing.documents:
        kind = (doc.doc_type or "").upper()
        name = (doc.filename or "").lower()
        if (kind.startswith(("EX-FILING FEES", "EX-107")) or "filingfees" in name) and (
            not doc.is_binary
        ):
            return doc
    return None


_IX_FACT = re.compile(
    r"<ix:(?P<tag>nonFraction|nonNumeric)\b(?P<attrs>[^>]*)>(?P<body>.*?)</ix:(?P=tag)>",
    re.IGNORECASE | re.DOTALL,
)
_ATTR = re.compile(r"([\w:.-]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_FFD_ROW = {
    "OfferingSctyTitl": "security_title",
    "AmtSctiesRegd": "shares_registered",
    "MaxOfferingPricPerScty": "max_price_per_share",
    "MaxAggtOfferingPric": "max_aggregate_offering_price",
    "FeeRate": "fee_rate",
    "FeeAmt": "registration_fee",
}
_FFD_TOTAL = {
    "TtlOfferingAmt": "total_offering_amount",
    "TtlFeeAmt": "total_fee",
    "TtlPrevslyPdAmt": "previously_paid",
    "TtlOffsetAmt": "offsets",
    "NetFeeAmt": "net_fee_due",
}
_FFD_RULE_FLAGS = {
    "Rule457aFlg": "457(a)",
    "Rule457oFlg": "457(o)",
    "Rule457rFlg": "457(r)",
    "Rule457uFlg": "457(u)",
    "Rule457fFlg": "457(f)",
    "FeesOthrRuleFlg": "Other",
}


@dataclass(frozen=True, slots=True)
class _Fact:
    name: str  # local name, without "ffd:"
    context: str
    value: float | str
    span: Span
    fixed_true: bool


def _ix_facts(raw: str, base: int) -> list[_Fact]:
    """Every ``ffd:`` fact in an inline XBRL document, numbers scaled and signed."""
    facts = []
    for m in _IX_FACT.finditer(raw):
        attrs = {k.lower(): v[1:-1] for k, v in _ATTR.findall(m.group("attrs"))}
        name = attrs.get("name", "")
        if not name.lower().startswith("ffd:"):
            continue
        body = html_lib.unescape(re.sub(r"<[^>]+>", "", m.group("body"))).strip()
        value: float | str = body
        if m.group("tag").lower() == "nonfraction":
            try:
                number = _number(body) if body not in ("", "-", "—") else 0.0
            except ValueError:
                continue
            number *= 10 ** int(attrs.get("scale", "0") or 0)
            value = -number if attrs.get("sign") == "-" else number
        facts.append(
            _Fact(
                name=name.split(":", 1)[1],
                context=attrs.get("contextref", ""),
                value=value,
                span=Span(base + m.start("body"), base + m.end("body")),
                fixed_true="fixed-true" in attrs.get("format", ""),
            )
        )
    return facts


def _ixbrl(raw: str, base: int) -> _Table | None:
    """Fee rows from inline XBRL ``ffd:`` facts, one row per offering context."""
    facts = _ix_facts(raw, base)
    if not facts:
        return None
    rows: dict[str, dict[str, tuple[object, Span]]] = {}
    flags: dict[str, dict[str, bool]] = {}
    totals: dict[str, tuple[float, Span]] = {}
    for fact in facts:
        if fact.name in _FFD_TOTAL and isinstance(fact.value, float):
            totals[_FFD_TOTAL[fact.name]] = (fact.value, fact.span)
        elif fact.name in _FFD_ROW:
            rows.setdefault(fact.context, {})[_FFD_ROW[fact.name]] = (fact.value, fact.span)
        elif fact.name in _FFD_RULE_FLAGS or fact.name == "PrevslyPdFlg":
            shown = str(fact.value).strip().lower()
            flags.setdefault(fact.context, {})[fact.name] = (
                fact.fixed_true
                or shown in ("true", "yes", "1", "x", "☒")
                or (fact.name == "FeesOthrRuleFlg" and shown == "other")
            )
    table = _Table(totals=totals)
    for ctx, cells in rows.items():
        if not {"shares_registered", "max_aggregate_offering_price", "registration_fee"} & set(
            cells
        ):
            continue
        ctx_flags = flags.get(ctx, {})
        rule = ", ".join(v for k, v in _FFD_RULE_FLAGS.items() if ctx_flags.get(k)) or None

        def num(key: str, cells: dict[str, tuple[object, Span]] = cells) -> float | None:
            v = cells.get(key)
            return float(v[0]) if v and isinstance(v[0], float) else None

        shares = num("shares_registered")
        rate = num("fee_rate")
        title = cells.get("security_title")
        table.offerings.append(
            S8Offering(
                row_number=0,
                row_group="fees_previously_paid"
                if ctx_flags.get("PrevslyPdFlg")
                else "fees_to_be_paid",
                security_title=str(title[0]) if title else None,
                shares_registered=int(shares) if shares is not None else None,
                max_price_per_share=num("max_price_per_share"),
                max_aggregate_offering_price=num("max_aggregate_offering_price"),
                registration_fee=num("registration_fee"),
                fee_rule=rule,
                fee_rate_per_million_stated=round(rate * 1_000_000, 4)
                if rate is not None
                else None,
                spans={
                    ("fee_rate_per_million_stated" if k == "fee_rate" else k): v[1]
                    for k, v in cells.items()
                },
            )
        )
    return table


def _find_table(filing: Filing) -> tuple[str | None, _Table | None, list[tuple[str, str]]]:
    """The fee table in whichever layout the filing uses."""
    sub = filing.submission
    warnings: list[tuple[str, str]] = []
    exhibit = _exhibit(filing)
    if exhibit is not None:
        raw = sub.raw_text(exhibit)
        table = _ixbrl(raw, exhibit.text_span.start)
        if table is not None and table.offerings:
            return "ex107_ixbrl", table, warnings
        text, offsets = sub.clean_text(exhibit)
        start_m = _EX107_START.search(text)
        start = start_m.start() if start_m else 0
        end_m = _EX107_END.search(text, start + 1)
        end = end_m.start() if end_m else len(text)
        table = _read_table(text, start, end, _mapper(offsets))
        if table.offerings:
            return "ex107_html", _footnote_rule(table, text, end, _mapper(offsets)), warnings
        warnings.append(
            ("fee_table_unreadable", "Exhibit 107 found but no fee row could be read from it")
        )
    doc = sub.primary_document
    if doc is None or doc.text_format not in ("text", "html"):
        return None, None, warnings
    text, offsets = sub.clean_text(doc)
    heading = _HEADING.search(text)
    if heading is None:
        return None, None, warnings
    start = heading.end()
    end_m = _REGION_END.search(text, start)
    end = end_m.start() if end_m else min(len(text), start + 8000)
    table = _read_table(text, start, end, _mapper(offsets))
    layout = "html" if doc.text_format == "html" else "text"
    table = _footnote_rule(table, text, end, _mapper(offsets))
    if not table.offerings:
        warnings.append(
            (
                "fee_table_unreadable",
                "'Calculation of Registration Fee' heading found but no row with an amount "
                "registered or an aggregate offering price could be read",
            )
        )
        return layout, None, warnings
    return layout, table, warnings


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


def _checked(offering: S8Offering, number: int, filed: dt.date | None) -> S8Offering:
    rate = expected_rate(filed)
    aggregate, fee = offering.max_aggregate_offering_price, offering.registration_fee
    return dataclasses.replace(
        offering,
        row_number=number,
        fee_rate_per_million_expected=rate,
        fee_check=check_fee(aggregate, fee, rate)
        if offering.row_group == "fees_to_be_paid"
        else None,
        aggregate_check=check_aggregate(
            offering.shares_registered, offering.max_price_per_share, aggregate
        ),
    )


def registration_for(filing: Filing) -> S8Registration | None:
    """The S-8 content of a parsed filing, or ``None`` when it is not an S-8."""
    form = (filing.form_type or "").upper()
    if form not in S8_FORMS:
        return None
    layout, table, warnings = _find_table(filing)
    note = _note(filing, form)
    spans: dict[str, Span] = dict(note.pop("spans"))  # type: ignore[call-overload]
    offerings: tuple[S8Offering, ...] = ()
    totals: dict[str, tuple[float, Span]] = {}
    if table is not None:
        offerings = tuple(
            _checked(o, i, filing.filed_date) for i, o in enumerate(table.offerings, start=1)
        )
        totals = table.totals
    elif form != "S-8 POS" and not any(code == "fee_table_unreadable" for code, _ in warnings):
        warnings.append(
            (
                "fee_table_not_found",
                "no 'Calculation of Registration Fee' table, Exhibit 107 or ffd: facts found",
            )
        )
    for o in offerings:
        if o.fee_check == "mismatch":
            warnings.append(
                (
                    "fee_mismatch",
                    f"row {o.row_number}: fee {o.registration_fee} ≠ "
                    f"{o.max_aggregate_offering_price} × {o.fee_rate_per_million_expected}/1e6",
                )
            )
    for key, (_, span) in totals.items():
        spans[key] = span
    row_fees = [o.registration_fee for o in offerings if o.row_group == "fees_to_be_paid"]
    if "total_fee" in totals and row_fees and all(f is not None for f in row_fees):
        summed = round(sum(f for f in row_fees if f is not None), 2)
        if abs(summed - totals["total_fee"][0]) > 0.011:
            warnings.append(
                (
                    "fee_total_mismatch",
                    f"rows sum to {summed}, total states {totals['total_fee'][0]}",
                )
            )
    return S8Registration(
        fee_table_layout=layout if offerings else None,
        offerings=offerings,
        total_offering_amount=totals.get("total_offering_amount", (None,))[0],
        total_fee_stated=totals.get("total_fee", (None,))[0],
        net_fee_due=totals.get("net_fee_due", (None,))[0],
        spans=spans,
        warnings=tuple(warnings),
        **note,  # type: ignore[arg-type]
    )
