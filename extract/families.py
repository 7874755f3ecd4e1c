"""Document families: which kind of performance-evaluation document a text is."""

from __future__ import annotations

from extract.normalize import compact

SELF_EVALUATION_FORM = "self_evaluation_form"
SELF_EVALUATION_REPORT = "self_evaluation_report"
EVALUATION_REPORT = "evaluation_report"
UNKNOWN = "unknown"

TITLE_WINDOW = 400  # characters (whitespace removed) where the title is looked for

# Title keywords, matched where they first occur: the earliest one names the family.
_TITLE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("绩效自评表", SELF_EVALUATION_FORM),
    ("自评表", SELF_EVALUATION_FORM),
    ("绩效自评报告", SELF_EVALUATION_REPORT),
    ("自评报告", SELF_EVALUATION_REPORT),
    ("绩效评价报告", EVALUATION_REPORT),
)


def classify(text: str) -> str:
    """Given a document's text (its first pages suffice), return its family.

    The title decides (自评表 → form, 自评报告 → self-evaluation report, 绩效评价报告 →
    evaluation report); without a title, a 一级指标 … 自评分 table under 单位名称 marks a
    form. Anything else is ``unknown``.
    """
    flat = compact(text)
    head = flat[:TITLE_WINDOW]
    hits = [(head.find(word), family) for word, family in _TITLE_KEYWORDS if word in head]
    if hits and "绩效" in head:
        return min(hits)[1]
    if "单位名称" in flat and "一级指标" in flat and ("自评分" in flat or "得分" in flat):
        return SELF_EVALUATION_FORM
    return UNKNOWN
