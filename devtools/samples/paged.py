"""Drawing tables and prose over pages, knowing the page of every row and paragraph.

Shared by the report samples: a table is cut into one table per page, each starting with
its header rows; label columns are merged (SPAN) over runs of equal labels on a page and
shown again at the top of the next page. Prose is wrapped to the page width and a
paragraph is never split over two pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao_devtools.samples.render import (
    BOTTOM,
    FONT,
    GAP,
    LEADING,
    LEFT,
    TOP,
    WIDTH,
    Grid,
    Span,
    _Pages,
    draw,
    layout,
    wrap,
)

MergeColumns = Sequence[tuple[int, ...]]  # each: the columns merged together, keyed by the first


def _body_spans(
    body: list[list[str]], merge: MergeColumns, offset: int
) -> tuple[list[list[str]], list[Span]]:
    rows = [list(row) for row in body]
    spans: list[Span] = []
    for columns in merge:
        key_col = columns[0]
        keys = ["/".join(row[c] for c in range(key_col + 1)) for row in body]
        start = 0
        for index in range(1, len(rows) + 1):
            if index < len(rows) and keys[index] == keys[start]:
                continue
            for row in range(start + 1, index):
                for col in columns:
                    rows[row][col] = ""
            if index - start > 1:
                for col in columns:
                    spans.append(((col, start + offset), (col, index - 1 + offset)))
            start = index
    return rows, spans


def paged_grid(
    widths: tuple[float, ...],
    header: list[list[str]],
    header_spans: list[Span],
    body: list[list[str]],
    merge: MergeColumns,
    extra_spans: list[Span] | None = None,
) -> Grid:
    """Given widths, header rows and spans, body rows and merged columns, return the grid."""
    rows, spans = _body_spans(body, merge, len(header))
    return layout(widths, header + rows, header_spans + spans + (extra_spans or []))


def draw_paged_table(
    pages: _Pages,
    widths: tuple[float, ...],
    header: list[list[str]],
    header_spans: list[Span],
    body: list[list[str]],
    merge: MergeColumns = (),
    row_spans: dict[int, list[tuple[int, int]]] | None = None,
) -> list[int]:
    """Draw a table over as many pages as it needs; return the page of each body row.

    ``row_spans`` maps a body row index to column ranges merged across that row
    (e.g. a 合计 label over two columns).
    """
    row_spans = row_spans or {}
    result: list[int] = []
    start = 0
    while start < len(body):
        best: tuple[int, Grid] | None = None
        for end in range(start + 1, len(body) + 1):
            extra = [
                ((c0, index - start + len(header)), (c1, index - start + len(header)))
                for index in range(start, end)
                for c0, c1 in row_spans.get(index, [])
            ]
            grid = paged_grid(widths, header, header_spans, body[start:end], merge, extra)
            if pages.y - grid.height < BOTTOM:
                break
            best = (end, grid)
        if best is None:
            if pages.y == TOP:
                raise ValueError("a table row is taller than a page")
            pages.next()
            continue
        end, grid = best
        pages.y = draw(pages.canvas, grid, pages.y) - GAP
        result.extend([pages.number] * (end - start))
        start = end
        if start < len(body):
            pages.next()
    return result


def draw_paragraph(pages: _Pages, text: str, size: float = 10.5, indent: bool = True) -> int:
    """Draw one wrapped paragraph (kept on one page); return its page."""
    lines = wrap(("\u3000\u3000" if indent else "") + text, WIDTH, size)
    height = len(lines) * (size + 6)
    if pages.y - height < BOTTOM:
        pages.next()
    pages.canvas.setFont(FONT, size)
    for line in lines:
        pages.y -= size + 6
        pages.canvas.drawString(LEFT, pages.y, line)
    pages.y -= 4
    return pages.number


def draw_heading(pages: _Pages, text: str, size: float = 16, centred: bool = True) -> int:
    """Draw a heading line; return its page."""
    if pages.y - size - LEADING < BOTTOM:
        pages.next()
    pages.y -= size + 8
    pages.canvas.setFont(FONT, size)
    if centred:
        pages.canvas.drawCentredString(LEFT + WIDTH / 2, pages.y, text)
    else:
        pages.canvas.drawString(LEFT, pages.y, text)
    pages.y -= 6
    return pages.number
