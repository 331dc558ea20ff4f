"""What a document's own cover page says: its form, the registrant, EIN, file number.

Used for documents that arrive without an EDGAR header (the seeds, document-only wrappers),
where the text is the only witness.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from workbench.form_types import NT_BOXES
from workbench.provenance import Span
from workbench.text.checkboxes import find_mark_before
from workbench.text.dates import find_date
from workbench.text.html_to_text import OffsetMap

#: How far into the document a cover page reaches.
COVER_CHARS = 6000

_NT = re.compile(r"FORM\s+12b-25|NOTIFICATION\s+OF\s+LATE\s+FILING", re.IGNORECASE)
_NT_AMENDMENT = re.compile(
    r"12b-25\s*/\s*A\b|AMENDMENT\s+NO\.?\s*\d|AMENDED\s+NOTIFICATION|NT\s+10-[KQ]\s*/\s*A",
    re.IGNORECASE,
)
_NT_BOX = re.compile(
    r"(?:Transition\s+Report\s+on\s+)?Form\s*(10-KSB|10-K405|10-K|20-F|11-K|10-QSB|10-Q|10-D|N-SAR|N-CEN|N-CSR)\b",
    re.IGNORECASE,
)
_S8 = re.compile(r"FORM\s+S-8\b", re.IGNORECASE)
_POS = re.compile(r"POST[-\s]EFFECTIVE\s+AMENDMENT", re.IGNORECASE)
_GENERIC = re.compile(
    r"\bFORM\s+(10-KSB|10-K405|10-K|10-QSB|10-Q|8-K|20-F|40-F|11-K|S-1|S-3|S-4|F-1|F-3|N-CSR|N-CEN|6-K)\b",
    re.IGNORECASE,
)
# the line before "(Exact name of registrant ...)": anchored at a line start, its last
# non-space character ends it, and possessive whitespace runs, so a long run of spaces
# costs linear time (the lazy form was cubic: 8,000 spaces on a cover took 60 s)
_EXACT_NAME = re.compile(
    r"^([^\n]*[^\s])[ \t]*+\n\s*+\(?\s*+Exact\s+name\s+of\s+(?:the\s+)?registrant",
    re.IGNORECASE | re.MULTILINE,
)
_FULL_NAME_SAME_LINE = re.compile(
    r"Full\s+Name\s+o[fr]\s+Registrant\s*[-:–—]+\s*([^\n\t]+)", re.IGNORECASE
)
_FULL_NAME_LABEL = re.compile(r"(?:\(\s*+)?Full\s+Name\s+o[fr]\s+Registrant\s*\)?", re.IGNORECASE)
_EIN_LABEL = re.compile(r"I\.\s*R\.\s*S\.|Employer\s+Identification|\bEIN\b", re.IGNORECASE)
_EIN = re.compile(r"\b(\d{2})-(\d{7})\b")
_FILE_NUMBER = re.compile(
    r"(?:SEC\s+FILE\s+NUMBER|Commission\s+File\s+(?:Number|No\.?))\s*[-:–]?\s*((?:\d{1,3}-)?\d{3,6}(?:-\d{2,5})?)",
    re.IGNORECASE,
)
_AS_FILED = re.compile(
    r"As\s+filed\s+with\s+the\s+(?:Securities\s+and\s+Exchange\s+Commission|SEC|Commission)\s+(?:on|dated)\s+",
    re.IGNORECASE,
)
_STATE_LABEL = re.compile(r"State\s+or\s+other\s+jurisdiction", re.IGNORECASE)
US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
    "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
    "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
}  # fmt: skip
_STATE_NAME = re.compile(r"\b(" + "|".join(sorted(US_STATES, key=len, reverse=True)) + r")\b", re.I)


@dataclass(frozen=True, slots=True, kw_only=True)
class CoverFacts:
    """Cover-page facts; ``None`` means the text does not state it."""

    form_type: str | None = None
    company_name: str | None = None
    irs_number: str | None = None
    sec_file_number: str | None = None
    state_of_incorporation: str | None = None
    filed_date: dt.date | None = None
    #: field name → source span (file offsets)
    spans: dict[str, Span] = field(default_factory=dict)
    #: (code, message) for what could not be settled
    warnings: tuple[tuple[str, str], ...] = ()


def infer_form_type(text: str) -> tuple[str | None, int, int, list[tuple[str, str]]]:
    """Form type stated by a document's cover page, with the position that decided it.

    "FORM 12b-25 … ☒ Form 10-K" means ``NT 10-K``; "FORM S-8" means ``S-8`` (``S-8 POS``
    after "Post-Effective Amendment").
    """
    head = text[:COVER_CHARS]
    warnings: list[tuple[str, str]] = []
    nt = _NT.search(head)
    if nt:
        for box in _NT_BOX.finditer(head, nt.start()):
            mark = find_mark_before(head, box.start(), window=16)
            if mark and mark.checked:
                form = NT_BOXES[box.group(1).upper()]
                if _NT_AMENDMENT.search(head[:2500]):
                    form += "/A"
                return form, mark.start, box.end(), warnings
        warnings.append(("form_type_unresolved", "Form 12b-25 found but no report box is checked"))
        return None, nt.start(), nt.end(), warnings
    s8 = _S8.search(head)
    if s8:
        pos = _POS.search(head, 0, s8.start() + 400)
        return ("S-8 POS" if pos else "S-8"), s8.start(), s8.end(), warnings
    generic = _GENERIC.search(head)
    if generic:
        return generic.group(1).upper(), generic.start(), generic.end(), warnings
    warnings.append(("form_type_unresolved", "no form name found on the cover page"))
    return None, 0, 0, warnings


def _clean_name(raw: str) -> str | None:
    name = re.sub(r"\s+", " ", raw.replace("\t", " ")).strip(" -:–—,")
    if not name or name.lower().startswith(("n/a", "(")) or len(name) > 150:
        return None
    return name


def _company_name(text: str) -> tuple[str | None, int, int]:
    head = text[:COVER_CHARS]
    m = _FULL_NAME_SAME_LINE.search(head)
    if m and _clean_name(m.group(1)):
        return _clean_name(m.group(1)), m.start(1), m.end(1)
    m = _EXACT_NAME.search(head)
    if m and _clean_name(m.group(1)):
        lead = len(m.group(1)) - len(m.group(1).lstrip())
        return _clean_name(m.group(1)), m.start(1) + lead, m.end(1)
    m = _FULL_NAME_LABEL.search(head)
    if m:
        before = head[: m.start()].rstrip()
        line_start = before.rfind("\n") + 1
        name = _clean_name(before[line_start:])
        if name:
            return name, line_start, len(before)
        after = re.match(r"[ \t]*\n?[ \t]*([^\n]+)", head[m.end() :])
        if after and _clean_name(after.group(1)):
            return _clean_name(after.group(1)), m.end() + after.start(1), m.end() + after.end(1)
    return None, 0, 0


def extract_cover(text: str, offsets: OffsetMap) -> CoverFacts:
    """Read the cover page of a document's clean text; spans are mapped to file offsets."""
    spans: dict[str, Span] = {}

    def span(start: int, end: int) -> Span:
        return Span(*offsets.span_to_source(start, end))

    form, fs, fe, warnings = infer_form_type(text)
    if form:
        spans["form_type"] = span(fs, fe)
    name, ns, ne = _company_name(text)
    if name:
        spans["company_name"] = span(ns, ne)
    head = text[:COVER_CHARS]
    irs = None
    label = _EIN_LABEL.search(head)
    if label:
        window_start = max(0, label.start() - 400)
        m = _EIN.search(head, window_start, label.end() + 200)
        if m:
            irs = m.group(1) + m.group(2)
            spans["irs_number"] = span(m.start(), m.end())
    file_no = None
    m = _FILE_NUMBER.search(head)
    if m:
        file_no = m.group(1)
        spans["sec_file_number"] = span(m.start(1), m.end(1))
    state = None
    label = _STATE_LABEL.search(head)
    if label:
        before = head[max(0, label.start() - 300) : label.start()]
        hits = list(_STATE_NAME.finditer(before))
        if hits:
            hit = hits[-1]
            state = US_STATES[hit.group(1).lower()]
            base = max(0, label.start() - 300)
            spans["state_of_incorporation"] = span(base + hit.start(), base + hit.end())
    filed = None
    m = _AS_FILED.search(head[:2000])
    if m:
        found = find_date(head, m.end(), m.end() + 40)
        if found:
            filed = found[0]
            spans["filed_date"] = span(found[1], found[2])
    return CoverFacts(
        form_type=form,
        company_name=name,
        irs_number=irs,
        sec_file_number=file_no,
        state_of_incorporation=state,
        filed_date=filed,
        spans=spans,
        warnings=tuple(warnings),
    )
