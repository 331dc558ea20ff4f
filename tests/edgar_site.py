"""EDGAR's layout built from complete submission files, for test servers on 127.0.0.1.

Given filings (CIK, accession, form, date, company, the ``.txt``) and companyfacts JSON
files, ``EdgarSite.body(path)`` answers what www.sec.gov and data.sec.gov would:

* ``/Archives/edgar/full-index/<Y>/QTR<n>/master.idx`` and the daily index
  (``/Archives/edgar/daily-index/<Y>/QTR<n>/index.json`` and ``master.<YYYYMMDD>.idx``);
* each filing's ``.txt``, its folder's ``index.json``, ``<acc>-index-headers.html`` (the
  header and one stub per document, HTML-escaped, as EDGAR writes it) and each document;
* ``/api/xbrl/frames/dei/EntityCommonStockSharesOutstanding/shares/<ccp>.json`` from the
  facts' ``frame`` attribute (how the SEC builds frames), and
  ``/Archives/edgar/daily-index/xbrl/companyfacts.zip``.

Written apart from the workbench's own parsers (a regex per block), so that a test of the
fetcher does not check the code against itself.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

_DOC = re.compile(rb"<DOCUMENT>\r?\n(.*?)</DOCUMENT>", re.DOTALL)
_TAG = re.compile(rb"^<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>([^\r\n]*)", re.M)
_TEXT = re.compile(rb"<TEXT>\r?\n(.*?)\r?\n?</TEXT>", re.DOTALL)
_HEADER = re.compile(rb"<SEC-HEADER>.*?</SEC-HEADER>", re.DOTALL)


@dataclass(frozen=True)
class SiteFiling:
    cik: int
    accession: str
    form: str
    filed: dt.date
    company: str
    path: Path

    @property
    def folder(self) -> str:
        return f"/Archives/edgar/data/{self.cik}/{self.accession.replace('-', '')}"


def documents(raw: bytes) -> list[dict[str, object]]:
    """Each ``<DOCUMENT>`` of a submission: its tags and its file's bytes."""
    out = []
    for block in _DOC.finditer(raw):
        tags = {k.decode(): v.decode("latin-1").strip() for k, v in _TAG.findall(block.group(1))}
        text = _TEXT.search(block.group(1))
        out.append({**tags, "body": text.group(1) if text else b""})
    return out


def index_headers(filing: SiteFiling, raw: bytes) -> bytes:
    """The ``-index-headers.html`` page of a filing."""
    header = _HEADER.search(raw)
    lines = [f"<SEC-DOCUMENT>{filing.accession}-index.html : {filing.filed:%Y%m%d}"]
    lines.append(header.group(0).decode("latin-1") if header else "")
    stubs = []
    for i, doc in enumerate(documents(raw), 1):
        name = str(doc.get("FILENAME", ""))
        stub = [f"<DOCUMENT>\n<TYPE>{doc.get('TYPE', '')}\n<SEQUENCE>{doc.get('SEQUENCE', i)}"]
        stub.append(f"<FILENAME>{name}")
        if doc.get("DESCRIPTION"):
            stub.append(f"<DESCRIPTION>{doc['DESCRIPTION']}")
        stub.append("<TEXT>")
        stubs.append(("\n".join(stub), f'<a href="{name}">Document {i} - file: {name}</a><br>'))
    body = html.escape("\n".join(lines)) + "\n"
    for stub, link in stubs:
        body += html.escape(stub) + "\n" + link + "\n" + html.escape("</DOCUMENT>") + "\n"
    body += html.escape("</SEC-DOCUMENT>")
    page = (
        f"<html><head><title>{filing.accession}.hdr.sgml</title></head><body><pre>{body}"
        "</pre></body></html>"
    )
    return page.encode("utf-8")


def master_index(filings: list[SiteFiling], *, daily: bool) -> bytes:
    head = (
        "Description:           Master Index of EDGAR Dissemination Feed\n"
        "Last Data Received:    (test site)\nComments:              webmaster@sec.gov\n"
        "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n \n \n"
        "CIK|Company Name|Form Type|Date Filed|File Name\n" + "-" * 80 + "\n"
    )
    fmt = "%Y%m%d" if daily else "%Y-%m-%d"
    rows = [
        f"{f.cik}|{f.company}|{f.form}|{f.filed.strftime(fmt)}|edgar/data/{f.cik}/{f.accession}.txt"
        for f in sorted(filings, key=lambda f: (f.cik, f.accession))
    ]
    return (head + "\n".join(rows) + "\n").encode()


def _quarter(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


class EdgarSite:
    def __init__(self, filings: list[SiteFiling], companyfacts: list[Path] = ()) -> None:
        self.filings = filings
        self.companyfacts = list(companyfacts)
        self.by_folder = {f.folder: f for f in filings}
        self.by_txt = {f"/Archives/edgar/data/{f.cik}/{f.accession}.txt": f for f in filings}

    def body(self, path: str) -> bytes | None:
        if path in self.by_txt:
            return self.by_txt[path].path.read_bytes()
        if m := re.fullmatch(r"/Archives/edgar/full-index/(\d{4})/QTR([1-4])/master\.idx", path):
            key = (int(m.group(1)), int(m.group(2)))
            return master_index([f for f in self.filings if _quarter(f.filed) == key], daily=False)
        if m := re.fullmatch(r"/Archives/edgar/daily-index/(\d{4})/QTR([1-4])/index\.json", path):
            key = (int(m.group(1)), int(m.group(2)))
            days = sorted({f.filed for f in self.filings if _quarter(f.filed) == key})
            items = [
                {"name": f"master.{d:%Y%m%d}.idx", "type": "file", "size": "1 KB"} for d in days
            ]
            return json.dumps({"directory": {"name": path, "item": items}}).encode()
        if m := re.fullmatch(
            r"/Archives/edgar/daily-index/\d{4}/QTR[1-4]/master\.(\d{8})\.idx", path
        ):
            day = dt.datetime.strptime(m.group(1), "%Y%m%d").date()
            listed = [f for f in self.filings if f.filed == day]
            return master_index(listed, daily=True) if listed else None
        if path == "/Archives/edgar/daily-index/xbrl/companyfacts.zip":
            return self.companyfacts_zip()
        if m := re.fullmatch(
            r"/api/xbrl/frames/dei/EntityCommonStockSharesOutstanding/shares/(CY\d{4}Q[1-4]I)\.json",
            path,
        ):
            return self.frame(m.group(1))
        folder, _, name = path.rpartition("/")
        filing = self.by_folder.get(folder)
        if filing is None:
            return None
        raw = filing.path.read_bytes()
        if name == f"{filing.accession}-index-headers.html":
            return index_headers(filing, raw)
        if name == "index.json":
            docs = documents(raw)
            items = [
                {"name": f"{filing.accession}-index-headers.html", "type": "text.gif", "size": ""},
                {"name": f"{filing.accession}.txt", "type": "text.gif", "size": ""},
            ]
            items += [{"name": d["FILENAME"], "type": "text.gif", "size": str(len(d["body"]))}
                      for d in docs if d.get("FILENAME")]  # fmt: skip
            return json.dumps({"directory": {"name": folder, "item": items}}).encode()
        for doc in documents(raw):
            if doc.get("FILENAME") == name:
                return bytes(doc["body"])  # type: ignore[arg-type]
        return None

    def frame(self, ccp: str) -> bytes | None:
        data = []
        for path in self.companyfacts:
            doc = json.loads(path.read_text())
            facts = doc["facts"].get("dei", {}).get("EntityCommonStockSharesOutstanding", {})
            for fact in facts.get("units", {}).get("shares", []):
                if fact.get("frame") == ccp:
                    data.append({"accn": fact["accn"], "cik": int(doc["cik"]),
                                 "entityName": doc["entityName"], "loc": "US-CA",
                                 "end": fact["end"], "val": fact["val"]})  # fmt: skip
        if not data:
            return None
        return json.dumps({"taxonomy": "dei", "tag": "EntityCommonStockSharesOutstanding",
                           "ccp": ccp, "uom": "shares", "label": "Entity Common Stock, Shares Outstanding",
                           "description": "...", "pts": len(data), "data": data}).encode()  # fmt: skip

    def companyfacts_zip(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in self.companyfacts:
                zf.write(path, path.name)
        return buf.getvalue()


def corpus_site(corpus: Path) -> EdgarSite:
    """The corpus' complete submissions (each MANIFEST row with a CIK, a date and an
    accession-named ``.txt``) and its companyfacts files."""
    import csv

    filings = []
    with (corpus / "MANIFEST.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = Path(row["path"]).name
            if row["cik"] and row["filed_date"] and re.fullmatch(r"\d{10}-\d{2}-\d{6}\.txt", name):
                filings.append(SiteFiling(
                    int(row["cik"]), name[:-4], row["form"], dt.date.fromisoformat(row["filed_date"]),
                    row["company"] or f"COMPANY {row['cik']}", corpus / row["path"],
                ))  # fmt: skip
    return EdgarSite(filings, sorted((corpus / "json/companyfacts").glob("CIK*.json")))
