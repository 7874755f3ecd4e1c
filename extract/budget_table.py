"""Budget tables read from their row and column headers, in either orientation.

Two shapes exist in the wild, and both are read by their header words
(``jixiao.extract.vocabulary``):

- **measures as rows** (Guangzhou 年度部门整体支出规模): rows labelled 全年预算数 / 全年执行数 /
  完成率, one column per item (财政拨款, 基本支出 …) under group headers (按资金来源 …);
- **measures as columns** (the national 年度预算执行情况): a header line 年初预算数 / 全年预算数 /
  全年执行数 / 分值 / 执行率 / 得分, one row per item (年度资金总额, 其中：财政拨款 …), possibly
  under group labels (按收入性质分 …). The 分值 and 得分 of the total row are the 预算执行率
  points of the national template.

Amounts are stored in 万元: printed in 万元 they stay as printed; a table that states
another unit (全年预算数（元）, 规模（千元）, 单位：亿元) has its amounts converted, and says so
(``BudgetTable.unit``); a table stating two units is left as printed and flagged by the
caller (``units_seen``). Rates become fractions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.extract.budget import in_record_unit
from jixiao.extract.columns import Column, find_headers
from jixiao.extract.normalize import compact, is_number, is_placeholder, parse_number, parse_rate
from jixiao.extract.page_words import Line, PageLayout, Word, lines_of
from jixiao.extract.record import BudgetLine
from jixiao.extract.vocabulary import (
    ACTUAL_AMOUNT,
    BUDGET,
    INITIAL_BUDGET,
    POINTS,
    RATE,
    SCORE,
    TOTAL_DIMENSION,
    amount_unit_in,
    budget_measure,
    dimension_of,
    indicator_field,
    is_group_header,
    strip_prefix,
    unit_statement_in,
)

AMOUNTS: tuple[str, ...] = (INITIAL_BUDGET, BUDGET, ACTUAL_AMOUNT)
ITEM_WORDS: tuple[str, ...] = ("项目", "项目名称", "资金来源", "资金类别")
ITEM = "item"
ITEM_LINES_ABOVE = 6  # lines above the first measure row searched for item and group names


@dataclass
class BudgetTable:
    """Budget lines, the 预算执行率 points and score when printed, and what was seen."""

    lines: list[BudgetLine]
    page: int
    orientation: str  # "measures as rows" | "measures as columns"
    headers: list[str]
    execution_points: float | None = None
    execution_score: float | None = None
    unmapped: list[str] = field(default_factory=list)
    unit: str | None = None  # the amount unit the table states (None: none stated, or two)
    units_seen: list[str] = field(default_factory=list)  # every unit it states


def _classify(text: str) -> tuple[str, int] | None:
    flat = compact(text)
    if flat in ITEM_WORDS:
        return ITEM, 0
    measure = budget_measure(flat)
    return (measure, 0) if measure is not None else None


def _is_measure_header(fields: Sequence[tuple[str, int]]) -> bool:
    return len({name for name, _ in fields if name in AMOUNTS}) >= 2


def _value(word: Word | None, measure: str) -> float | None:
    if word is None or is_placeholder(word.text):
        return None
    return parse_rate(word.text) if measure == RATE else parse_number(word.text)


def _line(dimension: str, item: str, page: int) -> BudgetLine:
    return {
        "dimension": dimension,
        "item": item,
        "budget": None,
        "actual": None,
        "reported_rate": None,
        "initial_budget": None,
        "adjustment": None,
        "page": page,
    }


_FIELD_OF = {
    INITIAL_BUDGET: "initial_budget",
    BUDGET: "budget",
    ACTUAL_AMOUNT: "actual",
    RATE: "reported_rate",
}


def _units_stated(lines: Sequence[Line], start: int, end: int) -> list[str]:
    """Given a page's lines and the table's first and last line, return the amount units
    stated by the table and the lines just around it: a word alone (全年预算数（元）) or
    joined to the word printed right below it (a label wrapped in its cell: 情况（ / 万元）);
    above the table, a stated unit line (金额单位：元) counts wherever it is on the page."""
    units: list[str] = []
    first = max(0, start - ITEM_LINES_ABOVE)
    for index, line in enumerate(lines[: end + 3]):
        below = lines[index + 1].words if index + 1 < len(lines) else ()
        for word in line.words:
            if index < first:  # far above the table: only 单位：… statements
                unit = unit_statement_in(word.text)
            else:
                unit = amount_unit_in(word.text)
                under = next((w for w in below if abs(w.x0 - word.x0) <= w.height), None)
                if unit is None and under is not None:
                    unit = amount_unit_in(word.text + under.text)
            if unit is not None:
                units.append(unit)
    return units


def _in_record_unit(table: BudgetTable, units: list[str]) -> BudgetTable:
    """Given a table and the units it states, return it with amounts in 万元 when it states
    exactly one unit (``jixiao.extract.budget.in_record_unit``), else as printed."""
    table.unit, table.units_seen = in_record_unit(table.lines, units)
    return table


def _measure_columns(page: PageLayout) -> BudgetTable | None:
    headers = find_headers(page, _classify, _is_measure_header)
    if not headers:
        return None
    header = headers[0]
    lines = lines_of(page.words)
    start = next((i for i, line in enumerate(lines) if line.bottom >= header.top), 0)
    end = start
    measures = [column for column in header.columns if column.field != ITEM]
    first_x = min(column.x0 for column in measures)
    table = BudgetTable(
        [],
        page.number,
        "measures as columns",
        [f"{column.header}→{column.field}" for column in header.columns],
        unmapped=list(header.unmapped),
    )
    group: str | None = None
    for index, line in enumerate(lines):
        if line.middle <= header.bottom:
            continue
        fields = [f for w in line.words if (f := indicator_field(w.text)) is not None]
        if len(fields) >= 3:
            break  # the indicator table's header: the budget table is over
        cells: dict[str, Word] = {}
        stray = False
        for word in line.words:
            column = _holder(measures, word)
            if column is None:
                continue
            if is_number(word.text.rstrip("%")) or is_placeholder(word.text):
                cells.setdefault(column.field, word)
            else:
                stray = True
        if stray and table.lines:
            break  # a text row (预期目标 …): the table is over
        figures = [w for w in line.words if w.x1 > first_x - 1 and _is_figure(w)]
        if len(figures) == len(measures):  # one figure per column: read them in order
            cells = {column.field: figure for column, figure in zip(measures, figures, strict=True)}
        labels = [w for w in line.words if w.x1 <= first_x + 1 and not is_number(w.text)]
        groups = [w for w in labels if is_group_header(w.text)]
        if groups:
            group = compact(groups[-1].text)
        if not any(f in cells for f in AMOUNTS):
            continue
        names = [w for w in labels if not is_group_header(w.text)]
        if not names:
            continue
        item = strip_prefix(compact(names[-1].text))
        dimension = dimension_of(group if groups else None, item)
        entry = _line(dimension, item, page.number)
        for measure, name in _FIELD_OF.items():
            entry[name] = _value(cells.get(measure), measure)  # type: ignore[literal-required]
        if dimension == TOTAL_DIMENSION and table.execution_points is None:
            table.execution_points = _value(cells.get(POINTS), POINTS)
            table.execution_score = _value(cells.get(SCORE), SCORE)
        table.lines.append(entry)
        end = index
    if not table.lines:
        return None
    return _in_record_unit(table, _units_stated(lines, start, end))


def _is_figure(word: Word) -> bool:
    return is_number(word.text.rstrip("%")) or is_placeholder(word.text)


def _holder(columns: Sequence[Column], word: Word) -> Column | None:
    return next((column for column in columns if column.holds(word)), None)


def _measure_rows(page: PageLayout) -> BudgetTable | None:
    lines = lines_of(page.words)
    groups: list[list[tuple[int, str, list[Word]]]] = []
    for index, line in enumerate(lines):
        figures = [w for w in line.words if _is_figure(w)]
        if not figures:
            continue
        labels = [w for w in line.words if w.x1 <= figures[0].x0 + 1 and not _is_figure(w)]
        measure = next((m for w in labels if (m := budget_measure(w.text)) is not None), None)
        numbers = [w for w in figures if w.x0 > max((w.x1 for w in labels), default=0) - 1]
        if measure not in (*AMOUNTS, RATE) or len(numbers) < 2:
            continue
        if groups and index - groups[-1][-1][0] <= 2 and len(groups[-1][-1][2]) == len(numbers):
            groups[-1].append((index, measure, numbers))
        else:
            groups.append([(index, measure, numbers)])
    # the measure rows: consecutive rows of as many figures, one of them amounts
    rows = next((g for g in groups if any(m in AMOUNTS for _, m, _ in g)), None)
    if rows is None:
        return None
    first_index, _, numbers = rows[0]
    centres = [w.centre for w in numbers]
    bounds = [centres[0] - (centres[1] - centres[0]) / 2]
    bounds += [(a + b) / 2 for a, b in zip(centres, centres[1:], strict=False)]
    bounds.append(centres[-1] + (centres[-1] - centres[-2]) / 2)

    def column_of(word: Word) -> int | None:
        for index in range(len(centres)):
            if bounds[index] <= word.centre < bounds[index + 1]:
                return index
        return None

    items: list[list[Word]] = [[] for _ in centres]
    groups: list[Word] = []
    for line in reversed(lines[max(0, first_index - ITEM_LINES_ABOVE) : first_index]):
        inside = [w for w in line.words if w.x0 >= bounds[0] - 1]
        if not inside:
            continue  # a wrapped row label beside the items
        if any(is_group_header(w.text) for w in inside):
            groups.extend(w for w in inside if is_group_header(w.text))
            break
        for word in inside:
            column = column_of(word)
            if column is not None:
                items[column].insert(0, word)
    table = BudgetTable(
        [],
        page.number,
        "measures as rows",
        [f"{compact(lines[i].words[0].text)}→{m}" for i, m, _ in rows],
    )
    for column, parts in enumerate(items):
        name = "".join(compact(w.text) for w in parts)
        if not name:
            table.unmapped.append(f"column {column + 1}: no item name above its figures")
            continue
        group = None
        if groups:
            group = compact(min(groups, key=lambda w: abs(w.centre - centres[column])).text)
        entry = _line(dimension_of(group, name), strip_prefix(name), page.number)
        for _, measure, cells in rows:
            values = {column_of(w): w for w in cells}
            if measure in _FIELD_OF:
                entry[_FIELD_OF[measure]] = _value(values.get(column), measure)  # type: ignore[literal-required]
        table.lines.append(entry)
    if not table.lines:
        return None
    return _in_record_unit(table, _units_stated(lines, first_index, rows[-1][0]))


def read_budget_table(layouts: Sequence[PageLayout]) -> BudgetTable | None:
    """Given a document's pages, return its budget table (the first found), else None."""
    for page in layouts:
        table = _measure_columns(page) or _measure_rows(page)
        if table is not None:
            return table
    return None
