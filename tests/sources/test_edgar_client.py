"""The EDGAR client against a real HTTP server on 127.0.0.1 (see conftest): User-Agent,
rate, retries, atomic cache, offline. No test touches any other address."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import polars as pl
import pytest

from workbench.errors import SourceError, ValidationError
from workbench.sources.edgar import (
    EdgarClient,
)
from workbench.sources.edgar_urls import (
    archive_path,
    companyfacts_path,
    filing_index_url,
    full_index_path,
    submissions_path,
)

UA = "Filings Workbench tests research@example.org"


def test_url_layout_without_a_base_url(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBENCH_EDGAR_URL", raising=False)
    c = EdgarClient(tmp_path, user_agent=UA)
    assert c.url(archive_path(320193, "0000320193-97-000011")) == (
        "https://www.sec.gov/Archives/edgar/data/320193/0000320193-97-000011.txt"
    )
    assert (
        c.url(full_index_path(2003, 1))
        == "https://www.sec.gov/Archives/edgar/full-index/2003/QTR1/form.idx"
    )
    assert c.url(submissions_path(320193)) == "https://data.sec.gov/submissions/CIK0000320193.json"
    assert (
        c.url(companyfacts_path(1640147))
        == "https://data.sec.gov/api/xbrl/companyfacts/CIK0001640147.json"
    )
    assert c.cache_path(submissions_path(320193)) == tmp_path / "submissions/CIK0000320193.json"
    with pytest.raises(ValidationError):
        c.cache_path("/Archives/../../etc/passwd")
    with pytest.raises(ValidationError):
        archive_path(320193, "../../x")


def test_filing_index_links():
    # the template: /Archives/edgar/data/<cik>/<accession without dashes>/
    assert filing_index_url(320193, "0001104659-06-084288") == (
        "https://www.sec.gov/Archives/edgar/data/320193/000110465906084288/"
    )
    # no CIK (a bare document) or no well-formed accession: no link rather than a broken one
    assert filing_index_url(None, "0001104659-06-084288") is None
    assert filing_index_url(320193, None) is None
    assert filing_index_url(320193, "1104659-06-84288") is None


def test_user_agent_is_required(edgar_server, tmp_path, monkeypatch, wb):
    monkeypatch.delenv("WORKBENCH_USER_AGENT", raising=False)
    for bad in (None, "", "python-httpx", "Jane Doe"):
        with pytest.raises(ValidationError, match="User-Agent"):
            EdgarClient(tmp_path, user_agent=bad, base_url=edgar_server.url)
    res = wb("fetch-json", "--cik", "320193", "--dest", str(tmp_path), "--base-url",
              edgar_server.url, env={"WORKBENCH_USER_AGENT": ""})  # fmt: skip
    assert res.returncode == 2 and "User-Agent" in res.stderr
    assert edgar_server.log == []  # refused before any request
    monkeypatch.setenv("WORKBENCH_USER_AGENT", UA)
    assert EdgarClient(tmp_path, base_url=edgar_server.url).user_agent == UA


def test_fetch_a_company_then_rerun_from_the_cache(edgar_server, corpus, tmp_path, wb):
    args = ("fetch", "--cik", "320193", "--forms", "10-K,10-Q/A", "--since", "1994-01-01",
            "--until", "1997-12-31", "--dest", str(tmp_path), "--base-url", edgar_server.url,
            "--user-agent", UA)  # fmt: skip
    res = wb(*args)
    # listed: 10-Ks of 1994-1997 and the 1997 10-Q/A; the corpus holds three of the five
    assert "5 filings listed for CIK 320193" in res.stdout
    # two submissions pages and three filings fetched; two filings are not on the server
    assert "5 fetched" in res.stdout and "2 failed" in res.stdout, res.stdout + res.stderr
    assert res.returncode == 1  # failures make a non-zero exit, after the rest is done
    assert "HTTP 404" in res.stderr
    paths = [r.path for r in edgar_server.log]
    assert "/submissions/CIK0000320193.json" in paths
    assert "/submissions/CIK0000320193-submissions-001.json" in paths  # every page
    assert {r.user_agent for r in edgar_server.log} == {UA}
    assert all("gzip" in (r.accept_encoding or "") for r in edgar_server.log)
    for acc, rel in (("0000320193-94-000016", "filings/10-K/0000320193-94-000016.txt"),
                     ("0001047469-97-006960", "filings/10-K/0001047469-97-006960.txt"),
                     ("0000320193-97-000021", "filings/10-Q_A/0000320193-97-000021.txt")):  # fmt: skip
        cached = tmp_path / "Archives/edgar/data/320193" / f"{acc}.txt"
        assert cached.read_bytes() == (corpus / rel).read_bytes()  # gzip on the wire, bytes on disk
    filings = pl.read_parquet(tmp_path / "tables/filings.parquet")
    assert sorted(filings["accession_number"]) == [
        "0000320193-94-000016", "0000320193-97-000021", "0001047469-97-006960",
    ]  # fmt: skip
    # rerun: complete files are not fetched again, only the missing ones are retried
    n_before = len(edgar_server.log)
    res = wb(*args)
    again = [r.path for r in edgar_server.log[n_before:]]
    assert sorted(again) == sorted(
        archive_path(320193, a) for a in ("0000320193-95-000016", "0000320193-96-000023")
    )
    assert "0 fetched" in res.stdout and "5 from the cache" in res.stdout
    assert "2 input files" not in res.stdout or "already ingested" in res.stdout


def _max_in_window(times: list[float], window: float = 1.0) -> int:
    return max(sum(1 for u in times if t <= u < t + window) for t in times)


def test_rate_limit_is_shared_by_threads(edgar_server, tmp_path):
    client = EdgarClient(tmp_path, user_agent=UA, base_url=edgar_server.url, rate=5)
    paths = [full_index_path(y, q, "master") for y in range(1994, 2000) for q in (1, 2, 3, 4)]
    t0 = time.monotonic()
    done = client.get_many(paths, workers=6)
    elapsed = time.monotonic() - t0
    assert len(done) == 24 and client.stats.fetched == 24
    times = sorted(r.at for r in edgar_server.log)
    assert _max_in_window(times) <= 5
    assert elapsed >= (24 - 5) / 5 * 0.95  # about 5 a second after the first burst
    print(f"24 requests on 6 threads at rate 5: {elapsed:.2f} s, {24 / elapsed:.2f} req/s")


def test_retries_honour_retry_after_and_survive_faults(edgar_server, corpus, tmp_path):
    path = submissions_path(320193)
    edgar_server.faults[path] = ["429:1", "429:1", "503", "drop", "truncate"]
    client = EdgarClient(tmp_path, user_agent=UA, base_url=edgar_server.url, retries=6, max_wait=1)
    file = client.get(path)
    assert file.read_bytes() == (corpus / "json/submissions/CIK0000320193.json").read_bytes()
    seen = edgar_server.requests_for(path)
    assert len(seen) == 6 and client.stats.retries == 5
    assert seen[1].at - seen[0].at >= 0.95 and seen[2].at - seen[1].at >= 0.95  # Retry-After: 1
    assert not list(file.parent.glob(".*.part"))


def test_retries_exhausted_leave_nothing(edgar_server, tmp_path):
    path = companyfacts_path(1640147)
    edgar_server.faults[path] = ["503"] * 3 + ["truncate"]
    client = EdgarClient(
        tmp_path, user_agent=UA, base_url=edgar_server.url, retries=4, max_wait=0.2
    )
    with pytest.raises(SourceError, match="gave up after 4 tries"):
        client.get(path)
    assert len(edgar_server.requests_for(path)) == 4
    folder = tmp_path / "api/xbrl/companyfacts"
    assert not folder.exists() or list(folder.iterdir()) == []  # no partial, no temp file


def test_killed_run_leaves_no_partial_file_and_rerun_resumes(edgar_server, tmp_path, wb):
    slow = full_index_path(1995, 3, "master")
    edgar_server.faults[slow] = ["slow"]
    cmd = [sys.executable, "-m", "workbench.cli", "fetch-index", "--year", "1995", "--kind",
           "master", "--dest", str(tmp_path), "--base-url", edgar_server.url, "--user-agent", UA,
           "--workers", "1"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not edgar_server.requests_for(slow) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # half the body is on its way
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    target = tmp_path / slow.lstrip("/")
    assert not target.exists()  # never a partial file under the real name
    for done in tmp_path.rglob("*.idx"):  # whatever is cached is complete, byte for byte
        assert done.read_bytes() == edgar_server.body("/" + done.relative_to(tmp_path).as_posix())
    n_before = len(edgar_server.log)
    res = wb(*cmd[3:])
    assert res.returncode == 0, res.stderr
    assert target.read_bytes() == edgar_server.body(slow)
    refetched = {r.path for r in edgar_server.log[n_before:]}
    assert slow in refetched
    complete_before = {f"/Archives/edgar/full-index/1995/QTR{q}/master.idx" for q in (1, 2)}
    assert not (complete_before & refetched)  # QTR1, QTR2 finished before the kill: skipped


def test_offline_never_opens_a_socket(edgar_server, tmp_path, monkeypatch, wb):
    online = EdgarClient(tmp_path, user_agent=UA, base_url=edgar_server.url)
    online.get(submissions_path(320193))
    online.close()
    n = len(edgar_server.log)
    res = wb("fetch-json", "--cik", "320193", "--dest", str(tmp_path), "--base-url",
              edgar_server.url, "--offline")  # fmt: skip
    assert len(edgar_server.log) == n
    assert "not in the cache and the run is offline" in res.stderr  # the older page, companyfacts
    assert res.returncode == 1

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    offline = EdgarClient(tmp_path, offline=True, base_url=edgar_server.url)
    assert offline.get(submissions_path(320193)).exists()
    with pytest.raises(SourceError, match="offline"):
        offline.get(companyfacts_path(320193))
    assert len(edgar_server.log) == n
