"""Form 12b-25 in layouts filing agents use (written here after real notices, with real
narratives): boxes typed ``[_]``/``|_|``/``|X|``, ``Name:``/``Title:`` under ``/s/``, the
registrant's name above the signature, typed rules and the form's own furniture, a wrapped
line starting "Part III ...". Expected values are read off the files by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.forms.nt import LateNotice, extract_notice
from workbench.text.checkboxes import MARK
from workbench.text.html_to_text import OffsetMap, html_to_text


def _text_notice(text: str, form: str = "NT 10-K") -> LateNotice:
    n = extract_notice(text, OffsetMap((0,), (0,), (len(text),), (True,)), form)
    assert n is not None
    return n


@pytest.fixture
def bracket_text(fixtures) -> str:
    return (fixtures / "synthetic-layout-nt10k-2025-text-bracket-boxes.txt").read_text()


@pytest.fixture
def pipe_html(fixtures) -> str:
    return (fixtures / "synthetic-layout-nt10q-2026-html-pipe-boxes.htm").read_text()


@pytest.mark.parametrize(
    ("typed", "checked"),
    [("[_]", False), ("|_|", False), ("(_)", False), ("[ _ ]", False), ("|X|", True),
     ("[X]", True), ("|x|", True)],
)  # fmt: skip
def test_boxes_typed_with_bars_brackets_and_underscores(typed, checked):
    m = MARK.search(f"  {typed} Yes")
    assert m is not None and m.group(0) == typed
    assert (m.group("checked") is not None) is checked


def test_text_notice_with_bracket_boxes(bracket_text):
    n = _text_notice(bracket_text)
    assert n.period_ended == dt.date(2024, 12, 31) and n.relief_checked is True
    assert n.other_reports_filed is True and n.significant_change is False
    assert n.change_explanation is None  # the registrant's name under "No" is not one
    assert (n.contact_name, n.contact_phone) == ("Michael Testa", "(480) 374-5350")
    assert (n.signer_name, n.signer_title) == ("Kyle Brown", "Chief Executive Officer")
    assert n.signed_date == dt.date(2025, 5, 1)
    assert n.narrative is not None
    assert n.narrative.startswith('Trinity Capital Inc. (the "Company") is filing')
    # not cut at the wrapped line that starts "Part III information"; no rules, no furniture
    assert n.narrative.endswith(
        "The Company will file a Form 10-K/A with the Part III information as soon as "
        "reasonably possible and within the 15-day grace period provided by Rule 12b-25."
    )
    for furniture in ("---", "State below", "SEC 1344", "OMB control number"):
        assert furniture not in n.narrative


def test_html_notice_with_pipe_boxes_and_a_table_of_amounts(pipe_html):
    text, offsets = html_to_text(pipe_html)
    n = extract_notice(text, offsets, "NT 10-Q", pipe_html)
    assert n is not None
    assert n.period_ended == dt.date(2025, 12, 31) and n.relief_checked is True
    assert n.is_transition_report is False
    assert n.narrative == (
        "The Registrant is unable to file, without unreasonable effort and expense, its "
        "Quarterly Report on Form 10-Q for the period ended December 31, 2025 because the "
        "Registrant needs additional time to complete its review of the accounting for an "
        "acquisition completed during the quarter. The Registrant expects to file the Form "
        "10-Q no later than February 17, 2026."
    )
    assert n.expected_filing_date == dt.date(2026, 2, 17)
    assert n.other_reports_filed is True and n.significant_change is True
    assert n.change_explanation is not None and "GEOSPACE" not in n.change_explanation
    assert [(a.label, a.amount, a.period) for a in n.change_amounts] == [
        ("revenue", 31_412_000.0, "Three Months Ended December 31, 2025"),
        ("revenue", 37_902_000.0, "Three Months Ended December 31, 2024"),
        ("net loss", -6_230_000.0, "Three Months Ended December 31, 2025"),
        ("net loss", -2_105_000.0, "Three Months Ended December 31, 2024"),
    ]
    assert (n.signer_name, n.signer_title) == (
        "Robert L. Curda", "Vice President and Chief Financial Officer",
    )  # fmt: skip
    assert n.signed_date == dt.date(2026, 2, 9)
    assert pipe_html[n.spans["signer_title"].start : n.spans["signer_title"].end] == (
        "Vice President and Chief Financial Officer"
    )


def test_registrant_name_above_has_caused_is_not_explanation(bracket_text):
    text = (
        bracket_text.replace("[_] Yes   [X] No", "[X] Yes   [_] No")
        .replace(
            "     estimate of the results cannot be made.\n",
            "     estimate of the results cannot be made.\n\n     Revenue is expected to fall "
            "by about $2.1 million for fiscal 2024.\n",
        )
        .replace("                 (Exact name of registrant as specified in its charter)\n", "")
    )
    n = _text_notice(text)
    assert n.significant_change is True
    assert n.change_explanation == (
        "Revenue is expected to fall by about $2.1 million for fiscal 2024."
    )


def test_a_lowercase_last_line_above_has_caused_stays_in_the_explanation(bracket_text):
    text = (
        bracket_text.replace("[_] Yes   [X] No", "[X] Yes   [_] No")
        .replace(
            "     estimate of the results cannot be made.\n",
            "     estimate of the results cannot be made.\n\n     Revenue is expected to fall, as\n"
            "     expected by management of the Company\n",
        )
        .replace("                              TRINITY CAPITAL INC.\n", "")
        .replace("                 (Exact name of registrant as specified in its charter)\n", "")
        .replace("-" * 80 + "\n\n\nhas caused", "has caused")  # the line right above
    )
    assert "of the Company\n\nhas caused" in text
    n = _text_notice(text)
    assert n.change_explanation == (
        "Revenue is expected to fall, as expected by management of the Company"
    )
