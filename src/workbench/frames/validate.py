"""Check frames against their declared table before they are written or returned."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, TypeVar

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


_INT64 = (-(2**63), 2**63 - 1)


def _fits(value: Any, dtype: Any) -> bool:
    """Whether a Python value goes into a column of ``dtype`` unchanged (no coercion)."""
    if value is None:
        return True
    if isinstance(dtype, pl.Enum):
        return isinstance(value, str) and value in _categories(dtype)
    if isinstance(dtype, pl.Boolean):
        return isinstance(value, bool)
    if isinstance(dtype, pl.Int64):
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and _INT64[0] <= value <= _INT64[1]
        )
    if isinstance(dtype, pl.Float64):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(dtype, pl.String):
        return isinstance(value, str) and _encodable(value)
    if isinstance(dtype, pl.Datetime):
        return isinstance(value, dt.datetime) and _exists(value)
    if isinstance(dtype, pl.Date):
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if isinstance(dtype, pl.List):
        return isinstance(value, list) and all(_fits(v, dtype.inner) for v in value)
    if isinstance(dtype, pl.Struct):
        return (
            isinstance(value, dict)
            and all(_fits(value.get(f.name), f.dtype) for f in dtype.fields)
            and set(value) <= {f.name for f in dtype.fields}
        )
    return True


def _encodable(text: str) -> bool:
    """UTF-8 can hold it (a lone surrogate, from a JSON escape or a file name, cannot)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _exists(when: dt.datetime) -> bool:
    """An aware datetime names a real instant: its wall-clock time survives a round trip
    through UTC (a time inside a spring-forward gap does not)."""
    if when.tzinfo is None:
        return True
    return when.astimezone(dt.UTC).astimezone(when.tzinfo).replace(tzinfo=None) == when.replace(
        tzinfo=None
    )


@cache
def _categories(dtype: pl.Enum) -> frozenset[str]:
    return frozenset(dtype.categories.to_list())


@cache
def _columns(table: str) -> tuple[tuple[str, Any], ...]:
    """The table's (column, dtype) pairs, built once per process: checked for every row."""
    return tuple(TABLES[table].schema().items())


def row_problems(table: str, row: dict[str, object]) -> list[str]:
    """Why a row dict cannot go into ``table`` as it is: unknown columns, and values that
    would be coerced (a float into an integer column, an unknown code into an enum, a
    number above 2^63...). Polars' own constructor turns those into nulls or truncates."""
    columns = _columns(table)
    names = {name for name, _ in columns}
    out = [f"unknown column {k!r}" for k in row if k not in names]
    for name, dtype in columns:
        value = row.get(name)
        if not _fits(value, dtype):
            out.append(f"{name}={value!r:.60} does not fit {dtype}")
    return out


def from_rows(table: str, rows: list[dict[str, object]], *, checked: bool = False) -> pl.DataFrame:
    """Build a validated frame from row dicts (missing keys become null). Strict: a value
    that does not fit its column raises ``ValidationError`` rather than being coerced.

    ``checked``: every row already passed ``row_problems`` (ingest screens each file's rows
    in its worker), so the check is not run a second time.
    """
    schema = TABLES[table].schema()
    if not rows:
        return empty(table)
    for i, row in enumerate([] if checked else rows):
        problems = row_problems(table, row)
        if problems:
            raise ValidationError(f"{table}: row {i} does not fit the schema", problems=problems)
    frame = pl.DataFrame(rows, schema=schema, strict=True)
    return validate(frame.select(schema.names()), table)
