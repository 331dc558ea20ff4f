"""Reports rendered end to end: papermill + nbconvert from the templates, read back as HTML text."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from pathlib import Path

import polars as pl
import pytest

from workbench.frames.filings_index import build_index
from workbench.frames.ingest import ingest_to_dir
from workbench.frames.store import read_table, snapshot, write_table
from workbench.frames.validate import validate
from workbench.pipeline import prepare_sample
from workbench.sample import sample_paths

pytestmark = [pytest.mark.notebook, pytest.mark.slow]


@pytest.fixture(scope="module")
def wb(wb):
    """The CLI with a longer safety limit: a report run starts a kernel."""
    return functools.partial(wb, timeout=600)


def _text(page: Path) -> str:
    """The page's visible text, tags dropped and entities decoded, spaces collapsed."""
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def _charts(page: Path) -> int:
    return page.read_text(encoding="utf-8").count('src="data:image/svg+xml;base64')


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, wb):
    """The README's main job: ``workbench sample`` in an empty folder."""
    cwd = tmp_path_factory.mktemp("main-job")
    res = wb("sample", "--data", "data", "--out", "reports", cwd=cwd)
    assert res.returncode == 0, res.stderr[-3000:]
    return cwd, res


def test_main_job_prints_the_report_paths(sample_run):
    cwd, res = sample_run
    assert read_table(cwd / "data", "filings").height == 2
    summary = cwd / "reports" / "sample" / "ingest_summary.html"
    assert "INNOVO GROUP INC." in summary.read_text() and str(summary.resolve()) in res.stdout
    for name in ("company_dilution", "company_timeliness"):
        page = cwd / "reports" / name / "innovo-group.html"
        assert str(page.resolve()) in res.stdout
        assert (cwd / "reports" / name / "innovo-group.ipynb").exists()


def test_dilution_report_states_the_registration_and_the_missing_denominator(sample_run):
    cwd, _ = sample_run
    page = cwd / "reports" / "company_dilution" / "innovo-group.html"
    text = _text(page)
    assert (
        "registered 2,000,000 shares for employee plans, with $1,050.89 in registration fees"
        in text
    )
    assert "Shares outstanding are not in the data for 1 of 1 registration row(s)" in text
    assert "the S-8 carries no CIK (a bare document)" in text
    # every figure with its source file and character span
    s8 = Path(sample_paths()[0]).name
    assert text.count(s8) >= 2
    offerings = read_table(cwd / "data", "offerings")
    spans = {s["field"]: s for s in offerings["spans"][0]}
    sh = spans["shares_registered"]
    assert f"2,000,000 chars {sh['start']:,}–{sh['end']:,}" in text
    fee = spans["registration_fee"]
    assert f"$1,050.89 chars {fee['start']:,}–{fee['end']:,}" in text
    assert "2000 Employee Stock Incentive Plan" in text and "333-102580" in text
    assert _charts(page) == 2
    assert "print(" not in page.read_text() and "company_registrations(" not in text  # code hidden


def test_timeliness_report_states_due_notice_and_extension(sample_run):
    cwd, _ = sample_run
    page = cwd / "reports" / "company_timeliness" / "innovo-group.html"
    text = _text(page)
    assert (
        "10-K for the period ended 2002-11-30: due 2003-02-28; NT 10-K filed 2003-02-28 "
        "(signature date; the file carries no EDGAR filing date), notice deadline 2003-03-03; "
        "extended to 2003-03-17; the report itself is not in the data."
    ) in text
    assert Path(sample_paths()[1]).name in text  # the notice it came from
    assert "subsidiary_or_foreign_operations" in text and "Joe's Jeans Japan" in text
    assert _charts(page) == 1


def test_reports_show_provenance_and_the_index_lists_them(sample_run):
    cwd, _ = sample_run
    data_hash, _files = snapshot(cwd / "data")
    entries = json.loads((cwd / "reports" / "index.json").read_text())
    assert {(e["name"], e["slug"], e["status"]) for e in entries} == {
        ("company_dilution", "innovo-group", "ok"), ("company_timeliness", "innovo-group", "ok"),
    }  # fmt: skip
    index = _text(cwd / "reports" / "index.html")
    for e in entries:
        assert e["data_hash"] == data_hash and e["version"] and e["seconds"] > 0
        assert f"{e['name']}/{e['slug']}" in index and e["started"] in index
        page = _text(Path(e["html_path"]))
        assert f"data snapshot sha256 {data_hash}" in page
        assert "workbench version 0.1.0" in page and "run at (UTC) 20" in page
        assert "company Innovo Group" in page  # the parameters
    assert data_hash[:16] in index and "company=Innovo Group" in index


def test_hostile_parameter_stays_a_string(tmp_path, wb):
    """A company no one has is answered before any kernel starts, the value echoed as text;
    the parameter cell's own quoting is tested on hostile values in test_params.py."""
    data = prepare_sample(tmp_path / "data")
    evil = 'x"; open("pwned", "w"); "'
    res = wb("report", "company_dilution", "-p", "company", evil, "--data", str(data),
              "--out", str(tmp_path / "out"), cwd=tmp_path)  # fmt: skip
    assert res.returncode == 2, res.stderr[-2000:]
    assert f"no company {evil!r} in {data} (1 companies there)" in res.stderr
    assert not list(tmp_path.rglob("pwned")) and not (tmp_path / "out").exists()


def test_cli_rejects_bad_parameters_before_running(tmp_path, wb):
    res = wb("report", "company_dilution", "-p", "cik", "32O193", "--out", str(tmp_path))
    assert res.returncode == 2 and "a CIK is 1 to 10 digits" in res.stderr
    res = wb("report", "company_dilution", "-p", "comapny", "x y", "--out", str(tmp_path))
    assert res.returncode == 2 and "comapny" in res.stderr
    res = wb("report", "no_such_report", "--out", str(tmp_path))
    assert res.returncode == 2 and "company_dilution" in res.stderr
    assert not any(tmp_path.iterdir())  # nothing ran, nothing written


def test_batch_one_failure_leaves_an_error_page_and_the_others_complete(tmp_path, wb):
    data = prepare_sample(tmp_path / "data")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "timeliness.parquet").write_bytes(b"PAR1 this is not parquet")
    batch = tmp_path / "batch.txt"
    batch.write_text(
        f"company=innovo\ncompany=innovo start_year=2002 end_year=2002\n"
        f"company=innovo data_dir={broken}\ncik=12a\n"
    )
    res = wb("report", "company_timeliness", "--batch", str(batch), "--data", str(data),
              "--out", str(tmp_path / "out"), "--workers", "2")  # fmt: skip
    assert res.returncode == 1
    assert "4 reports: 2 ok, 2 failed" in res.stdout
    entries = {e["slug"]: e for e in json.loads((tmp_path / "out" / "index.json").read_text())}
    assert entries["innovo"]["status"] == entries["innovo-2002-2002"]["status"] == "ok"
    assert entries["innovo-2"]["params"]["data_dir"] == str(broken)  # same company, new slug
    assert "due 2003-02-28" in _text(Path(entries["innovo-2002-2002"]["html_path"]))
    failed = [e for e in entries.values() if e["status"] == "failed"]
    assert len(failed) == 2
    runtime = next(e for e in failed if e["params"].get("data_dir") == str(broken))
    page = _text(Path(runtime["html_path"]))
    assert "Report failed: company_timeliness" in page and "Traceback" in page
    assert "ComputeError" in page or "parquet" in page.lower()
    assert runtime["failed_cell"] is not None and Path(runtime["ipynb_path"]).exists()
    invalid = next(e for e in failed if e is not runtime)
    assert "a CIK is 1 to 10 digits" in invalid["error"]
    assert "FAILED" in _text(tmp_path / "out" / "index.html")


@pytest.fixture(scope="module")
def corpus_store(corpus, tmp_path_factory):
    """The corpus's index files and submissions JSON plus the ingested sample, as
    ``workbench index`` would leave them."""
    store = tmp_path_factory.mktemp("corpus-store")
    ingest_to_dir(sample_paths(), store, workers=1, progress=False)
    result = build_index(
        [corpus / "index", corpus / "json/submissions", corpus / "json/company_tickers.json", store]
    )
    write_table(result.frame, store, "filings_index")
    write_table(result.tickers, store, "tickers")
    return store


def test_company_timeliness_on_real_data(corpus_store, tmp_path, wb):
    # Apple named by its ticker (SEC's company_tickers.json lists AAPL as CIK 320193)
    res = wb("report", "company_timeliness", "-p", "ticker", "aapl", "-p", "start_year", "2006",
              "-p", "end_year", "2006", "--data", str(corpus_store), "--out", str(tmp_path))  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    text = _text(Path(res.stdout.strip()))
    assert "10-K for the period ended 2006-09-30: due 2006-12-14" in text
    assert (
        "report filed 2006-12-29 (15 days after the due date). Status: Late, cured by 12b-25"
        in text
    )
    assert "10-Q for the period ended 2006-07-01" in text
    # key figures and exceptions first: Apple's 2006 10-Q (141 days late, past its extension)
    # and 10-K (15 days, cured), taken by hand from the dates above and the JSON
    assert "4 reports due (10-K: 1, 10-Q: 3)" in text and "2 filed late" in text
    exceptions = text.index("Exceptions: 2 report(s) not filed on time")
    assert exceptions < text.index("Every report due")
    assert (
        exceptions
        < text.index("10-Q for the period ended 2006-07-01")
        < text.index("10-K for the period ended 2006-09-30")
    )
    # every table row names the company; the 10-K's accession number (from Apple's
    # submissions JSON: 0001104659-06-084288, filed 2006-12-29) links to its EDGAR index
    raw = Path(res.stdout.strip()).read_text(encoding="utf-8")
    assert "Filing timeliness: CIK 320193 (AAPL)" in text
    assert "Company" in text and "CIK 320193" in text
    assert 'href="https://www.sec.gov/Archives/edgar/data/320193/000110465906084288/"' in raw


def test_market_timeliness_on_real_data(corpus_store, tmp_path, wb):
    res = wb("report", "market_timeliness", "-p", "start", "2019", "-p", "end", "2022Q4",
              "-p", "form_types", "10-K,10-Q", "--data", str(corpus_store), "--out", str(tmp_path))  # fmt: skip
    assert res.returncode == 0, res.stderr[-2000:]
    page = Path(res.stdout.strip())
    text = _text(page)
    # the expected counts come straight from the stored table, not through the report's code
    stored = validate(read_table(corpus_store, "timeliness"), "timeliness")
    panel = stored.filter(
        pl.col("due_date").is_between(dt.date(2019, 1, 1), dt.date(2022, 12, 31))
        & pl.col("report_type").is_in(["10-K", "10-Q"])
    )
    n_nt = panel.filter(pl.col("nt_filed_date").is_not_null()).height
    assert panel.height > 100 and n_nt >= 5
    assert (
        f"{panel.height:,} reports due from" in text
        and f"{n_nt:,} with a Form 12b-25 notice" in text
    )
    assert _charts(page) == 4
    # every chart image carries its one-sentence description as alt text, with the figures
    alts = re.findall(r'<img[^>]*alt="([^"]*)"[^>]*src="data:image/svg\+xml', page.read_text())
    assert len(alts) == 4 and not any("No description" in a for a in alts)
    assert any(f"status shares of {panel.height:,} reports due" in a for a in alts), alts
    # what the figures stand on: the corpus holds four daily index files dated 2019-2022
    # (company.20200102, company.20221003, form.20200318, master.20200103), no quarter
    assert "What these figures stand on" in text
    assert "A thin base: the index files behind these figures are 4 daily file(s)" in text
    assert page.with_suffix(".ipynb").stat().st_size < 2_000_000  # aggregated, not row dumps
    # the late reports, named, and how many rest on an assumed period end (index files state
    # none): counted from the stored table
    late = panel.filter(pl.col("days_late") > 0)
    assumed = panel.filter(pl.col("period_end_source").cast(pl.String) != "stated")
    assert f"The 10 latest of {late.height:,} late reports" in text
    assert f"{assumed.height:,} of the {panel.height:,} period ends are assumed" in text
    worst = late.sort("days_late", descending=True).row(0, named=True)
    assert worst["report_accession_number"] in text
