import datetime as dt

from workbench.forms.filing import parse_filing
from workbench.sgml.header import parse_acceptance, parse_header


def test_key_value_header_with_entities():
    text = (
        "ACCESSION NUMBER:\t\t0000320193-94-000016\n"
        "CONFORMED SUBMISSION TYPE:\t10-K\n"
        "PUBLIC DOCUMENT COUNT:\t\t5\n"
        "CONFORMED PERIOD OF REPORT:\t19940930\n"
        "FILED AS OF DATE:\t\t19941213\n\n"
        "FILER:\n\n\tCOMPANY DATA:\t\n"
        "\t\tCOMPANY CONFORMED NAME:\t\t\tAPPLE COMPUTER INC\n"
        "\t\tCENTRAL INDEX KEY:\t\t\t0000320193\n"
        "\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tELECTRONIC COMPUTERS [3571]\n"
        "\t\tIRS NUMBER:\t\t\t\t942404110\n"
        "\tFILING VALUES:\n\t\tSEC FILE NUMBER:\t000-10030\n"
    )
    h = parse_header(text, 0, len(text))
    assert h.accession_number == "0000320193-94-000016"
    assert h.form_type == "10-K"
    assert h.public_document_count == 5
    assert h.period_of_report == dt.date(1994, 9, 30)
    assert h.filed_date == dt.date(1994, 12, 13)
    p = h.primary
    assert p is not None
    assert (p.cik, p.company_name, p.sic, p.irs_number, p.sec_file_number) == (
        320193, "APPLE COMPUTER INC", 3571, "942404110", "000-10030",
    )  # fmt: skip
    assert p.spans["cik"].slice(text) == "0000320193"


def test_acceptance_datetime_is_eastern():
    ts = parse_acceptance("20241227162940")
    assert ts is not None
    assert ts.utcoffset() == dt.timedelta(hours=-5)
    summer = parse_acceptance("20250701080000")
    assert summer is not None and summer.utcoffset() == dt.timedelta(hours=-4)
    assert parse_acceptance("2024122716") is None


def test_submission_layout(fixtures):
    f = parse_filing(fixtures / "synthetic-submission-layout-2001.txt")
    assert f.layout == "submission"
    assert f.accession_number == "0000950123-01-500123"
    assert f.form_type == "S-8"
    assert f.cik == 999001
    assert f.company_name == "SYNTHETIC WIDGETS CORP"
    assert f.filed_date == dt.date(2001, 6, 15)
    assert f.sic == 3674
    assert f.irs_number == "133456789"
    assert f.state_of_incorporation == "DE"
    assert f.sec_file_number == "333-63001"
    assert [d.doc_type for d in f.documents] == ["S-8", "EX-5"]
    assert f.issues == ()


def test_modern_form4_issuer_is_the_company(fixtures):
    f = parse_filing(fixtures / "synthetic-form4-2024-issuer-owner.txt")
    assert f.company_name == "Synthetic Biotech, Inc."
    assert f.cik == 1777001
    assert f.all_ciks == (1888001, 1777001)
    roles = {e.role: e.company_name for e in f.submission.header.entities}
    assert roles == {"reporting_owner": "DOE JANE Q", "issuer": "Synthetic Biotech, Inc."}
    assert f.acceptance_datetime == dt.datetime(
        2024, 3, 5, 18, 30, 12, tzinfo=f.acceptance_datetime.tzinfo
    )
    assert f.documents[0].text_format == "xml"
