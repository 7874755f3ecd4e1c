"""Drawing a sample as a ruled PDF form with reportlab, laid out like the published forms.

Pages are laid out here, not by reportlab's splitter, so the page of every row is known:
the indicator tables are cut into one table per page, each starting with the header row;
level-1 and level-2 cells are merged (SPAN) over their children on each page, and a group
continued from the previous page shows its label again or leaves it blank (both happen in
published forms). Cell text is wrapped here to the column width; runs of ASCII letters
and digits are never broken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle

from jixiao_devtools.samples.model import Leaf, Sample, score_text

FONT = "STSong-Light"
SIZE = 9
LEADING = 12
HPAD = 3
VPAD = 3
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 36.0
WIDTH = 523.0
TOP = PAGE_HEIGHT - 48
BOTTOM = 60.0
GAP = 14.0

INFO_COLUMNS = (64.0, 57.0, 67.0, 67.0, 67.0, 67.0, 67.0, 67.0)
MANAGEMENT_COLUMNS = (40.0, 26.0, 56.0, 26.0, 80.0, 26.0, 160.0, 34.0, 75.0)
MANAGEMENT_HEADER = (
    "一级指标",
    "分值",
    "二级指标",
    "分值",
    "三级指标",
    "分值",
    "指标解释",
    "得分/自评分",
    "评分依据、未达标原因、改进措施",
)
DUTY_COLUMNS = (40.0, 24.0, 70.0, 24.0, 80.0, 24.0, 70.0, 70.0, 34.0, 60.0, 27.0)
DUTY_HEADER = (
    "一级指标",
    "分值",
    "二级指标",
    "分值",
    "三级指标",
    "分值",
    "年度指标值",
    "实际完成指标值",
    "得分/自评分",
    "评分依据、未达标原因、改进措施",
    "备注",
)

Span = tuple[tuple[int, int], tuple[int, int]]  # ((col0, row0), (col1, row1))
_UNIT = re.compile(r"[A-Za-z0-9]+|.", re.DOTALL)


def register_font() -> None:
    """Register reportlab's built-in CJK font (no font file needed)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@lru_cache(maxsize=4096)
def wrap(text: str, width: float, size: float = SIZE) -> tuple[str, ...]:
    """Given text and a width in points, return its lines (ASCII runs are never split)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _UNIT.findall(paragraph):
            if line and pdfmetrics.stringWidth(line + unit, FONT, size) > width:
                lines.append(line)
                line = ""
            line += unit
        lines.append(line)
    return tuple(lines)


@dataclass
class Grid:
    """A table ready to draw: wrapped cell text, row heights, column widths and spans."""

    cells: list[list[str]]
    heights: list[float]
    widths: tuple[float, ...]
    spans: list[Span]

    @property
    def height(self) -> float:
        """Return the table's total height."""
        return sum(self.heights)


def layout(widths: tuple[float, ...], rows: list[list[str]], spans: list[Span]) -> Grid:
    """Given column widths, raw rows and spans, return the wrapped grid with row heights."""
    covered: dict[tuple[int, int], Span] = {}
    for span in spans:
        (c0, r0), (c1, r1) = span
        for row in range(r0, r1 + 1):
            for col in range(c0, c1 + 1):
                covered[(col, row)] = span
    cells = [[""] * len(widths) for _ in rows]
    lines = [[0] * len(widths) for _ in rows]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            span = covered.get((c, r))
            if span is not None and span[0] != (c, r):
                continue
            last_col = span[1][0] if span else c
            wrapped = wrap(text, sum(widths[c : last_col + 1]) - 2 * HPAD) if text else ()
            cells[r][c] = "\n".join(wrapped)
            lines[r][c] = len(wrapped)
    heights = []
    for r in range(len(rows)):
        single = [
            lines[r][c]
            for c in range(len(widths))
            if (c, r) not in covered or covered[(c, r)][0][1] == covered[(c, r)][1][1]
        ]
        heights.append(max([1, *single]) * LEADING + 2 * VPAD)
    for span in spans:
        (c0, r0), (_, r1) = span
        need = lines[r0][c0] * LEADING + 2 * VPAD
        have = sum(heights[r0 : r1 + 1])
        if need > have:
            heights[r1] += need - have
    return Grid(cells, heights, widths, spans)


def draw(canvas: Canvas, grid: Grid, top: float, ruled: bool = True) -> float:
    """Given a canvas, a grid and the y of its top edge, draw it and return its bottom y.

    A table drawn without ruling (``ruled=False``) has no lines and top-aligned cells, as
    borderless published forms do.
    """
    table = Table(grid.cells, colWidths=list(grid.widths), rowHeights=grid.heights)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, SIZE),
        ("LEADING", (0, 0), (-1, -1), LEADING),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE" if ruled else "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), HPAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), HPAD),
        ("TOPPADDING", (0, 0), (-1, -1), VPAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), VPAD),
    ]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    style.extend(("SPAN", start, end) for start, end in grid.spans)
    table.setStyle(TableStyle(style))
    _, height = table.wrapOn(canvas, WIDTH, PAGE_HEIGHT)
    table.drawOn(canvas, LEFT, top - height)
    return top - height


def info_grid(sample: Sample) -> Grid:
    """Given a sample, return the grid of the basic-information and budget table."""
    dept = sample.department
    goal_done = (
        f"{sample.year}年，本部门按照年度工作计划推进各项工作，"
        + "、".join(name.split("）")[-1] for name, _ in dept.duties[:3])
        + "等重点任务取得预期成效，整体绩效目标基本完成。"
    )
    unit = list(sample.unit_text) if len(sample.unit_text) == 2 else [sample.unit_text[0], ""]
    groups = [f"按{cell.dimension}" for cell in sample.budget[::2]]
    group_row = [groups[0], "", groups[1], "", groups[2], ""]
    rows = [
        ["单位名称", dept.name, "", "", "", "", *unit],
        ["年度整体绩效目标", dept.goal, "", "", "", "", "", ""],
        ["整体绩效目标完成情况", goal_done, "", "", "", "", "", ""],
        ["未能完成原因", "部分项目受外部因素影响，支付进度略有滞后。", "", "", "", "", "", ""],
        ["年度部门整体支出规模（万元）", "", *group_row],
        ["", "", *(cell.item for cell in sample.budget)],
        ["", "全年预算数", *(cell.budget_text for cell in sample.budget)],
    ]
    if not sample.variant.budget_only:
        rows.append(["", "全年执行数", *(cell.actual_text for cell in sample.budget)])
        rows.append(["", "完成率", *(cell.rate_text for cell in sample.budget)])
    spans: list[Span] = [((1, 0), (5, 0))]
    if len(sample.unit_text) == 1:
        spans.append(((6, 0), (7, 0)))
    spans += [((1, r), (7, r)) for r in (1, 2, 3)]
    spans += [((0, 4), (0, len(rows) - 1)), ((1, 4), (1, 5)), ((2, 4), (3, 4)), ((4, 4), (5, 4))]
    spans.append(((6, 4), (7, 4)))
    return layout(INFO_COLUMNS, rows, spans)


def _leaf_cells(sample: Sample, leaf: Leaf, duty: bool) -> list[str]:
    score = "" if leaf.score is None else score_text(leaf.score)
    head = [
        leaf.level1,
        sample.points_text(leaf.level1_points),
        leaf.level2,
        sample.points_text(leaf.level2_points),
        leaf.level3,
        sample.points_text(leaf.points),
    ]
    if duty:
        return [*head, leaf.target or "", leaf.actual or "", score, leaf.basis, ""]
    return [*head, leaf.explanation or "", score, leaf.basis]


def opening_flags(leaves: list[Leaf]) -> list[tuple[bool, bool]]:
    """Given leaves in order, return for each whether it opens its level-1 / level-2 group."""
    flags, seen1, seen2 = [], set(), set()
    for leaf in leaves:
        key2 = (leaf.level1, leaf.level2)
        flags.append((leaf.level1 not in seen1, key2 not in seen2))
        seen1.add(leaf.level1)
        seen2.add(key2)
    return flags


def _runs(keys: list[str]) -> list[tuple[int, int]]:
    """Given one key per row, return the ``[start, end)`` runs of equal neighbours."""
    runs, start = [], 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            runs.append((start, index))
            start = index
    return runs


def indicator_grid(
    sample: Sample,
    leaves: list[Leaf],
    flags: list[tuple[bool, bool]],
    duty: bool,
    total: bool,
) -> Grid:
    """Given the leaves on one page (and whether each opens its groups), return the grid.

    Level-1 and level-2 cells are merged over the page's run of each group; a group carried
    over from the previous page shows its label only when the sample repeats labels.
    """
    widths = DUTY_COLUMNS if duty else MANAGEMENT_COLUMNS
    header = list(DUTY_HEADER if duty else MANAGEMENT_HEADER)
    rows = [header] + [_leaf_cells(sample, leaf, duty) for leaf in leaves]
    spans: list[Span] = []
    level_keys = (
        [leaf.level1 for leaf in leaves],
        [f"{leaf.level1}/{leaf.level2}" for leaf in leaves],
    )
    for level, (name_col, points_col) in enumerate(((0, 1), (2, 3))):
        for start, end in _runs(level_keys[level]):
            if not flags[start][level] and not sample.repeat_labels:
                rows[start + 1][name_col] = rows[start + 1][points_col] = ""
            for row in range(start + 2, end + 1):
                rows[row][name_col] = rows[row][points_col] = ""
            if end - start > 1:
                spans.append(((name_col, start + 1), (name_col, end)))
                spans.append(((points_col, start + 1), (points_col, end)))
    if total:
        score_col = 8 if duty else 7
        total_row = [""] * len(widths)
        total_row[0], total_row[1] = "总分", "100"
        total_row[score_col] = score_text(sample.total)
        rows.append(total_row)
        spans.append(((2, len(rows) - 1), (score_col - 1, len(rows) - 1)))
    return layout(widths, rows, spans)


class _Pages:
    """A canvas with a page counter, a pen position and page-number footers."""

    def __init__(self, path: Path) -> None:
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1)
        self.number = 1
        self.y = TOP

    def footer(self) -> None:
        self.canvas.setFont(FONT, 9)
        self.canvas.drawCentredString(PAGE_WIDTH / 2, 30, f"— {self.number} —")

    def next(self) -> None:
        self.footer()
        self.canvas.showPage()
        self.number += 1
        self.y = TOP

    def finish(self) -> int:
        self.footer()
        self.canvas.showPage()
        self.canvas.save()
        return self.number


def _title(pages: _Pages, sample: Sample) -> None:
    canvas = pages.canvas
    if sample.annex_label:
        canvas.setFont(FONT, 11)
        canvas.drawString(LEFT, TOP, "附件3")
    canvas.setFont(FONT, 16)
    canvas.drawCentredString(PAGE_WIDTH / 2, TOP - 26, "部门整体支出绩效自评表")
    canvas.setFont(FONT, 12)
    canvas.drawCentredString(PAGE_WIDTH / 2, TOP - 46, f"（{sample.year}年度）")
    canvas.setFont(FONT, 10)
    canvas.drawString(LEFT, TOP - 68, "单位基本情况")
    pages.y = TOP - 76


def _indicator_table(pages: _Pages, sample: Sample, leaves: list[Leaf], duty: bool) -> list[int]:
    """Draw one indicator table over as many pages as it needs; return each leaf's page."""
    flags = opening_flags(leaves)
    leaf_pages: list[int] = []
    start = 0
    while start < len(leaves):
        best: tuple[int, Grid] | None = None
        for end in range(start + 1, len(leaves) + 1):
            grid = indicator_grid(
                sample, leaves[start:end], flags[start:end], duty, duty and end == len(leaves)
            )
            if pages.y - grid.height < BOTTOM:
                break
            best = (end, grid)
        if best is None:
            if pages.y == TOP:
                raise ValueError(f"{sample.slug}: an indicator row is taller than a page")
            pages.next()
            continue
        end, grid = best
        pages.y = draw(pages.canvas, grid, pages.y, not sample.variant.borderless) - GAP
        leaf_pages.extend([pages.number] * (end - start))
        start = end
        if start < len(leaves):
            pages.next()
    return leaf_pages


def render(sample: Sample, path: Path) -> tuple[int, list[int]]:
    """Given a sample and a PDF path, draw the form; return (page count, page of each leaf).

    Leaves are numbered management first, then duties (履职效能, 加减分项).
    """
    register_font()
    pages = _Pages(path)
    pages.canvas.setTitle(f"{sample.department.name}{sample.year}年度部门整体支出绩效自评表")
    _title(pages, sample)
    ruled = not sample.variant.borderless
    pages.y = draw(pages.canvas, info_grid(sample), pages.y, ruled) - GAP
    leaf_pages = _indicator_table(pages, sample, list(sample.management), duty=False)
    leaf_pages += _indicator_table(pages, sample, list(sample.duties), duty=True)
    return pages.finish(), leaf_pages
