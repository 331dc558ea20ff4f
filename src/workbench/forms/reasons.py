"""Why a report was late: a rule-based taxonomy over the Part III narrative.

Each label is a set of regular expressions over the narrative; a notice gets every label
whose rules match, and ``other`` when none does. No network, no model: the rules are the
documentation (``REASON_RULES``). ``docs/reason_taxonomy.md`` gives each label's meaning,
its share of the 912 real 2025–2026 narratives, and the precision and recall a person measured
on 200 whole notices read before the rules saw them (``benchmarks/reasons.py`` regenerates
the counts and scores today's rules on those judgments).

The rules only see Part III itself: ``narrative_body`` drops the Part II representations and
the "State below in reasonable detail ..." instruction and the form's furniture that text
extracted from filings often carries, because that boilerplate names forms, audits and "the
collection of information" in every notice.
"""

from __future__ import annotations

import html
import re

_I = re.IGNORECASE

#: label → patterns; order is the order labels are reported in.
_AUDITOR = r"(?:independent\s+)?(?:registered\s+)?(?:public\s+)?(?:accountants?|auditors?|accounting\s+firm|audit\s+firm)"
_CFO = (
    r"(?:chief\s+financial\s+officer|CFO|chief\s+executive\s+officer|CEO|controller"
    r"|chief\s+accounting\s+officer|principal\s+(?:financial|accounting)\s+officer)"
)
#: The company's own work on the report: what "complete", "finalize", "prepare" ... act on.
_OWN_WORK = (
    r"(?:financial\s+(?:statements|information|results|reporting|close|data)"
    r"|financial\s+and\s+other\s+information"
    r"|(?:quarterly|annual|subject)\s+report|closing\s+procedures|close\s+process"
    r"|(?:first|second|third|fourth|fiscal)[- ](?:fiscal\s+)?(?:quarter|year)[- ](?:end\s+)?results"
    r"|(?:quarterly|annual|operating|year[- ]end)\s+results|disclosures?|(?:Form\s+|\d{4}\s+)10-[KQ])"
)

#: label → patterns; order is the order labels are reported in.
REASON_RULES: dict[str, tuple[str, ...]] = {
    "audit_incomplete": (
        r"\b(?:complete|completing|completion\s+of|finali[sz]e|finali[sz]ing)\s+(?:of\s+)?(?:[\w’'-]+\s+){0,5}?(?:the\s+|its\s+|their\s+)?(?:annual\s+|year[- ]end\s+)?audit\b(?!\s+committee)",
        r"\baudit(?:s|ors?)?\b(?!\s+committee)[^.]{0,80}\b(?:not\s+(?:yet\s+)?(?:been\s+)?(?:complete|finali[sz]ed)|ongoing|in\s+progress|additional\s+time|unable\s+to\s+complete)",
        r"\b(?:independent\s+)?(?:registered\s+)?(?:public\s+)?accounting\s+firm\b[^.]{0,80}\b(?:additional\s+time|complete|finali[sz]e)",
        r"\b(?:obtain|receiv|issu|complet|finali[sz]|deliver)\w*\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?auditors?['’]?\s+(?:report|opinion|consent)\b",
        r"\bauditors?['’]?\s+(?:report|opinion|consent)\b[^.]{0,60}\b(?:not\s+(?:yet\s+)?been|pending|to\s+be\s+issued)",
        r"\bpreparation\s+and\s+audit\b",
        r"\b(?:auditors?|accounting\s+firm)\b[^.]{0,60}\b(?:in\s+the\s+process\s+of|needs?|requires?|has\s+not)\b",
        r"\b(?:additional\s+time|more\s+time|delay)\b[^.]{0,40}\baudit\b(?!\s+committee)",
        r"\b(?:review(?:ed)?|audit(?:ed)?)\b[^.]{0,80}\bby\s+(?:the\s+)?(?:our\s+|its\s+|their\s+|(?:Company|Registrant)(?:[’']s|\s+s)\s+)?"
        + _AUDITOR
        + r"\b",
        r"\baudit\s+procedures\b",
        r"\brelated\s+audit\b",
        r"\b(?:delays?|timeliness|responsiveness)\b[^.]{0,60}\b" + _AUDITOR + r"\b",
    ),
    "financial_close_incomplete": (
        r"\b(?:complete|completing|completion\s+of|finali[sz]e|finali[sz]ing|finali[sz]ation\s+of|prepare|preparing|preparation\s+of|compile|compiling)\s+(?:(?!audit\b)[\w’'-]+\s+){0,7}?"
        + _OWN_WORK,
        r"\b(?:review|preparation)\s+of\s+(?:its\s+|the\s+|our\s+)?(?:consolidated\s+)?financial\s+statements\s+(?:has|have)\s+not\s+(?:yet\s+)?been\s+(?:completed|finali[sz]ed)\b",
        r"\b(?:has|have|had)\s+not\s+(?:yet\s+)?(?:been\s+(?:able\s+to\s+)?)?(?:finali[sz]ed?|completed?|prepared?)\s+(?:[\w’'-]+\s+){0,4}?"
        + _OWN_WORK,
        r"\b(?:year[- ]end|quarter[- ]end|period[- ]end)\s+(?:financial\s+)?clos(?:e|ing)\b",
        r"\b(?:preparation|compilation|verification|finali[sz]ation|assembly|collection|gathering|processing)(?:\s*,?\s*(?:and\s+)?(?:related\s+)?(?:preparation|compilation|dissemination|verification|validation|review|finali[sz]ation|analysis|processing|audit))+\b",
        r"\b(?:preparation|compilation|verification|finali[sz]ation|review)\s+of\s+(?:the\s+|certain\s+)?(?:financial\s+)?information\s+required\b",
        r"\breview(?:ing)?\s+the\s+(?:financial\s+)?information\s+required\b",
        r"\b(?:compil|assembl|gather|collect|process)\w*\s+(?:and\s+(?:verify|verifying|analy[sz]e|analy[sz]ing|review|reviewing|process|processing|finali[sz]e|finali[sz]ing|compil\w*)\s+)?(?:of\s+)?(?:the\s+|certain\s+)?(?:required\s+|necessary\s+|requisite\s+)?(?:accounting\s+and\s+|supporting\s+)?(?:financial\s+)?(?:statement\s+)?(?:information|data|documentation)\b",
        r"\bdelays?\s+in\s+completing\s+the\s+(?:required\s+)?review\b",
        r"\b(?:complete|completing|completion\s+of|finali[sz]e|finali[sz]ing)\s+(?:certain\s+|the\s+)?(?:procedures|documentation|analyses|processes|required\s+information)\b(?!\s+of\s+(?:the\s+|its\s+)?audit)",
        r"\b(?:data|information)\s+(?:was|were|is|are)\s+not\s+(?:yet\s+)?available\b",
        r"\b(?:financial\s+(?:statements|results|information)|(?:quarterly|annual|subject)\s+report|Form\s+10-[KQ])\b[^.]{0,40}\bcould\s+not\s+be\s+(?:completed|finali[sz]ed|prepared)\b",
        r"\bunable\s+to\s+(?:timely\s+)?(?:complete|finali[sz]e|compile)\s+(?:its\s+|the\s+|our\s+)?(?:financial|quarterly|annual|subject)\b",
        r"\b(?:Company|Registrant|management)\s+to\s+(?:complete|finali[sz]e|prepare)\b",
    ),
    "auditor_change": (
        r"\b(?:new|newly\s+engaged|successor|recently\s+engaged|former|predecessor)\s+"
        + _AUDITOR
        + r"\b",
        r"\b(?:engag(?:ed|ement\s+of)|appoint(?:ed|ment\s+of)|retain(?:ed)?)\s+(?:a\s+new\s+|the\s+new\s+)?"
        + _AUDITOR
        + r"\b(?![^.]{0,30}\bsince\b)",
        r"\b(?:dismiss(?:ed|al)|resign(?:ed|ation)|chang(?:e|ed|ing))\b[^.]{0,60}\b(?:auditors?|(?:accounting|audit(?:ing)?)\s+firms?)\b",
        r"\b(?:auditors?|(?:accounting|audit(?:ing)?)\s+firms?)\b[^.]{0,60}\b(?:resign(?:ed|ation)|dismiss(?:ed|al)|ceased)\b",
        r"\b(?:engaged|appointed|retained)\s+(?:[\w&.,’'“”()-]+\s+){0,6}?as\s+(?:its|our|the\s+Company[’']?s?)\s+(?:new\s+)?"
        + _AUDITOR
        + r"\b",
        r"\bfirst[- ]year\s+audit\b",
    ),
    "restatement": (
        r"\brestat(?:e|ed|ement|ements|ing)\b",
        r"\bnon-?reliance\b",
        r"\bno\s+longer\s+be\s+relied\s+upon\b",
        r"\bItem\s+4\.02\b",
        r"\bcorrect(?:ion\s+of|ing|s)?\s+(?:the\s+|certain\s+|these\s+|such\s+)?(?:prior[- ]period\s+|accounting\s+|immaterial\s+)?errors?\b",
        r"\berrors?\s+in\s+(?:the\s+|its\s+|our\s+)?(?:previously|prior)\b",
    ),
    "accounting_complexity": (
        r"\bimpairment\b",
        r"\b(?:extinguishment\s+of\s+debt|discontinued\s+operations?|fair\s+value\s+(?:measurement|accounting)|stock-based\s+compensation|embedded\s+(?:conversion|derivative)|deferred\s+tax|technical\s+accounting)\b",
        r"\b(?:to|properly)\s+account\s+for\b",
        r"\brevenue\s+recognition\b|\brevenue[- ]related\s+disclosures\b|\brecogni(?:tion|zed)\s+of\s+revenue\b|\brecognition\s+of\s+revenue\b",
        r"\b(?:income\s+)?tax\s+(?:provisions?|accounting|positions?|matters|issues)\b",
        r"\baccounting\s+(?:and\s+reporting\s+)?for\s+(?!the\s+(?:quarter|year|period|fiscal)\b)[\w’'-]+(?:\s+[\w’'-]+){0,2}",
        r"\bgoodwill\b",
        r"\bvaluation\b",
        r"\bcomplex(?:ity|ities)?\b[^.]{0,40}\baccounting\b|\baccounting\b[^.]{0,40}\bcomplex(?:ity|ities)?\b",
        r"\bcomplexities\s+encountered\b",
        r"\bASC\s+\d{3}\b|\bAccounting\s+Standards\s+Codification\b",
        r"\breclassification\b",
        r"\b(?:derivative|warrant)s?\s+(?:liabilit|accounting|instrument)",
        r"\bpurchase\s+(?:price\s+allocation|accounting)\b",
        r"\baccounting\s+(?:issues?|matters?|questions?|treatment|analys[ie]s|polic(?:y|ies)|methodology)\b",
        r"\b(?:adopt|implement|apply)\w*\s+(?:[\w’'-]+\s+){0,3}?accounting\s+(?:principles?|standards?|guidance|pronouncements?)\b",
        r"\b(?:transition|conver(?:sion|t))\w*\b[^.]{0,60}\b(?:U\.?\s?S\.?\s+GAAP|IFRS)\b",
    ),
    "investigation": (
        r"\binvestigat(?:e|es|ed|ing|ion|ions)\b(?![^.]{0,80}\bcyber)",
        r"\bsubpoena",
        r"\bspecial\s+committee\b",
        r"\bwhistle-?blower\b",
        r"\bindictment\b|\bindicted\b",
        r"\b(?:enhanced|forensic|independent)\s+(?:review|inquiry|examination)\s+of\b",
        r"\blapses?\s+in\s+governance\b",
    ),
    "internal_control": (
        r"\bmaterial\s+weakness(?:es)?\b",
        r"\binternal\s+controls?\s+over\s+financial\s+reporting\b",
        r"\bICFR\b",
        r"\bSection\s+404\b",
    ),
    "transaction": (
        r"\b(?:acquisitions?|merger|business\s+combination|divestiture|disposition|spin-?off|reverse\s+merger|de-?SPAC)\b(?!\s+(?:Corp|Company|Co\b|Inc|Ltd|Holdings|Sub\b))",
        r"\bacquired\s+(?:by\s+the\s+Company\s+)?(?:on|in|during)\s+(?:\w+\s+\d{1,2},\s+)?20\d\d\b",
        r"\b(?:financing|refinancing|recapitali[sz]ation)\s+(?:transaction|arrangement)s?\b",
        r"\bseries\s+of\s+transactions\b",
        r"\b(?:material|significant|strategic|recent)\s+transactions?\b",
        r"\btransactions?\s+(?:occurring|that\s+occurred|completed|closed|consummated)\b",
        r"\bclosing\s+of\s+(?:the\s+|a\s+|its\s+)?(?:[\w’'-]+\s+){0,4}?transaction\b",
        r"\b(?:stock|securities|share|asset|equity|merger)\s+purchase\s+agreement\b|\bprivate\s+placement\b",
        r"\b(?:public|registered|underwritten)\s+offering\b",
        r"\bsale\s+of\s+(?:the\s+|its\s+|our\s+|substantially\s+all\s+of\s+)?(?:[\w’'-]+\s+){0,3}?(?:assets|business|subsidiary|division|segment)\b",
        r"\b(?:new|replacement)\s+(?:credit|loan|financing)\s+(?:facility|agreement)\b",
    ),
    "subsidiary_or_foreign_operations": (
        r"\bsubsidiar(?:y|ies)\b(?!\s*\(\s*(?:collectively|together)\b)",
        r"\b(?:foreign|international|overseas|offshore)\s+(?:operations|subsidiar|entit|affiliat)",
        r"\b(?:operations|subsidiar(?:y|ies)|affiliates?|offices?|entities|business(?:es)?|facilities|auditors?)\s+(?:located\s+|based\s+)?in\s+(?:the\s+)?(?:China|PRC|People's\s+Republic|Hong\s+Kong|Japan|Taiwan|Singapore|Malaysia|India|Israel|Mexico|Brazil|Canada|Germany|United\s+Kingdom|Europe|Asia|Latin\s+America)\b",
        r"\b(?:Chinese|PRC|Hong\s+Kong|Japanese|Malaysian|Indian|Israeli|Mexican|Brazilian|Canadian|German|European)\s+(?:operations|subsidiar|entit|affiliat|auditor)",
        r"\bvariable\s+interest\s+entit",
    ),
    "management_or_staff_change": (
        r"\b"
        + _CFO
        + r"\b[^.]{0,80}\b(?:resign|depart|left|leave|terminat|vacan|transition|new|appointed|hired|replace|death|passed)",
        r"\b(?:new|newly\s+appointed|newly\s+hired|interim|appointed\s+(?:a|an|the)\s+(?:new\s+)?|hired\s+(?:a|an|the)\s+(?:new\s+)?)\s*"
        + _CFO
        + r"\b",
        r"\b(?:resign|depart|terminat|loss|turnover|death|illness|absence)\w*\s+(?:of\s+)?(?:our\s+|its\s+|the\s+|a\s+|key\s+|senior\s+)*(?:chief\s+financial\s+officer|CFO|controller|accounting\s+(?:staff|personnel|employees?|team)|finance\s+(?:staff|personnel|team)|personnel|employees)\b",
        r"\bchanges?\s+in\s+(?:its\s+|our\s+|the\s+)?(?:internal\s+)?(?:accounting|finance|financial\s+reporting)\s+(?:personnel|staff|team)\b",
        r"\b(?:limited|insufficient|reduced|lack\s+of)\s+(?:(?:accounting|finance|internal|administrative)\s+(?:and\s+)?)*(?:staff|staffing|personnel|resources)\b",
        r"\bturnover\s+(?:in|of|within)\s+(?:the\s+|its\s+|our\s+)?(?:(?:Company|Registrant)(?:[’']s|\s+s)\s+)?(?:finance|accounting|financial\s+reporting|management|executive)",
        r"\bsenior\s+management\b[^.]{0,60}\b(?:focus|attention|time)\b",
        r"\b(?:officer|director|management|executive|staff|personnel|employee)s?\s+turnover\b",
    ),
    "going_concern_or_liquidity": (
        r"\bgoing\s+concern\b",
        r"\bliquidity\b",
        r"\b(?:insufficient|lack\s+of|limited)\s+(?:funds|cash|capital|financial\s+resources)\b",
        r"\b(?:bankruptcy|Chapter\s+(?:7|11)|receivership|insolven)",
        r"\bunable\s+to\s+pay\b",
        r"\b(?:forbearance|covenant\s+(?:breach|violation|waiver)|default\s+under)\b",
        r"\b(?:negotiat|waiver|amendment|default|breach)\w*\b[^.]{0,80}\b(?:debt\s+instruments?|credit\s+(?:agreement|support)|indenture|lenders?)\b",
        r"\brefinanc\w*\b[^.]{0,80}\bmaturit(?:y|ies)\b",
    ),
    "systems_or_cyber": (
        r"\bcyber",
        r"\bransomware\b",
        r"\bsecurity\s+incident\b",
        r"\b(?:ERP|IT|information\s+technology|accounting|enterprise\s+resource\s+planning|consolidation)\s+system",
        r"\bsystem(?:s)?\s+(?:implementation|conversion|migration|upgrade|outage)\b",
        r"\b(?:transition|migrat|conver)\w*\s+(?:[\w’'-]+\s+){0,4}?(?:information\s+)?systems\b",
    ),
    "filing_submission_problem": (
        r"\btechnical\s+(?:transmission\s+)?(?:error|difficult|issue|problem|glitch|delay)",
        r"\b(?:EDGAR|XBRL|iXBRL|filing\s+(?:agent|software|service)|financial\s+printer|transmission|submission|submitting)\b[^.]{0,60}\b(?:errors?|difficult(?:y|ies)|complications?|issues?|problems?|failures?|glitch|rejected|not\s+(?:received|accepted))\b",
        r"\b(?:errors?|difficult(?:y|ies)|complications?|issues?|problems?|failures?|delays?)\b[^.]{0,60}\b(?:EDGAR|XBRL|iXBRL|filing\s+agent|filing\s+software|filing\s+service|transmission|submission|submitting)\b",
        r"\bEdgar\s*Agents\b[^.]{0,60}\berrors?\b",
        r"\b(?:XBRL|iXBRL)\s+(?:tagging|exhibits?|conversion|format)\b",
        r"\bdelay\s+in\s+completing\s+the\s+filing\s+process\b",
        r"\bprinter\s+error\b",
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
    r"^.{0,40}?S\s?tate\s+below\s+in\s+reasonable\s+detail.{0,300}?(?:prescribed\s+)?(?:time\s+)?period\.?"
    r"|^.{0,200}?portion\s+thereof,?\s+could\s+not\s+be\s+filed\s+within\s+the\s+prescribed\s+time\s+period\.?",
    _I | re.DOTALL,
)
#: The form's own furniture that text extraction carries into Part III: it speaks of "the
#: collection of information" in every notice.
_FURNITURE = re.compile(
    r"\(\s*Attach\s+extra\s+sheets\s+if\s+needed\.?\s*\)\.?"
    r"|\bSEC\s+1344\s*\(\d\d-\d\d\)"
    r"|\bPersons\s+who\s+are\s+to\s+respond\s+to\s+the\s+collection\s+of\s+information.{0,200}?"
    r"OMB\s+control\s+number\.?",
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
    body = _FURNITURE.sub(" ", body)
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


def judge(
    gold: set[str], acceptable: set[str], got: set[str]
) -> tuple[set[str], set[str], set[str]]:
    """``(found, wrong, missed)``: the rules' labels ``got`` for one notice against a
    person's reading of it (``docs/reason_recall_sample.csv``). Labels in ``acceptable``
    count neither way; a notice read as ``other`` is not missed when the rules gave only
    acceptable labels."""
    if gold == {"other"} and got != gold and got <= acceptable | gold:
        acceptable = acceptable | gold
    return (gold & got) - acceptable, got - gold - acceptable, gold - got - acceptable
