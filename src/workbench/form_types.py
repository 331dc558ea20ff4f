"""One form-type taxonomy: which EDGAR forms are registrations, periodic reports and 12b-25
notices, the report each notice is late for, and what an amendment is.

Every parser, table and page that asks "what kind of form is this?" asks here, so an S-8 is
an employee-plan registration, a 10-KSB a 10-K and an NT-NCEN a notice for N-CEN in every
part of the workbench alike. Standard library only: every layer uses it.
"""

from __future__ import annotations

import re

# --- registrations ------------------------------------------------------------------------

#: employee-plan registrations (the plan-dilution forms)
S8_FORMS = ("S-8", "S-8/A", "S-8 POS")
#: Securities Act registration forms and prospectuses that carry (or carried) a fee table
#: (a pattern a dataframe's regex engine takes too; match it case-blind, on the stripped form)
REGISTRATION_PATTERN = (
    r"^(?:S-(?:1|2|3|4|8|11)|S-3ASR|S-8 POS|SB-2|F-(?:1|3|4|10)|F-3ASR|POS AM|POS ASR|424B\d|N-2)"
    r"(?:/A|MEF)?$"
)
_REGISTRATION = re.compile(REGISTRATION_PATTERN, re.IGNORECASE)


def is_registration_form(form_type: str | None) -> bool:
    """A Securities Act registration form (or prospectus) that may carry a fee table."""
    return bool(form_type and _REGISTRATION.match(form_type.strip()))


def is_s8(form_type: str | None) -> bool:
    """An employee-plan registration (S-8, its amendment, its post-effective amendment)."""
    return (form_type or "").strip().upper() in S8_FORMS


# --- periodic reports -------------------------------------------------------------------------

#: report type → EDGAR forms that file it (originals only; amendments are not the report)
REPORT_FORMS: dict[str, tuple[str, ...]] = {
    "10-K": ("10-K", "10-K405", "10-KSB", "10-KSB40"),
    "10-Q": ("10-Q", "10-QSB"),
    "10-KT": ("10-KT", "10-KT405", "10-KSBT"),
    "10-QT": ("10-QT", "10-QSBT"),
    "20-F": ("20-F",),
    "40-F": ("40-F",),
    "11-K": ("11-K",),
    "N-CSR": ("N-CSR", "N-CSRS"),
    "N-CEN": ("N-CEN",),
    "10-D": ("10-D",),
}
REPORT_TYPES = tuple(REPORT_FORMS)
FORM_TO_REPORT = {form: report for report, forms in REPORT_FORMS.items() for form in forms}
#: forms whose cover page states the shares outstanding of each class (amendments too)
SHARES_COVER_FORMS = frozenset(
    {"10-K", "10-K405", "10-KSB", "10-K/A", "10-KT", "10-Q", "10-QSB", "10-Q/A", "10-QT"}
)


def report_type_of(form_type: str | None) -> str | None:
    """``'10-K'`` for 10-K, 10-K405, 10-KSB ...; ``None`` for amendments and other forms."""
    return FORM_TO_REPORT.get((form_type or "").strip().upper())


# --- Form 12b-25 notices -----------------------------------------------------------------------

#: report boxes on Form 12b-25 → the EDGAR form type a checked box means
NT_BOXES = {
    "10-K": "NT 10-K", "10-KSB": "NT 10-K", "10-K405": "NT 10-K", "20-F": "NT 20-F",
    "11-K": "NT 11-K", "10-Q": "NT 10-Q", "10-QSB": "NT 10-Q", "10-D": "NT 10-D",
    "N-SAR": "NT NSAR", "N-CEN": "NT-NCEN", "N-CSR": "NT-NCSR",
}  # fmt: skip
_NT_FORM = re.compile(r"^(?P<form>NT[ -]?[A-Z0-9-]+?)(?P<amend>/A)?$", re.IGNORECASE)


def _squash(form: str) -> str:
    return re.sub(r"[\s-]", "", form).upper()


#: notice form (spaces and hyphens ignored: NT-NCEN = NT N-CEN) → the late report's name; the
#: first box label per form is the canonical one. NT 15D2 (a Rule 15d-2 special report) has
#: no box on the form.
_REPORT_OF_NOTICE = {_squash(form): label for label, form in reversed(NT_BOXES.items())} | {
    "NT15D2": "15D2"
}


def notice_report_type(form_type: str | None) -> tuple[str, bool] | None:
    """``('10-K', False)`` for ``NT 10-K``, ``('10-Q', True)`` for ``NT 10-Q/A``; ``None``
    for forms that are not 12b-25 notices (``13F-NT`` and ``24F-2NT`` merely contain "NT")."""
    if not form_type:
        return None
    m = _NT_FORM.match(form_type.strip())
    report = _REPORT_OF_NOTICE.get(_squash(m.group("form"))) if m else None
    if m is None or report is None:
        return None
    return report, m.group("amend") is not None


# --- amendments ----------------------------------------------------------------------------


def is_amendment(form_type: str | None) -> bool:
    """``10-K/A``, ``S-8/A``, ``NT 10-K/A``: an amendment of another filing."""
    return (form_type or "").strip().upper().endswith("/A")


def base_form(form_type: str | None) -> str | None:
    """The form an amendment amends (``10-K/A`` → ``10-K``); other forms as they are."""
    if form_type is None:
        return None
    form = form_type.strip().upper()
    return form[:-2] if form.endswith("/A") else form
