"""Recognise encoded binaries inside ``<TEXT>`` so they are sized, never decoded into text."""

from __future__ import annotations

import re

_UUENCODE = re.compile(
    r"\A\s*(?:<(?:PDF|GRAPHIC|ZIP|XLS|EXCEL)>\s*)?begin(?:-base64)? [0-7]{3,4} \S"
)
_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/]{40,}={0,2}$")
_WRAPPER = re.compile(r"\A\s*<(PDF|GRAPHIC|ZIP|XLS|EXCEL)>", re.IGNORECASE)
_BINARY_SUFFIXES = (
    ".pdf",
    ".jpg",
    ".jpeg",
    ".gif",
    ".png",
    ".zip",
    ".xlsx",
    ".xls",
    ".bmp",
    ".tif",
    ".tiff",
)


def binary_encoding(body: str, filename: str | None = None) -> str | None:
    """Return ``'uuencode'``, ``'base64'`` or ``'binary'`` for an encoded body, else ``None``.

    Looks at the first lines only: EDGAR puts uuencoded files (``begin 644 name``) and the
    rare base64 block at the very start of ``<TEXT>``.
    """
    head = body[:4096]
    if _UUENCODE.match(head):
        return "base64" if "begin-base64" in head[:200] else "uuencode"
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
    wrapped = _WRAPPER.match(head)
    if wrapped:
        lines = lines[1:]
    if len(lines) >= 3 and all(_BASE64_LINE.match(ln) for ln in lines[:-1][:40]):
        return "base64"
    if filename and filename.lower().endswith(_BINARY_SUFFIXES) and _looks_binary(head):
        return "binary"
    return "binary" if _looks_binary(head) else None


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def _looks_binary(sample: str) -> bool:
    """Raw binary bytes that slipped into a text file: NULs or many control characters."""
    if not sample:
        return False
    if "\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) / len(sample) > 0.10
