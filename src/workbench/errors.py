"""Exception tree shared by every layer (stdlib imports only, so any layer may import it)."""

from __future__ import annotations

from typing import Any


class WorkbenchError(Exception):
    """Root of every error the workbench raises on purpose."""

    def __init__(self, message: str, *, suggestion: str | None = None, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion
        self.context = context

    def __str__(self) -> str:
        text = self.message
        if self.context:
            text += " (" + ", ".join(f"{k}={v!r}" for k, v in self.context.items()) + ")"
        if self.suggestion:
            text += f" — {self.suggestion}"
        return text


class SourceError(WorkbenchError, OSError):
    """Bytes could not be read (missing file, unreadable, too large)."""


class ParseError(WorkbenchError):
    """Bytes that could not be turned into the promised structure.

    ``code`` is a stable snake_case identifier that becomes a ``parse_issues`` row.
    """

    def __init__(self, code: str, message: str, **context: Any) -> None:
        super().__init__(message, **context)
        self.code = code


class ValidationError(WorkbenchError, ValueError):
    """Caller input that is wrong: unknown form, bad date, frame off its schema."""


class ReportExecutionError(WorkbenchError):
    """A report notebook failed while running; the partial notebook is kept for audit."""
