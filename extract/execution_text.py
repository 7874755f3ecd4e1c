"""Execution tables (budget execution, projects) read from a flattened text layer.

A table starts at a header cell ``年初…`` printed on a line of its own words (no sentence
punctuation). The header is the words around it; ``项目名称`` in it marks the project
table. A data row is a line ending in as many values as the header has value columns;
its label is the text gathered since the previous row. For the budget table, text on
earlier lines is the group (基本 / 支出) and text on the values' line the item. Header
words repeated at the top of a new page are dropped. The table ends at prose (a line
with sentence punctuation) or when more than ``MAX_LABEL`` characters gather without
values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.extract.execution import ExecRow, keys_from_header, label_text, strip_sequence
from jixiao.extract.normalize import compact, is_placeholder, is_rate
from jixiao.extract.text_layer import Line
from jixiao.extract.vocabulary import amount_units_in, unit_statement_in

PROSE = re.compile(r"[。;:]|(?<!\d),|,(?!\d{3})")  # NFKC: ，→,  ；→;  ：→:
MAX_LABEL = 60
HEADER_LOOKBACK = 6
PROJECTS = "projects"
HEADER_WORDS: tuple[str, ...] = (
    "预算数",
    "预算调整",
    "调整",
    "支出金额",
    "支出数",
    "支出率",
    "执行数",
    "执行率",
    "完成率",
    "实际支出",
    "决算数",
)
BUDGET = "budget"


@dataclass
class TextTable:
    """One execution table found in a text layer: kind, value keys, rows."""

    kind: str
    keys: list[str]
    rows: list[ExecRow] = field(default_factory=list)
    page: int | None = None
    units: list[str] = field(default_factory=list)  # amount units its header (or 单位：…) states


def _is_prose(text: str) -> bool:
    return bool(PROSE.search(text))


def _opens_table(line: Line) -> bool:
    tokens = line.text.split()
    return (
        bool(tokens)
        and not _is_prose(line.text)
        and any(token.startswith("年初") and len(token) <= 6 for token in tokens)
    )


def _is_value(token: str) -> bool:
    return is_rate(token) or is_placeholder(token)


def _trailing_values(tokens: list[str]) -> int:
    count = 0
    for token in reversed(tokens):
        if not _is_value(token):
            break
        count += 1
    return count


def _header_words(lines: list[Line], start: int) -> tuple[list[str], int]:
    """Given the lines and the 年初 line, return the header's words and the first row's index."""
    first = start
    for back in range(start - 1, max(start - HEADER_LOOKBACK, 0) - 1, -1):
        text = lines[back].text
        if not text:
            continue
        if (
            _is_prose(text)
            or _trailing_values(text.split()) >= 2
            or compact(text).startswith(("表", "单位"))
        ):
            break
        first = back
    last = start
    position = start
    while position < len(lines):
        tokens = lines[position].text.split()
        if tokens and _trailing_values(tokens) >= 2:
            break
        if any(word in token for token in tokens for word in HEADER_WORDS):
            last = position
        position += 1
    words = [token for line in lines[first : last + 1] for token in line.text.split()]
    return words, last + 1


def _read_rows(lines: list[Line], position: int, table: TextTable, header: set[str]) -> int:
    """Read data rows from ``position`` into ``table``; return the index after the table."""
    width = len(table.keys)
    above: list[str] = []
    group: str | None = None
    while position < len(lines):
        line = lines[position]
        tokens = line.text.split()
        position += 1
        if not tokens:
            continue
        if _is_prose(line.text) or (_opens_table(line) and table.rows):
            return position - 1
        values = _trailing_values(tokens)
        if values < width:
            above.extend(token for token in tokens if token not in header or above)
            if len(label_text(above)) > MAX_LABEL:
                return position
            continue
        label_here = tokens[: len(tokens) - width]
        row_values = tuple(tokens[len(tokens) - width :])
        if table.kind == PROJECTS:
            label = label_text(strip_sequence(above + label_here))
            table.rows.append(ExecRow(None, label, row_values, line.page))
        else:
            if above and label_here:
                group = label_text(above)
                label = label_text(label_here)
            else:
                label = label_text(above + label_here)
            if compact(label) in ("合计", "总计"):
                group = None
            table.rows.append(ExecRow(group, label, row_values, line.page))
        table.page = table.page or line.page
        above = []
    return position


UNIT_LINES_ABOVE = 8  # lines above a table's header searched for its 单位：… line


def _unit_above(lines: list[Line], position: int) -> list[str]:
    """Given the lines and a table's first header line, return the unit a 单位：… line
    states above it (table title and header words between), never past a row of figures
    (the table before: its unit is its own)."""
    for line in reversed(lines[max(0, position - UNIT_LINES_ABOVE) : position]):
        if _trailing_values(line.text.split()):
            return []
        unit = unit_statement_in(line.text)
        if unit is not None:
            return [unit]
    return []


def find_tables(lines: list[Line]) -> list[TextTable]:
    """Given the lines of a text layer, return its execution tables in reading order."""
    tables: list[TextTable] = []
    position = 0
    while position < len(lines):
        if not _opens_table(lines[position]):
            position += 1
            continue
        words, first_row = _header_words(lines, position)
        header_text = "".join(words)
        keys = keys_from_header(header_text)
        kind = PROJECTS if "项目名称" in compact(header_text) else BUDGET
        if first_row < len(lines):
            width = _trailing_values(lines[first_row].text.split())
            if width != len(keys) and width == 6:
                keys = keys_from_header("年初调整金额调整率调整后支出金额支出率")
        table = TextTable(kind, keys, units=amount_units_in(words) + _unit_above(lines, position))
        position = max(_read_rows(lines, first_row, table, set(words)), position + 1)
        if not table.rows:
            continue
        previous = tables[-1] if tables else None
        if previous and (previous.kind, previous.keys) == (table.kind, table.keys):
            previous.rows.extend(table.rows)  # the table continues under a repeated header
            previous.units.extend(table.units)
        else:
            tables.append(table)
    return tables
