"""One row of a table read from a PDF: the unit every row-based parser consumes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableRow:
    """One row of a table: its 1-based page, table number in the document, cells."""

    page: int
    table: int
    cells: tuple[str | None, ...]
