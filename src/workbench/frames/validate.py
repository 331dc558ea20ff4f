"""Check frames against their declared table before they are written or returned."""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from workbench.errors import ValidationError
from workbench.frames.tables import TABLES

F = TypeVar("F", pl.DataFrame, pl.LazyFrame)


def validate(frame: F, table: str) -> F:
    """Exact column names, order and dtypes; for eager frames also key uniqueness/non-null.

    Lazy frames only have their schema checked (free); data checks happen where they are
    collected.
    """
    spec = TABLES[table]
    expected = spec.schema()
    actual = frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema
    if list(actual.names()) != list(expected.names()):
        missing = [c for c in expected.names() if c not in actual]
        extra = [c for c in actual.names() if c not in expected]
        raise ValidationError(
            f"{table}: columns differ from the declared schema",
            missing=missing,
            extra=extra,
        )
    wrong = {
        name: (str(actual[name]), str(dtype))
        for name, dtype in expected.items()
        if actual[name] != dtype
    }
    if wrong:
        raise ValidationError(f"{table}: dtypes differ from the declared schema", columns=wrong)
    if isinstance(frame, pl.DataFrame) and spec.primary_key and frame.height:
        key = list(spec.primary_key)
        nulls = frame.select(pl.any_horizontal(pl.col(key).is_null()).sum()).item()
        if nulls:
            raise ValidationError(f"{table}: {nulls} rows with a null key", key=key)
        dupes = frame.height - frame.select(key).unique().height
        if dupes:
            raise ValidationError(f"{table}: {dupes} duplicate keys", key=key)
    return frame


def empty(table: str) -> pl.DataFrame:
    """A zero-row frame with the table's schema."""
    return pl.DataFrame(schema=TABLES[table].schema())


def from_rows(table: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    """Build a validated frame from row dicts (missing keys become null)."""
    schema = TABLES[table].schema()
    if not rows:
        return empty(table)
    frame = pl.DataFrame(rows, schema=schema, strict=False)
    return validate(frame.select(schema.names()), table)
