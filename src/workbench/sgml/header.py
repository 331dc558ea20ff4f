"""The EDGAR header: ``<SEC-HEADER>``/``<IMS-HEADER>`` ``KEY: value`` lines and the
tag-per-line ``<SUBMISSION>`` layout of EDGAR's dissemination feed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from workbench.provenance import Span

EASTERN = ZoneInfo("America/New_York")

#: Header sections that start a new entity, and the role we give it.
ENTITY_ROLES = {
    "FILER": "filer",
    "SUBJECT COMPANY": "subject_company",
    "FILED BY": "filed_by",
    "REPORTING-OWNER": "reporting_owner",
    "REPORTING OWNER": "reporting_owner",
    "ISSUER": "issuer",
    "DEPOSITOR": "depositor",
    "SECURITIZER": "securitizer",
    "ISSUING ENTITY": "issuing_entity",
    "SERIAL COMPANY": "serial_company",
    "FILED-BY": "filed_by",
    "SUBJECT-COMPANY": "subject_company",
}
#: Which entity is "the company" of a filing: the issuer of the securities when there is one.
ROLE_PRIORITY = ("issuer", "filer", "subject_company", "depositor", "issuing_entity", "filed_by")

_KEY_VALUE = re.compile(r"^[ \t]*([A-Z][A-Z0-9 ()/&,.'-]*?)[ \t]*:[ \t]*(.*?)[ \t]*$")
_TAG_LINE = re.compile(r"^[ \t]*<(/?)([A-Z][A-Z0-9-]*)>[ \t]*(.*?)[ \t]*$")
_SIC = re.compile(r"\[(\d{3,4})\]\s*$")

# <SUBMISSION>-layout tag names mapped onto the SEC-HEADER key names.
_SUBMISSION_TAGS = {
    "ACCESSION-NUMBER": "ACCESSION NUMBER",
    "TYPE": "CONFORMED SUBMISSION TYPE",
    "PUBLIC-DOCUMENT-COUNT": "PUBLIC DOCUMENT COUNT",
    "PERIOD": "CONFORMED PERIOD OF REPORT",
    "FILING-DATE": "FILED AS OF DATE",
    "DATE-OF-FILING-DATE-CHANGE": "DATE AS OF CHANGE",
    "ACCEPTANCE-DATETIME": "ACCEPTANCE-DATETIME",
    "CONFORMED-NAME": "COMPANY CONFORMED NAME",
    "CIK": "CENTRAL INDEX KEY",
    "ASSIGNED-SIC": "STANDARD INDUSTRIAL CLASSIFICATION",
    "IRS-NUMBER": "IRS NUMBER",
    "STATE-OF-INCORPORATION": "STATE OF INCORPORATION",
    "FISCAL-YEAR-END": "FISCAL YEAR END",
    "FORM-TYPE": "FORM TYPE",
    "ACT": "SEC ACT",
    "FILE-NUMBER": "SEC FILE NUMBER",
    "FILM-NUMBER": "FILM NUMBER",
}
_SUBMISSION_ENTITY_TAGS = {
    "FILER": "filer",
    "SUBJECT-COMPANY": "subject_company",
    "FILED-BY": "filed_by",
    "REPORTING-OWNER": "reporting_owner",
    "ISSUER": "issuer",
    "DEPOSITOR": "depositor",
    "SECURITIZER": "securitizer",
    "ISSUING-ENTITY": "issuing_entity",
    "SERIAL-COMPANY": "serial_company",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """One company or person named in the header (filer, subject company, owner...)."""

    role: str
    company_name: str | None = None
    cik: int | None = None
    sic: int | None = None
    sic_description: str | None = None
    irs_number: str | None = None
    state_of_incorporation: str | None = None
    fiscal_year_end: str | None = None
    form_type: str | None = None
    sec_act: str | None = None
    sec_file_number: str | None = None
    film_number: str | None = None
    relationship: str | None = None
    #: where ``company_name`` / ``cik`` / ... came from in the file
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class HeaderRecord:
    """Header fields of a submission; ``None`` means the header does not state it."""

    accession_number: str | None = None
    form_type: str | None = None
    public_document_count: int | None = None
    period_of_report: dt.date | None = None
    filed_date: dt.date | None = None
    date_as_of_change: dt.date | None = None
    acceptance_datetime: dt.datetime | None = None
    entities: tuple[Entity, ...] = ()
    #: where each top-level value came from
    spans: dict[str, Span] = field(default_factory=dict)
    #: (code, message) problems found while reading the header
    warnings: tuple[tuple[str, str], ...] = ()

    @property
    def primary(self) -> Entity | None:
        """The company the filing is about (issuer, else filer, else subject company...)."""
        for role in ROLE_PRIORITY:
            for entity in self.entities:
                if entity.role == role:
                    return entity
        return self.entities[0] if self.entities else None


def parse_date(value: str | None) -> dt.date | None:
    """EDGAR header dates: ``YYYYMMDD`` (and ``YYYY-MM-DD`` in some feeds)."""
    if not value:
        return None
    digits = value.strip().replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def parse_acceptance(value: str | None) -> dt.datetime | None:
    """``YYYYMMDDHHMMSS`` in Eastern time (EDGAR's clock) → aware datetime.

    A wall-clock time that does not exist (inside the spring-forward hour) is read at the
    standard-time offset and normalised (02:30 → 03:30 EDT): the same instant, and one that
    a timezone-aware column can hold.
    """
    if not value:
        return None
    digits = value.strip()
    if len(digits) != 14 or not digits.isdigit():
        return None
    try:
        naive = dt.datetime.strptime(digits, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return naive.replace(tzinfo=EASTERN).astimezone(dt.UTC).astimezone(EASTERN)


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    v = value.strip()
    return int(v) if v.isdigit() else None


def _entity_from_fields(role: str, fields: dict[str, str]) -> Entity:
    sic_raw = fields.get("STANDARD INDUSTRIAL CLASSIFICATION")
    sic: int | None = None
    sic_description: str | None = None
    if sic_raw:
        m = _SIC.search(sic_raw)
        if m:
            sic = int(m.group(1))
            sic_description = sic_raw[: m.start()].strip() or None
        elif sic_raw.strip().isdigit():
            sic = int(sic_raw.strip())
    irs = fields.get("IRS NUMBER", "").replace("-", "").strip()
    return Entity(
        role=role,
        company_name=(fields.get("COMPANY CONFORMED NAME") or "").strip() or None,
        cik=_int(fields.get("CENTRAL INDEX KEY")),
        sic=sic,
        sic_description=sic_description,
        irs_number=irs if irs.isdigit() and irs.strip("0") else None,
        state_of_incorporation=(fields.get("STATE OF INCORPORATION") or "").strip() or None,
        fiscal_year_end=(fields.get("FISCAL YEAR END") or "").strip() or None,
        form_type=(fields.get("FORM TYPE") or "").strip() or None,
        sec_act=(fields.get("SEC ACT") or "").strip() or None,
        sec_file_number=(fields.get("SEC FILE NUMBER") or "").strip() or None,
        film_number=(fields.get("FILM NUMBER") or "").strip() or None,
        relationship=(fields.get("RELATIONSHIP") or "").strip() or None,
        spans={
            _ENTITY_FIELD[k.removeprefix("__span__")]: Span(*map(int, v.split(":")))
            for k, v in fields.items()
            if k.startswith("__span__") and k.removeprefix("__span__") in _ENTITY_FIELD
        },
    )


_ENTITY_FIELD = {
    "COMPANY CONFORMED NAME": "company_name",
    "CENTRAL INDEX KEY": "cik",
    "STANDARD INDUSTRIAL CLASSIFICATION": "sic",
    "IRS NUMBER": "irs_number",
    "STATE OF INCORPORATION": "state_of_incorporation",
    "FISCAL YEAR END": "fiscal_year_end",
    "SEC FILE NUMBER": "sec_file_number",
}


def parse_header(text: str, start: int, end: int) -> HeaderRecord:
    """Read the header lines in ``text[start:end]`` (either layout).

    Unknown keys are ignored; entity sections open on a known section name
    (``FILER:``, ``SUBJECT COMPANY:``, ``<REPORTING-OWNER>``...).
    """
    top: dict[str, str] = {}
    spans: dict[str, Span] = {}
    entities: list[tuple[str, dict[str, str]]] = []
    current: dict[str, str] | None = None
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        stripped = line.rstrip("\r\n")
        if not stripped.strip():
            continue
        tag = _TAG_LINE.match(stripped)
        if tag:
            closing, name, value = tag.groups()
            if name in _SUBMISSION_ENTITY_TAGS or name in ENTITY_ROLES:
                if not closing:
                    role = _SUBMISSION_ENTITY_TAGS.get(name) or ENTITY_ROLES[name]
                    current = {}
                    entities.append((role, current))
                else:
                    current = None
                continue
            if closing:
                continue
            key = _SUBMISSION_TAGS.get(name, name)
            if name == "RELATIONSHIP" and current is not None:
                current["RELATIONSHIP"] = value
                continue
            _store(key, value, current, top, spans, line_start + stripped.find(value), len(value))
            continue
        kv = _KEY_VALUE.match(stripped)
        if not kv:
            continue
        key, value = kv.group(1), kv.group(2)
        indent = len(stripped) - len(stripped.lstrip())
        if not value and key in ENTITY_ROLES and indent == 0:
            current = {}
            entities.append((ENTITY_ROLES[key], current))
            continue
        if not value:
            continue
        value_start = line_start + stripped.rfind(value)
        _store(key, value, current, top, spans, value_start, len(value))
    return _record(top, spans, entities)


_ENTITY_KEYS = frozenset(
    {
        "COMPANY CONFORMED NAME", "CENTRAL INDEX KEY", "STANDARD INDUSTRIAL CLASSIFICATION",
        "IRS NUMBER", "STATE OF INCORPORATION", "FISCAL YEAR END", "FORM TYPE", "SEC ACT",
        "SEC FILE NUMBER", "FILM NUMBER",
    }
)  # fmt: skip


def _store(
    key: str,
    value: str,
    current: dict[str, str] | None,
    top: dict[str, str],
    spans: dict[str, Span],
    value_start: int,
    length: int,
) -> None:
    if key in _ENTITY_KEYS and current is not None:
        if key not in current:
            current[key] = value
            current["__span__" + key] = f"{value_start}:{value_start + length}"
        return
    if key in _ENTITY_KEYS and current is None:
        # A bare header without entity sections (rare): treat as the filer.
        top.setdefault("__orphan__" + key, value)
        return
    if key not in top:
        top[key] = value
        spans[key] = Span(value_start, value_start + length)


def _record(
    top: dict[str, str], spans: dict[str, Span], entities: list[tuple[str, dict[str, str]]]
) -> HeaderRecord:
    warnings: list[tuple[str, str]] = []
    orphan = {k.removeprefix("__orphan__"): v for k, v in top.items() if k.startswith("__orphan__")}
    for k in list(top):
        if k.startswith("__orphan__"):
            del top[k]
    if orphan and not entities:
        entities.append(("filer", orphan))
    built = tuple(_entity_from_fields(role, fields) for role, fields in entities)
    count_raw = top.get("PUBLIC DOCUMENT COUNT")
    accession = (top.get("ACCESSION NUMBER") or "").strip() or None
    if accession and not re.fullmatch(r"\d{10}-\d{2}-\d{6}", accession):
        warnings.append(("bad_accession_number", f"accession number {accession!r} is malformed"))
    period_raw = top.get("CONFORMED PERIOD OF REPORT")
    filed_raw = top.get("FILED AS OF DATE")
    period = parse_date(period_raw)
    filed = parse_date(filed_raw)
    if period_raw and period is None:
        warnings.append(("bad_date", f"period of report {period_raw!r} is not a date"))
    if filed_raw and filed is None:
        warnings.append(("bad_date", f"filed-as-of date {filed_raw!r} is not a date"))
    key_map = {
        "ACCESSION NUMBER": "accession_number",
        "CONFORMED SUBMISSION TYPE": "form_type",
        "PUBLIC DOCUMENT COUNT": "public_document_count",
        "CONFORMED PERIOD OF REPORT": "period_of_report",
        "FILED AS OF DATE": "filed_date",
        "ACCEPTANCE-DATETIME": "acceptance_datetime",
    }
    return HeaderRecord(
        accession_number=accession,
        form_type=(top.get("CONFORMED SUBMISSION TYPE") or "").strip() or None,
        public_document_count=_int(count_raw),
        period_of_report=period,
        filed_date=filed,
        date_as_of_change=parse_date(top.get("DATE AS OF CHANGE")),
        acceptance_datetime=parse_acceptance(top.get("ACCEPTANCE-DATETIME")),
        entities=built,
        spans={key_map[k]: v for k, v in spans.items() if k in key_map},
        warnings=tuple(warnings),
    )
