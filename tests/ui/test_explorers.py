"""Explorers and charts without a browser: controls filter, charts stay small, notebooks run."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import papermill as pm
import polars as pl
import pytest

from workbench.charts import MAX_ROWS
from workbench.charts.timeliness import days_late_chart, nt_vs_deadline_chart, status_mix_chart
from workbench.pipeline import open_tables
from workbench.ui import chart_selections, company_expr, export_rows
from workbench.ui.dilution import DilutionExplorer
from workbench.ui.timeliness import TimelinessExplorer

ROOT = Path(__file__).resolve().parents[2]


def test_company_box_entries():
    frame = pl.DataFrame(
        {"cik": [320193, None], "company_name": ["APPLE INC", "Innovo Group Inc."]}
    )
    pick = lambda text: frame.filter(company_expr(text))["company_name"].to_list()  # noqa: E731
    assert pick("APPLE INC (CIK 320193)") == pick("320193") == ["APPLE INC"]
    assert pick("innovo") == ["Innovo Group Inc."]
    assert company_expr("  ") is None


def test_dilution_explorer_controls_filter(explorer_store):
    _, tables = open_tables(explorer_store)
    ex = DilutionExplorer(tables)
    assert ex.selection().height == ex.rows.height == 10
    assert "INNOVO GROUP INC." in ex.company.options
    ex.company.value = "innovo"
    assert ex.selection()["shares_registered"].to_list() == [2_000_000]
    assert "2,000,000 shares registered, $1,050.89 in fees" in ex.status.value
    ex.company.value = ""
    ex.fee_check.value = "rounded"
    assert set(ex.selection()["fee_check"].cast(pl.String)) == {"rounded"}
    ex.fee_check.value = "(all)"
    ex.years.value = (2020, ex.years.max)
    assert ex.selection()["filed_date"].min() >= dt.date(2020, 1, 1)
    ex.sort_by.value = "fee"
    top = ex.largest(ex.rows)
    assert top["registration_fee"].to_list() == sorted(
        top["registration_fee"].drop_nulls(), reverse=True
    )


def test_timeliness_explorer_controls_filter(explorer_store):
    _, tables = open_tables(explorer_store)
    ex = TimelinessExplorer(tables)
    everything = ex.selection().height
    ex.report.value = "10-Q"
    assert 0 < ex.selection().height < everything
    assert set(ex.selection()["report_type"]) == {"10-Q"}
    ex.report.value = "(all)"
    ex.reason.value = "subsidiary_or_foreign_operations"
    assert ex.selection()["company_name"].to_list() == ["Innovo Group Inc."]
    ex.reason.value = "(all)"
    ex.company.value = "320193"
    assert set(ex.selection()["cik"]) == {320193}


def test_charts_aggregate_big_panels():
    """A million reports due: every chart embeds at most MAX_ROWS rows and converts to a spec."""
    rng = np.random.default_rng(0)
    n = 1_000_000
    due = pl.date_range(dt.date(2001, 1, 1), dt.date(2024, 12, 31), eager=True).sample(
        n, with_replacement=True, seed=1
    )
    panel = pl.DataFrame({
        "due_date": due,
        "nt_offset": pl.Series(rng.integers(-5, 6, n)),
        "days_late": pl.Series(rng.integers(-30, 400, n)),
        "status": pl.Series(rng.choice(["on_time", "late_cured", "late_without_nt"], n)),
        "filer_category": pl.Series(rng.choice(["large_accelerated", "non_accelerated"], n)),
    }).with_columns((pl.col("due_date") + pl.duration(days="nt_offset")).alias("nt_filed_date"))  # fmt: skip
    for chart in (status_mix_chart(panel), nt_vs_deadline_chart(panel), days_late_chart(panel)):
        spec = chart.to_dict()
        values = next(iter(spec["datasets"].values()))
        assert 0 < len(values) <= MAX_ROWS


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("name", ["explore_dilution", "explore_timeliness"])
def test_explorers_execute_headless(name, explorer_store, tmp_path):
    """Each explorer runs top to bottom on the bundled sample (no setting) and on a user
    directory (one parameter), showing its widget and a status line."""
    expected = {
        "explore_dilution": (
            "<b>1</b> fee-table rows from <b>1</b> companies: 2,000,000 shares",
            "<b>10</b> fee-table rows from <b>6</b> companies",
        ),
        "explore_timeliness": (
            "1</b> reports due, <b>1</b> with a Form 12b-25 notice",
            "reports due",
        ),
    }[name]
    for params, want in (({}, expected[0]), ({"data_dir": str(explorer_store)}, expected[1])):
        out = tmp_path / f"{name}-{len(params)}.ipynb"
        pm.execute_notebook(
            str(ROOT / "notebooks" / f"{name}.ipynb"), str(out), parameters=params,
            kernel_name="python3", progress_bar=False, execution_timeout=300, cwd=str(tmp_path),
        )  # fmt: skip
        book = nbformat.read(out, as_version=4)
        outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
        status = outputs[-1]["data"]["text/plain"]
        assert want in status, status


def test_committed_notebooks_carry_no_outputs():
    for path in ROOT.joinpath("notebooks").rglob("*.ipynb"):
        book = nbformat.read(path, as_version=4)
        for cell in book.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path


def test_late_filings_table_links_and_exports(explorer_store, tmp_path, monkeypatch):
    _, tables = open_tables(explorer_store)
    ex = TimelinessExplorer(tables)
    ex.company.value = "320193"
    late = ex.late()
    # expected straight from the stored panel: Apple's reports filed after their due date
    stored = tables["timeliness"].filter(pl.col("cik") == 320193).collect()
    assert late.height == stored.filter(pl.col("days_late") > 0).height > 0
    assert late["days_late"].is_sorted(descending=True)
    # the 2006 10-K: due 2006-12-14, filed 2006-12-29 (accession from Apple's JSON)
    k06 = late.filter(pl.col("period_end") == dt.date(2006, 9, 30)).row(0, named=True)
    assert k06["days_late"] == 15 and k06["accession_number"] == "0001104659-06-084288"
    assert k06["edgar_url"].endswith("/320193/000110465906084288/")
    page = ex.late_html(late)
    assert f"of {late.height:,} late reports" in page and 'href="https://www.sec.gov/' in page
    # the buttons write every selected late row, where the notebook runs
    monkeypatch.chdir(tmp_path)
    csv_button, excel_button, said = ex.export.children
    csv_button.click()
    back = pl.read_csv(tmp_path / "late_filings.csv", try_parse_dates=True)
    assert back.height == late.height and "edgar_url" in back.columns
    assert back["accession_number"].to_list() == late["accession_number"].to_list()
    assert f"{late.height:,} rows written" in said.value
    excel_button.click()
    with zipfile.ZipFile(tmp_path / "late_filings.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<row ") == late.height + 1  # a header row, then the rows


def test_registrations_export_writes_every_selected_row(explorer_store, tmp_path):
    _, tables = open_tables(explorer_store)
    ex = DilutionExplorer(tables)
    every = ex.largest(n=None)
    assert every.height == ex.selection().height == 10
    path = export_rows(every, tmp_path / "r.csv")
    back = pl.read_csv(path)
    assert (
        back.height == 10 and back["shares_registered"].sum() == ex.rows["shares_registered"].sum()
    )
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        export_rows(every, tmp_path / "r.parquet")


def _select(chart, name: str, value) -> None:
    """What the browser sends when the user brushes or clicks (JupyterChart's state)."""
    chart.widget._vl_selections = {name: {"value": value, "store": []}}


def test_chart_selections_narrow_the_table_and_the_export(explorer_store, tmp_path, monkeypatch):
    from workbench.charts.timeliness import DAYS_LATE_RANGE, STATUS_PICK

    _, tables = open_tables(explorer_store)
    panel = tables["timeliness"].collect()
    ex = TimelinessExplorer(tables)
    everyone_late = ex.late().height
    # a brush from 15.7 to 60.7 touches the slots of days 15 to 60 (worked by hand)
    _select(ex.charts["days_late"], DAYS_LATE_RANGE, {"days_late_bin": [15.7, 60.7]})
    got = ex.late()
    expected = panel.filter(pl.col("days_late").is_between(15, 60))
    assert 0 < got.height == expected.height < everyone_late
    assert sorted(got["accession_number"].drop_nulls()) == sorted(
        expected["report_accession_number"].drop_nulls()
    )
    assert "reports selected on the charts (15–60 days late)" in ex.table.markup
    monkeypatch.chdir(tmp_path)
    ex.export.children[0].click()
    assert pl.read_csv(tmp_path / "late_filings.csv").height == expected.height
    # a click on 2006's "cured by 12b-25" segment as well: both must hold
    _select(ex.charts["status"], STATUS_PICK, {"vlPoint": {"or": [{"year": 2006,
                                                                   "status": "late_cured"}]}})  # fmt: skip
    both = expected.filter(
        (pl.col("due_date").dt.year() == 2006) & (pl.col("status").cast(pl.String) == "late_cured")
    )
    assert ex.late().height == both.height
    # changing a control redraws the charts, which clears their selections
    ex.report.value = "10-K"
    assert chart_selections(ex.charts) == {}
    assert "late reports, most days late first" in ex.table.markup


def test_filing_date_brush_narrows_the_registrations(explorer_store):
    from workbench.charts.dilution import FILED_RANGE

    _, tables = open_tables(explorer_store)
    ex = DilutionExplorer(tables)
    start = dt.datetime(1998, 1, 1, tzinfo=dt.UTC).timestamp() * 1000
    end = dt.datetime(2004, 12, 31, tzinfo=dt.UTC).timestamp() * 1000
    _select(ex.charts["registrations"], FILED_RANGE, {"filed_date": [start, end]})
    rows = ex.largest(n=None)
    # the sample and synthetic S-8s filed 1998-2004: 1998-06-15 (2 rows), 2003-09-26, 2004-01-15
    assert sorted(rows["filed_date"].to_list()) == [dt.date(1998, 6, 15)] * 2 + [
        dt.date(2003, 9, 26), dt.date(2004, 1, 15)
    ]  # fmt: skip
    assert "4 of 4 rows brushed on the chart (filed 1998-01-01 to 2004-12-31)" in ex.table.markup
