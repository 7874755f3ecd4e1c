"""What a form reader returns (``FormContent``), and indicator tables read from ruled cells.

Forms themselves are read from their words (``jixiao.extract.form_reader``); third-party reports
keep reading their ruled indicator tables from pdfplumber's cells here: the header row(s)
map the columns (一级指标/分值/…/得分, in any order), level cells merged over their
children come back empty and inherit the value above (also across a page break), and a
header row repeated at the top of a continued table only re-reads the column map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.extract.normalize import clean_text, compact, is_number, join_lines, parse_number
from jixiao.extract.pdf_tables import TableRow
from jixiao.extract.record import BudgetLine, Indicator

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
    amount_unit: str | None = None  # the unit the budget table states (None: none, or two)
    amount_units_seen: list[str] = field(default_factory=list)
    found_indicator_table: bool = False
    skipped_pages: list[int] = field(default_factory=list)  # data rows no header maps


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
