"""Form 12b-25 (NT 10-K, NT 10-Q, NT 20-F, NT 11-K, NT 10-D, NT-NCEN, NT-NCSR, NT NSAR).

Reads the notice's clean text part by part: the cover boxes (which report, which period,
transition), Part II (relief sought), Part III (the narrative), Part IV (contact, other
reports, anticipated change with its amounts) and the signature. Every value keeps the
source span it was read from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TypedDict

from workbench.form_types import notice_report_type
from workbench.forms.family import (
    Column,
    Context,
    Extracted,
    Family,
    TableSpec,
    primary_when,
)
from workbench.forms.filing import Filing
from workbench.forms.reasons import reason_labels
from workbench.provenance import Span
from workbench.text.checkboxes import MARK, find_mark_after, find_mark_before
from workbench.text.dates import find_date
from workbench.text.html_to_text import OffsetMap
from workbench.text.numbers import MONEY_RE, money_value
from workbench.text.tables import Cell, Table, html_tables, text_table


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeAmount:
    """A figure stated in the Part IV explanation of an anticipated change."""

    label: str | None
    amount: float
    period: str | None
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class LateNotice:
    """One Form 12b-25; ``None`` means the notice does not state it."""

    report_type: str
    is_amendment: bool
    period_ended: dt.date | None = None
    is_transition_report: bool = False
    transition_period_ended: dt.date | None = None
    relief_checked: bool | None = None
    narrative: str | None = None
    expected_filing_date: dt.date | None = None
    other_reports_filed: bool | None = None
    other_reports_missing: str | None = None
    significant_change: bool | None = None
    change_explanation: str | None = None
    change_amounts: tuple[ChangeAmount, ...] = ()
    contact_name: str | None = None
    contact_phone: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    signed_date: dt.date | None = None
    reason_labels: tuple[str, ...] = ()
    spans: dict[str, Span] = field(default_factory=dict)
    warnings: tuple[tuple[str, str], ...] = ()


# Part headings start a line and look like headings: the part's number is followed by a
# dash, colon or full stop, its title, or the end of the line. "Part III of this form" or
# a wrapped line starting "Part III information" in a narrative is not one.
_PART_TITLE = {"II": r"RULES?\b", "III": r"NARRATIVE\b", "IV": r"OTHER\s+INFORMATION\b"}
_PART = {
    name: re.compile(
        rf"^[ \t]*PART\s+{name}\b(?=[ \t]*+(?:[-—–:.]|$|{title}))",
        re.IGNORECASE | re.MULTILINE,
    )
    for name, title in _PART_TITLE.items()
}
#: Form furniture that is not the filer's words: rules typed as dashes, the SEC 1344
#: paperwork notice, "(Attach extra sheets if needed)", the criminal-penalty warning.
_RULE = re.compile(r"(?<!\S)[-_=*~]{4,}(?!\S)")
_FURNITURE = re.compile(
    r"SEC\s+1344\b|Persons\s+who\s+(?:are\s+to|potentially)\s+respond\s+to\s+the\s+collection"
    r"|\(?\s*Attach\s+(?:extra|additional)\s+sheets?\s+if\s+needed\.?\s*\)?"
    r"|ATTENTION\s*:?\s*Intentional\s+misstatements",
    re.IGNORECASE,
)
_PERIOD = re.compile(r"For\s+(?:the\s+)?Period\s+Ended\s*:?", re.IGNORECASE)
_TRANSITION_PERIOD = re.compile(r"For\s+the\s+Transition\s+Period\s+Ended\s*:?", re.IGNORECASE)
_TRANSITION_BOX = re.compile(r"Transition\s+Report\s+on\s+Form", re.IGNORECASE)
_NARRATIVE_INSTRUCTION = re.compile(
    r"\s*(?:[-—–:]\s*)?(?:NARRATIVE\s*)?(?:State\s+below\s+in\s+reasonable\s+detail.*?"
    r"(?:prescribed\s+time\s+period|period)\.?\s*(?:\(Attach\s+extra\s+sheets\s+if\s+needed\.?\)\.?)?)?",
    re.IGNORECASE | re.DOTALL,
)
_ITEM = re.compile(r"^[ \t]*+\(?([123])\)\s", re.MULTILINE)
_PHONE = re.compile(r"\(?\b(\d{3})\)?[\s.\-\t]*(\d{3})[\s.\-\t]*(\d{4})\b")
_CONTACT_NOISE = re.compile(
    r"Name\s+and\s+telephone\s+number\s+of\s+person\s+to\s+contact\s+in\s+regard\s+to\s+this\s+notification"
    r"|\((?:Name|Area\s+Code|Telephone\s+Number)\)",
    re.IGNORECASE,
)
# "_X_Yes": the underscore is a word character, so no \b before the label.
_YES = re.compile(r"(?<![A-Za-z])Yes\b", re.IGNORECASE)
_NO = re.compile(r"(?<![A-Za-z])No\b", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"Cautionary\s+(?:Note|Statement)|Forward[- ]Looking\s+Statements?\s*[:.]", re.IGNORECASE
)
_EXPLANATION_START = re.compile(
    r"reasonable\s+estimate\s+of\s+the\s+results\s+cannot\s+be\s+made\.?", re.IGNORECASE
)
_SIGNATURE_START = re.compile(
    r"(?P<label>\(?(?:Exact\s+)?Name\s+of\s+(?:the\s+)?Registrant\s+as\s+Specified\s+in\s+"
    r"(?:its\s+)?Charter\)?)"
    r"|(?P<caused>has\s+caused\s+this\s+(?:notification|report)\s+to\s+be\s+signed)"
    r"|^[ \t]*+SIGNATURES?[ \t]*+$",
    re.IGNORECASE | re.MULTILINE,
)
#: a corporate suffix ending a registrant's name
_SUFFIX = re.compile(
    r"\b(?:Inc|Corp|Corporation|Co|Company|Ltd|Limited|LLC|L\.?P|plc|N\.V|S\.A|AG|SE"
    r"|Holdings?|Group|Trust|Fund|Bancorp|Partners)\b\.?,?$",
)
_NAME_LINKS = frozenset({"of", "and", "the", "de", "&", "a"})


def _looks_like_name(line: str) -> bool:
    """A registrant's name as typed above the signature: in capitals, or in title case and
    ending with a corporate suffix ("Geospace Technologies Corporation"); a wrapped line of
    prose ("... by management of the Company") is neither."""
    if len(line) > 80 or not re.search(r"[A-Z]", line):
        return False
    if not re.search(r"[a-z]", line):
        return True
    words = [w for w in re.split(r"[\s,]+", line) if w]
    titled = all(w[0].isupper() or not w[0].isalpha() or w in _NAME_LINKS for w in words)
    return titled and _SUFFIX.search(line) is not None


_BY = re.compile(r"\bBy\s*:", re.IGNORECASE)
_DATE_LABEL = re.compile(r"\bDate[d]?\s*:?", re.IGNORECASE)
_EXPECT_PHRASE = re.compile(
    r"(?:on\s+or\s+(?:before|prior\s+to|about)|no\s+later\s+than|not\s+later\s+than|by|before|on)\s*$",
    re.IGNORECASE,
)
#: "the notice filed on September 28" names a past filing, not the expected one.
_PAST_FILING = re.compile(r"\b(?:filed|dated|submitted)\s+(?:on\s+)?$", re.IGNORECASE)
_DUE_DATE_AFTER = re.compile(
    r"\W{0,3}(?:the\s+)?(?:original\s+|prescribed\s+)?(?:due|filing)\s+date", re.IGNORECASE
)
_AMOUNT_LABEL = re.compile(
    r"((?:[A-Za-z][A-Za-z'-]*\s+){1,4}?)(?:of|was|were|totaling|totaled|totalled|to|is|are)\s+"
    r"(?:approximately\s+|about\s+|an\s+estimated\s+)?$",
    re.IGNORECASE,
)
_LABEL_STOP = {
    "the", "a", "an", "its", "had", "has", "have", "company", "company's", "compared",
    "anticipated", "expected", "estimated", "approximately", "and", "with", "in", "for",
    "registrant", "reported", "record", "to", "expects", "expect", "will", "report",
}  # fmt: skip
_PERIOD_AFTER = re.compile(
    r"(?<!\s)\s*+(?:in|for|during)\s+(?:the\s+)?((?:fiscal\s+(?:year\s+)?)?(?:19|20)\d\d"
    r"|(?:fiscal\s+)?(?:year|quarter|three\s+months|six\s+months|nine\s+months)[^,.;]{0,40}?(?:19|20)\d\d)",
    re.IGNORECASE,
)


def _parts(text: str) -> dict[str, tuple[int, int]]:
    """Offsets of Parts II, III and IV (each up to the next part or the end)."""
    starts: dict[str, int] = {}
    for name, rx in _PART.items():
        m = rx.search(text, starts.get("II", 0) if name != "II" else 0)
        if m:
            starts[name] = m.start()
    bounds: dict[str, tuple[int, int]] = {}
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    for i, (name, start) in enumerate(ordered):
        end = ordered[i + 1][1] if i + 1 < len(ordered) else len(text)
        bounds[name] = (start, end)
    return bounds


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _skip(text: str, start: int, end: int) -> int:
    """Past the whitespace, typed rules and form furniture at ``start``."""
    while True:
        while start < end and text[start].isspace():
            start += 1
        m = _RULE.match(text, start, end) or _FURNITURE.match(text, start, end)
        if m is None or m.end() == start:
            return start
        start = m.end()


def _prose(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` narrowed to the filer's words: leading rules and furniture skipped,
    cut at the first furniture after them."""
    start = _skip(text, start, end)
    cut = _FURNITURE.search(text, start, end)
    return start, cut.start() if cut else end


def _words(text: str) -> str | None:
    """Clean text without typed rules; None when nothing is left."""
    return _clean(_RULE.sub(" ", text)) or None


def _yes_no(text: str, start: int, end: int) -> tuple[bool | None, int, int]:
    """Answer of a Yes/No box pair in ``text[start:end]``: either order, marks before or after."""
    yes = no = None
    for m in _YES.finditer(text, start, end):
        yes = m
    for m in _NO.finditer(text, yes.end() if yes else start, end):
        no = m
        break
    if yes is None or no is None:
        return None, start, start
    yb, nb = (
        find_mark_before(text, yes.start(), window=8),
        find_mark_before(text, no.start(), window=8),
    )
    if yb is None or nb is None:
        ya, na = (
            find_mark_after(text, yes.end(), window=8),
            find_mark_after(text, no.end(), window=8),
        )
        if ya is not None and na is not None:
            yb, nb = ya, na
    if yb is None or nb is None or yb.checked == nb.checked:
        return None, yes.start(), no.end()
    return yb.checked, min(yb.start, yes.start()), max(nb.end, no.end())


def _item_bounds(text: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    found: dict[str, int] = {}
    for m in _ITEM.finditer(text, start, end):
        found.setdefault(m.group(1), m.start())
    out: dict[str, tuple[int, int]] = {}
    keys = sorted(found, key=lambda k: found[k])
    for i, k in enumerate(keys):
        out[k] = (found[k], found[keys[i + 1]] if i + 1 < len(keys) else end)
    return out


def _expected_date(narrative: str, period: dt.date | None) -> tuple[dt.date, int, int] | None:
    """The date the registrant says it will file by (not the due date, not the period)."""
    pos = 0
    while True:
        found = find_date(narrative, pos)
        if found is None:
            return None
        value, s, e = found
        pos = e
        before = narrative[max(0, s - 30) : s]
        if not _EXPECT_PHRASE.search(before) or _PAST_FILING.search(before):
            continue
        if _DUE_DATE_AFTER.match(narrative[e : e + 40]):
            continue
        sentence_start = narrative.rfind(".", 0, s) + 1
        if not re.search(r"\bfil(?:e|ed|ing)\b", narrative[sentence_start:e], re.IGNORECASE):
            continue
        if period is not None and value <= period:
            continue
        return found


def _amounts(
    text: str, start: int, end: int
) -> list[tuple[str | None, float, str | None, int, int]]:
    out = []
    for m in MONEY_RE.finditer(text, start, end):
        label = None
        lm = _AMOUNT_LABEL.search(text, max(start, m.start() - 60), m.start())
        if lm:
            words = [w for w in lm.group(1).split() if w.lower() not in _LABEL_STOP]
            label = " ".join(words).lower() or None
        pm = _PERIOD_AFTER.match(text, m.end(), min(end, m.end() + 60))
        period = _clean(pm.group(1)) if pm else None
        out.append((label, money_value(m), period, m.start(), m.end()))
    return out


_CELL_AMOUNT = re.compile(
    r"^\$?\s*+(?P<neg>\()?\s*+\$?\s*+(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*+\)?$"
)
_TABLE_SCALE = re.compile(r"in\s+(thousands|millions)", re.IGNORECASE)
_Amount = tuple[str | None, float, str | None, Span]


def _cell_amount(cell: Cell) -> tuple[float, Span] | None:
    """A cell that states one amount ("$ 1,234", "(567)", "1,234.5"); parentheses are a
    negative figure, as in the financial statements the table comes from."""
    m = _CELL_AMOUNT.match(cell.text.strip())
    if m is None:
        return None
    value = float(m.group("n").replace(",", ""))
    lead = len(cell.text) - len(cell.text.lstrip())
    return (-value if m.group("neg") else value), cell.span(lead, len(cell.text.rstrip()))


def _grid_amounts(table: Table, before: str) -> list[_Amount]:
    """A Part IV table of amounts, read by its columns: each amount's label is its row's
    text cell, its period the header above its column ("Three months ended March 31,
    2025"); "(in thousands)" above or in the table scales the figures to dollars."""
    first = next(
        (r for r, row in enumerate(table.rows) if any(_cell_amount(c) for c in row if c.col)),
        None,
    )
    if first is None:
        return []
    heads = table.column_texts(range(first))
    caption = " ".join(heads) + " " + before
    scale_m = _TABLE_SCALE.search(caption)
    scale = {"thousands": 1e3, "millions": 1e6}[scale_m.group(1).lower()] if scale_m else 1.0
    out: list[_Amount] = []
    for row in table.rows[first:]:
        label_cell = next((c for c in row if re.search(r"[A-Za-z]", c.text)), None)
        label = _clean(label_cell.text).lower() if label_cell else None
        for c in row:
            found = _cell_amount(c) if c is not label_cell else None
            if found is None:
                continue
            period = heads[c.col] or heads[min(c.last_col, table.n_cols - 1)] or None
            if period is not None and _TABLE_SCALE.fullmatch(period.strip(" ()")):
                period = None
            out.append((label, round(found[0] * scale, 2), period, found[1]))
    return out


def _table_amounts(
    text: str, offsets: OffsetMap, start: int, end: int, source: str | None
) -> tuple[list[_Amount], list[tuple[int, int]]]:
    """Amounts stated in tables inside the explanation, and where those tables sit (text
    positions), so the sentence reader leaves their cells alone. HTML tables are read
    from the raw file; a text table is a block of lines with two or more amounts each."""
    out: list[_Amount] = []
    where: list[tuple[int, int]] = []
    if source is not None:
        src_start, src_end = offsets.to_source(start), offsets.to_source(end)
        for table in html_tables(source, src_start, src_end):
            found = _grid_amounts(table, source[max(src_start, table.start - 300) : table.start])
            if found:
                out.extend(found)
                where.append(
                    (
                        offsets.to_text(table.start, start, end),
                        offsets.to_text(table.end, start, end),
                    )
                )
        return out, where
    lines = list(re.finditer(r"^.*$", text[start:end], re.MULTILINE))
    rows = [m for m in lines if len(re.findall(r"\d[\d,.]*\)?(?=\s{2,}|\s*$)", m.group(0))) >= 2]
    if len(rows) >= 2:
        first = lines.index(rows[0])
        top = first  # the header: up to three lines right above, up to a blank line
        while top > max(0, first - 3) and lines[top - 1].group(0).strip():
            top -= 1
        a = start + lines[top].start()
        b = start + rows[-1].end()
        grid = text_table(text, a, b, offsets)
        found = _grid_amounts(grid, text[max(start, a - 300) : a]) if grid is not None else []
        if found:
            out.extend(found)
            where.append((a, b))
    return out, where


def _contact(
    text: str, start: int, end: int
) -> tuple[str | None, str | None, dict[str, tuple[int, int]]]:
    spans: dict[str, tuple[int, int]] = {}
    item = _ITEM.match(text[start:end])
    body_start = start + (item.end() if item else 0)
    phone = _PHONE.search(text, body_start, end)
    phone_text = None
    if phone:
        phone_text = f"({phone.group(1)}) {phone.group(2)}-{phone.group(3)}"
        spans["contact_phone"] = (phone.start(), phone.end())
    name_region_end = phone.start() if phone else end
    region = text[body_start:name_region_end]
    cleaned = _CONTACT_NOISE.sub(" ", region)
    # a country code typed in the area-code column ("30  210-555-0142") belongs to the phone
    country = re.search(r"[\s(+]+(\d{1,3})\)?[\s\t]*$", cleaned)
    if country and phone is not None:
        phone_text = f"+{country.group(1)} {phone.group(1)}-{phone.group(2)}-{phone.group(3)}"
        cleaned = cleaned[: country.start()]
    name = _clean(cleaned).strip(" ,-–—:;") or None
    if name:
        name_at = text.find(name.split()[0], body_start, name_region_end)
        spans["contact_name"] = (
            (name_at, name_at + len(name)) if name_at >= 0 else (body_start, name_region_end)
        )
    return name, phone_text, spans


def _signature(
    text: str, start: int
) -> tuple[str | None, str | None, dt.date | None, dict[str, tuple[int, int]]]:
    spans: dict[str, tuple[int, int]] = {}
    signed = None
    label = _DATE_LABEL.search(text, start)
    if label:
        found = find_date(text, label.end(), label.end() + 40)
        if found:
            signed = found[0]
            spans["signed_date"] = (found[1], found[2])
    name = title = None
    by = _BY.search(text, start)
    if by:
        lines: list[tuple[str, int]] = []
        pos = by.end()
        for raw in text[by.end() : by.end() + 600].split("\n"):
            stripped = raw.strip(" \t")
            at = pos + raw.find(stripped) if stripped else pos
            pos += len(raw) + 1
            if stripped and not re.fullmatch(r"[-_=\s]+", stripped):
                lines.append((stripped, at))
        if lines:
            name, name_at, lines = _signer(lines)
            spans["signer_name"] = (name_at, name_at + len(name))
            title, title_at = _title(lines)
            if title is not None:
                spans["signer_title"] = (title_at, title_at + len(title))
    return name, title, signed, spans


_NAME_LABEL = re.compile(r"^Name\s*:\s*", re.IGNORECASE)
_TITLE_LABEL = re.compile(r"^Title\s*:\s*", re.IGNORECASE)


def _signer(lines: list[tuple[str, int]]) -> tuple[str, int, list[tuple[str, int]]]:
    """The signer's name from the lines after "By:": "/s/ X", then X again or "Name: X"
    (the typed name wins), or the name alone; the lines left for the title."""
    first, at = lines[0]
    rest = lines[1:]
    if first.startswith("/s/"):
        signature = first[3:].strip()
        name, name_at = signature, at + first.find(signature)
        if rest:
            typed, typed_at = rest[0]
            label = _NAME_LABEL.match(typed)
            bare = typed[label.end() :] if label else typed
            if label or _clean(bare).lower() == _clean(signature).lower():
                name, name_at, rest = (
                    bare.strip(),
                    typed_at + (label.end() if label else 0),
                    rest[1:],
                )
        return name, name_at, rest
    label = _NAME_LABEL.match(first)
    return first[label.end() if label else 0 :].strip(), at + (label.end() if label else 0), rest


def _title(lines: list[tuple[str, int]]) -> tuple[str | None, int]:
    """The signer's title: a "Title:" line among the next two, else the next line unless it
    is a date, an instruction or another name."""
    for line, at in lines[:2]:
        if label := _TITLE_LABEL.match(line):
            return line[label.end() :].strip() or None, at + label.end()
    if lines:
        line, at = lines[0]
        if not line.lower().startswith(("date", "instruction")) and not _NAME_LABEL.match(line):
            return line, at
    return None, 0


def notice_for(filing: Filing) -> LateNotice | None:
    """The 12b-25 content of a parsed filing, or ``None`` when it is not a notice."""
    if notice_report_type(filing.form_type) is None or filing.form_type is None:
        return None
    doc = filing.submission.primary_document
    if doc is None or doc.text_format not in ("text", "html"):
        return None
    text, offsets = filing.submission.clean_text(doc)
    source = filing.submission.text if doc.text_format == "html" else None
    return extract_notice(text, offsets, filing.form_type, source)


class _Acc:
    """Fields found so far, their spans (mapped to file offsets) and warnings."""

    def __init__(self, offsets: OffsetMap, source: str | None = None) -> None:
        self.offsets = offsets
        self.source = source  # the raw HTML, whose tables are read as grids
        self.values: dict[str, object] = {}
        self.spans: dict[str, Span] = {}
        self.warnings: list[tuple[str, str]] = []

    def put(
        self, name: str, value: object, start: int | None = None, end: int | None = None
    ) -> None:
        self.values[name] = value
        if start is not None and end is not None:
            self.spans[name] = Span(*self.offsets.span_to_source(start, end))


def _dated(text: str, label: re.Pattern[str], end: int) -> tuple[dt.date, int, int] | None:
    m = label.search(text, 0, end)
    if not m:
        return None
    found = find_date(text, m.end(), m.end() + 60)
    if found and text[m.end() : found[1]].strip(" _\t\n:") == "":
        return found
    return None


def _cover(text: str, end: int, acc: _Acc) -> None:
    found = _dated(text, _PERIOD, end)
    if found:
        acc.put("period_ended", found[0], found[1], found[2])
    else:
        acc.warnings.append(("nt_period_not_found", "no 'For Period Ended' date on the cover"))
    acc.put("is_transition_report", False)
    for box in _TRANSITION_BOX.finditer(text, 0, end):
        mark = find_mark_before(text, box.start(), window=16)
        if mark and mark.checked:
            acc.put("is_transition_report", True, mark.start, box.end())
    found = _dated(text, _TRANSITION_PERIOD, end)
    if found:
        acc.put("transition_period_ended", found[0], found[1], found[2])


def _part2(text: str, start: int, end: int, acc: _Acc) -> None:
    marks = list(MARK.finditer(text, start, end))
    if not marks:
        return
    checked = [mk for mk in marks if mk.group("checked")]
    if checked:
        acc.put("relief_checked", True, checked[0].start(), checked[0].end())
    else:
        acc.put("relief_checked", False)


def _part3(text: str, start: int, end: int, acc: _Acc) -> None:
    head = re.match(r"PART\s+III\b\s*[-—–:.]*\s*(?:NARRATIVE)?", text[start:end], re.IGNORECASE)
    body_start = start + (head.end() if head else 0)
    body_start = _skip(text, body_start, end)
    instr = _NARRATIVE_INSTRUCTION.match(text, body_start, end)
    body_start, end = _prose(text, instr.end() if instr else body_start, end)
    narrative = _words(text[body_start:end])
    if not narrative:
        acc.warnings.append(("nt_narrative_empty", "Part III holds no narrative"))
        return
    acc.put("narrative", narrative, body_start, end)
    period = acc.values.get("period_ended")
    hit = _expected_date(text[body_start:end], period if isinstance(period, dt.date) else None)
    if hit:
        acc.put("expected_filing_date", hit[0], body_start + hit[1], body_start + hit[2])
    acc.put("reason_labels", reason_labels(narrative))


def _explanation(text: str, start: int, end: int, acc: _Acc) -> int:
    """Part IV (3)'s explanation and its amounts; returns where the signature block starts."""
    exp_start = _EXPLANATION_START.search(text, start, end)
    ex_from = exp_start.end() if exp_start else start
    sig = _SIGNATURE_START.search(text, ex_from, end)
    ex_to = sig.start() if sig else end
    if sig and (sig.group("label") or sig.group("caused")):
        ex_to = _before_name(text, ex_from, ex_to, always=bool(sig.group("label")))
    boiler = _BOILERPLATE.search(text, ex_from, ex_to)
    if boiler:
        ex_to = boiler.start()
    ex_from, ex_to = _prose(text, ex_from, ex_to)
    explanation = _words(text[ex_from:ex_to])
    if explanation:
        acc.put("change_explanation", explanation, ex_from, ex_to)
        tabled, where = _table_amounts(text, acc.offsets, ex_from, ex_to, acc.source)
        found = [
            (label, value, per, Span(*acc.offsets.span_to_source(a, b)))
            for label, value, per, a, b in _amounts(text, ex_from, ex_to)
            if not any(lo <= a < hi for lo, hi in where)
        ]
        amounts = sorted([*found, *tabled], key=lambda x: x[3].start)
        acc.put(
            "change_amounts",
            tuple(
                ChangeAmount(label=lb, amount=v, period=per, span=sp) for lb, v, per, sp in amounts
            ),
        )
    return sig.start() if sig else end


def _before_name(text: str, lo: int, at: int, *, always: bool) -> int:
    """Where the explanation ends when the signature block opens with the registrant's
    name: above the "(Name of Registrant ...)" label the line is the name (``always``);
    above "has caused this notification..." it is when it looks like one."""
    head = text[lo:at].rstrip()
    line_start = head.rfind("\n") + 1
    line = head[line_start:].strip(" \t(")
    if not line or _RULE.fullmatch(line):
        return at
    if always or _looks_like_name(line):
        return lo + line_start
    return at


def _part4(text: str, start: int, end: int, acc: _Acc) -> int:
    """Contact, Yes/No answers, explanation; returns where the signature block starts."""
    items = _item_bounds(text, start, end)
    if "1" in items:
        name, phone, cspans = _contact(text, *items["1"])
        for key, value in (("contact_name", name), ("contact_phone", phone)):
            if value is not None:
                acc.put(key, value, *cspans[key])
    if "2" in items:
        filed, a, b = _yes_no(text, *items["2"])
        if filed is not None:
            acc.put("other_reports_filed", filed, a, b)
        if filed is False:
            acc.put("other_reports_missing", _clean(text[b : items["2"][1]]) or None)
    if "3" not in items:
        return items["2"][1] if "2" in items else start
    significant, a, b = _yes_no(text, items["3"][0], items["3"][1])
    if significant is not None:
        acc.put("significant_change", significant, a, b)
    return _explanation(text, max(b, items["3"][0]), end, acc)


def extract_notice(
    text: str, offsets: OffsetMap, form_type: str, html_source: str | None = None
) -> LateNotice | None:
    """Read a 12b-25 from its clean text; ``None`` if ``form_type`` is not a 12b-25 notice.
    ``html_source``: the raw file of an HTML notice, whose tables are read as grids."""
    kind = notice_report_type(form_type)
    if kind is None:
        return None
    acc = _Acc(offsets, html_source)
    parts = _parts(text)
    _cover(text, parts["II"][0] if "II" in parts else min(len(text), 6000), acc)
    for name, reader in (("II", _part2), ("III", _part3)):
        if name in parts:
            reader(text, *parts[name], acc)
        else:
            acc.warnings.append(("nt_part_missing", f"Part {name} not found"))
    if "IV" in parts:
        sig_from = _part4(text, *parts["IV"], acc)
        signer, title, signed, sspans = _signature(text, sig_from)
        for key, value in (
            ("signer_name", signer),
            ("signer_title", title),
            ("signed_date", signed),
        ):
            if value is not None:
                acc.put(key, value, *sspans[key])
    else:
        acc.warnings.append(("nt_part_missing", "Part IV not found"))
    return LateNotice(
        report_type=kind[0],
        is_amendment=kind[1],
        spans=acc.spans,
        warnings=tuple(acc.warnings),
        **acc.values,  # type: ignore[arg-type]
    )


# --- the family: its table, its columns, its extractor ----------------------------------------


class ChangeAmountRow(TypedDict):
    """One element of ``change_amounts``."""

    label: str | None
    amount: float
    period: str | None
    span_start: int
    span_end: int


LATE_NOTICES = TableSpec(
    "late_notices",
    (
        "source_path", "accession_number", "cik", "company_name", "form_type",
        "is_amendment", "report_type", "period_ended", "is_transition_report",
        "transition_period_ended", "relief_checked", "narrative", "expected_filing_date",
        "other_reports_filed", "other_reports_missing", "significant_change",
        "change_explanation", "change_amounts", "contact_name", "contact_phone",
        "signer_name", "signer_title", "signed_date", "reason_labels", "filed_date",
        "spans",
    ),
    ("source_path",),
    "One row per Form 12b-25 notice (amendments included and flagged).",
)  # fmt: skip

COLUMNS = (
    Column("is_amendment", bool, "The notice is an amendment (NT 10-K/A ...)."),
    Column("report_type", str,
           "Late report: 10-K, 10-Q, 20-F, 11-K, 10-D, N-CEN, N-CSR or N-SAR."),
    Column("period_ended", dt.date, "'For Period Ended' date on the notice's cover."),
    Column("is_transition_report", bool, "A transition-report box is checked."),
    Column("transition_period_ended", dt.date, "'For the Transition Period Ended' date."),
    Column("relief_checked", bool,
           "Part II box checked: Rule 12b-25(b) relief sought (null: no box found)."),
    Column("narrative", str, "Part III: why the report could not be filed on time."),
    Column("expected_filing_date", dt.date,
           "Date the narrative says the report will be filed by."),
    Column("other_reports_filed", bool, "Part IV (2): all other periodic reports filed."),
    Column("other_reports_missing", str, "Part IV (2): the reports named as not filed."),
    Column("significant_change", bool,
           "Part IV (3): a significant change in results is anticipated."),
    Column("change_explanation", str, "Part IV (3): the explanation given."),
    Column("change_amounts", list[ChangeAmountRow],
           "Dollar figures in the explanation, with label and period."),
    Column("contact_name", str, "Part IV (1): person to contact."),
    Column("contact_phone", str, "Part IV (1): telephone, as (AAA) NNN-NNNN."),
    Column("signer_name", str, "Who signed the notice."),
    Column("signer_title", str, "The signer's title."),
    Column("signed_date", dt.date, "Date beside the signature."),
    Column("reason_labels", list[str],
           "Why late, by the rule-based taxonomy in workbench.forms.reasons."),
)  # fmt: skip


def _extract(ctx: Context) -> Extracted:
    out = Extracted()
    notice = notice_for(ctx.filing)
    if notice is None:
        return out
    amounts: list[ChangeAmountRow] = [
        {"label": a.label, "amount": a.amount, "period": a.period,
         "span_start": a.span.start, "span_end": a.span.end}
        for a in notice.change_amounts
    ]  # fmt: skip
    out.add_found(ctx.filing, LATE_NOTICES, notice, notice.spans, change_amounts=amounts)
    out.warnings.extend(notice.warnings)
    return out


FAMILY = Family(
    "late_notice",
    "Form 12b-25 notices (NT 10-K, NT 10-Q, NT 20-F, NT-NCSR ...).",
    (LATE_NOTICES,),
    COLUMNS,
    _extract,
    reads=primary_when(lambda form: notice_report_type(form) is not None),
)
