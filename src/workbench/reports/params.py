"""Report parameters: one pydantic model per report template.

A parameter set is validated and converted here before papermill sees it, so a misspelt key,
a CIK with letters or a backwards date range fails at once with a readable message instead
of deep inside a kernel. Values stay JSON-able (str, int, bool, None, list) because papermill
writes them into the notebook's injected-parameters cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from workbench.form_types import REPORT_FORMS
from workbench.frames.store import has_tables
from workbench.vocab import OFFERING_KINDS

_PERIOD = re.compile(r"^(\d{4})(?:[-_ ]?Q([1-4]))?$", re.IGNORECASE)


class ReportParams(BaseModel):
    """What every report takes: the table directory and whether charts may be interactive."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    #: report template name (``notebooks/reports/<name>.ipynb``)
    report_name: ClassVar[str] = ""

    data_dir: str | None = Field(
        default=None, description="Directory of Parquet tables; None: the bundled sample."
    )
    interactive: bool = Field(
        default=True, description="False under papermill: static charts only."
    )

    @field_validator("data_dir")
    @classmethod
    def _data_dir_exists(cls, value: str | None) -> str | None:
        if value is not None and not Path(value).is_dir():
            raise ValueError(f"no such directory: {value}")
        if value is not None and not has_tables(value):
            raise ValueError(
                f"no workbench tables in {value}; write them first with "
                f"`workbench ingest FILES --out {value}`"
            )
        return value

    def slug(self) -> str:
        """File name for this parameter set's report (stable: a rerun replaces it)."""
        raise NotImplementedError


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"


class CompanyParams(ReportParams):
    """A company chosen by CIK or by a case-insensitive part of its name."""

    cik: int | None = Field(default=None, description="Company CIK (digits).")
    company: str | None = Field(
        default=None,
        min_length=2,
        max_length=150,
        description="Case-insensitive part of the company name (bare documents have no CIK).",
    )
    ticker: str | None = Field(
        default=None,
        description="Trading symbol (data's tickers table); used instead of cik and company.",
    )
    all_companies: bool = Field(
        default=False,
        description="With company: report every company the name matches (else it must be one).",
    )

    @field_validator("cik", mode="before")
    @classmethod
    def _cik_digits(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise ValueError("a CIK is 1 to 10 digits")
        text = str(value).strip()
        text = text[3:].strip() if text.upper().startswith("CIK") else text
        if not re.fullmatch(r"\d{1,10}", text) or int(text) == 0:
            raise ValueError(f"a CIK is 1 to 10 digits, not {value!r}")
        return int(text)

    @field_validator("company")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and not value.isprintable():
            raise ValueError("company name has control characters")
        return value or None

    @field_validator("ticker")
    @classmethod
    def _ticker_chars(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.\-/]{0,11}", value):
            raise ValueError(f"a ticker is 1 to 12 letters, digits, '.', '-' or '/', not {value!r}")
        return value or None

    @model_validator(mode="after")
    def _one_company(self) -> CompanyParams:
        if self.cik is None and self.company is None and self.ticker is None:
            raise ValueError("give cik, company or ticker")
        return self

    def slug(self) -> str:
        if self.cik is not None:
            return f"cik-{self.cik}"
        if self.ticker is not None:
            return f"ticker-{_slugify(self.ticker)}"
        return _slugify(self.company or "")


class CompanyDilutionParams(CompanyParams):
    """``company_dilution``: a company's S-8 registrations over its shares outstanding."""

    report_name: ClassVar[str] = "company_dilution"


class CompanyTimelinessParams(CompanyParams):
    """``company_timeliness``: a company's reports due, notices and actual filings."""

    report_name: ClassVar[str] = "company_timeliness"

    start_year: int | None = Field(default=None, ge=1993, le=2100, description="First period year.")
    end_year: int | None = Field(default=None, ge=1993, le=2100, description="Last period year.")

    @model_validator(mode="after")
    def _ordered(self) -> CompanyTimelinessParams:
        if self.start_year and self.end_year and self.start_year > self.end_year:
            raise ValueError(f"start_year {self.start_year} is after end_year {self.end_year}")
        return self

    def slug(self) -> str:
        years = f"-{self.start_year or 'all'}-{self.end_year or 'all'}"
        return super().slug() + ("" if years == "-all-all" else years)


def _period_bounds(text: str) -> tuple[dt.date, dt.date]:
    m = _PERIOD.match(text)
    if not m:
        raise ValueError(f"a period is YYYY or YYYYQn, not {text!r}")
    year, quarter = int(m.group(1)), m.group(2)
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    q = int(quarter)
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


class _PeriodParams(ReportParams):
    """A year or quarter range (``start``, ``end``: 2003 or 2003Q1), checked in order."""

    start: str = Field(default="1993", description="First year or quarter, e.g. 2003 or 2003Q1.")
    end: str = Field(default="2100", description="Last year or quarter, e.g. 2004Q4.")

    @field_validator("start", "end")
    @classmethod
    def _period(cls, value: str) -> str:
        _period_bounds(value)
        return value.upper().replace("-", "").replace("_", "").replace(" ", "")

    @model_validator(mode="after")
    def _ordered(self) -> _PeriodParams:
        if self.start_date > self.end_date:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self

    @property
    def start_date(self) -> dt.date:
        return _period_bounds(self.start)[0]

    @property
    def end_date(self) -> dt.date:
        return _period_bounds(self.end)[1]


def _listed(
    value: Any,
    what: str,
    example: str,
    noun: str,
    known: Collection[str],
    case: Callable[[str], str],
) -> list[str]:
    """A comma-separated string or a list of names, each stripped and put in ``case``; an
    error naming the first one not in ``known``."""
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        raise ValueError(f"{what} is a list such as {example}")
    out = [case(str(v).strip()) for v in value]
    unknown = [v for v in out if v not in known]
    if unknown:
        raise ValueError(f"unknown {noun} {unknown[0]!r}; known: {', '.join(known)}")
    return out


class MarketTimelinessParams(_PeriodParams):
    """``market_timeliness``: every company's reports due in a year or quarter range."""

    report_name: ClassVar[str] = "market_timeliness"

    start: str = Field(
        default="1993", description="First year or quarter due, e.g. 2003 or 2003Q1."
    )
    end: str = Field(default="2100", description="Last year or quarter due, e.g. 2004Q4.")
    form_types: list[str] = Field(
        default_factory=lambda: ["10-K", "10-Q"], description="Report types, e.g. 10-K,10-Q."
    )

    @field_validator("form_types", mode="before")
    @classmethod
    def _forms(cls, value: Any) -> Any:
        return _listed(value, "form_types", "10-K,10-Q", "report type", REPORT_FORMS, str.upper)

    def slug(self) -> str:
        return _slugify(f"{self.start}-{self.end}-{'-'.join(self.form_types)}")


class MarketDilutionParams(_PeriodParams):
    """``market_dilution``: every company's registrations filed in a year or quarter range."""

    report_name: ClassVar[str] = "market_dilution"

    start: str = Field(
        default="1993", description="First year or quarter filed, e.g. 2023 or 2023Q1."
    )
    end: str = Field(default="2100", description="Last year or quarter filed, e.g. 2023Q4.")
    kinds: list[str] = Field(
        default_factory=list,
        description="Offering kinds, e.g. employee_plan,shelf (empty: every kind).",
    )

    @field_validator("kinds", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        return _listed(value, "kinds", "employee_plan,shelf", "kind", OFFERING_KINDS, str.lower)

    def slug(self) -> str:
        return _slugify(f"{self.start}-{self.end}-{'-'.join(self.kinds) or 'all'}")


#: report name → its parameters model (the public list of reports)
REPORTS: dict[str, type[ReportParams]] = {
    m.report_name: m
    for m in (
        CompanyDilutionParams, CompanyTimelinessParams, MarketTimelinessParams,
        MarketDilutionParams,
    )
}  # fmt: skip


#: parameters the runner reads before a kernel starts; templates never see them
RUNNER_ONLY = frozenset({"all_companies"})

#: parameters every report takes, set by the CLI (``--data``) rather than by ``-p``
COMMON_PARAMS = tuple(ReportParams.model_fields)


def _type_name(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    return text or str(annotation).replace("typing.", "")


def report_parameters(name: str) -> list[tuple[str, str, str, str]]:
    """``(parameter, type, default, description)`` of report ``name``'s own parameters."""
    model = REPORTS[name]
    rows = []
    for key, info in model.model_fields.items():
        if key in COMMON_PARAMS:
            continue
        default = (
            "required" if info.is_required() else repr(info.get_default(call_default_factory=True))
        )
        rows.append((key, _type_name(info.annotation), default, info.description or ""))
    return rows


def report_listing() -> str:
    """Every report with its parameters and their types: what ``workbench report --list``
    prints, so nobody has to open a template to learn what it takes."""
    lines = []
    for name in sorted(REPORTS):
        doc = (REPORTS[name].__doc__ or "").split(":", 1)[-1].strip()
        lines.append(f"{name}: {doc}")
        for key, kind, default, description in report_parameters(name):
            lines.append(f"    -p {key} VALUE  ({kind}, default {default}) {description}")
    lines.append(
        "Every report also takes --data DIR (a directory of tables; default: the bundled sample)."
    )
    return "\n".join(lines)


def parse_params(name: str, values: dict[str, Any]) -> ReportParams:
    """The validated parameters of report ``name`` (``KeyError`` for an unknown report,
    ``ValueError`` — pydantic's ``ValidationError`` is one — for bad or unknown values)."""
    if name not in REPORTS:
        raise KeyError(f"unknown report {name!r}; reports: {', '.join(sorted(REPORTS))}")
    unknown = sorted(set(values) - set(REPORTS[name].model_fields))
    if unknown:
        takes = ", ".join(key for key, *_ in report_parameters(name))
        raise ValueError(f"{name} takes {takes}; got {', '.join(unknown)}")
    return REPORTS[name].model_validate(values)
