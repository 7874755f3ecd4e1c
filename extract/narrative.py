"""The narrative self-evaluation report (部门整体支出绩效自评报告): figures stated in prose.

The report has no tables to speak of; its budget figures are sentences such as
``调整后预算数为 12,345.67万元，执行数为 12,000.00万元，执行率为 97.20%``. Each figure is
found by its phrase in the whitespace-free text, and keeps the page of the line where
the phrase starts; written in 元, 千元 or 亿元 it is converted to 万元 by its own unit.
The figures make one budget line (dimension 合计, item 合计).
自评得分 / 评价等级, when stated, become the totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.extract.budget import in_unit
from jixiao.extract.metadata import department_from_title
from jixiao.extract.normalize import compact, parse_number, parse_rate
from jixiao.extract.record import BudgetLine
from jixiao.extract.text_layer import Line, split_lines
from jixiao.extract.vocabulary import AMOUNT_UNITS

# a figure and the unit written after it (万元, or 元 / 千元 / 亿元: converted to 万元)
_UNIT = "|".join(sorted(AMOUNT_UNITS, key=len, reverse=True))
_AMOUNT = rf"([+-]?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|[+-]?\d+(?:\.\d+)?)({_UNIT})"
_LINK = r"(?:为|是|:|达|共计|合计)?"
PATTERNS: dict[str, re.Pattern[str]] = {
    "initial_budget": re.compile(r"年初预算(?:数|安排)?(?:合共|总额)?" + _LINK + _AMOUNT),
    "budget": re.compile(
        r"(?:调整后(?:的)?(?:部门)?预算(?:数|总额)?|全年预算数|预算总额调整\S{0,16}?为)"
        + _LINK
        + _AMOUNT
    ),
    "actual": re.compile(r"(?:执行数|支出数|实际支出|决算数)(?:金额)?" + _LINK + _AMOUNT),
    "reported_rate": re.compile(r"(?:执行率|支出率|完成率)" + _LINK + r"(\d+(?:\.\d+)?%)"),
}
_SCORE = re.compile(r"自评(?:总)?(?:得分|分数|评分)" + _LINK + r"(\d{1,3}(?:\.\d+)?)分")
_GRADE = re.compile(r"(?:评价等级|自评等级|等级)" + _LINK + r"[\"“]?([优良中差])")
_UNITS = re.compile(r"(?:所属|下属|纳入[^。]{0,20}?)单位(?:共|数)?" + _LINK + r"(\d{1,3})个")


@dataclass
class NarrativeContent:
    """What the narrative parser read."""

    department: str | None = None
    unit_count: int | None = None
    budget_lines: list[BudgetLine] = field(default_factory=list)
    total_score: float | None = None
    grade: str | None = None
    amount_units: list[str] = field(default_factory=list)  # the units the figures were written in


def _flat_with_pages(lines: list[Line]) -> tuple[str, list[int]]:
    """Given lines, return their whitespace-free text and each character's page."""
    parts: list[str] = []
    pages: list[int] = []
    for line in lines:
        text = compact(line.text)
        parts.append(text)
        pages.extend([line.page] * len(text))
    return "".join(parts), pages


def parse_narrative(text: str) -> NarrativeContent:
    """Given a narrative report's text, return its department, figures and stated score."""
    lines = split_lines(text)
    flat, pages = _flat_with_pages(lines)
    content = NarrativeContent(department=department_from_title(text[:3000]))
    units = _UNITS.search(flat)
    content.unit_count = int(units.group(1)) if units else None
    figures: dict[str, float | None] = {}
    page: int | None = None
    for key, pattern in PATTERNS.items():
        match = pattern.search(flat)
        if match is None:
            figures[key] = None
            continue
        value = match.group(1)
        if key == "reported_rate":
            figures[key] = parse_rate(value)
        else:
            figures[key] = in_unit(parse_number(value), AMOUNT_UNITS[match.group(2)])
            content.amount_units.append(match.group(2))
        if key != "initial_budget" and page is None:
            page = pages[match.start()]
    if any(figures[key] is not None for key in ("budget", "actual", "reported_rate")):
        content.budget_lines = [
            {
                "dimension": "合计",
                "item": "合计",
                "budget": figures["budget"],
                "actual": figures["actual"],
                "reported_rate": figures["reported_rate"],
                "initial_budget": figures["initial_budget"],
                "adjustment": None,
                "page": page,
            }
        ]
    score = _SCORE.search(flat)
    content.total_score = float(score.group(1)) if score else None
    grade = _GRADE.search(flat)
    content.grade = grade.group(1) if grade else None
    return content
