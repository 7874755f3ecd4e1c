"""Tables without ruling lines, rebuilt from where the characters are.

A borderless table still has its cells apart: columns are separated by vertical gutters
(x ranges no character covers, from the header down to the table's end) and rows by
horizontal bands taller than the gap between two wrapped lines of one cell, read in the
column that is cut into the most rows (a merged group label spans several rows); each
row starts just above its first line (cells are top-aligned). A group label that wraps
past its first row is joined back to it. Those gutters
and bands become explicit ruling lines, and pdfplumber reads the cells as it reads a
ruled table (wrapped text joined with ``\\n``, empty cells ``""``).

A table region starts at a header line naming ``一级指标`` (wrapped: ``一级指``) and ends
at the next such line or the page's last line of text (a page number is left out).
"""

from __future__ import annotations

import re
from typing import Any

from extract.normalize import compact
from extract.table_row import TableRow

START_WORDS: tuple[str, ...] = ("一级指",)
LINE_TOLERANCE = 2.0  # points: chars whose tops differ less are on one line
MIN_GUTTER = 2.5  # points of empty x range that separate two columns
ROW_GAP_FACTOR = 0.55  # an empty band taller than this × the char height separates rows
_PAGE_NUMBER = re.compile(r"^[—\-–\s\d第页/]+$")


def _lines(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Given chars, return lines: top, bottom, x0, x1 and text, top to bottom."""
    lines: list[dict[str, Any]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(char["top"] - lines[-1]["top"]) < LINE_TOLERANCE:
            line = lines[-1]
            line["bottom"] = max(line["bottom"], char["bottom"])
            line["chars"].append(char)
        else:
            lines.append({"top": char["top"], "bottom": char["bottom"], "chars": [char]})
    for line in lines:
        line["text"] = "".join(c["text"] for c in sorted(line["chars"], key=lambda c: c["x0"]))
    return lines


def _gaps(
    intervals: list[tuple[float, float]], low: float, high: float
) -> list[tuple[float, float]]:
    """Given covered intervals within [low, high], return the uncovered gaps between them."""
    gaps = []
    cursor = low
    for start, end in sorted(intervals):
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    return gaps


def _region_lines(
    chars: list[dict[str, Any]], top: float, bottom: float
) -> tuple[list[float], list[float]] | None:
    """Given the chars of a region, return its explicit vertical and horizontal lines."""
    inside = [c for c in chars if top - 0.5 <= c["top"] and c["bottom"] <= bottom + 0.5]
    if not inside:
        return None
    x0 = min(c["x0"] for c in inside) - 1
    x1 = max(c["x1"] for c in inside) + 1
    columns = _gaps([(c["x0"], c["x1"]) for c in inside], x0, x1)
    verticals = [x0, *[(a + b) / 2 for a, b in columns if b - a >= MIN_GUTTER], x1]
    height = sorted(c["bottom"] - c["top"] for c in inside)[len(inside) // 2]
    rows: list[float] = []
    for left, right in zip(verticals, verticals[1:], strict=False):
        column = [c for c in inside if left <= (c["x0"] + c["x1"]) / 2 < right]
        bands = _gaps([(c["top"], c["bottom"]) for c in column], top - 1, bottom + 1)
        found = [b - 0.5 for a, b in bands[1:] if b - a > ROW_GAP_FACTOR * height]
        if len(found) > len(rows):
            rows = found  # the column cut into the most rows: a merged label spans several
    horizontals = [top - 1, *rows, bottom + 1]
    if len(verticals) < 4 or len(horizontals) < 3:
        return None
    return verticals, horizontals


def borderless_rows(page: Any, number: int, first_table: int) -> list[TableRow]:
    """Given a pdfplumber page without ruling, its number and the next table number,
    return the rows of its indicator tables rebuilt from the characters' positions."""
    chars = page.chars
    lines = [line for line in _lines(chars) if not _PAGE_NUMBER.match(line["text"])]
    starts = [i for i, line in enumerate(lines) if compact(line["text"]).startswith(START_WORDS)]
    rows: list[TableRow] = []
    for order, start in enumerate(starts):
        end = starts[order + 1] - 1 if order + 1 < len(starts) else len(lines) - 1
        top, bottom = lines[start]["top"], max(line["bottom"] for line in lines[start : end + 1])
        found = _region_lines(chars, top, bottom)
        if found is None:
            continue
        verticals, horizontals = found
        region = page.crop((verticals[0], top - 1, verticals[-1], bottom + 1))
        settings = {
            "vertical_strategy": "explicit",
            "horizontal_strategy": "explicit",
            "explicit_vertical_lines": verticals,
            "explicit_horizontal_lines": horizontals,
        }
        for table in region.find_tables(settings):
            table_number = first_table + order
            cells = _join_continued_labels(table.extract())
            rows.extend(TableRow(number, table_number, tuple(row)) for row in cells)
    return rows


def _join_continued_labels(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Given a table's rows (header first), return them with wrapped group labels rejoined.

    A group label (一级/二级指标) is printed with its points; text in a label column whose
    points cell is empty is the label of the row above running on, so it moves up.
    """
    if not rows:
        return rows
    header = [compact(cell) for cell in rows[0]]
    pairs = [
        col
        for col in range(len(header) - 1)
        if header[col + 1].startswith(("分值", "权重")) and "三级" not in header[col]
    ]
    out = [list(row) for row in rows]
    for index in range(2, len(out)):
        for col in pairs:
            text, points = out[index][col], out[index][col + 1]
            if not compact(text) or compact(points):
                continue
            above = next((r for r in reversed(out[1:index]) if compact(r[col])), None)
            if above is not None:
                above[col] = f"{above[col]}\n{text}"
                out[index][col] = ""
    return out
