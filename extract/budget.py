"""The budget table (年度部门整体支出规模): a grid of labelled rows into budget lines.

Both the PDF path and the text-layer path reduce the table to the same grid: one
dimension and one item per value column, and rows ``(label, values, page)``. Row labels
are read by the shared vocabulary (``jixiao.extract.vocabulary.budget_measure``), never by position.
"""

from __future__ import annotations

from jixiao.extract import issues as codes
from jixiao.extract.issues import issue, where
from jixiao.extract.normalize import compact, join_lines, parse_number, parse_rate
from jixiao.extract.record import BudgetLine, Issue
from jixiao.extract.vocabulary import (
    ACTUAL_AMOUNT,
    AMOUNT_UNITS,
    BUDGET,
    RATE,
    RECORD_UNIT,
    budget_measure,
    dimension_of,
)

BudgetRow = tuple[str, list[str | None], int | None]
"""A budget-table row: its printed label, one printed value per item column, its page."""


AMOUNT_FIELDS: tuple[str, ...] = ("initial_budget", "budget", "actual", "adjustment")


def stated_unit(units: list[str]) -> tuple[str | None, list[str], float]:
    """Given the amount units a table states, return the unit its amounts are in (None: none
    stated, or two), the distinct units stated, and the factor that puts its amounts in
    万元 (1 unless exactly one other unit is stated)."""
    seen = sorted(set(units), key=list(AMOUNT_UNITS).index)
    unit = seen[0] if len(seen) == 1 else None
    return unit, seen, AMOUNT_UNITS[unit] if unit is not None else 1.0


def in_unit(value: float | None, factor: float) -> float | None:
    """Given a printed amount and a unit's factor, return it in 万元."""
    return value if value is None or factor == 1.0 else round(value * factor, 6)


def in_record_unit(lines: list[BudgetLine], units: list[str]) -> tuple[str | None, list[str]]:
    """Given a budget table's lines and the amount units it states, convert its amounts to
    万元 in place when it states exactly one unit (元, 千元 or 亿元; 万元 stays as printed);
    return that unit (None: none stated, or two) and the distinct units stated."""
    unit, seen, factor = stated_unit(units)
    for line in lines:
        for name in AMOUNT_FIELDS:
            line[name] = in_unit(line.get(name), factor)  # type: ignore[literal-required]
    return unit, seen


def unit_issues(
    unit: str | None, seen: list[str], table: str, page: int | None, name: str
) -> list[Issue]:
    """Given the unit a table's amounts were read in and every unit it states, return an
    info when they were converted to 万元, a warning when it states two (kept as printed)."""
    if len(seen) > 1:
        return [
            issue(
                "warning",
                codes.AMOUNT_UNIT_UNCLEAR,
                f"{where(name, page)}: the {table} states more than one unit "
                f"({' and '.join(seen)}); its amounts are kept as printed and read as "
                f"{RECORD_UNIT}; check which unit they are in",
                page,
            )
        ]
    if unit is not None and unit != RECORD_UNIT:
        return [
            issue(
                "info",
                codes.AMOUNTS_CONVERTED,
                f"{where(name, page)}: the {table}'s amounts are printed in {unit}; stored in "
                f"{RECORD_UNIT} (× {AMOUNT_UNITS[unit]:g})",
                page,
            )
        ]
    return []


def dimension_name(group_label: str | None) -> str:
    """Given a group header such as ``按资金来源``, return the dimension ``资金来源``."""
    return dimension_of(group_label, "") if compact(group_label) else ""


def row_kind(label: str | None) -> str | None:
    """Given a row label, return ``budget``, ``actual`` or ``rate`` (None when not a data row)."""
    measure = budget_measure(label)
    return measure if measure in (BUDGET, ACTUAL_AMOUNT, RATE) else None


def assign_dimensions(groups: list[str], items: list[str]) -> list[str]:
    """Given group headers and item names read without geometry, return each item's dimension.

    Items are shared evenly between groups when the counts divide; otherwise each item's
    dimension is looked up by keyword (资金来源, 资金结构, 预算级次), else its group is "".
    """
    dimensions = [dimension_name(group) for group in groups]
    if dimensions and items and len(items) % len(dimensions) == 0:
        width = len(items) // len(dimensions)
        return [dimensions[index // width] for index in range(len(items))]
    out = []
    for item in items:
        out.append(dimension_of(None, compact(item)))
    return out


def lines_from_grid(
    dimensions: list[str], items: list[str], rows: list[BudgetRow]
) -> list[BudgetLine]:
    """Given each column's dimension and item, and the labelled rows, return the budget lines."""
    values: dict[str, list[str | None]] = {}
    page: int | None = None
    for label, cells, row_page in rows:
        kind = row_kind(label)
        if kind is None or kind in values:
            continue
        values[kind] = cells
        page = row_page if page is None else page
    lines: list[BudgetLine] = []
    for index, item in enumerate(items):

        def cell(kind: str, index: int = index) -> str | None:
            column = values.get(kind)
            return column[index] if column is not None and index < len(column) else None

        lines.append(
            {
                "dimension": dimensions[index],
                "item": join_lines(item) or "",
                "budget": parse_number(cell("budget")),
                "actual": parse_number(cell("actual")),
                "reported_rate": parse_rate(cell("rate")),
                "initial_budget": None,
                "adjustment": None,
                "page": page,
            }
        )
    return lines
