"""Tickers as a third way to name a company: SEC's company_tickers.json fetched, indexed,
then used by the CLI, the report runner and the explorers' search box."""

from __future__ import annotations

import json

import polars as pl
import pytest

from workbench.analytics.companies import cik_for_ticker, company_filter
from workbench.errors import ParseError, ValidationError
from workbench.sample import sample_paths
from workbench.sources.index_files import read_submissions, read_tickers
from workbench.ui import company_expr

UA = "Filings Workbench tests research@example.org"


def test_sec_ticker_file_reads_whole(corpus):
    path = corpus / "json/company_tickers.json"
    raw = json.loads(path.read_text())
    # expected from the file itself: every entry, one row per distinct ticker
    distinct = {v["ticker"].upper() for v in raw.values()}
    frame = read_tickers(path)
    assert frame.height == len(distinct)
    by = dict(frame.select("ticker", "cik").iter_rows())
    assert by["AAPL"] == 320193 and by["MSFT"] == 789019  # the file's first entries
    assert frame["cik"].null_count() == 0


def test_exchange_layout_and_bad_files(tmp_path):
    exchange = tmp_path / "company_tickers_exchange.json"
    exchange.write_text(json.dumps({
        "fields": ["cik", "name", "ticker", "exchange"],
        "data": [[1067983, "BERKSHIRE HATHAWAY INC", "BRK.B", "NYSE"], ["x", "bad", None, ""]],
    }))  # fmt: skip
    frame = read_tickers(exchange)
    assert frame.select("ticker", "cik").rows() == [("BRK-B", 1067983)]
    for body in ("{not json", "[]", '{"fields": ["a"], "data": []}'):
        bad = tmp_path / "company_tickers.json"
        bad.write_text(body)
        with pytest.raises(ParseError):
            read_tickers(bad)


def test_submissions_json_names_its_tickers(corpus):
    path = corpus / "json/submissions/CIK0000320193.json"
    expected = [t.upper() for t in json.loads(path.read_text())["tickers"]]
    _, tickers = read_submissions(path)
    assert tickers["ticker"].to_list() == expected and set(tickers["cik"]) == {320193}


def test_lookup_rules():
    tickers = {"AAPL": 320193, "BRK-B": 1067983}
    assert cik_for_ticker(tickers, " brk.b ") == 1067983
    with pytest.raises(ValidationError, match="not among the 2 tickers"):
        cik_for_ticker(tickers, "ZZZZ")
    with pytest.raises(ValidationError, match="no tickers table") as info:
        cik_for_ticker({}, "AAPL")
    assert "fetch-tickers" in (info.value.suggestion or "")
    # the explorers' search box: an exact ticker is a CIK; anything else a part of a name
    rows = pl.DataFrame({"cik": [320193, 5], "company_name": ["Apple Inc.", "Aapl Holdings"]})
    assert rows.filter(company_expr("aapl", tickers))["cik"].to_list() == [320193]
    assert rows.filter(company_expr("aapl"))["cik"].to_list() == [5]
    assert rows.filter(company_expr("apple inc", tickers))["cik"].to_list() == [320193]
    assert rows.filter(company_filter(cik=320193))["company_name"].to_list() == ["Apple Inc."]


def test_fetch_index_then_name_a_company_by_ticker(edgar_server, corpus, tmp_path, wb):
    res = wb("fetch-tickers", "--dest", str(tmp_path / "cache"), "--base-url", edgar_server.url,
             "--user-agent", UA)  # fmt: skip
    assert res.returncode == 0, res.stderr
    fetched = tmp_path / "cache/files/company_tickers.json"
    assert fetched.read_bytes() == (corpus / "json/company_tickers.json").read_bytes()
    assert [r.path for r in edgar_server.log] == ["/files/company_tickers.json"]
    store = tmp_path / "store"
    res = wb("index", str(fetched), str(corpus / "json/submissions"), "--out", str(store))
    assert res.returncode == 0, res.stderr
    assert "tickers" in res.stdout
    stored = pl.read_parquet(next(store.glob("**/tickers.parquet")))
    assert dict(stored.select("ticker", "cik").iter_rows())["TSLA"] == 1318605
    # the runner answers ticker questions before any kernel starts
    res = wb("report", "company_timeliness", "-p", "ticker", "ZZZZQ", "--data", str(store),
             "--out", str(tmp_path / "out"))  # fmt: skip
    assert res.returncode == 2 and "ticker 'ZZZZQ' is not among" in res.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))
    # a ticker and a CIK that disagree
    res = wb("report", "company_timeliness", "-p", "ticker", "AAPL", "-p", "cik", "1318605",
             "--data", str(store), "--out", str(tmp_path / "out"))  # fmt: skip
    assert res.returncode == 2 and "is CIK 320193, not CIK 1318605" in res.stderr


def test_no_tickers_table_says_how_to_get_one(tmp_path, wb):
    res = wb("ingest", *map(str, sample_paths()), "--out", str(tmp_path / "data"))
    assert res.returncode == 0, res.stderr[-2000:]
    res = wb("dilution", "--ticker", "INNO", "--data", str(tmp_path / "data"))
    assert res.returncode == 1, res.stdout + res.stderr  # as for a CIK not in the data
    assert "no tickers table" in res.stderr and "workbench fetch-tickers" in res.stderr
