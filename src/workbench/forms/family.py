"""What a form family declares: the tables it fills, their new columns, and its extractor.

A family module (``nt``, ``registration``, ``s8``, ``shares`` ...) ends with one ``FAMILY``
and the registry lists it; nothing else changes when a family is added. Columns are typed
with Python types (``str``, ``int``, ``dt.date``, ``list[str]``, a vocabulary for a coded
column, a ``TypedDict`` for a struct): the frames layer turns them into Polars dtypes, so
the parsers never import the dataframe library.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from workbench.forms.filing import Filing
from workbench.provenance import Span
from workbench.sources.filing_dir import DocumentStub

Row = dict[str, Any]
Warning_ = tuple[str, str]

#: the columns every form table starts with (declared with the ``filings`` table)
IDENTITY = ("source_path", "accession_number", "cik", "company_name", "form_type", "filed_date")


class SpanRow(TypedDict):
    """One element of a ``spans`` column: where a field's value sits in the decoded file."""

    field: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Column:
    """A column a family adds: its name, Python type, a sentence for researchers, a unit."""

    name: str
    type: object
    description: str
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A table a family fills: its column names in order (each declared once, by this
    family or by the core tables) and its primary key."""

    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    description: str


@dataclass(slots=True)
class Extracted:
    """What one family found in one filing: rows by table, and warnings."""

    rows: list[tuple[str, Row]] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)

    def add(self, table: TableSpec, row: Row) -> None:
        """Append a row to a table."""
        self.rows.append((table.name, row))

    def add_found(
        self,
        filing: Filing,
        table: TableSpec,
        record: object,
        spans: Mapping[str, Span],
        **values: Any,
    ) -> None:
        """Append the row of one extracted ``record``: the filing's identity columns, the
        record's fields (``values`` first, see ``table_row``) and its ``spans``."""
        row = table_row(table, record, **identity(filing, table), spans=span_rows(spans), **values)
        self.add(table, row)


@dataclass(slots=True)
class Context:
    """One filing as every family sees it, with a memo so that work two families need (the
    fee table an S-8 reads too) is done once."""

    filing: Filing
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[Filing], Any]) -> Any:
        """``compute(filing)``, evaluated on first use under ``key``."""
        if key not in self._memo:
            self._memo[key] = compute(self.filing)
        return self._memo[key]


@dataclass(frozen=True, slots=True)
class Family:
    """A form family: the tables it fills, the columns it declares and how a filing becomes
    their rows."""

    name: str
    description: str
    tables: tuple[TableSpec, ...]
    columns: tuple[Column, ...]
    extract: Callable[[Context], Extracted]
    #: the documents of a filing (form type, its documents as listed) the extractor reads;
    #: what a fetcher that takes only what is needed downloads
    reads: Callable[[str, Sequence[DocumentStub]], list[DocumentStub]] = lambda form, docs: []


def primary_stub(docs: Sequence[DocumentStub]) -> DocumentStub | None:
    """The main document of a listing: sequence 1, else the first listed (the rule of
    ``Submission.primary_document``)."""
    return next((d for d in docs if d.sequence == 1), docs[0] if docs else None)


def primary_when(
    applies: Callable[[str], bool],
) -> Callable[[str, Sequence[DocumentStub]], list[DocumentStub]]:
    """A family's ``reads``: the primary document of the forms ``applies`` to."""

    def reads(form_type: str, docs: Sequence[DocumentStub]) -> list[DocumentStub]:
        first = primary_stub(docs) if applies(form_type) else None
        return [first] if first is not None else []

    return reads


def span_rows(spans: Mapping[str, Span]) -> list[SpanRow]:
    """The ``spans`` column: one ``{field, start, end}`` struct per extracted field."""
    return [{"field": k, "start": v.start, "end": v.end} for k, v in sorted(spans.items())]


def identity(filing: Filing, table: TableSpec) -> Row:
    """The filing's values for the ``IDENTITY`` columns ``table`` has."""
    return {name: getattr(filing, name) for name in IDENTITY if name in table.columns}


def table_row(table: TableSpec, record: object = None, **values: Any) -> Row:
    """A row with exactly ``table``'s columns: a value given by name, else the record's
    attribute of the same name (tuples become lists). A column found nowhere, or a value for
    no column, is a bug and raises — the registry turns it into an ``extractor_failed``."""
    extra = set(values) - set(table.columns)
    if extra:
        raise ValueError(f"{table.name} has no column {sorted(extra)}")
    row: Row = {}
    for name in table.columns:
        value = values[name] if name in values else getattr(record, name)
        row[name] = list(value) if isinstance(value, tuple) else value
    return row
