"""The serving copy: a read-only DuckDB file of the marts for dashboards and analysts.

DuckDB allows one writer, and a reader's open connection locks the file against every
writer (``Could not set lock on file``). So nothing but the pipeline ever opens the
warehouse: after a successful run the publish step copies the marts (and the quality
tables a dashboard shows) into a new file beside the warehouse and swaps it in with one
``rename``::

    <warehouse folder>/serving/jixiao.duckdb       (override: JIXIAO_SERVING)

A reader holding the previous copy open keeps reading it (the old inode lives until it
closes); the next one who opens the path gets the new copy. Readers notice a new copy
by its ``version()`` (inode and modification time), without a restart.

Schemas of the copy:

- ``marts``: every table of the warehouse's ``marts`` schema, as built;
- ``lookup``: the seeds that name things in Chinese (indicator categories, document
  families, grade bands), when present;
- ``quality``: ``latest_check_results`` (every check of each submission's latest
  validation) and ``quarantined_files`` (with their reasons);
- ``serving.published``: one row saying when, from which warehouse and which run.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from jixiao.locking import warehouse_lock

log = logging.getLogger(__name__)

SERVING_ENV = "JIXIAO_SERVING"
SERVING_FOLDER = "serving"
SERVING_FILE = "jixiao.duckdb"  # catalog "jixiao": marts.x reads as in the warehouse

# seeds (built by dbt into staging) that give the Chinese names of codes
LOOKUPS = {
    "indicator_categories": "staging.indicator_categories",
    "document_families": "staging.document_families",
    "grade_bands": "staging.grade_bands",
}


class NoMartsYet(RuntimeError):
    """The warehouse has no ``marts`` schema yet (no run has built it)."""


@dataclass(frozen=True)
class Published:
    """What one publish wrote: the copy's path, its tables and their row counts."""

    path: Path
    run_id: str | None
    tables: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "run_id": self.run_id, "tables": self.tables}


def serving_path(warehouse: Path, env: dict[str, str] | None = None) -> Path:
    """Given the warehouse file, return the serving copy's path (``$JIXIAO_SERVING`` wins)."""
    env = dict(os.environ if env is None else env)
    override = env.get(SERVING_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return Path(warehouse).expanduser().resolve().parent / SERVING_FOLDER / SERVING_FILE


def version(path: Path) -> tuple[int, int] | None:
    """Given the serving copy's path, return its version (inode, mtime ns); ``None`` if absent."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def publish(warehouse: Path, target: Path | None = None, run_id: str | None = None) -> Published:
    """Copy the warehouse's marts to a new file and swap it in as the serving copy.

    Holds the warehouse lock while it reads (so no load runs meanwhile), writes the new
    copy under a temporary name in the same folder, then renames it over ``target``
    (atomic on POSIX). Raises ``FileNotFoundError`` when the warehouse does not exist
    and ``NoMartsYet`` when it has no ``marts`` schema yet.
    """
    warehouse = Path(warehouse).expanduser().resolve()
    target = serving_path(warehouse) if target is None else Path(target)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: nothing to publish")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".publishing-{uuid.uuid4().hex}.tmp")
    try:
        with warehouse_lock(warehouse):
            tables = _write_copy(warehouse, temporary, run_id)
        _fsync(temporary)
        os.replace(temporary, target)
        _fsync(target.parent)
    finally:
        temporary.unlink(missing_ok=True)
        temporary.with_name(temporary.name + ".wal").unlink(missing_ok=True)
    log.info("published the serving copy %s (%d tables)", target, len(tables))
    return Published(path=target, run_id=run_id, tables=tables)


def _write_copy(warehouse: Path, temporary: Path, run_id: str | None) -> dict[str, int]:
    con = duckdb.connect(str(temporary))
    try:
        con.execute(f"attach {_literal(str(warehouse))} as warehouse (read_only)")
        present = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = 'warehouse'"
            ).fetchall()
        }
        marts = sorted(name for name in present if name.startswith("marts."))
        if not marts:
            raise NoMartsYet(f"warehouse {warehouse} has no marts yet: run the pipeline first")
        for schema in ("marts", "lookup", "quality", "serving"):
            con.execute(f"create schema {schema}")
        con.execute(f"use {_identifier(_current_catalog(con))}")
        tables: dict[str, int] = {}
        for name in marts:
            tables[name] = _copy(con, name, f"select * from warehouse.{name}")
        for lookup, source in LOOKUPS.items():
            if source in present:
                tables[f"lookup.{lookup}"] = _copy(
                    con, f"lookup.{lookup}", f"select * from warehouse.{source}"
                )
        tables["quality.latest_check_results"] = _copy(
            con, "quality.latest_check_results", _latest_checks_sql(present)
        )
        tables["quality.quarantined_files"] = _copy(
            con, "quality.quarantined_files", _quarantined_sql(present)
        )
        con.execute(
            "create table serving.published as select ?::varchar as run_id, "
            "?::timestamp as published_at, ?::varchar as warehouse",
            [run_id, datetime.now(UTC).replace(tzinfo=None), str(warehouse)],
        )
        con.execute("checkpoint")
        return tables
    finally:
        con.close()


def _copy(con: duckdb.DuckDBPyConnection, name: str, select: str) -> int:
    qualified = f"{_identifier(_current_catalog(con))}.{name}"
    con.execute(f"create table {qualified} as {select}")
    row = con.execute(f"select count(*) from {qualified}").fetchone()
    return int(row[0]) if row else 0


def _latest_checks_sql(present: set[str]) -> str:
    if "quality.check_results" not in present:
        return (
            "select null::varchar as sha256, null::varchar as run_id, "
            "null::varchar as check_name, null::varchar as severity, "
            "null::varchar as department, null::integer as fiscal_year, "
            "null::varchar as observed, null::varchar as expected, "
            "null::boolean as passed, null::timestamp as checked_at where false"
        )
    # each submission's checks from its latest validation run
    return """
        select sha256, run_id, check_name, severity, department, fiscal_year,
            observed, expected, passed, checked_at
        from warehouse.quality.check_results
        qualify run_id = first_value(run_id) over (
            partition by sha256 order by checked_at desc, run_id desc
        )
    """


def _quarantined_sql(present: set[str]) -> str:
    if not {"raw.submissions", "raw.extraction_issues"} <= present:
        return (
            "select null::varchar as sha256, null::varchar as file_name, "
            "null::varchar as path, null::integer as fiscal_year, "
            "null::varchar as department, null::varchar as district, "
            "null::varchar as reason_codes, null::varchar as reasons, "
            "null::timestamp as loaded_at where false"
        )
    return """
        select
            submissions.sha256,
            submissions.file_name,
            submissions.path,
            submissions.fiscal_year,
            submissions.department,
            submissions.district,
            string_agg(distinct issues.code, ', ' order by issues.code) as reason_codes,
            string_agg(issues.message, '; ' order by issues.line_number) as reasons,
            submissions.loaded_at
        from warehouse.raw.submissions as submissions
        left join warehouse.raw.extraction_issues as issues
            on submissions.sha256 = issues.sha256 and issues.severity = 'error'
        where submissions.status = 'quarantined'
        group by all
    """


def _current_catalog(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("select current_database()").fetchone()
    return str(row[0]) if row else "memory"


def _identifier(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_after_run(warehouse: Path, run_id: str | None, rebuilt: bool) -> str | None:
    """Publish the serving copy at the end of a run; return its path (``None``: no marts yet).

    A run that rebuilt the marts always publishes. A run that changed nothing publishes
    only when there is no serving copy yet (a warehouse built before serving copies
    existed, or a copy deleted by hand).
    """
    warehouse = Path(warehouse).expanduser().resolve()
    target = serving_path(warehouse)
    if not rebuilt and target.is_file():
        return str(target)
    if not warehouse.is_file():
        return None
    try:
        return str(publish(warehouse, target, run_id).path)
    except NoMartsYet:
        return None


def open_reader(path: Path) -> duckdb.DuckDBPyConnection:
    """Given a serving copy, return a read-only connection to it (catalog ``jixiao``).

    ``duckdb.connect(path)`` would reuse DuckDB's open database for the same path, which
    after a swap is still the replaced copy; attaching to a fresh in-memory database
    opens the file that is at ``path`` now. Use ``reader_cursor()`` for each thread.
    """
    con = duckdb.connect(":memory:")
    con.execute(f"attach {_literal(str(path))} as jixiao (read_only)")
    con.execute("use jixiao")
    return con


def reader_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Given a connection from ``open_reader``, return a cursor for one thread's queries."""
    cursor = con.cursor()
    cursor.execute("use jixiao")
    return cursor
