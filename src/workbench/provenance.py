"""Where an extracted value came from.

Offsets are *character* offsets into the decoded text of the source file (see
``workbench.sources.files.decode``): for ASCII and single-byte encodings (cp1252,
latin-1 — nearly all of EDGAR) they equal byte offsets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range ``[start, end)`` in the decoded source file."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def shift(self, offset: int) -> Span:
        """Move a span found in a slice back into whole-file coordinates."""
        return Span(self.start + offset, self.end + offset)

    def slice(self, text: str) -> str:
        """The source characters this span covers."""
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found in one input: becomes a ``parse_issues`` row.

    ``code`` is stable snake_case (``truncated_document``, ``fee_table_not_found``...);
    ``message`` is for people and may change.
    """

    severity: str  # 'error' | 'warning'
    code: str
    message: str
    span: Span | None = None
