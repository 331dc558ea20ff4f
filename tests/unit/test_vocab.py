"""Every code in one place: the vocabularies and the form-type taxonomy.

Expected codes come from the rules and forms (Form 12b-25's report boxes, Rules 13a-1 /
13a-13 report types), not from the code under test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl
import pytest

import workbench
from workbench import form_types as ft
from workbench import vocab
from workbench.forms import fees
from workbench.forms.reasons import REASON_LABELS
from workbench.frames.fields import FIELDS

PKG = Path(workbench.__file__).parent


def test_every_code_has_a_label_and_a_description_and_codes_are_unique():
    for v in vocab.ALL:
        assert len(set(v)) == len(v), v.name
        for c in v.codes():
            assert c.label.strip() and c.description.strip(), (v.name, c.code)
        assert [code for _label, code in v.options()] == list(v)


def test_a_vocabulary_is_its_codes():
    assert vocab.FEE_CHECKS == ("ok", "rounded", "mismatch", "rate_unknown")
    assert "mismatch" in vocab.FEE_CHECKS
    assert pl.Series(["ok"], dtype=pl.Enum(vocab.FEE_CHECKS)).to_list() == ["ok"]
    assert vocab.FEE_CHECKS.label("rounded") == "Reconciles (rounded)"
    assert vocab.FEE_CHECKS.label("no_such_code") == "no_such_code"


def test_the_schema_and_the_parsers_use_the_vocabularies():
    assert FIELDS["fee_check"].dtype == pl.Enum(vocab.FEE_CHECKS)
    assert FIELDS["status"].dtype == pl.Enum(vocab.TIMELINESS_STATUSES)
    assert FIELDS["filer_category"].dtype == pl.Enum(vocab.FILER_CATEGORIES)
    assert tuple(vocab.REASONS) == REASON_LABELS
    # every code the fee checks return is a code of the vocabulary
    got = {fees.check_fee(1_000_000, f, 100.0) for f in (100.0, 100.4, 250.0)}
    got |= {fees.check_fee(1_000_000, 100.0, None)}
    assert got <= set(vocab.FEE_CHECKS)


def test_no_module_repeats_a_vocabulary():
    """A tuple literal equal to a vocabulary's codes anywhere but ``vocab.py`` is a second
    copy that can drift."""
    codes = {tuple(v) for v in vocab.ALL if len(v) > 2}
    found = []
    for path in PKG.rglob("*.py"):
        if path.name == "vocab.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Tuple) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
            ):
                values = tuple(e.value for e in node.elts)  # type: ignore[attr-defined]
                if values in codes:
                    found.append(f"{path.relative_to(PKG)}: {values}")
    assert not found, found


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("NT 10-K", ("10-K", False)),
        ("NT 10-K/A", ("10-K", True)),
        ("NT-NCEN", ("N-CEN", False)),
        ("NT NCSR", ("N-CSR", False)),
        ("NT 20-F", ("20-F", False)),
        ("13F-NT", None),
        ("24F-2NT", None),
        ("10-K", None),
    ],
)
def test_notice_forms_name_the_report_they_are_late_for(form, expected):
    assert ft.notice_report_type(form) == expected


def test_one_taxonomy_of_reports_registrations_and_amendments():
    assert ft.report_type_of("10-KSB") == "10-K"
    assert ft.report_type_of("10-QSB") == "10-Q"
    assert ft.report_type_of("10-K/A") is None  # an amendment is not the report
    assert ft.is_registration_form("S-8") and ft.is_registration_form("F-3/A")
    assert ft.is_registration_form("424B3") and not ft.is_registration_form("10-K")
    assert ft.is_s8("s-8 pos") and not ft.is_s8("S-3")
    assert ft.is_amendment("S-8/A") and not ft.is_amendment("S-8 POS")
    assert ft.base_form("NT 10-K/A") == "NT 10-K"
    # every box of Form 12b-25 maps to a notice form that maps back to a report
    for box, notice in ft.NT_BOXES.items():
        found = ft.notice_report_type(notice)
        assert found is not None and found[1] is False, box
