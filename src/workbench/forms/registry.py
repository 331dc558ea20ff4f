"""The one dispatch point from a parsed filing to its form families' rows.

Each form family is one module ending in a ``FAMILY`` (``workbench.forms.family.Family``):
the tables it fills, the columns it adds (name, type, description) and its extractor.
``FAMILIES`` lists them; the frames layer builds its schemas from this list, so adding a
family — say 8-K items — is one new module and one entry here.

Every extractor runs on its own: an exception in one becomes an ``extractor_failed``
error naming the extractor and the file, and the filing's other rows (its ``filings`` and
``documents`` rows, every other family's rows) survive.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Sequence

from workbench.forms import nt, registration, s8, shares
from workbench.forms.family import Context, Family, Row, primary_stub
from workbench.forms.filing import Filing
from workbench.provenance import Issue
from workbench.sources.filing_dir import DocumentStub

FAMILIES: tuple[Family, ...] = (nt.FAMILY, registration.FAMILY, s8.FAMILY, shares.FAMILY)


def extract_all(
    filing: Filing, families: tuple[Family, ...] | None = None
) -> Iterator[tuple[str, Row] | Issue]:
    """Every family's rows and warnings for a filing; a family that raises yields an
    ``extractor_failed`` error instead of its rows, and the others run on."""
    ctx = Context(filing)
    for family in FAMILIES if families is None else families:
        try:
            found = family.extract(ctx)
        except Exception as exc:  # isolation: one family's bug never loses the file
            where = traceback.extract_tb(exc.__traceback__)[-1]
            yield Issue(
                "error",
                "extractor_failed",
                f"{family.name} extractor failed on {filing.source_path}: "
                f"{type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:"
                f"{where.lineno})",
            )
            continue
        yield from found.rows
        for code, message in found.warnings:
            yield Issue("warning", code, message)


def documents_read(form_type: str, docs: Sequence[DocumentStub]) -> list[DocumentStub]:
    """The documents of a filing that some family reads, in listed order; the primary
    document when none does (the filing's own row still wants its cover)."""
    chosen = {id(d) for family in FAMILIES for d in family.reads(form_type, docs)}
    picked = [d for d in docs if id(d) in chosen]
    if not picked and (first := primary_stub(docs)) is not None:
        picked = [first]
    return picked
