"""The EDGAR client against a hostile server on 127.0.0.1 (see conftest): every answer ends
in the file or in a clear error, never in a traceback, a hang, a file in the cache that is not
the one asked for, or a request to another host (127.0.0.2 stands for one)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from workbench.errors import SourceError
from workbench.sources.edgar import (
    EdgarClient,
    filings_listed,
)
from workbench.sources.edgar_urls import (
    archive_path,
    submissions_path,
)

UA = "Filings Workbench tests research@example.org"
SUBMISSIONS = submissions_path(320193)
FILING = archive_path(320193, "0000320193-94-000016")
#: the CLI runs here name their server with --base-url only
NO_URL: dict[str, str | None] = {"WORKBENCH_EDGAR_URL": None}


def _client(server, tmp_path: Path, **kwargs) -> EdgarClient:
    options = {"retries": 3, "max_wait": 0.05, "timeout": 1.0, **kwargs}
    return EdgarClient(tmp_path, user_agent=UA, base_url=server.url, **options)


def _clean_cache(tmp_path: Path) -> list[Path]:
    """Every file in the cache (none should be partial or a temporary)."""
    return sorted(p for p in tmp_path.rglob("*") if p.is_file())


# (faults on the path, the error it must end in, requests the client may make)
REFUSED = {
    "redirect loop": (["redirect:"] * 20, "more than 5 redirects", 6),
    "gzip bomb, 1 MB to 1 GiB": (["bomb"], "gzip bomb", 1),
    "endless chunked body": (["endless"], "over the cap of 8,388,608", 1),
    "Content-Length of 4 GiB": (["huge-length"], "over the cap", 1),
    "a drip of one byte a second": (["drip:0.3"] * 3, "under 1024 bytes a second", 3),
    "no length, cut half way": (["no-length"] * 3, "no length", 3),
    "a Content-Length that is not a number": (["bad-length"] * 3, "bad Content-Length", 3),
    "an unknown Content-Encoding": (["encoding"], "unexpected Content-Encoding 'br'", 1),
    "a short body": (["truncate"] * 3, "gave up after 3 tries", 3),
    "dropped every time": (["drop"] * 3, "gave up after 3 tries", 3),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_hostile_answer_is_a_clear_error_and_leaves_no_file(edgar_server, tmp_path, case):
    faults, message, max_requests = REFUSED[case]
    edgar_server.faults[FILING] = list(faults)
    # the bomb meets the default caps (1 GiB, 100 times); an endless body a small cap
    caps = {} if "bomb" in case else {"max_bytes": 8 << 20}
    client = _client(edgar_server, tmp_path, **caps)
    t0 = time.monotonic()
    with pytest.raises(SourceError, match=re.escape(message)):
        client.get(FILING)
    assert time.monotonic() - t0 < 30  # nothing hangs
    assert 1 <= len(edgar_server.requests_for(FILING)) <= max_requests
    assert _clean_cache(tmp_path) == []  # nothing cached, no temporary left behind
    client.close()


def test_a_redirect_to_another_host_is_not_followed(edgar_server, other_host, tmp_path):
    edgar_server.faults[FILING] = [f"redirect:{other_host.url}{FILING}"]
    client = _client(edgar_server, tmp_path)
    with pytest.raises(SourceError, match=r"outside http://127\.0\.0\.1"):
        client.get(FILING)
    assert other_host.log == []  # the User-Agent (with its email) never went there
    assert _clean_cache(tmp_path) == []
    # a redirect within the host is followed, and the file is the one asked for
    edgar_server.faults[FILING] = ["redirect:/Archives/elsewhere", "redirect:" + FILING]
    edgar_server.bodies["/Archives/elsewhere"] = b"not the filing"
    edgar_server.faults["/Archives/elsewhere"] = [f"redirect:{FILING}"]
    file = client.get(FILING)
    assert file.read_bytes() == edgar_server.body(FILING)


def test_only_edgar_hosts_are_allowed(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBENCH_EDGAR_URL", raising=False)
    real = EdgarClient(tmp_path, user_agent=UA)
    assert real.allowed("https://www.sec.gov/Archives/x") and real.allowed("https://data.sec.gov/")
    for url in ("http://www.sec.gov/x", "https://www.sec.gov.example.org/x",
                "https://example.org/www.sec.gov", "https://127.0.0.2/x", "ftp://www.sec.gov/"):  # fmt: skip
        assert not real.allowed(url), url
    mirror = EdgarClient(tmp_path, user_agent=UA, base_url="http://127.0.0.1:8123")
    assert mirror.allowed("http://127.0.0.1:8123/x")
    for url in ("http://127.0.0.1:8124/x", "http://127.0.0.2:8123/x", "https://127.0.0.1:8123/x",
                "https://www.sec.gov/x"):  # fmt: skip
        assert not mirror.allowed(url), url


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"{not json", "not JSON"), (b"[1, 2, 3]", "JSON list, not an object"),
     (b"\xff\xfe garbage", "not JSON")],
)  # fmt: skip
def test_json_that_is_not_an_object_is_retried_and_never_cached(
    edgar_server, corpus, tmp_path, body, message
):
    edgar_server.bodies[SUBMISSIONS] = body
    client = _client(edgar_server, tmp_path)
    with pytest.raises(SourceError, match=re.escape(message)):
        client.get_json(SUBMISSIONS)
    assert len(edgar_server.requests_for(SUBMISSIONS)) == 3  # retried
    assert _clean_cache(tmp_path) == []
    del edgar_server.bodies[SUBMISSIONS]  # the server recovers: the next run is not poisoned
    data = client.get_json(SUBMISSIONS)
    assert data == json.loads((corpus / "json/submissions/CIK0000320193.json").read_bytes())


def test_a_bad_json_file_left_in_the_cache_is_fetched_again(edgar_server, tmp_path):
    client = _client(edgar_server, tmp_path)
    stale = client.cache_path(SUBMISSIONS)
    stale.parent.mkdir(parents=True)
    stale.write_text("{cut sho")  # as an older version could leave it
    assert isinstance(client.get_json(SUBMISSIONS), dict)
    assert len(edgar_server.requests_for(SUBMISSIONS)) == 1


def test_an_html_page_is_not_a_filing(edgar_server, tmp_path):
    edgar_server.bodies[FILING] = b"<!DOCTYPE html><html><body>Request Rate Exceeded</body>"
    client = _client(edgar_server, tmp_path)
    with pytest.raises(SourceError, match="an HTML page"):
        client.get(FILING)
    assert _clean_cache(tmp_path) == []


def test_a_retry_after_date_in_utc_minus_zero_is_understood(edgar_server, tmp_path):
    edgar_server.faults[SUBMISSIONS] = ["retry-after-date"]
    client = _client(edgar_server, tmp_path)
    assert client.get(SUBMISSIONS).exists()  # the date is past: retried at once
    assert client.stats.retries == 1


def test_a_listing_with_bad_rows_fails_those_rows_only(tmp_path):
    page = tmp_path / "CIK0000320193.json"
    page.write_text(json.dumps({"filings": {"recent": {
        "accessionNumber": ["0000320193-94-000016", 123, "0001047469-97-006960", "../../x",
                            "0000320193-97-000021"],
        "form": ["10-K", "10-K", "10-K", "10-K", None],
        "filingDate": ["1994-12-13", "1995-01-01", "1997-13-45", "1997-01-01", "1997-08-01"],
    }}}))  # fmt: skip
    listing = filings_listed([page, tmp_path / "missing.json"])
    assert [f["accession_number"] for f in listing.filings] == ["0000320193-94-000016"]
    whys = " | ".join(why for _, why in listing.problems)
    assert len(listing.problems) == 5, whys
    for bit in ("'123' is not", "'1997-13-45'", "'../../x' is not", "form 'None'", "not readable"):
        assert bit in whys


def test_fetch_against_a_lying_server_ends_in_failed_rows_not_a_traceback(
    edgar_server, other_host, tmp_path, wb
):
    bad_redirect = archive_path(320193, "0000320193-97-000021")
    edgar_server.bodies[SUBMISSIONS] = json.dumps({"filings": {"recent": {
        "accessionNumber": ["0000320193-94-000016", 12345, "0000320193-97-000021"],
        "form": ["10-K", "10-K", "10-Q/A"],
        "filingDate": ["1994-12-13", "not a date", "1997-08-08"],
    }, "files": [{"name": "CIK0000320193-submissions-999.json"}, "junk"]}}).encode()  # fmt: skip
    edgar_server.faults[bad_redirect] = [f"redirect:{other_host.url}{bad_redirect}"]
    res = wb("fetch", "--cik", "320193", "--forms", "10-K,10-Q/A", "--dest", str(tmp_path),
              "--base-url", edgar_server.url, "--user-agent", UA, env=NO_URL)  # fmt: skip
    assert "Traceback" not in res.stderr, res.stderr
    assert res.returncode == 1
    assert "2 filings listed" in res.stdout
    # fetched: the main page and one filing; failed: the missing older page, the 'junk'
    # page entry, the integer accession row, the redirect off the host
    assert "2 fetched" in res.stdout and "4 failed" in res.stdout, res.stdout + res.stderr
    assert "outside http://127.0.0.1" in res.stderr and "'12345' is not" in res.stderr
    assert "HTTP 404" in res.stderr
    assert other_host.log == []
    assert "1 parsed" in res.stdout  # the good filing went on to the tables


def test_fetch_json_when_every_answer_is_hostile(edgar_server, other_host, tmp_path, wb):
    edgar_server.bodies[SUBMISSIONS] = b"[]"
    edgar_server.faults[SUBMISSIONS] = ["drop", "truncate"]
    facts = "/api/xbrl/companyfacts/CIK0000320193.json"
    edgar_server.faults[facts] = [f"redirect:{other_host.url}{facts}"]
    res = wb("fetch-json", "--cik", "320193", "--dest", str(tmp_path), "--base-url",
              edgar_server.url, "--user-agent", UA, "--retries", "3", env=NO_URL)  # fmt: skip
    assert "Traceback" not in res.stderr, res.stderr
    assert res.returncode == 1 and "2 failed" in res.stdout
    assert "JSON list, not an object" in res.stderr and "outside" in res.stderr
    assert other_host.log == [] and _clean_cache(tmp_path) == []


def test_escape_sequences_from_a_server_do_not_reach_the_terminal(edgar_server, tmp_path, wb):
    edgar_server.bodies[SUBMISSIONS] = json.dumps({"filings": {"recent": {
        "accessionNumber": ["\x1b]0;owned\x07\x1b[2J"], "form": ["10-K"],
        "filingDate": ["2000-01-01"]}}}).encode()  # fmt: skip
    res = wb("fetch", "--cik", "320193", "--dest", str(tmp_path), "--base-url",
              edgar_server.url, "--user-agent", UA, env=NO_URL)  # fmt: skip
    assert res.returncode == 1
    assert "\x1b" not in res.stdout + res.stderr and "\x07" not in res.stderr
    assert "\\x1b]0;owned\\x07" in res.stderr
