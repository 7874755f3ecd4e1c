"""The budget table (年度部门整体支出规模): a grid of labelled rows into budget lines.

Both the PDF path and the text-layer path reduce the table to the same grid: one
dimension and one item per value column, and rows ``(label, values, page)``. Row labels
are read by keyword (预算 → budget, 执行 → actual, 率 → rate), never by position.
"""

from __future__ import annotations

from extract.normalize import compact, join_lines, parse_number, parse_rate
from extract.record import BudgetLine

BudgetRow = tuple[str, list[str | None], int | None]
"""A budget-table row: its printed label, one printed value per item column, its page."""

# Items whose dimension is known when the group headers cannot be matched to columns.
_ITEM_DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("财政拨款", "资金来源"),
    ("其他资金", "资金来源"),
    ("基本支出", "资金结构"),
    ("项目支出", "资金结构"),
    ("本级支出", "预算级次"),
    ("转移支付", "预算级次"),
)


def dimension_name(group_label: str | None) -> str:
    """Given a group header such as ``按资金来源``, return the dimension ``资金来源``."""
    label = compact(group_label)
    return label[1:] if label.startswith("按") and len(label) > 1 else label


def row_kind(label: str | None) -> str | None:
    """Given a row label, return ``budget``, ``actual`` or ``rate`` (None when not a data row)."""
    text = compact(label)
    if not text:
        return None
    if text.endswith("率"):
        return "rate"
    if any(word in text for word in ("执行", "支出数", "决算", "完成数", "实际")):
        return "actual"
    if "预算" in text:
        return "budget"
    return None


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
        found = next((dim for word, dim in _ITEM_DIMENSIONS if word in compact(item)), "")
        out.append(found)
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
