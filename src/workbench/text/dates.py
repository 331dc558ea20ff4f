"""Dates as filings write them: "November 30, 2002", "Nov. 30, 2002", "11/30/2002",
"30th day of September, 2003", "2026-03-31"."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
DATE_RE = re.compile(
    rf"(?P<mdy>\b(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<year>(?:19|20)\d\d)\b)"
    rf"|(?P<dmy>\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(?P<month2>{_MONTH_ALT})\.?\s*,?\s*(?P<year2>(?:19|20)\d\d)\b)"
    r"|(?P<num>\b(?P<m3>\d{1,2})/(?P<d3>\d{1,2})/(?P<y3>(?:19|20)?\d\d)\b)"
    r"|(?P<iso>\b(?P<y4>(?:19|20)\d\d)-(?P<m4>\d\d)-(?P<d4>\d\d)\b)",
    re.IGNORECASE,
)


def match_to_date(m: re.Match[str]) -> dt.date | None:
    """Turn a ``DATE_RE`` match into a date (``None`` for impossible dates like Feb 30)."""
    try:
        if m.group("mdy"):
            return dt.date(
                int(m.group("year")), _MONTHS[m.group("month").lower()], int(m.group("day"))
            )
        if m.group("dmy"):
            return dt.date(
                int(m.group("year2")), _MONTHS[m.group("month2").lower()], int(m.group("day2"))
            )
        if m.group("num"):
            year = int(m.group("y3"))
            if year < 100:
                year += 2000 if year < 70 else 1900
            return dt.date(year, int(m.group("m3")), int(m.group("d3")))
        if m.group("iso"):
            return dt.date(int(m.group("y4")), int(m.group("m4")), int(m.group("d4")))
    except ValueError:
        return None
    return None


def find_date(text: str, start: int = 0, end: int | None = None) -> tuple[dt.date, int, int] | None:
    """First valid date in ``text[start:end]`` with its position."""
    for m in DATE_RE.finditer(text, start, len(text) if end is None else end):
        value = match_to_date(m)
        if value is not None:
            return value, m.start(), m.end()
    return None


def parse_date_text(value: str) -> dt.date | None:
    """A whole string that is one date, e.g. a table cell."""
    found = find_date(value)
    return found[0] if found else None
