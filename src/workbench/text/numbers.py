"""Money and counts as filings write them: "$9,292,000", "$1.2 million", "2,000,000 shares"."""

from __future__ import annotations

import re

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "mm": 1e6, "m": 1e6, "bn": 1e9}
MONEY_RE = re.compile(
    r"\$\s?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>thousand|million|billion|mm|bn)\b)?",
    re.IGNORECASE,
)


def money_value(match: re.Match[str]) -> float:
    """Dollars for a ``MONEY_RE`` match."""
    value = float(match.group("number").replace(",", ""))
    scale = match.group("scale")
    # round to cents: 4.1 × 1e6 is 4099999.9999999995 in binary floating point
    return round(value * _SCALE[scale.lower()], 2) if scale else value


def parse_int(text: str) -> int | None:
    """``"2,000,000"`` → 2000000; ``None`` when there is no number."""
    m = re.search(r"\d{1,3}(?:,\d{3})+|\d+", text)
    return int(m.group(0).replace(",", "")) if m else None
