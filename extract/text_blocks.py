"""The self-evaluation form read from a text layer whose blocks are out of reading order.

Some exporters write one block per table cell, in an order that is neither row by row nor
column by column: level names may be listed together and their points in a block after
them, a header word may come after its rows, the department may be printed several lines
after its label, and a budget table may print its labels, then its item names, then one
block of figures per measure row. Nothing here relies on where a block stands, only on
what it is and on what adds up:

- a **cell** is a run of non-blank lines (a line holding only a number is a cell of its own);
- a **leaf** is a name followed by its points, an optional explanation (or target and
  actual values), its score (not above the points) and an optional reason; a leaf whose
  name and points were printed elsewhere (its explanation and score only) takes the last
  name–points pair printed after it, before the next leaf;
- the other names and numbers are level names and level points. Level-2 points are the
  numbers, in printed order, that the leaves add up to group by group; level-1 points are
  the remaining numbers that the level-2 groups add up to (in any order). A name printed
  just before (or, when none is, just after) a level's points is that level's name; the
  level names left over fill the levels short of names. Names are given to the groups of
  their level in printed order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from jixiao.extract.budget import BudgetRow, assign_dimensions, lines_from_grid
from jixiao.extract.forms import FormContent
from jixiao.extract.metadata import department_from_text
from jixiao.extract.normalize import (
    compact,
    is_number,
    is_placeholder,
    is_rate,
    join_fragments,
    parse_number,
)
from jixiao.extract.record import BudgetLine, Indicator
from jixiao.extract.vocabulary import (
    DEPARTMENT_LABELS,
    TOTAL_LABELS,
    amount_units_in,
    budget_measure,
    indicator_field,
    is_group_header,
)

if TYPE_CHECKING:  # text_layer imports this module
    from jixiao.extract.text_layer import Line

_SENTENCE_MARKS = "，。；;,"
UNIT_CELLS_BEFORE = 6  # cells before the first group header searched for the unit label
_CHECKBOXES = "☑□☐√✓✔■☒▣"
# a target or actual value: a number first, at most a short unit after it (120场, ≥92%)
_VALUE = re.compile(r"[≥≤<>=~约]*\d[\d.,]*%?[^\d\s]{0,5}")
_TOLERANCE = 1e-6
_SEARCH_LIMIT = 20000  # search steps of the level solver


@dataclass(frozen=True)
class Cell:
    """One block of the text layer: its joined text, page and (for a plain number) value."""

    text: str
    page: int
    value: float | None = None


def cells_of(lines: list[Line]) -> list[Cell]:
    """Given the text layer's lines, return its cells in printed order."""
    cells: list[Cell] = []
    pending: list[Line] = []

    def flush() -> None:
        if pending:
            cells.append(Cell(join_fragments(line.text for line in pending), pending[0].page))
            pending.clear()

    for line in lines:
        if not line.text:
            flush()
        elif is_number(line.text):
            flush()
            cells.append(Cell(line.text, line.page, parse_number(line.text)))
        elif is_group_header(line.text) or budget_measure(line.text) is not None:
            flush()  # a header word on a line of its own is a cell of its own
            cells.append(Cell(line.text, line.page))
        else:
            pending.append(line)
    flush()
    return cells


# ---------- department


def _is_label_line(text: str) -> bool:
    flat = compact(text).rstrip(":")
    return flat in DEPARTMENT_LABELS


def department_from_lines(lines: list[Line]) -> str | None:
    """Given the lines, return the department printed on a line of its own after its label.

    The lines after the label are read in order, skipping other labelled values (单位数：6个)
    and sentences; a name ending like an organisation is preferred to any other short name.
    """
    for position, line in enumerate(lines):
        if not _is_label_line(line.text):
            continue
        candidates = []
        for other in lines[position + 1 : position + 12]:
            flat = compact(other.text)
            if not flat or ":" in flat or is_number(flat) or _is_label_line(flat):
                continue
            if any(mark in flat for mark in _SENTENCE_MARKS) or not 2 <= len(flat) <= 40:
                continue
            candidates.append(flat)
        for flat in candidates:
            if department_from_text(f"单位名称{flat}") == flat:
                return flat
    return None


# ---------- budget table


def _names_a_unit(flat: str) -> bool:
    """A label cell about the unit (规模（万元）, a fragment 规模（万 / 元）), not an item."""
    return bool(amount_units_in([flat])) or flat.endswith(("(万", "(千", "(亿", "元)"))


def block_budget_units(cells: list[Cell]) -> list[str]:
    """Given the cells, return the amount units stated by the labels around the budget table
    (from a few cells before its first group header or amount heading — 按资金来源,
    年初预算数 — to the indicator table), joined so a label wrapped over cells (规模（万 /
    元）) is read whole."""
    start = next(
        (
            pos
            for pos, cell in enumerate(cells)
            if any(
                is_group_header(token) or budget_measure(token) is not None
                for token in cell.text.split()
            )
        ),
        None,
    )
    if start is None:
        return []
    labels: list[str] = []
    for cell in cells[max(0, start - UNIT_CELLS_BEFORE) :]:
        flat = compact(cell.text)
        if _opens_indicators(flat):
            break
        if cell.value is None:
            labels.append(flat)
    return amount_units_in(labels)


def find_block_budget(cells: list[Cell]) -> list[BudgetLine] | None:
    """Given the cells, return the budget table's lines (None when there is none).

    Between the first group header (按资金来源 …) and the indicator table, group headers,
    measure labels (全年预算数 …), item names and figures are collected apart; the figures
    are cut into one block per item count, each block the row of the next measure label.
    """
    start = next((pos for pos, cell in enumerate(cells) if is_group_header(cell.text)), None)
    if start is None:
        return None
    groups: list[str] = []
    measures: list[Cell] = []
    items: list[str] = []
    figures: list[Cell] = []
    for cell in cells[start:]:
        flat = compact(cell.text)
        if _opens_indicators(flat):
            break
        if is_group_header(flat):
            groups.append(flat)
        elif budget_measure(flat) is not None and cell.value is None:
            measures.append(cell)
        elif cell.value is not None or (is_rate(flat) and items):
            figures.append(cell)
        elif is_placeholder(flat) and measures:
            figures.append(cell)
        elif (
            not is_placeholder(flat)
            and not _names_a_unit(flat)
            and not any(mark in flat for mark in _SENTENCE_MARKS)
        ):
            items.append(flat)
    if not items or not measures or len(figures) < len(items):
        return None
    # stray text printed before the items (an empty cell's 无): the items are the last ones
    width = len(figures) // len(measures)
    if len(figures) % len(measures) == 0 and 0 < width < len(items):
        items = items[-width:]
    rows: list[BudgetRow] = []
    for index, measure in enumerate(measures):
        block = figures[index * len(items) : (index + 1) * len(items)]
        if len(block) < len(items):
            break
        rows.append((measure.text, [cell.text for cell in block], block[0].page))
    if not rows:
        return None
    return lines_from_grid(assign_dimensions(groups, items), items, rows)


# ---------- indicator table


def _opens_indicators(flat: str) -> bool:
    return flat.startswith("一级指标")


def _is_header(text: str) -> bool:
    """Given a cell, return True when it only holds indicator-table header words."""
    pieces = text.split()
    if not pieces or any(mark in text for mark in "，。；;"):
        return False
    return all(len(piece) <= 16 and indicator_field(piece) is not None for piece in pieces)


def _is_grade(flat: str) -> bool:
    return "等级" in flat or any(mark in flat for mark in _CHECKBOXES)


def _kind(cell: Cell) -> str:
    """Given a cell, return N (a number), L (a name) or S (a sentence or a value)."""
    if cell.value is not None:
        return "N"
    flat = compact(cell.text)
    if (
        not flat
        or len(flat) > 40
        or any(mark in flat for mark in _SENTENCE_MARKS)
        or _VALUE.fullmatch(flat)
        or is_placeholder(flat)
    ):
        return "S"
    return "L"


@dataclass
class _Leaf:
    name: str | None
    points: float | None
    score: float
    page: int
    target: str | None = None
    actual: str | None = None


def _targets(middle: list[Cell]) -> tuple[str | None, str | None]:
    if len(middle) != 2 or any(_kind(cell) != "S" or len(cell.text) > 20 for cell in middle):
        return None, None
    return middle[0].text, middle[1].text


def _find_leaves(
    kinds: list[str], cells: list[Cell], empty_middle: bool
) -> tuple[dict[int, _Leaf], set[int]]:
    """Given the region's cells, return the leaves (keyed by their score's position) and the
    positions they use: a name, its points, explanation or values, a score not above them."""
    leaves: dict[int, _Leaf] = {}
    used: set[int] = set()
    position = 0
    while position < len(cells) - 2:
        if kinds[position] != "L" or kinds[position + 1] != "N":
            position += 1
            continue
        points = cells[position + 1].value or 0.0
        end = position + 2
        while end < len(cells) and kinds[end] == "S":
            end += 1
        middle = cells[position + 2 : end]
        score = cells[end].value if end < len(cells) and kinds[end] == "N" else None
        if score is None or score > points + _TOLERANCE or (not middle and not empty_middle):
            position += 1
            continue
        target, actual = _targets(middle)
        name = cells[position]
        leaves[end] = _Leaf(name.text, points, score, name.page, target, actual)
        used.update(range(position, end + 1))
        position = end + 1
    return leaves, used


def _leaves_printed_apart(
    region: list[Cell], kinds: list[str], leaves: dict[int, _Leaf], used: set[int]
) -> None:
    """Add the leaves whose explanation and score were printed apart from their name and
    points: a free score after a free explanation takes the last free name–points pair
    printed after it, before the next leaf."""
    for position, cell in enumerate(region):
        if position == 0 or position in used or kinds[position] != "N":
            continue
        if kinds[position - 1] != "S" or position - 1 in used:
            continue
        pair = None
        for index in range(position + 1, len(region) - 1):
            if index in used:
                break
            if kinds[index] == "L" and kinds[index + 1] == "N" and index + 1 not in used:
                pair = index
        if pair is None or (region[pair + 1].value or 0.0) < (cell.value or 0.0) - _TOLERANCE:
            continue
        used.update({position, pair, pair + 1})
        name, points = region[pair], region[pair + 1]
        leaves[position] = _Leaf(name.text, points.value, cell.value or 0.0, name.page)


def _prefix_ends(points: list[float], start: int, value: float) -> int | None:
    total = 0.0
    for index in range(start, len(points)):
        total += points[index]
        if abs(total - value) < _TOLERANCE:
            return index + 1
        if total > value + _TOLERANCE:
            return None
    return None


def _level2_solutions(points: list[float], numbers: list[float]) -> Iterator[list[tuple[int, int]]]:
    """Yield tilings of the leaves into groups, each ``(end, number index)`` in printed order."""
    steps = 0

    def walk(start: int, first: int, path: list[tuple[int, int]]) -> Iterator[list]:
        nonlocal steps
        if start == len(points):
            yield list(path)
            return
        for index in range(first, len(numbers)):
            steps += 1
            if steps > _SEARCH_LIMIT:
                return
            end = _prefix_ends(points, start, numbers[index])
            if end is not None:
                path.append((end, index))
                yield from walk(end, index + 1, path)
                path.pop()

    yield from walk(0, 0, [])


def _level1_tiling(sums: list[float], spare: dict[int, float]) -> list[tuple[int, int]] | None:
    """Given level-2 sums and the unused numbers, return level-1 groups ``(end, number index)``."""

    def walk(start: int, left: dict[int, float]) -> list[tuple[int, int]] | None:
        if start == len(sums):
            return []
        total = 0.0
        for end in range(start, len(sums)):
            total += sums[end]
            for index, value in left.items():
                if abs(value - total) < _TOLERANCE:
                    rest = walk(end + 1, {k: v for k, v in left.items() if k != index})
                    if rest is not None:
                        return [(end + 1, index), *rest]
                    break
        return None

    return walk(0, spare)


def _solve_levels(
    points: list[float], numbers: list[float]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """Return the level-2 and level-1 groups using the most printed numbers, else None."""
    best = None
    for level2 in _level2_solutions(points, numbers):
        sums, start = [], 0
        for end, _ in level2:
            sums.append(sum(points[start:end]))
            start = end
        used = {index for _, index in level2}
        spare = {index: value for index, value in enumerate(numbers) if index not in used}
        level1 = _level1_tiling(sums, spare)
        if level1 is None:
            continue
        unused = len(numbers) - len(level2) - len(level1)
        if best is None or unused < best[0]:
            best = (unused, level2, level1)
        if unused == 0:
            break
    return None if best is None else (best[1], best[2])


@dataclass
class BlockIndicators:
    """What the block reader found in the indicator table."""

    rows: list[Indicator]
    total_points: float | None = None
    total_score: float | None = None
    total_page: int | None = None


def read_block_indicators(cells: list[Cell]) -> BlockIndicators | None:
    """Given the cells, return the indicator rows and totals, or None when they do not add up."""
    start = next((pos for pos, c in enumerate(cells) if _opens_indicators(compact(c.text))), None)
    if start is None:
        return None
    region: list[Cell] = []
    totals: list[Cell] = []
    after_total = False
    for cell in cells[start:]:
        flat = compact(cell.text)
        if after_total and cell.value is not None:
            totals.append(cell)
            after_total = False
            continue
        after_total = flat in TOTAL_LABELS
        if after_total or _is_header(cell.text) or _is_grade(flat):
            continue
        region.append(cell)
    kinds = [_kind(cell) for cell in region]
    leaves, used = _find_leaves(kinds, region, empty_middle=False)
    if not leaves:  # a table without explanation or value columns
        leaves, used = _find_leaves(kinds, region, empty_middle=True)
    _leaves_printed_apart(region, kinds, leaves, used)
    return _assemble(region, kinds, used, [leaves[key] for key in sorted(leaves)], totals)


def _assemble(
    region: list[Cell], kinds: list[str], used: set[int], leaves: list[_Leaf], totals: list[Cell]
) -> BlockIndicators | None:
    if not leaves or any(leaf.points is None for leaf in leaves):
        return None
    free = [pos for pos in range(len(region)) if pos not in used and kinds[pos] in "LN"]
    # a level name printed again (a continued table) and the number right after it
    seen: set[str] = set()
    repeated: set[int] = set()
    for pos in free:
        if kinds[pos] != "L":
            continue
        if region[pos].text in seen:
            repeated.add(pos)
            if pos + 1 < len(region) and kinds[pos + 1] == "N" and pos + 1 not in used:
                repeated.add(pos + 1)
        seen.add(region[pos].text)
    free = [pos for pos in free if pos not in repeated]
    number_at = [pos for pos in free if kinds[pos] == "N"]
    points = [leaf.points or 0.0 for leaf in leaves]
    # the total score: printed after 总分, else the last free number equal to the leaves' sum
    score_sum = sum(leaf.score for leaf in leaves)
    printed = [*totals, *(region[pos] for pos in reversed(number_at))]
    total = next((c for c in printed if abs((c.value or 0.0) - score_sum) < 0.005), None)
    number_at = [pos for pos in number_at if region[pos] is not total]
    solved = _solve_levels(points, [region[pos].value or 0.0 for pos in number_at])
    if solved is None:
        return None
    level2, level1 = solved
    level_of_number = {number_at[index]: 2 for _, index in level2}
    level_of_number.update({number_at[index]: 1 for _, index in level1})
    names1, names2 = _level_names(region, kinds, free, level_of_number, len(level1), len(level2))
    rows = _rows(leaves, level2, level1, names1, names2)
    total_points = next((c.value for c in totals if c is not total), None)
    page = total.page if total is not None else next((c.page for c in totals), None)
    return BlockIndicators(rows, total_points, total.value if total else None, page)


def _rows(
    leaves: list[_Leaf],
    level2: list[tuple[int, int]],
    level1: list[tuple[int, int]],
    names1: list[str],
    names2: list[str],
) -> list[Indicator]:
    """Given the leaves, their groups (ends of each level-2 group in leaves, of each level-1
    group in level-2 groups) and the level names, return the indicator rows."""
    starts2 = [0] + [end for end, _ in level2]
    sums2 = [sum(leaf.points or 0.0 for leaf in leaves[a:b]) for a, b in pairwise(starts2)]
    owner: list[int] = []  # the level-1 group of each level-2 group
    for group1, (end, _) in enumerate(level1):
        owner.extend([group1] * (end - len(owner)))
    sums1 = [sum(sums2[g] for g in range(len(sums2)) if owner[g] == k) for k in range(len(level1))]
    rows: list[Indicator] = []
    for group2, (start, end) in enumerate(pairwise(starts2)):
        group1 = owner[group2]
        for leaf in leaves[start:end]:
            rows.append(
                {
                    "level1": names1[group1] if group1 < len(names1) else None,
                    "level1_points": sums1[group1],
                    "level2": names2[group2] if group2 < len(names2) else None,
                    "level2_points": sums2[group2],
                    "level3": leaf.name,
                    "points": leaf.points,
                    "score": leaf.score,
                    "target": leaf.target,
                    "actual": leaf.actual,
                    "page": leaf.page,
                }
            )
    return rows


def _level_names(
    region: list[Cell],
    kinds: list[str],
    free: list[int],
    level_of_number: dict[int, int],
    count1: int,
    count2: int,
) -> tuple[list[str], list[str]]:
    """Return the level-1 and level-2 names in printed order."""
    labels = [pos for pos in free if kinds[pos] == "L"]
    level: dict[int, int | None] = {}
    for pos in labels:
        after = pos + 1 if pos + 1 < len(region) else None
        before = pos - 1 if pos > 0 else None
        if after is not None and after in level_of_number:
            level[pos] = level_of_number[after]
        elif (
            before is not None
            and before in level_of_number
            and not (before > 0 and kinds[before - 1] == "L")
        ):
            level[pos] = level_of_number[before]
        else:
            level[pos] = None
    known1 = sum(1 for value in level.values() if value == 1)
    known2 = sum(1 for value in level.values() if value == 2)
    for pos in labels:
        if level[pos] is None:
            if known1 < count1 and (known2 >= count2):
                level[pos], known1 = 1, known1 + 1
            else:
                level[pos], known2 = 2, known2 + 1
    names1 = [region[pos].text for pos in labels if level[pos] == 1]
    names2 = [region[pos].text for pos in labels if level[pos] == 2]
    return names1, names2


def parse_blocks(lines: list[Line]) -> FormContent:
    """Given the lines of a text layer, return what the block reader finds."""
    cells = cells_of(lines)
    content = FormContent()
    content.department = department_from_lines(lines)
    budget = find_block_budget(cells)
    if budget:
        content.found_budget_table = True
        content.budget_lines = budget
    found = read_block_indicators(cells)
    if found is not None:
        content.found_indicator_table = True
        content.indicators = found.rows
        content.total_points = found.total_points
        content.total_score = found.total_score
        content.total_page = found.total_page
    return content


def _complete_budget(lines: list[BudgetLine]) -> bool:
    return bool(lines) and all(
        line["budget"] is not None and line["actual"] is not None for line in lines
    )


def adds_up(content: FormContent) -> bool:
    """Given a reading, return True when its leaves are whole and add up to its totals."""
    rows = content.indicators
    if not rows or any(
        row["points"] is None or row["score"] is None or not row["level1"] for row in rows
    ):
        return False
    points = sum(row["points"] or 0.0 for row in rows)
    score = sum(row["score"] or 0.0 for row in rows)
    if content.total_points is not None and abs(points - content.total_points) > 0.005:
        return False
    return content.total_score is None or abs(score - content.total_score) < 0.005


def is_block_layout(lines: list[Line]) -> bool:
    """Given the lines, return True when the text layer prints one block per cell: (nearly)
    every line holding a number holds nothing else."""
    alone = mixed = 0
    for line in lines:
        pieces = line.text.split()
        if any(is_number(piece) for piece in pieces):
            alone, mixed = (alone + 1, mixed) if len(pieces) == 1 else (alone, mixed + 1)
    return alone >= 10 and mixed <= 0.1 * (alone + mixed)


def fill_from_blocks(content: FormContent, blocks: FormContent, block_layout: bool) -> FormContent:
    """Given the line reader's and the block reader's readings, return the better of each part.

    The block reader's parts are taken when they are whole (budget figures all there, leaves
    adding up to the totals) and either the text prints one block per cell or the line
    reader's parts are missing or do not add up.
    """
    if blocks.department and (block_layout or not content.department):
        content.department = blocks.department
    if _complete_budget(blocks.budget_lines) and (
        block_layout or not _complete_budget(content.budget_lines)
    ):
        content.budget_lines = blocks.budget_lines
        content.found_budget_table = True
    if (block_layout or not adds_up(content)) and adds_up(blocks):
        take_indicators(content, blocks)
    return content


def take_indicators(content: FormContent, other: FormContent) -> None:
    """Given two readings, put the other's indicator table and totals into ``content``."""
    content.indicators = other.indicators
    content.found_indicator_table = True
    content.total_points = other.total_points
    content.total_score = other.total_score
    content.total_page = other.total_page
