import datetime as dt

import pytest

from workbench.forms.cover import infer_form_type
from workbench.forms.filing import parse_filing
from workbench.sample import sample_paths
from workbench.text.dates import parse_date_text


@pytest.mark.parametrize(
    ("cover", "expected"),
    [
        ("FORM 12b-25\n(Check One): _X_ Form 10-K __Form 20-F __Form 10-Q", "NT 10-K"),
        ("FORM 12b-25\n(Check one): [ ] Form 10-K [X] Form 10-Q", "NT 10-Q"),
        ("FORM 12b-25\n[  ] Form 10-K  [ X ] Form 20-F", "NT 20-F"),
        ("NOTIFICATION OF LATE FILING\n☐ Form 10-K ☐ Form 11-K ☒ Form 10-Q", "NT 10-Q"),
        ("FORM 12b-25\n¨ Form 10-K þ Form 11-K", "NT 11-K"),
        ("FORM 12b-25\nForm 10-K\t\nx\tForm N-CSR", "NT-NCSR"),
        ("FORM 12b-25\n/X/ Form N-SAR / / Form 10-K", "NT NSAR"),
        ("FORM 12b-25\nAMENDMENT NO. 1\n☒ Form 10-K", "NT 10-K/A"),
        ("FORM S-8\nREGISTRATION STATEMENT UNDER THE SECURITIES ACT OF 1933", "S-8"),
        ("POST-EFFECTIVE AMENDMENT NO. 1 TO\nFORM S-8\nREGISTRATION STATEMENT", "S-8 POS"),
        ("UNITED STATES\nFORM 10-Q\nQuarterly report", "10-Q"),
    ],
)
def test_form_inference(cover, expected):
    form, _, _, _ = infer_form_type(cover)
    assert form == expected


def test_unchecked_notice_is_not_guessed():
    form, _, _, warnings = infer_form_type("FORM 12b-25\n[ ] Form 10-K [ ] Form 10-Q")
    assert form is None
    assert warnings[0][0] == "form_type_unresolved"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("November 30, 2002", dt.date(2002, 11, 30)),
        ("Nov. 30, 2002", dt.date(2002, 11, 30)),
        ("11/30/2002", dt.date(2002, 11, 30)),
        ("March 31, 2026", dt.date(2026, 3, 31)),
        ("the 18th day of September, 2003", dt.date(2003, 9, 18)),
        ("2026-04-30", dt.date(2026, 4, 30)),
        ("Sept. 24, 2003", dt.date(2003, 9, 24)),
        ("February 30, 2003", None),
    ],
)
def test_dates(text, expected):
    assert parse_date_text(text) == expected


def test_seed_s8_cover_facts():
    s8 = next(p for p in sample_paths() if p.name.startswith("001_"))
    f = parse_filing(s8)
    assert f.layout == "bare"
    assert f.form_type == "S-8"
    assert f.form_type_source == "cover_text"
    assert f.company_name == "INNOVO GROUP INC."
    assert f.irs_number == "112928178"
    assert f.state_of_incorporation == "DE"
    assert f.filed_date == dt.date(2003, 9, 26)
    assert f.cik is None and f.accession_number is None
    # every stated fact points at its source characters
    assert f.source_text("irs_number") == "11-2928178"
    assert f.source_text("filed_date") == "September 26, 2003"
    assert f.source_text("company_name") == "INNOVO GROUP INC."


def test_seed_nt_cover_facts():
    nt = next(p for p in sample_paths() if p.name.startswith("004_"))
    f = parse_filing(nt)
    assert f.form_type == "NT 10-K"
    assert f.company_name == "Innovo Group Inc."
    assert f.sec_file_number == "0-18925"
    assert f.source_text("form_type") == "_X_ Form 10-K"
    assert f.filed_date is None  # the notice does not state when it was filed
