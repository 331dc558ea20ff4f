"""Why a report was late: a rule-based taxonomy over the Part III narrative.

Each label is a set of regular expressions over the narrative; a notice gets every label
whose rules match, and ``other`` when none does. No network, no model: the rules are the
documentation (``REASON_RULES``). Their precision on the 912 real 2025–2026 narratives has
not been checked by hand yet (issue 4).
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

#: label → patterns; order is the order labels are reported in.
REASON_RULES: dict[str, tuple[str, ...]] = {
    "audit_incomplete": (
        r"\b(?:complete|completing|completion\s+of|finali[sz]e|finali[sz]ing)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?(?:annual\s+|year[- ]end\s+)?(?:audit|review)\b",
        r"\baudit(?:s|ors?)?\b[^.]{0,80}\b(?:not\s+(?:yet\s+)?(?:been\s+)?(?:complete|finali[sz]ed)|ongoing|in\s+progress|additional\s+time)",
        r"\b(?:independent\s+)?(?:registered\s+)?(?:public\s+)?accounting\s+firm\b[^.]{0,80}\b(?:additional\s+time|complete|finali[sz]e)",
        r"\bauditors?['’]?\s+(?:report|opinion|consent)\b",
        r"\b(?:additional\s+time|more\s+time|delay)\b[^.]{0,40}\b(?:audit|review)\b",
    ),
    "financial_close_incomplete": (
        r"\b(?:complete|completing|completion\s+of|finali[sz]e|finali[sz]ing|prepare|preparing|preparation\s+of|compile|compiling)\s+(?:[\w’'-]+\s+){0,5}?(?:financial\s+statements|financial\s+information|closing\s+procedures|financial\s+close|disclosures|(?:quarterly|annual)\s+report|Form\s+10-[KQ])",
        r"\b(?:year[- ]end|quarter[- ]end|period[- ]end)\s+(?:financial\s+)?clos(?:e|ing)\b",
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
        r"\bcomplex(?:ity)?\b",
        r"\bASC\s+\d{3}\b",
        r"\b(?:derivative|warrant)s?\s+(?:liabilit|accounting|instrument)",
        r"\bpurchase\s+price\s+allocation\b",
        r"\b(?:accounting|technical)\s+(?:issues?|matters?|questions?|treatment)\b",
    ),
    "internal_control": (
        r"\bmaterial\s+weakness(?:es)?\b",
        r"\binternal\s+controls?\s+over\s+financial\s+reporting\b",
        r"\bICFR\b",
        r"\bSection\s+404\b",
    ),
    "transaction": (
        r"\b(?:acquisition|acquired|merger|business\s+combination|divestiture|disposition|spin-?off|reverse\s+merger)\b",
        r"\b(?:financing|refinancing|recapitali[sz]ation)\s+(?:transaction|arrangement)s?\b",
        r"\bseries\s+of\s+transactions\b",
        r"\bsale\s+of\s+(?:the\s+|its\s+|substantially\s+)?(?:assets|business|subsidiary|division)\b",
    ),
    "subsidiary_or_foreign_operations": (
        r"\bsubsidiar(?:y|ies)\b",
        r"\b(?:foreign|international|overseas|offshore)\s+(?:operations|subsidiar|entit|affiliat)",
        r"\b(?:China|PRC|Hong\s+Kong|Japan|Japanese|Taiwan|Singapore|Malaysia|India|Israel|Mexico|Brazil|Canada|Germany|United\s+Kingdom|Europe)\b",
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
_COMPILED = {label: [re.compile(p, _I) for p in pats] for label, pats in REASON_RULES.items()}


def reason_labels(narrative: str | None) -> tuple[str, ...]:
    """Every label whose rules match the narrative (``('other',)`` when none does)."""
    if not narrative:
        return ()
    labels = tuple(
        label for label, rules in _COMPILED.items() if any(r.search(narrative) for r in rules)
    )
    return labels or ("other",)
