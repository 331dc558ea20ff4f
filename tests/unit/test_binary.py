import base64

from workbench.sgml.binary import binary_encoding


def test_uuencoded_graphic():
    body = "begin 644 logo.gif\nM1TE&.#EA`0`!`(```/___P```\"'Y!`$`````+``````$``0``\n`\nend\n"
    assert binary_encoding(body, "logo.gif") == "uuencode"


def test_pdf_wrapper_uuencoded():
    assert binary_encoding("<PDF>\nbegin 644 doc.pdf\nM)5!$1BTQ+C0*\nend\n</PDF>") == "uuencode"


def test_base64_block():
    raw = bytes(range(256)) * 20
    encoded = base64.encodebytes(raw).decode()
    assert binary_encoding(encoded, "x.bin") == "base64"


def test_text_and_raw_binary():
    assert binary_encoding("ANNUAL REPORT PURSUANT TO SECTION 13\n" * 10) is None
    assert binary_encoding("PK\x03\x04\x00\x00\x14\x00" + "\x00\x01\x02" * 50) == "binary"
