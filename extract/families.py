"""Document families: which kind of performance-evaluation document a text is, and why.

The family comes from what a document holds, read anywhere in its text (text layers are
often out of reading order, titles are missing or in the middle):

- an indicator table whose header names levels, points and scores is a **form**
  (自评表); with 权重 and 评分 columns and a 综合评分 it is a **third-party report**;
- budget figures written in sentences, with no indicator table, are a **narrative
  self-evaluation report** (自评报告);
- a title (自评表 / 自评报告 / 评价报告), wherever printed, decides only when the
  structure does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.extract.normalize import compact
from jixiao.extract.vocabulary import LEVEL_NAMES, POINTS_WORDS, SCORE_WORDS

SELF_EVALUATION_FORM = "self_evaluation_form"
SELF_EVALUATION_REPORT = "self_evaluation_report"
EVALUATION_REPORT = "evaluation_report"
UNKNOWN = "unknown"

# Title keywords: the earliest one printed names the family when structure does not.
_TITLE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("绩效自评表", SELF_EVALUATION_FORM),
    ("自评表", SELF_EVALUATION_FORM),
    ("绩效自评报告", SELF_EVALUATION_REPORT),
    ("自评报告", SELF_EVALUATION_REPORT),
    ("绩效评价报告", EVALUATION_REPORT),
)
_COMPOSITE = ("综合评分", "综合得分", "评价得分为", "评价总得分")
_BUDGET_SENTENCE = re.compile(
    r"(?:年初预算|全年预算|调整后预算|预算总额|预算数|支出|执行数|决算)[^。；]{0,40}?"
    r"\d[\d,.]*万元"
)
_SENTENCE = re.compile(r"[^。\n]{12,}。")
PROSE_SENTENCES = 12  # sentences a narrative report holds at least


@dataclass
class Classification:
    """A family and the evidence that decided it."""

    family: str
    evidence: list[str] = field(default_factory=list)


def _indicator_header(flat: str) -> bool:
    has_level = any(word in flat for word in LEVEL_NAMES)
    has_points = any(word in flat for word in POINTS_WORDS)
    has_score = any(word in flat for word in SCORE_WORDS)
    return has_level and has_points and has_score


def classify_document(text: str) -> Classification:
    """Given a document's whole text (any order), return its family and the evidence."""
    flat = compact(text)
    evidence: list[str] = []
    table = _indicator_header(flat)
    if table:
        evidence.append("an indicator table header names levels, points and scores")
    report_table = table and "权重" in flat and "评分" in flat
    composite = next((word for word in _COMPOSITE if word in flat), None)
    sentences = len(_SENTENCE.findall(text))
    budget_prose = _BUDGET_SENTENCE.search(flat)
    titles = sorted((flat.find(word), family) for word, family in _TITLE_KEYWORDS if word in flat)
    title = titles[0][1] if titles and "绩效" in flat else None
    if title is not None:
        evidence.append(f"title word for {title}")
    if report_table and composite:
        evidence.append(f"权重/评分 columns and {composite}")
        return Classification(EVALUATION_REPORT, evidence)
    if table and title != SELF_EVALUATION_REPORT:
        return Classification(SELF_EVALUATION_FORM, evidence)
    if budget_prose and sentences >= PROSE_SENTENCES and title != SELF_EVALUATION_FORM:
        evidence.append(f"budget figures in prose ({budget_prose.group()[:30]}…)")
        if title == EVALUATION_REPORT:
            return Classification(EVALUATION_REPORT, evidence)
        return Classification(SELF_EVALUATION_REPORT, evidence)
    if title is not None:
        return Classification(title, evidence)
    if table:
        return Classification(SELF_EVALUATION_FORM, evidence)
    return Classification(UNKNOWN, evidence)


def classify(text: str) -> str:
    """Given a document's text, return its family (see ``classify_document``)."""
    return classify_document(text).family
