"""Checkbox marks as EDGAR filers type them, reduced to checked / unchecked.

Seen in real filings: ``_X_``, ``[X]``, ``[ X ]``, ``/X/``, ``(X)``, ``☒``/``☐``, ``☑``,
``&#9746;``/``&#9744;`` (already turned into ☒/☐ by the HTML step), Wingdings ``þ``/``ý``
(checked) and ``¨``/``o`` (empty), ``x`` alone in a table cell, and a lone ``X`` before a
label. Empty boxes: ``__``, ``[ ]``, ``/ /``, ``( )``, and the underscore inside a box that
text filing agents type: ``|_|``, ``[_]``, ``(_)`` (checked: ``|X|``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CHECKED = (
    r"(?:_+[Xx]_+|\[\s*[Xx✓✔]\s*\]|/[Xx]/|\([Xx]\)|\|[Xx]\||[☒☑✓✔✗✘■þý]|(?<![\w.,])[Xx](?=[\s\t]))"
)
_EMPTY = r"(?:_{2,}|\[[\s_]*\]|/\s+/|\([\s_]+\)|\|[\s_]+\||[☐□]|(?<!\w)[¨o](?=[\s\t]))"
MARK = re.compile(rf"(?P<checked>{_CHECKED})|(?P<empty>{_EMPTY})")


@dataclass(frozen=True, slots=True)
class Mark:
    """One checkbox: where it is and whether it is ticked."""

    start: int
    end: int
    checked: bool


def find_mark_before(text: str, label_start: int, *, window: int = 12) -> Mark | None:
    """The checkbox immediately before a label (``☒ Form 10-K``), if any."""
    lo = max(0, label_start - window)
    found: Mark | None = None
    for m in MARK.finditer(text, lo, label_start):
        if text[m.end() : label_start].strip(" \t\u00a0") == "":
            found = Mark(m.start(), m.end(), m.group("checked") is not None)
    return found


def find_mark_after(text: str, label_end: int, *, window: int = 12) -> Mark | None:
    """The checkbox immediately after a label (``Yes ☒``), if any."""
    hi = min(len(text), label_end + window)
    m = MARK.search(text, label_end, hi)
    if m and text[label_end : m.start()].strip(" \t\u00a0") == "":
        return Mark(m.start(), m.end(), m.group("checked") is not None)
    return None
