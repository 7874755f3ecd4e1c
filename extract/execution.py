"""Budget-execution tables of an evaluation report: rows into budget lines and projects.

Both the PDF path (ruled table cells) and the text-layer path (flattened lines) reduce a
table to ``ExecRow`` values: the group printed beside the row (基本支出, 项目支出, or
None), the row's label, its printed values in column order, and its page. Which columns
exist is read from the header (年初预算数, 调整金额, 调整率, 调整后预算数, 支出金额, 支出率);
their order is the printed order.

Budget lines (documented in docs/extraction.md):

- a row under a group (人员经费 under 基本支出) → dimension ``资金结构明细``;
- a group's 小计 row, or a row that is itself a group → dimension ``资金结构``, item = the
  group (基本支出, 项目支出);
- 合计 / 总计 → dimension ``合计``, item ``合计``.

Parts that do not add up to their printed subtotal or total, and rows whose 年初预算数 +
调整金额 differ from 调整后预算数, are reported as issues and kept as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.extract import issues as codes
from jixiao.extract.budget import in_unit
from jixiao.extract.issues import issue, where
from jixiao.extract.normalize import compact, join_fragments, parse_number, parse_rate
from jixiao.extract.record import BudgetLine, Issue, Project
from jixiao.extract.tolerances import tolerances
from jixiao.extract.vocabulary import DETAIL_SUFFIX, SUBTOTAL_WORDS, TOTAL_DIMENSION, TOTAL_WORDS

INITIAL = "initial_budget"
ADJUSTMENT = "adjustment"
ADJUSTMENT_RATE = "adjustment_rate"
BUDGET = "budget"
ACTUAL = "actual"
RATE = "reported_rate"
KEY_ORDER: tuple[str, ...] = (INITIAL, ADJUSTMENT, ADJUSTMENT_RATE, BUDGET, ACTUAL, RATE)

STRUCTURE = "资金结构"
DETAIL = STRUCTURE + DETAIL_SUFFIX
TOTAL = TOTAL_DIMENSION
_ADJUSTMENT = re.compile(r"调整(?!后|率)")


@dataclass(frozen=True)
class ExecRow:
    """One row of an execution table: group beside it, label, printed values, page."""

    group: str | None
    label: str
    values: tuple[str | None, ...]
    page: int | None


def column_key(header: str) -> str | None:
    """Given one column's header text, return its value key (None for label columns)."""
    text = compact(header)
    if not text:
        return None
    if text.endswith("率") or "率" in text[-3:]:
        return ADJUSTMENT_RATE if "调整率" in text else RATE
    if "调整后" in text or "全年预算" in text:
        return BUDGET
    if "年初" in text:
        return INITIAL
    if any(word in text for word in ("支出金额", "支出数", "执行数", "决算数", "实际支出")):
        return ACTUAL
    if "调整" in text:
        return ADJUSTMENT
    return None


def keys_from_header(header: str) -> list[str]:
    """Given a flattened header's text, return the value keys it holds, in printed order."""
    text = compact(header)
    present = {
        INITIAL: "年初" in text,
        ADJUSTMENT: bool(_ADJUSTMENT.search(text.replace("预算调整", ""))),
        ADJUSTMENT_RATE: "调整率" in text,
        BUDGET: "调整后" in text or "全年预算" in text,
        ACTUAL: any(w in text for w in ("支出金额", "支出数", "执行数", "决算数", "实际支出")),
        RATE: any(word in text for word in ("支出率", "执行率", "完成率")),
    }
    return [key for key in KEY_ORDER if present[key]]


def _is_total(label: str) -> bool:
    return compact(label) in TOTAL_WORDS


def _is_subtotal(label: str) -> bool:
    return compact(label) in SUBTOTAL_WORDS


def _figures(row: ExecRow, keys: list[str], factor: float) -> dict[str, float | None]:
    """Given a row, its keys and the factor of its table's unit, return its figures: rates
    as fractions, amounts in 万元."""
    figures: dict[str, float | None] = dict.fromkeys(KEY_ORDER)
    for key, value in zip(keys, row.values, strict=False):
        is_rate = key in (RATE, ADJUSTMENT_RATE)
        figures[key] = parse_rate(value) if is_rate else in_unit(parse_number(value), factor)
    return figures


def _line(dimension: str, item: str, figures: dict[str, float | None], page: int | None):
    line: BudgetLine = {
        "dimension": dimension,
        "item": item,
        "budget": figures[BUDGET],
        "actual": figures[ACTUAL],
        "reported_rate": figures[RATE],
        "initial_budget": figures[INITIAL],
        "adjustment": figures[ADJUSTMENT],
        "page": page,
    }
    return line


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _sum_issue(code: str, name: str, page: int | None, field: str, parts: float, whole: float):
    table, what, measure = field.split(".")
    return issue(
        "warning",
        code,
        f"{where(name, page)}: {what if table == 'budget_lines' else 'projects ' + what} "
        f"{measure}: the parts add up to {_fmt(parts)} but the printed total is "
        f"{_fmt(whole)}; expected them equal; kept as printed",
        page,
        field=field,
        observed=whole,
        expected=parts,
    )


def _compare(
    parts: list[dict[str, float | None]],
    whole: dict[str, float | None],
    code: str,
    name: str,
    page: int | None,
    what: str,
) -> list[Issue]:
    """Given parts and their printed total, return an issue per measure they disagree on;
    ``what`` is ``<table>.<total line>`` (``projects.合计``, ``budget_lines.基本支出 小计``)."""
    found = []
    for key in (INITIAL, ADJUSTMENT, BUDGET, ACTUAL):
        total = whole[key]
        values = [part[key] for part in parts if part[key] is not None]
        if total is None or not values:
            continue
        if abs(sum(values) - total) > tolerances().amounts(len(values) + 1):
            found.append(_sum_issue(code, name, page, f"{what}.{key}", sum(values), total))
    return found


def check_adjustment(
    label: str, figures: dict[str, float | None], name: str, page: int | None, table: str
) -> list[Issue]:
    """Given a row of ``table`` (budget_lines, projects) and its figures, return a warning
    when 年初预算数 + 调整金额 ≠ 调整后预算数 (beyond the tolerance of three amounts)."""
    initial, change, budget = figures[INITIAL], figures[ADJUSTMENT], figures[BUDGET]
    if initial is None or change is None or budget is None:
        return []
    if abs(initial + change - budget) <= tolerances().amounts(3):
        return []
    return [
        issue(
            "warning",
            codes.ADJUSTMENT_MISMATCH,
            f"{where(name, page)}: {label}: 年初预算数 {_fmt(initial)} + 调整金额 "
            f"{_fmt(change)} is {_fmt(initial + change)} but 调整后预算数 is printed as "
            f"{_fmt(budget)}; expected them equal; kept as printed",
            page,
            field=f"{table}.{label}.{BUDGET}",
            observed=budget,
            expected=initial + change,
        )
    ]


def budget_from_rows(
    rows: list[ExecRow], keys: list[str], name: str, factor: float = 1.0
) -> tuple[list[BudgetLine], list[Issue]]:
    """Given the rows of a budget-execution table, its keys and the factor of its unit,
    return lines (in 万元) and issues."""
    lines: list[BudgetLine] = []
    found: list[Issue] = []
    details: dict[str, list[dict[str, float | None]]] = {}
    structure: list[dict[str, float | None]] = []
    for row in rows:
        figures = _figures(row, keys, factor)
        found.extend(check_adjustment(row.label, figures, name, row.page, "budget_lines"))
        if _is_total(row.label) or (row.group and _is_total(row.group) and not row.label):
            lines.append(_line(TOTAL, TOTAL, figures, row.page))
            found.extend(
                _compare(
                    structure,
                    figures,
                    codes.BUDGET_TOTAL_MISMATCH,
                    name,
                    row.page,
                    f"budget_lines.{TOTAL}",
                )
            )
        elif row.group and _is_subtotal(row.label):
            lines.append(_line(STRUCTURE, row.group, figures, row.page))
            structure.append(figures)
            found.extend(
                _compare(
                    details.get(row.group, []),
                    figures,
                    codes.BUDGET_SUBTOTAL_MISMATCH,
                    name,
                    row.page,
                    f"budget_lines.{row.group} 小计",
                )
            )
        elif row.group:
            lines.append(_line(DETAIL, row.label, figures, row.page))
            details.setdefault(row.group, []).append(figures)
        else:
            lines.append(_line(STRUCTURE, row.label, figures, row.page))
            structure.append(figures)
    return lines, found


_SEQUENCE = re.compile(r"^\d{1,3}$")


def projects_from_rows(
    rows: list[ExecRow], keys: list[str], name: str, factor: float = 1.0
) -> tuple[list[Project], list[Issue]]:
    """Given the rows of a project table and the factor of its unit, return the projects (in
    万元) and issues.

    A 合计 row is not a project: the projects' figures are checked against it
    (``project_sum_mismatch``).
    """
    projects: list[Project] = []
    found: list[Issue] = []
    totals: list[tuple[dict[str, float | None], int | None]] = []
    parts: list[dict[str, float | None]] = []
    for row in rows:
        figures = _figures(row, keys, factor)
        if _is_total(row.label):
            totals.append((figures, row.page))
            continue
        found.extend(check_adjustment(row.label, figures, name, row.page, "projects"))
        parts.append(figures)
        projects.append(
            {
                "name": row.label,
                "initial_budget": figures[INITIAL],
                "adjustment": figures[ADJUSTMENT],
                "adjusted_budget": figures[BUDGET],
                "actual": figures[ACTUAL],
                "reported_rate": figures[RATE],
                "page": row.page,
            }
        )
    for figures, page in totals:
        found.extend(
            _compare(parts, figures, codes.PROJECT_SUM_MISMATCH, name, page, f"projects.{TOTAL}")
        )
    return projects, found


def strip_sequence(parts: list[str]) -> list[str]:
    """Given a project row's label pieces, return them without a leading 序号 number."""
    if parts and _SEQUENCE.match(compact(parts[0])):
        return parts[1:]
    return parts


def label_text(parts: list[str]) -> str:
    """Given label pieces, return them joined as one name."""
    return join_fragments(compact(part) for part in parts)
