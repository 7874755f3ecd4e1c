"""OCR words corrected toward the domain's own terms, one doubtful character at a time.

A recogniser confuses characters that look alike (门/内, 帐/账) most where a scan is
blurred or a seal lies over the text; the confusion then breaks what the readers look
for by name (the title that gives the department and the year, a header word, a label).
The terms every submission prints are known (``extract/vocabulary.py``: header words,
labels, title and section phrases). Where an OCR word holds a term with exactly one
character different, and OCR was unsure of that character (confidence below
``MAX_DOUBT``), the character is replaced by the term's. Terms shorter than
``MIN_TERM`` characters are not used: in a short term one character decides the meaning
(部门预算 / 部门决算).
"""

from __future__ import annotations

from functools import cache

from jixiao.extract import vocabulary as v

MIN_TERM = 5
MAX_DOUBT = 0.9  # a character read with at least this confidence is never replaced


@cache
def terms() -> tuple[str, ...]:
    """Return the terms OCR is corrected toward, longest first."""
    words = {
        *v.LEVEL_NAMES,
        *v.POINTS_WORDS,
        *v.SCORE_WORDS,
        *v.REASON_WORDS,
        *v.TARGET_WORDS,
        *v.ACTUAL_WORDS,
        *v.EXPLANATION_WORDS,
        *v.DEPARTMENT_LABELS,
        *v.SUPERVISOR_LABELS,
        *v.TOTAL_LABELS,
        *v.DIMENSION_SYNONYMS,
        *v.DOCUMENT_PHRASES,
    }
    return tuple(sorted((w for w in words if len(w) >= MIN_TERM), key=len, reverse=True))


def correct(text: str, confidences: list[float]) -> tuple[str, list[float]]:
    """Given a word and each character's confidence, return it with every term that OCR
    read with one doubtful character wrong put right (those characters' confidence kept:
    the word stays as doubtful as it was read)."""
    if len(confidences) != len(text):
        return text, confidences
    chars = list(text)
    for term in terms():
        size = len(term)
        for start in range(len(chars) - size + 1):
            window = chars[start : start + size]
            pairs = zip(window, term, strict=True)
            wrong = [i for i, (got, want) in enumerate(pairs) if got != want]
            if len(wrong) == 1 and confidences[start + wrong[0]] < MAX_DOUBT:
                chars[start + wrong[0]] = term[wrong[0]]
    return "".join(chars), confidences
