"""Cover-page counts read from the text agree with the filing's own inline XBRL fact."""

from __future__ import annotations

import re

import pytest

from workbench.forms.filing import parse_filing
from workbench.forms.shares import shares_for

pytestmark = pytest.mark.corpus

#: an exact (decimals="INF", scale 0) dei:EntityCommonStockSharesOutstanding fact
_FACT = re.compile(
    r'<ix:nonFraction[^>]*name="dei:EntityCommonStockSharesOutstanding"[^>]*>([\d,]+)<'
)


def _exact_facts(raw: str) -> list[int]:
    out = []
    for m in _FACT.finditer(raw):
        tag = m.group(0)
        if 'decimals="INF"' in tag and 'scale="0"' in tag:
            out.append(int(m.group(1).replace(",", "")))
    return out


def test_cover_text_equals_the_xbrl_fact(corpus):
    """Every cover in ``covers/`` with exact dei facts: the text gives those counts, and
    nothing more (GameStop's 'Number of shares … outstanding as of …: N' was missed before)."""
    checked = 0
    for path in sorted((corpus / "covers").glob("*.htm*")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        facts = _exact_facts(raw)
        if not facts:
            continue
        stated = sorted(s.shares_outstanding for s in shares_for(parse_filing(path)))
        assert stated == sorted(facts), path.name
        checked += 1
    assert checked >= 4  # GME 10-K and 10-Q, IBM, HD


def test_a_rounded_cover_count_is_said_not_recorded(corpus):
    """NVIDIA's 2024 10-K cover: 'The number of shares of common stock outstanding as of
    February 16, 2024 was 2.5 billion' (its XBRL fact: scale 9, decimals -8)."""
    from workbench.forms.shares import rounded_cover_count

    path = next((corpus / "covers").glob("*_10-K_NVDA_*"))
    filing = parse_filing(path)
    assert shares_for(filing) == []
    assert rounded_cover_count(filing) == "2.5 billion"
