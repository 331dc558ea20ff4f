"""Why a report was late: a rule-based taxonomy over the Part III narrative.

Each label is a set of regular expressions over the narrative; a notice gets every label
whose rules match, and ``other`` when none does. No network, no model: the rules are the
documentation (``REASON_RULES``). ``docs/reason_taxonomy.md`` gives each label's meaning,
its share of the 912 real 2025–2026 narratives and a hand-checked sample precision
(``benchmarks/reasons.py`` regenerates the counts and the sample).

The rules only see Part III itself: ``narrative_body`` drops the Part II representations and
the "State below in reasonable detail ..." instruction that text extracted from filings often
carries, because that boilerplate names forms and audits in every notice.
"""

from __future__ import annotations

import html
import re

_I = re.IGNORECASE

#: label → patterns; order is the order labels are reported in.
REASON_RULES: dict[str, tuple[str, ...]] = {
    "audit_incomplete": (
        r"\b(?:complete|completing|completion\s+of|finali[sz]e|finali[sz]ing)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?(?:annual\s+|year[- ]end\s+)?audit\b",
        r"\baudit(?:s|ors?)?\b(?!\s+committee)[^.]{0,80}\b(?:not\s+(?:yet\s+)?(?:been\s+)?(?:complete|finali[sz]ed)|ongoing|in\s+progress|additional\s+time)",
        r"\b(?:independent\s+)?(?:registered\s+)?(?:public\s+)?accounting\s+firm\b[^.]{0,80}\b(?:additional\s+time|complete|finali[sz]e)",
        r"\bauditors?['’]?\s+(?:report|opinion|consent)\b",
        r"\bpreparation\s+and\s+audit\b",
        r"\b(?:auditors?|accounting\s+firm)\b[^.]{0,60}\b(?:in\s+the\s+process\s+of|needs?|requires?|has\s+not)\b",
        r"\b(?:additional\s+time|more\s+time|delay)\b[^.]{0,40}\baudit\b(?!\s+committee)",
    ),
    "financial_close_incomplete": (
        r"\b(?:complete|completing|completion\s+of|finali[sz]e|finali[sz]ing|prepare|preparing|preparation\s+of|compile|compiling)\s+(?:[\w’'-]+\s+){0,7}?(?:financial\s+statements|financial\s+information|closing\s+procedures|financial\s+close|disclosures|(?:quarterly|annual)\s+report|Form\s+10-[KQ])",
        r"\b(?:year[- ]end|quarter[- ]end|period[- ]end)\s+(?:financial\s+)?clos(?:e|ing)\b",
        r"\bcompilation,?\s+(?:dissemination\s+)?and\s+review\b",
        r"\b(?:compil|assembl|gather|collect)\w*\s+(?:and\s+(?:verify|verifying|analy[sz]e|analy[sz]ing|review|reviewing)\s+)?(?:of\s+)?(?:the\s+|certain\s+)?(?:required\s+|necessary\s+|requisite\s+)?(?:financial\s+)?(?:information|data|documentation)\b",
        r"\bdelays?\s+in\s+completing\s+the\s+(?:required\s+)?review\b",
        r"\b(?:complete|completing|finali[sz]e|finali[sz]ing)\s+(?:certain\s+)?(?:procedures|documentation|analyses|processes)\b",
        r"\b(?:data|information)\s+(?:was|were|is|are)\s+not\s+(?:yet\s+)?available\b",
        r"\bfinancial\s+(?:statements|results|information)\b[^.]{0,40}\bcould\s+not\s+be\s+completed\b",
        r"\bunable\s+to\s+(?:complete|finali[sz]e)\s+(?:its\s+|the\s+|our\s+)?(?:financial|quarterly|annual)\b",
    ),
    "auditor_change": (
        r"\b(?:new|newly\s+engaged|successor|recently\s+engaged)\s+(?:independent\s+)?(?:registered\s+)?(?:public\s+)?(?:accounting\s+firm|auditors?)\b",
        r"\b(?:dismiss(?:ed|al)|resign(?:ed|ation)|chang(?:e|ed|ing))\b[^.]{0,60}\b(?:auditors?|accounting\s+firm)\b",
        r"\b(?:auditors?|accounting\s+firm)\b[^.]{0,60}\b(?:resign(?:ed|ation)|dismiss(?:ed|al)|ceased)\b",
        r"\bfirst[- ]year\s+audit\b",
    ),
    "restatement": (
        r"\brestat(?:e|ed|ement|ements|ing)\b",
        r"\bnon-?reliance\b",
        r"\bItem\s+4\.02\b",
    ),
    "accounting_complexity": (
        r"\bimpairment\b",
        r"\brevenue\s+recognition\b",
        r"\b(?:income\s+)?tax\s+(?:provision|accounting|position|matters)\b",
        r"\bgoodwill\b",
        r"\bvaluation\b",
        r"\bcomplex(?:ity)?\b[^.]{0,40}\baccounting\b|\baccounting\b[^.]{0,40}\bcomplex(?:ity)?\b",
        r"\bASC\s+\d{3}\b",
        r"\breclassification\b",
        r"\b(?:derivative|warrant)s?\s+(?:liabilit|accounting|instrument)",
        r"\bpurchase\s+price\s+allocation\b",
        r"\b(?:accounting|technical)\s+(?:issues?|matters?|questions?|treatment)\b",
    ),
    "investigation": (
        r"\binvestigat(?:e|es|ed|ing|ion|ions)\b(?![^.]{0,80}\bcyber)",
        r"\bsubpoena",
        r"\bspecial\s+committee\b",
        r"\bwhistle-?blower\b",
    ),
    "internal_control": (
        r"\bmaterial\s+weakness(?:es)?\b",
        r"\binternal\s+controls?\s+over\s+financial\s+reporting\b",
        r"\bICFR\b",
        r"\bSection\s+404\b",
    ),
    "transaction": (
        r"\b(?:acquisitions?|merger|business\s+combination|divestiture|disposition|spin-?off|reverse\s+merger)\b(?!\s+(?:Corp|Company|Co\b|Inc|Ltd|Holdings|Sub\b))",
        r"\bacquired\s+(?:by\s+the\s+Company\s+)?(?:on|in|during)\s+(?:\w+\s+\d{1,2},\s+)?20\d\d\b",
        r"\b(?:financing|refinancing|recapitali[sz]ation)\s+(?:transaction|arrangement)s?\b",
        r"\bseries\s+of\s+transactions\b",
        r"\b(?:stock|securities|share|asset|equity|merger)\s+purchase\s+agreement\b|\bprivate\s+placement\b",
        r"\bsale\s+of\s+(?:the\s+|its\s+|substantially\s+)?(?:assets|business|subsidiary|division)\b",
    ),
    "subsidiary_or_foreign_operations": (
        r"\bsubsidiar(?:y|ies)\b",
        r"\b(?:foreign|international|overseas|offshore)\s+(?:operations|subsidiar|entit|affiliat)",
        r"\b(?:operations|subsidiar(?:y|ies)|affiliates?|offices?|entities|business(?:es)?|facilities|auditors?)\s+(?:located\s+|based\s+)?in\s+(?:the\s+)?(?:China|PRC|People's\s+Republic|Hong\s+Kong|Japan|Taiwan|Singapore|Malaysia|India|Israel|Mexico|Brazil|Canada|Germany|United\s+Kingdom|Europe|Asia|Latin\s+America)\b",
        r"\b(?:Chinese|PRC|Hong\s+Kong|Japanese|Malaysian|Indian|Israeli|Mexican|Brazilian|Canadian|German|European)\s+(?:operations|subsidiar|entit|affiliat|auditor)",
        r"\bvariable\s+interest\s+entit",
    ),
    "management_or_staff_change": (
        r"\b(?:chief\s+financial\s+officer|CFO|chief\s+executive\s+officer|CEO|controller|chief\s+accounting\s+officer)\b[^.]{0,80}\b(?:resign|depart|left|leave|terminat|vacan|transition|new|appointed|hired|replace|death|passed)",
        r"\b(?:resign|depart|terminat|loss|turnover|death)\w*\s+(?:of\s+)?(?:our\s+|its\s+|the\s+|key\s+)*(?:chief\s+financial\s+officer|CFO|controller|accounting\s+(?:staff|personnel)|personnel|employees)\b",
        r"\b(?:limited|insufficient|reduced|lack\s+of)\s+(?:accounting\s+|finance\s+|internal\s+)?(?:staff|personnel|resources)\b",
        r"\bsenior\s+management\b[^.]{0,60}\b(?:focus|attention|time)\b",
    ),
    "going_concern_or_liquidity": (
        r"\bgoing\s+concern\b",
        r"\bliquidity\b",
        r"\b(?:insufficient|lack\s+of|limited)\s+(?:funds|cash|capital|financial\s+resources)\b",
        r"\b(?:bankruptcy|Chapter\s+(?:7|11)|receivership|insolven)",
        r"\bunable\s+to\s+pay\b",
        r"\b(?:forbearance|covenant\s+(?:breach|violation|waiver)|default\s+under)\b",
    ),
    "systems_or_cyber": (
        r"\bcyber",
        r"\bransomware\b",
        r"\bsecurity\s+incident\b",
        r"\b(?:ERP|IT|information\s+technology|accounting|enterprise\s+resource\s+planning)\s+system",
        r"\bsystem(?:s)?\s+(?:implementation|conversion|migration|upgrade|outage)\b",
    ),
    "disaster_or_pandemic": (
        r"\bCOVID|\bcoronavirus\b|\bpandemic\b",
        r"\b(?:hurricane|earthquake|wildfire|flood(?:ing)?|tornado|typhoon|natural\s+disaster)\b",
    ),
}
REASON_LABELS: tuple[str, ...] = (*REASON_RULES, "other")
#: One alternation per label: a single pass per label, and the leftmost hit is the evidence.
_COMPILED = {
    label: re.compile("|".join(f"(?:{p})" for p in pats), _I)
    for label, pats in REASON_RULES.items()
}

_PART3_HEAD = re.compile(r"PART\s+III\b\s*(?:[-—–:]+\s*)?(?:NARRATIVE)?", _I)
_PART4_HEAD = re.compile(r"\bPART\s+IV\b\s*(?:[-—–:]+\s*)?OTHER\s+INFORMATION", _I)
_INSTRUCTION = re.compile(
    r"^\s*State\s+below\s+in\s+reasonable\s+detail.{0,300}?(?:prescribed\s+)?(?:time\s+)?period\.?"
    r"(?:\s*\(Attach\s+extra\s+sheets\s+if\s+needed\.?\)\.?)?",
    _I | re.DOTALL,
)

#: Safe-harbour sentences list every risk there is; they are not the reason for the delay.
_FORWARD_LOOKING = re.compile(r"\bforward[- ]looking\b", _I)


def _drop_sentences(text: str, marker: re.Pattern[str]) -> str:
    """``text`` without the sentences in which ``marker`` occurs."""
    hit = marker.search(text)
    while hit:
        start = text.rfind(".", 0, hit.start()) + 1
        end = text.find(".", hit.end())
        end = len(text) if end < 0 else end + 1
        text = text[:start] + " " + text[end:]
        hit = marker.search(text, start)
    return text


def narrative_body(text: str) -> str:
    """Part III's own words: entities decoded, Part II / IV and the instruction removed."""
    body = html.unescape(text)
    heads = list(_PART3_HEAD.finditer(body))
    if heads:
        body = body[heads[-1].end() :]
    tail = _PART4_HEAD.search(body)
    if tail:
        body = body[: tail.start()]
    instr = _INSTRUCTION.match(body)
    if instr:
        body = body[instr.end() :]
    body = _drop_sentences(body, _FORWARD_LOOKING)
    return re.sub(r"\s+", " ", body).strip()


def reason_matches(narrative: str | None) -> dict[str, tuple[int, int]]:
    """Label → the first matching span in ``narrative_body(narrative)``: the evidence."""
    if not narrative:
        return {}
    body = narrative_body(narrative)
    out: dict[str, tuple[int, int]] = {}
    for label, rule in _COMPILED.items():
        hit = rule.search(body)
        if hit:
            out[label] = (hit.start(), hit.end())
    return out


def reason_labels(narrative: str | None) -> tuple[str, ...]:
    """Every label whose rules match the narrative (``('other',)`` when none does)."""
    if not narrative:
        return ()
    return tuple(reason_matches(narrative)) or ("other",)
