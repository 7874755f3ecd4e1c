"""A self-evaluation form read from its pages' words: labels, budget table, indicator table.

``pages (words, rules) → department and unit count (by label) → budget table → indicator
table → FormContent``, plus the evidence ``jixiao inspect`` shows. Works the same on a PDF
and on a layout-preserving text layer (``jixiao.extract.page_words``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.extract.budget_table import BudgetTable, read_budget_table
from jixiao.extract.forms import FormContent
from jixiao.extract.indicator_table import IndicatorTable, read_indicator_table
from jixiao.extract.metadata import canonical_department, unit_count_from_text
from jixiao.extract.normalize import compact
from jixiao.extract.page_words import PageLayout, Word, lines_of
from jixiao.extract.vocabulary import DEPARTMENT_LABELS, SUPERVISOR_LABELS

NEAR = 1.6  # line heights: a value may sit this far below or above its label
_ANNOTATION = re.compile(r"^\([^)]{1,6}\)")  # 单位名称(盖章): a note on the label, not its value


@dataclass
class FormEvidence:
    """What the layout reader recognised, for a person to check."""

    department_label: str | None = None
    budget: BudgetTable | None = None
    indicators: IndicatorTable | None = None
    notes: list[str] = field(default_factory=list)


def _value_beside(words: Sequence[Word], label: Word) -> Word | None:
    """Given a page's words and a label word, return the value to its right (same row)."""
    right = [
        w
        for w in words
        if w.page == label.page
        and w.x0 >= label.x1 - 1
        and abs(w.middle - label.middle) <= NEAR * label.height
        and w is not label
    ]
    if not right:
        return None
    return min(right, key=lambda w: (abs(w.middle - label.middle) > label.height / 2, w.x0))


def _labelled(layouts: Sequence[PageLayout], labels: Sequence[str]) -> tuple[str, str] | None:
    """Given pages and labels in order of preference, return ``(label, value)`` of the first."""
    keys = [compact(label) for label in labels]
    found: dict[int, tuple[str, str]] = {}
    for page in layouts:
        for word in page.words:
            flat = compact(word.text)
            for rank, key in enumerate(keys):
                if rank in found or not flat.startswith(key):
                    continue
                rest = _ANNOTATION.sub("", flat[len(key) :]).lstrip(":")
                if not rest:
                    beside = _value_beside(page.words, word)
                    rest = compact(beside.text) if beside is not None else ""
                if rest and not any(rest.startswith(k) for k in keys) and "单位数" not in rest:
                    found[rank] = (key, rest)
    return found[min(found)] if found else None


def _unit_count(layouts: Sequence[PageLayout]) -> int | None:
    for page in layouts:
        for word in page.words:
            if "单位数" not in compact(word.text):
                continue
            count = unit_count_from_text(word.text)
            if count is None:
                beside = _value_beside(page.words, word)
                count = unit_count_from_text(beside.text) if beside is not None else None
            if count is not None:
                return count
    return None


def read_form_layout(layouts: Sequence[PageLayout]) -> tuple[FormContent, FormEvidence]:
    """Given a form's pages, return what was read and the evidence for it."""
    content = FormContent()
    evidence = FormEvidence()
    department = _labelled(layouts, DEPARTMENT_LABELS) or _labelled(layouts, SUPERVISOR_LABELS)
    if department is not None:
        evidence.department_label, name = department
        content.department = canonical_department(name)
    content.unit_count = _unit_count(layouts)
    budget = read_budget_table(layouts)
    evidence.budget = budget
    if budget is not None:
        content.found_budget_table = True
        content.budget_lines = budget.lines
        content.execution_points = budget.execution_points
        content.execution_score = budget.execution_score
        content.amount_unit = budget.unit
        content.amount_units_seen = budget.units_seen
    table = read_indicator_table(layouts)
    evidence.indicators = table
    if table is not None:
        content.found_indicator_table = bool(table.headers)
        content.indicators = table.indicators
        content.total_score = table.total_score
        content.total_points = table.total_points
        content.total_page = table.total_page
        evidence.notes.extend(table.notes)
    return content, evidence


def text_lines(layouts: Sequence[PageLayout]) -> str:
    """Given pages, return their text line by line (pages separated by form feeds)."""
    return "\f".join("\n".join(line.text for line in lines_of(page.words)) for page in layouts)
