"""The registry is the one place a form family plugs in (issue 15, item 1).

A new family is one module (its table, its columns, its extractor) and one registry entry:
the first test makes exactly that change in a copy of the package, ingests a hand-written
8-K with it and reads the new table back with the declared dtypes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

import polars as pl
import pytest

import workbench
from workbench.forms import registry
from workbench.forms.family import Column, SpanRow, TableSpec, table_row
from workbench.frames.fields import _CORE, FIELDS, _collect, dtype_of
from workbench.frames.tables import TABLES
from workbench.vocab import FEE_CHECKS

EIGHT_K = """\
                                  FORM 8-K

                               CURRENT REPORT
Date of Report: March 3, 2024

Item 2.02  Results of Operations and Financial Condition.

Item 9.01  Financial Statements and Exhibits.
"""

FAMILY_MODULE = '''
"""8-K items: a family added as one module."""
import re

from workbench.forms.family import Column, Context, Extracted, Family, TableSpec, identity
from workbench.forms.family import table_row

EIGHT_K_ITEMS = TableSpec(
    "eight_k_items",
    ("source_path", "accession_number", "form_type", "item", "item_start"),
    ("source_path", "item"),
    "One row per item an 8-K reports.",
)
COLUMNS = (
    Column("item", str, "Item number, e.g. '2.02'."),
    Column("item_start", int, "Offset of the item heading in the clean text."),
)


def _extract(ctx: Context) -> Extracted:
    out = Extracted()
    doc = ctx.filing.submission.primary_document
    if doc is None:
        return out
    text, _ = ctx.filing.submission.clean_text(doc)
    if "FORM 8-K" not in text:
        return out
    for m in re.finditer(r"^Item\\s+(\\d\\.\\d\\d)", text, re.MULTILINE):
        values = identity(ctx.filing, EIGHT_K_ITEMS)
        out.add(EIGHT_K_ITEMS, table_row(EIGHT_K_ITEMS, **values, item=m.group(1),
                                         item_start=m.start()))
    return out


FAMILY = Family("eight_k_items", "8-K items.", (EIGHT_K_ITEMS,), COLUMNS, _extract)
'''

SCRIPT = """
import json, sys
from workbench.frames.ingest import ingest
t = ingest([sys.argv[1]], workers=1).tables["eight_k_items"]
print(json.dumps({"schema": {k: str(v) for k, v in t.schema.items()},
                  "rows": t.select("item", "form_type").rows()}))
"""


def test_a_new_family_is_one_module_and_one_registry_entry(tmp_path: Path) -> None:
    """A copy of the package with exactly that diff ingests into the new table."""
    pkg = tmp_path / "src" / "workbench"
    shutil.copytree(Path(workbench.__file__).parent, pkg,
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    (pkg / "forms" / "eight_k.py").write_text(FAMILY_MODULE)
    reg = pkg / "forms" / "registry.py"
    source = reg.read_text()
    entry = "FAMILIES: tuple[Family, ...] = ("
    assert source.count(entry) == 1
    reg.write_text(
        source.replace(
            "from workbench.forms import ", "from workbench.forms import eight_k, "
        ).replace(entry, entry + "eight_k.FAMILY, ")
    )
    (tmp_path / "run.py").write_text(SCRIPT)
    filing = tmp_path / "8k.txt"
    filing.write_text(EIGHT_K)
    done = subprocess.run(
        [sys.executable, str(tmp_path / "run.py"), str(filing)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "src")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["schema"] == {
        "source_path": "String",
        "accession_number": "String",
        "form_type": "String",
        "item": "String",
        "item_start": "Int64",
    }
    assert [r[0] for r in got["rows"]] == ["2.02", "9.01"]
    assert all(r[1] == "8-K" for r in got["rows"])


def test_every_family_table_is_a_table_with_declared_columns() -> None:
    for family in registry.FAMILIES:
        for spec in family.tables:
            assert TABLES[spec.name].columns == spec.columns
            assert TABLES[spec.name].primary_key == spec.primary_key
        for column in family.columns:
            assert FIELDS[column.name].description == column.description


def test_a_column_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="'cik' is declared twice"):
        _collect(_CORE, [Column("cik", str, "again")])


class _Pair(TypedDict):
    a: str | None
    b: float


@pytest.mark.parametrize(
    ("annotation", "dtype"),
    [
        (str, pl.String()),
        (int, pl.Int64()),
        (float, pl.Float64()),
        (bool, pl.Boolean()),
        (dt.date, pl.Date()),
        (int | None, pl.Int64()),
        (list[str], pl.List(pl.String())),
        (FEE_CHECKS, pl.Enum(["ok", "rounded", "mismatch", "rate_unknown"])),
        (_Pair, pl.Struct({"a": pl.String(), "b": pl.Float64()})),
        (list[SpanRow], pl.List(pl.Struct({"field": pl.String, "start": pl.Int64,
                                           "end": pl.Int64}))),
    ],
)  # fmt: skip
def test_python_column_types_map_to_polars_dtypes(annotation: object, dtype: pl.DataType) -> None:
    assert dtype_of(annotation) == dtype


def test_an_unmappable_column_type_is_refused() -> None:
    with pytest.raises(TypeError):
        dtype_of(dict)


def test_table_row_takes_exactly_the_table_columns() -> None:
    spec = TableSpec("t", ("a", "b"), (), "test")

    class Rec:
        a = (1, 2)
        b = "x"

    assert table_row(spec, Rec()) == {"a": [1, 2], "b": "x"}
    assert table_row(spec, Rec(), b="given") == {"a": [1, 2], "b": "given"}
    with pytest.raises(ValueError, match="no column"):
        table_row(spec, Rec(), c=1)
    with pytest.raises(AttributeError):
        table_row(spec, object())
