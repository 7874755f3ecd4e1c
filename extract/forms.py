"""The self-evaluation form (部门整体支出绩效自评表) read from table rows.

Pipeline: ``rows → department, budget grid, indicator rows → FormContent``. Every part is
found by its header labels (单位名称, 按资金来源…, 一级指标/分值/…/得分), never by a
fixed position. Level-1 and level-2 cells merged over their children come back empty;
they inherit the value above (also across a page break). A header row repeated at the top
of a continued table only re-reads the column map, so the table stitches itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.budget import BudgetRow, dimension_name, lines_from_grid, row_kind
from extract.metadata import unit_count_from_text
from extract.normalize import clean_text, compact, is_number, join_lines, parse_number
from extract.pdf_tables import TableRow
from extract.record import BudgetLine, Indicator

LEVEL_KEYS: tuple[str, ...] = ("level1", "level1_points", "level2", "level2_points")
TOTAL_LABELS: tuple[str, ...] = ("总分", "合计", "总计")


@dataclass
class FormContent:
    """What a form parser read: the parts of the record and where the totals were."""

    department: str | None = None
    unit_count: int | None = None
    budget_lines: list[BudgetLine] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    total_score: float | None = None
    total_points: float | None = None
    total_page: int | None = None
    execution_points: float | None = None  # 预算执行率 points of the budget table (national form)
    execution_score: float | None = None
    found_budget_table: bool = False
    found_indicator_table: bool = False
    skipped_pages: list[int] = field(default_factory=list)  # data rows no header maps


def find_department(rows: list[TableRow]) -> tuple[str | None, int | None]:
    """Given table rows, return the department beside ``单位名称`` and the ``单位数`` count."""
    for row in rows:
        texts = [compact(cell) for cell in row.cells]
        for index, text in enumerate(texts):
            if not text.startswith("单位名称"):
                continue
            rest = [t for t in texts[index + 1 :] if t]
            name = text.removeprefix("单位名称").lstrip(":") or next(
                (t for t in rest if not t.startswith("单位数")), None
            )
            count = None
            for position, other in enumerate(texts):
                if "单位数" in other:
                    following = [t for t in texts[position + 1 :] if t]
                    count = unit_count_from_text(other)
                    if count is None and following:
                        count = unit_count_from_text(following[0])
            return name or None, count
    return None, None


def _is_group_label(cell: str | None) -> bool:
    text = compact(cell)
    return text.startswith("按") and 1 < len(text) <= 8


def _fill_groups(cells: tuple[str | None, ...]) -> list[str | None]:
    """Given a group-header row, return each column's group (merged cells take their left's)."""
    filled: list[str | None] = []
    current: str | None = None
    for cell in cells:
        if cell is not None:
            current = compact(cell) if _is_group_label(cell) else None
        filled.append(current)
    return filled


def find_budget(rows: list[TableRow]) -> list[BudgetLine] | None:
    """Given table rows, return the lines of the budget table (None when there is none)."""
    for index, row in enumerate(rows):
        if not any(_is_group_label(cell) for cell in row.cells):
            continue
        groups = _fill_groups(row.cells)
        if index + 1 >= len(rows) or rows[index + 1].table != row.table:
            continue
        items_row = rows[index + 1]
        columns = [
            col
            for col, cell in enumerate(items_row.cells)
            if col < len(groups) and groups[col] and compact(cell) and not is_number(cell)
        ]
        if not columns:
            continue
        grid: list[BudgetRow] = []
        for data in rows[index + 2 :]:
            if data.table != row.table:
                break
            labels = [
                cell for col, cell in enumerate(data.cells) if col not in columns and compact(cell)
            ]
            label = next((text for text in labels if row_kind(text)), None)
            if label is None:
                break
            values = [data.cells[col] if col < len(data.cells) else None for col in columns]
            grid.append((label, values, data.page))
        if not grid:
            continue
        dimensions = [dimension_name(groups[col]) for col in columns]
        items = [join_lines(items_row.cells[col]) or "" for col in columns]
        return lines_from_grid(dimensions, items, grid)
    return None


def header_columns(cells: tuple[str | None, ...]) -> dict[str, int] | None:
    """Given a row, return its column map when it is an indicator-table header, else None.

    ``分值`` belongs to the level column on its left; ``得分``/``自评分`` is the score;
    ``年度指标值`` and ``实际完成指标值`` are the target and actual values.
    """
    columns: dict[str, int] = {}
    level: str | None = None
    for index, cell in enumerate(cells):
        text = compact(cell)
        if not text:
            continue
        if "一级指标" in text:
            level = "level1"
            columns[level] = index
        elif "二级指标" in text:
            level = "level2"
            columns[level] = index
        elif "三级指标" in text:
            level = "level3"
            columns[level] = index
        elif text.startswith(("分值", "权重", "标准分")):
            if level is not None:
                key = "points" if level == "level3" else f"{level}_points"
                columns.setdefault(key, index)
        elif "指标解释" in text:
            columns["explanation"] = index
        elif "年度指标值" in text or "目标值" in text:
            columns["target"] = index
        elif "实际完成" in text or "完成值" in text:
            columns["actual"] = index
        elif "依据" in text:
            columns["basis"] = index
        elif "得分" in text or "自评分" in text or text == "评分":
            columns.setdefault("score", index)
    if {"level1", "level3", "points", "score"} <= columns.keys():
        return columns
    return None


def stack_header(
    upper: tuple[str | None, ...], lower: tuple[str | None, ...]
) -> tuple[str | None, ...]:
    """Given a two-row header (一级指标 over 名称 | 权重), return one row of column headers.

    A column under a cell merged from its left (``None`` above) takes only its own text,
    so ``一级指标`` / ``名称`` → ``一级指标名称`` and ``(merged)`` / ``权重(%)`` → ``权重(%)``.
    """
    out: list[str | None] = []
    for col, below in enumerate(lower):
        above = upper[col] if col < len(upper) else None
        if above is None:
            out.append(below)
        elif below is None:
            out.append(above)
        else:
            out.append(compact(above) + compact(below))
    return tuple(out)


def _cell(cells: tuple[str | None, ...], columns: dict[str, int], key: str) -> str | None:
    index = columns.get(key)
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _total(cells: tuple[str | None, ...], columns: dict[str, int]) -> tuple[float | None, ...]:
    numbers = [parse_number(cell) for cell in cells if is_number(cell)]
    score = parse_number(_cell(cells, columns, "score"))
    if score is None and numbers:
        score = numbers[-1]
    points = numbers[0] if len(numbers) > 1 else None
    return score, points


def find_indicators(rows: list[TableRow], content: FormContent) -> None:
    """Given table rows, read the indicator rows and 总分 into ``content``."""
    columns: dict[str, int] | None = None
    width = 0
    context: dict[str, str | float | None] = dict.fromkeys(LEVEL_KEYS)
    previous: TableRow | None = None
    for row in rows:
        found = header_columns(row.cells)
        if found is None and previous is not None and previous.table == row.table:
            found = header_columns(stack_header(previous.cells, row.cells))
        # a row naming 一级指标 without its points columns may be the upper header row
        is_upper = found is None and any("一级指标" in compact(cell) for cell in row.cells)
        previous = row if is_upper else None
        if found is not None:
            columns, width = found, len(row.cells)
            content.found_indicator_table = True
            continue
        if columns is None:
            continue
        first = next((compact(cell) for cell in row.cells if compact(cell)), "")
        if first.startswith(TOTAL_LABELS):
            score_columns = columns if len(row.cells) == width else {}
            content.total_score, content.total_points = _total(row.cells, score_columns)
            content.total_page = row.page
            continue
        if len(row.cells) != width:
            if content.total_score is None and any(is_number(cell) for cell in row.cells):
                content.skipped_pages.append(row.page)
            continue
        new_level1 = join_lines(_cell(row.cells, columns, "level1"))
        if new_level1 and new_level1 != context["level1"]:
            context.update(level2=None, level2_points=None)
        for key in LEVEL_KEYS:
            raw = _cell(row.cells, columns, key)
            if compact(raw):
                context[key] = parse_number(raw) if key.endswith("points") else join_lines(raw)
        level3 = clean_text(_cell(row.cells, columns, "level3"))
        points = parse_number(_cell(row.cells, columns, "points"))
        if level3 is None and points is None:
            continue
        content.indicators.append(
            {
                "level1": context["level1"],  # type: ignore[typeddict-item]
                "level1_points": context["level1_points"],  # type: ignore[typeddict-item]
                "level2": context["level2"],  # type: ignore[typeddict-item]
                "level2_points": context["level2_points"],  # type: ignore[typeddict-item]
                "level3": level3,
                "points": points,
                "score": parse_number(_cell(row.cells, columns, "score")),
                "target": clean_text(_cell(row.cells, columns, "target")),
                "actual": clean_text(_cell(row.cells, columns, "actual")),
                "page": row.page,
            }
        )


def parse_rows(rows: list[TableRow]) -> FormContent:
    """Given the table rows of a self-evaluation form, return what they hold."""
    content = FormContent()
    content.department, content.unit_count = find_department(rows)
    budget = find_budget(rows)
    if budget is not None:
        content.found_budget_table = True
        content.budget_lines = budget
    find_indicators(rows, content)
    return content
