"""Reading the serving copy: the read-only DuckDB file of the marts that dashboards,
notebooks and analysts open instead of the warehouse.

The ``publish`` task writes it (``jixiao/stages/publish.py``) and swaps it in with one
``rename``; a reader holding the previous copy open keeps reading it, the next one who
opens the path gets the new copy, and ``version()`` (inode and modification time) tells a
reader that stays open when to switch. Where it is: ``JIXIAO_SERVING`` (default
``<warehouse folder>/serving/jixiao.duckdb``).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from jixiao import settings as settings_module

SERVING_FOLDER = "serving"
SERVING_FILE = "jixiao.duckdb"  # catalog "jixiao": marts.x reads as in the warehouse


def serving_path(warehouse: Path | None = None) -> Path:
    """Given the warehouse file (default the settings'), return its serving copy's path.

    For the settings' warehouse that is ``JIXIAO_SERVING``; any other warehouse (a test's,
    a benchmark's) has its copy beside it, in ``serving/jixiao.duckdb``.
    """
    cfg = settings_module.resolve()
    if warehouse is None or Path(warehouse).expanduser().resolve() == cfg.warehouse:
        return cfg.serving
    return Path(warehouse).expanduser().resolve().parent / SERVING_FOLDER / SERVING_FILE


def version(path: Path) -> tuple[int, int] | None:
    """Given the serving copy's path, return its version (inode, mtime ns); ``None`` if absent."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def sql_literal(text: str) -> str:
    """Given a text, return it as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def open_reader(path: Path) -> duckdb.DuckDBPyConnection:
    """Given a serving copy, return a read-only connection to it (catalog ``jixiao``).

    ``duckdb.connect(path)`` would reuse DuckDB's open database for the same path, which
    after a swap is still the replaced copy; attaching to a fresh in-memory database
    opens the file that is at ``path`` now. Use ``reader_cursor()`` for each thread.
    """
    con = duckdb.connect(":memory:")
    con.execute(f"attach {sql_literal(str(path))} as jixiao (read_only)")
    con.execute("use jixiao")
    return con


def reader_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Given a connection from ``open_reader``, return a cursor for one thread's queries."""
    cursor = con.cursor()
    cursor.execute("use jixiao")
    return cursor
