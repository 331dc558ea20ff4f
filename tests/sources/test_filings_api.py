"""``workbench.filings``: a company's filings from the data, and from EDGAR when online."""

from __future__ import annotations

import json

import polars as pl
import pytest

import workbench
from workbench.errors import ValidationError
from workbench.frames.filings_index import build_index
from workbench.frames.store import write_table

UA = "Filings Workbench tests research@example.org"


def _submissions_forms(corpus, cik: int) -> list[tuple[str, str]]:
    """(accession, form) of every filing the corpus' submissions pages list: the expected
    answer, read straight from the JSON."""
    folder = corpus / "json/submissions"
    main = json.loads((folder / f"CIK{cik:010d}.json").read_text())
    blocks = [main["filings"]["recent"]]
    # older pages listed but not in the corpus are not served by the test server either
    pages = [folder / p["name"] for p in main["filings"]["files"]]
    blocks += [json.loads(p.read_text()) for p in pages if p.exists()]
    return [(a, f) for b in blocks for a, f in zip(b["accessionNumber"], b["form"], strict=True)]


@pytest.fixture(scope="module")
def store(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("filings-api")
    result = build_index([corpus / "json/submissions", corpus / "json/company_tickers.json"])
    write_table(result.frame, out, "filings_index")
    write_table(result.tickers, out, "tickers")
    return out


def test_a_company_filings_from_the_data(corpus, store):
    expected = sorted(a for a, f in _submissions_forms(corpus, 320193) if f == "10-K")
    listed = workbench.filings(ticker="aapl", forms="10-K", data_dir=store)
    assert sorted(listed["accession_number"]) == expected
    assert listed["filed_date"].is_sorted(descending=True)
    assert listed["in_data"].all() and set(listed["cik"]) == {320193}
    first = listed.row(0, named=True)
    assert first["edgar_url"] == (
        "https://www.sec.gov/Archives/edgar/data/320193/"
        + first["accession_number"].replace("-", "")
        + "/"
    )
    both = workbench.filings(cik=320193, forms=["10-K", "10-K/A"], data_dir=store)
    n_amended = sum(f == "10-K/A" for _, f in _submissions_forms(corpus, 320193))
    assert both.height == len(expected) + n_amended


def test_online_adds_what_the_data_lacks(corpus, edgar_server, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_EDGAR_URL", edgar_server.url)
    # the older page Tesla's submissions JSON lists is not in the corpus (HTTP 404 here):
    # the list comes back, with a warning that it is short
    with pytest.warns(UserWarning, match=r"CIK0001318605-submissions-001\.json: HTTP 404"):
        listed = workbench.filings(
            1318605, forms="10-Q", online=True, cache_dir=tmp_path, user_agent=UA
        )
    expected = sorted(a for a, f in _submissions_forms(corpus, 1318605) if f == "10-Q")
    assert sorted(listed["accession_number"]) == expected
    assert not listed["in_data"].any()
    assert {r.path for r in edgar_server.log} >= {"/submissions/CIK0001318605.json"}


def test_questions_it_cannot_answer(store):
    with pytest.raises(ValidationError, match="give data_dir"):
        workbench.filings(320193)
    with pytest.raises(ValidationError, match="give cik, company or ticker"):
        workbench.filings(data_dir=store)
    with pytest.raises(ValidationError, match="not among"):
        workbench.filings(ticker="ZZZZQ", data_dir=store)
    none = workbench.filings(cik=1, data_dir=store)
    assert none.height == 0 and none.columns[:3] == ["filed_date", "form_type", "company_name"]
    assert none.schema["filed_date"] == pl.Date
