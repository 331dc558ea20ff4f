"""Report parameters: validation before any kernel starts, and safe injection."""

from __future__ import annotations

import ast

import papermill as pm
import pytest

from workbench.errors import ValidationError
from workbench.reports.params import REPORTS, RUNNER_ONLY, MarketTimelinessParams
from workbench.reports.run import (
    index_html,
    injected_source,
    read_batch,
    template_path,
    validate_params,
)


def test_cik_digits_and_prefix():
    p = validate_params("company_dilution", {"cik": "CIK0000320193"})
    assert p.cik == 320193 and p.interactive is False and p.slug() == "cik-320193"
    for bad in ("12a", "-5", "0", "12345678901", "3.5"):
        with pytest.raises(ValidationError, match="cik"):
            validate_params("company_dilution", {"cik": bad})


@pytest.mark.parametrize(
    ("name", "values", "message"),
    [
        ("company_dilution", {}, "give cik, company or ticker"),
        ("company_dilution", {"company": "innovo", "ciik": "1"}, "ciik"),
        ("company_timeliness", {"company": "x y", "start_year": "2005", "end_year": "2001"},
         "after end_year"),
        ("company_timeliness", {"company": "x y", "start_year": "twenty"}, "start_year"),
        ("market_timeliness", {"start": "2003Q5"}, "YYYY or YYYYQn"),
        ("market_timeliness", {"form_types": "10-K,8-K"}, "unknown report type '8-K'"),
        ("market_dilution", {"kinds": "plan"}, "unknown kind 'plan'"),
        ("market_dilution", {"start": "2024", "end": "2021"}, "start 2024 is after end 2021"),
        ("market_timeliness", {"start": "2004", "end": "2003Q4"}, "after end"),
        ("company_dilution", {"company": "innovo", "data_dir": "/no/such/dir"}, "no such directory"),
        ("company_dilution", {"company": "in\nnovo"}, "control characters"),
        ("quarterly_magic", {}, "unknown report"),
    ],
)  # fmt: skip
def test_bad_parameters_are_clear_errors(name, values, message):
    with pytest.raises(ValidationError, match=message):
        validate_params(name, values)


def test_market_periods_and_forms():
    p = MarketTimelinessParams(start="2003q1", end="2004 Q2", form_types=["10-k", " 10-q "])
    assert (p.start, p.end, p.form_types) == ("2003Q1", "2004Q2", ["10-K", "10-Q"])
    assert (p.start_date.isoformat(), p.end_date.isoformat()) == ("2003-01-01", "2004-06-30")
    q4 = MarketTimelinessParams(start="2003Q4", end="2003Q4")
    assert q4.end_date.isoformat() == "2003-12-31"


@pytest.mark.parametrize(
    "value",
    ['a\\"; import os; os.system("id") #', "\\", "\\\\\"", "'''", '"""', "ünïcode ☒", "a\x00b",
     "{x}", "line\nbreak"],
)  # fmt: skip
def test_injected_cell_reads_back_exactly(value):
    params = {"company": value, "cik": None, "data_dir": None, "interactive": False}
    source = injected_source(params)
    tree = ast.parse(source)
    assert all(isinstance(n, ast.Assign) for n in tree.body)
    assert {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body} == params


def test_templates_match_their_parameter_models():
    """papermill's view of each template's parameters is the model's fields."""
    for name, model in REPORTS.items():
        seen = pm.inspect_notebook(str(template_path(name)))
        assert set(seen) == set(model.model_fields) - RUNNER_ONLY, name
        assert seen["interactive"]["default"] == "True"
        assert all(v["help"] for v in seen.values()), name  # every parameter says what it is


def test_read_batch_csv_and_key_value_lines(tmp_path):
    csv_file = tmp_path / "b.csv"
    csv_file.write_text("cik,company,start_year\n320193,,2005\n,Innovo Group,\n")
    assert read_batch(csv_file) == [
        {"cik": "320193", "start_year": "2005"},
        {"company": "Innovo Group"},
    ]
    lines = tmp_path / "b.txt"
    lines.write_text("# two reports\ncik=320193 start_year=2005\ncompany='Innovo Group'\n")
    assert read_batch(lines) == [
        {"cik": "320193", "start_year": "2005"},
        {"company": "Innovo Group"},
    ]
    lines.write_text("cik 320193\n")
    with pytest.raises(ValidationError, match="not key=value"):
        read_batch(lines)


def test_index_escapes_what_it_lists(tmp_path):
    entry = {"name": "company_dilution", "slug": "x", "params": {"company": "<script>alert(1)</script>"},
             "status": "ok", "html_path": str(tmp_path / "company_dilution" / "x.html"),
             "data_hash": "ab" * 32, "version": "0.1.0", "started": "2026-01-01T00:00:00+00:00",
             "seconds": 1.0}  # fmt: skip
    page = index_html([entry], tmp_path)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "href='company_dilution/x.html'" in page
