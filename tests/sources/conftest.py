"""A real HTTP server on 127.0.0.1 that serves ../shared/corpus in EDGAR's URL layout, with a
request log and fault injection (429 + Retry-After, 503, dropped connections, truncated and
slow bodies)."""

from __future__ import annotations

import csv
import gzip
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@dataclass
class Request:
    at: float
    path: str
    user_agent: str | None
    accept_encoding: str | None


@dataclass
class EdgarServer:
    """Knobs and log of the fake EDGAR: ``faults[path]`` is a list consumed one per request
    ('429:N', '503', 'drop', 'truncate', 'slow')."""

    corpus: Path
    url: str = ""
    log: list[Request] = field(default_factory=list)
    faults: dict[str, list[str]] = field(default_factory=dict)
    gzip: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)
    archive: dict[str, Path] = field(default_factory=dict)

    def body(self, path: str) -> bytes | None:
        if m := re.fullmatch(r"/Archives/edgar/data/(\d+)/(\d{10}-\d{2}-\d{6})\.txt", path):
            file = self.archive.get(f"{int(m.group(1))}/{m.group(2)}")
            return file.read_bytes() if file else None
        if re.fullmatch(r"/Archives/edgar/full-index/\d{4}/QTR[1-4]/master\.idx", path):
            return (self.corpus / "index/full-index/master.1993QTR4.sample.idx").read_bytes()
        if m := re.fullmatch(r"/submissions/(CIK\d{10}(?:-submissions-\d{3})?\.json)", path):
            file = self.corpus / "json/submissions" / m.group(1)
            return file.read_bytes() if file.exists() else None
        if m := re.fullmatch(r"/api/xbrl/companyfacts/(CIK\d{10}\.json)", path):
            file = self.corpus / "json/companyfacts" / m.group(1)
            return file.read_bytes() if file.exists() else None
        return None

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ThreadingHTTPServer

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        edgar: EdgarServer = self.server.edgar  # type: ignore[attr-defined]
        with edgar.lock:
            edgar.log.append(Request(time.monotonic(), self.path, self.headers.get("User-Agent"),
                                     self.headers.get("Accept-Encoding")))  # fmt: skip
            queue = edgar.faults.get(self.path)
            fault = queue.pop(0) if queue else None
        if fault == "drop":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if fault and fault.startswith("429"):
            return self._send(429, b"slow down", {"Retry-After": fault.split(":")[1]})
        if fault == "503":
            return self._send(503, b"busy")
        body = edgar.body(self.path)
        if body is None:
            return self._send(404, b"not found")
        headers = {"Content-Type": "application/octet-stream"}
        if edgar.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if fault in ("truncate", "slow"):
            self.send_response(200)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if fault == "slow":
                time.sleep(30)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        return self._send(200, body, headers)


@pytest.fixture
def edgar_server(corpus):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    edgar = EdgarServer(corpus=corpus, url=f"http://127.0.0.1:{server.server_address[1]}")
    with (corpus / "MANIFEST.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = Path(row["path"]).name
            if row["cik"] and re.fullmatch(r"\d{10}-\d{2}-\d{6}\.txt", name):
                edgar.archive[f"{int(row['cik'])}/{name[:-4]}"] = corpus / row["path"]
    server.edgar = edgar  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield edgar
    server.shutdown()
    server.server_close()
