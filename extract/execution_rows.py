"""Execution tables (budget execution, projects) read from PDF table rows.

A header is one or more rows without numbers, the first holding ``年初…``. Each column's
header text is its cells stacked from top to bottom (a cell merged over its right
neighbours fills them in the upper rows), and ``column_key`` names the value it holds.
Columns without a key are labels: the first is the group (merged down over its rows),
the last the item; ``序号`` columns are dropped. A table continued on the next page
repeats its header and is stitched to the previous one.
"""

from __future__ import annotations

from jixiao.extract.execution import ExecRow, column_key
from jixiao.extract.execution_text import BUDGET, PROJECTS, TextTable
from jixiao.extract.normalize import compact, is_rate, join_lines
from jixiao.extract.pdf_tables import TableRow
from jixiao.extract.vocabulary import amount_unit_in, unit_statement_in


def _has_values(cells: tuple[str | None, ...]) -> bool:
    return any(cell is not None and is_rate(cell) for cell in cells)


def _column_headers(header: list[TableRow]) -> list[str]:
    width = max(len(row.cells) for row in header)
    texts = [""] * width
    for depth, row in enumerate(header):
        last = depth == len(header) - 1
        current = ""
        for col in range(width):
            cell = row.cells[col] if col < len(row.cells) else None
            if cell is not None:
                current = compact(cell)
                texts[col] += current
            elif not last:
                texts[col] += current
    return texts


def _opens(row: TableRow) -> bool:
    return not _has_values(row.cells) and any("年初" in compact(cell) for cell in row.cells)


def _read_table(rows: list[TableRow], start: int) -> tuple[TextTable | None, int]:
    """Given rows and a header's first row, return the table read and the index after it."""
    position = start
    header: list[TableRow] = []
    while (
        position < len(rows)
        and rows[position].table == rows[start].table
        and not _has_values(rows[position].cells)
    ):
        header.append(rows[position])
        position += 1
    texts = _column_headers(header)
    keys = [column_key(text) for text in texts]
    value_cols = [col for col, key in enumerate(keys) if key is not None]
    label_cols = [col for col, key in enumerate(keys) if key is None and "序" not in texts[col][:2]]
    if not value_cols or not label_cols:
        return None, position
    kind = PROJECTS if any("名称" in text for text in texts) else BUDGET
    table = TextTable(kind, [keys[col] for col in value_cols])  # type: ignore[misc]
    table.units = [unit for text in texts if (unit := amount_unit_in(text)) is not None]
    stated = unit_statement_in(rows[start].above)  # the 单位：… line printed over the table
    table.units += [stated] if stated is not None else []
    group: str | None = None
    while position < len(rows) and rows[position].table == rows[start].table:
        row = rows[position]
        position += 1
        if not _has_values(row.cells):
            continue
        cells = [row.cells[col] if col < len(row.cells) else None for col in label_cols]
        if len(cells) > 1 and cells[0] is not None:
            group = join_lines(cells[0])
        item = join_lines(cells[-1]) if cells[-1] is not None else None
        if item is None or len(cells) == 1 and kind == BUDGET and group == item:
            item, row_group = (group or ""), None
        else:
            row_group = group if len(cells) > 1 else None
        if kind == PROJECTS:
            row_group = None
        values = tuple(row.cells[col] if col < len(row.cells) else None for col in value_cols)
        table.rows.append(ExecRow(row_group, compact(item), values, row.page))
        table.page = table.page or row.page
    return table, position


def find_row_tables(rows: list[TableRow]) -> list[TextTable]:
    """Given a PDF's table rows, return its execution tables, continued tables stitched."""
    tables: list[TextTable] = []
    position = 0
    while position < len(rows):
        if not _opens(rows[position]):
            position += 1
            continue
        table, position = _read_table(rows, position)
        if table is None or not table.rows:
            continue
        previous = tables[-1] if tables else None
        if previous and (previous.kind, previous.keys) == (table.kind, table.keys):
            previous.rows.extend(table.rows)
        else:
            tables.append(table)
    return tables
