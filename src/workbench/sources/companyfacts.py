"""XBRL companyfacts JSON (``/api/xbrl/companyfacts/CIK##########.json``, one company; the
bulk ``companyfacts.zip`` holds one per company) and XBRL frames JSON
(``/api/xbrl/frames/dei/EntityCommonStockSharesOutstanding/shares/CY2023Q4I.json``: every
company's figure for one instant): the cover-page ``dei:EntityCommonStockSharesOutstanding``
facts, as frames of shares outstanding.

A companyfacts file of a large filer is tens of MB of JSON of which this needs a few KB:
only the ``EntityCommonStockSharesOutstanding`` object is decoded when it can be found (the
whole document otherwise), so reading the bulk zip costs a scan, not a full parse per file.

A frames fact names its filing (``accn``) but not the day it was filed: its ``filed_date``
is null, and a point-in-time join takes it as known from its as-of date (the cover date, a
few days before the filing) unless another source gives the filing's date.

Companyfacts keeps one fact per (filing, date) and drops the class dimension, so a company
with several classes has several facts with the same accession number and end date: they
are summed (``n_facts`` says how many). Placeholder values (1, 100, 1,000: anything up to
1,000) and stale facts (dated after their filing, or more than a year before it — re-stated
covers of old filings) are dropped and counted, never silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from workbench.errors import ParseError

PLACEHOLDER_MAX = 1_000
STALE_DAYS = 365


@dataclass(frozen=True, slots=True)
class SharesFacts:
    """The usable facts and what was dropped."""

    cik: int | None
    entity_name: str | None
    frame: (
        pl.DataFrame
    )  # cik, as_of_date, shares_outstanding, n_facts, accession_number, filed_date, form
    n_placeholder: int
    n_stale: int


_CONCEPT = '"EntityCommonStockSharesOutstanding"'
_DECODER = json.JSONDecoder()
_HEAD_CIK = re.compile(r'^\s*\{\s*"cik"\s*:\s*"?(\d+)"?\s*,\s*"entityName"\s*:\s*')


def _quick(text: str) -> tuple[int | None, str | None, dict[str, Any]] | None:
    """(cik, entity name, the concept's object) read without decoding the whole document,
    when it is laid out as EDGAR writes it (cik and entityName first, the concept once, in
    ``dei``); None when not, and the caller decodes it all."""
    head = _HEAD_CIK.match(text)
    at = text.find(_CONCEPT)
    if head is None or at == -1 or text.find(_CONCEPT, at + 1) != -1:
        return None
    dei = text.rfind('"dei"', 0, at)
    if (
        dei == -1
        or text.rfind('"us-gaap"', dei, at) != -1
        or text.rfind('"ifrs-full"', dei, at) != -1
    ):
        return None
    try:
        name, _ = _DECODER.raw_decode(text, head.end())
        colon = text.index(":", at + len(_CONCEPT))
        start = len(text) - len(text[colon + 1 :].lstrip())
        concept, _ = _DECODER.raw_decode(text, start)
    except (ValueError, json.JSONDecodeError):
        return None
    if not isinstance(concept, dict) or not (isinstance(name, str) or name is None):
        return None
    return int(head.group(1)), name, concept


def parse_json(text: str, *, path: str = "<json>") -> Any:
    """``json.loads``, with a ``json_invalid`` ParseError (message and line) when the text
    is not JSON: every JSON data file the workbench reads fails the same way."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            "json_invalid", f"not JSON: {exc.msg} at line {exc.lineno}", path=path
        ) from exc


def read_companyfacts(text: str, *, path: str = "<json>") -> SharesFacts:
    """Parse a companyfacts document (already decoded)."""
    quick = _quick(text)
    if quick is not None:
        cik, entity_name, concept = quick
    else:
        doc = parse_json(text, path=path)
        if not isinstance(doc, dict) or not isinstance(doc.get("facts"), dict):
            raise ParseError("companyfacts_layout_unknown", "no 'facts' object", path=path)
        cik = int(doc["cik"]) if str(doc.get("cik", "")).strip().isdigit() else None
        entity_name = doc.get("entityName")
        dei = doc["facts"].get("dei")
        concept = dei.get("EntityCommonStockSharesOutstanding", {}) if isinstance(dei, dict) else {}
    facts = concept.get("units", {}) if isinstance(concept, dict) else {}
    facts = facts if isinstance(facts, dict) else {}
    shares = facts.get("shares", [])
    raw = pl.DataFrame(
        [
            {"end": f.get("end"), "val": f.get("val"), "accn": f.get("accn"),
             "filed": f.get("filed"), "form": f.get("form")}
            for f in (shares if isinstance(shares, list) else [])
            if isinstance(f, dict)
        ],
        schema={"end": pl.String, "val": pl.Int64, "accn": pl.String, "filed": pl.String, "form": pl.String},
    ).with_columns(pl.col("end").str.to_date(strict=False), pl.col("filed").str.to_date(strict=False))  # fmt: skip
    placeholder = pl.col("val") <= PLACEHOLDER_MAX
    age = (pl.col("filed") - pl.col("end")).dt.total_days()
    stale = (age < 0) | (age > STALE_DAYS) | pl.col("end").is_null() | pl.col("filed").is_null()
    n_placeholder = raw.filter(placeholder).height
    n_stale = raw.filter(~placeholder & stale).height
    usable = raw.filter(~placeholder & ~stale)
    frame = (
        usable.group_by("accn", "end", maintain_order=True)
        .agg(
            pl.col("val").sum().alias("shares_outstanding"),
            pl.len().cast(pl.Int64).alias("n_facts"),
            pl.col("filed").first().alias("filed_date"),
            pl.col("form").first(),
        )
        .select(
            pl.lit(cik, pl.Int64).alias("cik"),
            pl.col("end").alias("as_of_date"),
            "shares_outstanding",
            "n_facts",
            pl.col("accn").alias("accession_number"),
            "filed_date",
            "form",
        )
    )
    return SharesFacts(cik, entity_name, frame, n_placeholder, n_stale)


@dataclass(frozen=True, slots=True)
class FramesFacts:
    """The usable facts of a frames file, the period it is for, and what was dropped."""

    period: str
    frame: pl.DataFrame  # cik, company_name, as_of_date, shares_outstanding, accession_number
    n_placeholder: int
    n_unreadable: int


def is_frames(text: str) -> bool:
    """Whether a JSON document looks like an XBRL frames file (``ccp`` and ``data``)."""
    head = text[:2000]
    return '"ccp"' in head and '"data"' in text[:4000] and '"taxonomy"' in head


def read_frames(text: str, *, path: str = "<json>") -> FramesFacts:
    """Parse a ``dei/EntityCommonStockSharesOutstanding/shares`` frames document; any other
    concept or unit is a ``ParseError`` (its figures are not shares outstanding)."""
    doc = parse_json(text, path=path)
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise ParseError("frames_layout_unknown", "no 'data' list", path=path)
    what = (doc.get("taxonomy"), doc.get("tag"), doc.get("uom"))
    if what != ("dei", "EntityCommonStockSharesOutstanding", "shares"):
        raise ParseError(
            "frames_concept_unsupported",
            f"a frame of {'/'.join(str(w) for w in what)}: only "
            "dei/EntityCommonStockSharesOutstanding/shares is read",
            path=path,
        )
    rows = [r for r in doc["data"] if isinstance(r, dict)]
    raw = pl.DataFrame(
        [{"cik": r.get("cik"), "name": r.get("entityName"), "end": r.get("end"),
          "val": r.get("val"), "accn": r.get("accn")} for r in rows],
        schema={"cik": pl.Int64, "name": pl.String, "end": pl.String, "val": pl.Int64, "accn": pl.String},
        strict=False,
    ).with_columns(pl.col("end").str.to_date(strict=False))  # fmt: skip
    unreadable = pl.col("cik").is_null() | pl.col("end").is_null() | pl.col("val").is_null()
    placeholder = ~unreadable & (pl.col("val") <= PLACEHOLDER_MAX)
    frame = raw.filter(~unreadable & ~placeholder).select(
        "cik",
        pl.col("name").alias("company_name"),
        pl.col("end").alias("as_of_date"),
        pl.col("val").alias("shares_outstanding"),
        pl.col("accn").alias("accession_number"),
    )
    n_bad = len(doc["data"]) - raw.height + raw.filter(unreadable).height
    return FramesFacts(str(doc.get("ccp") or ""), frame, raw.filter(placeholder).height, n_bad)
