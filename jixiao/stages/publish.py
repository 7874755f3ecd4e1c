"""The ``publish`` task: the run summary, and the serving copy (a read-only DuckDB file of
the marts for dashboards and analysts; read it with ``jixiao/serving.py``).

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

import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from jixiao import settings as settings_module
from jixiao.locking import warehouse_lock
from jixiao.serving import serving_path, sql_literal

log = logging.getLogger(__name__)


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
        con.execute(f"attach {sql_literal(str(warehouse))} as warehouse (read_only)")
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


# ---------- the run summary


def summarize(
    run_id: str,
    planned: dict[str, Any],
    loaded: dict[str, Any],
    checked: dict[str, Any] | None,
) -> dict[str, Any]:
    """Given the stages' outputs, write and return the one-line run summary."""
    cfg = settings_module.resolve()
    summary: dict[str, Any] = {
        "run_id": run_id,
        "year": planned.get("year"),
        "discovered": planned["discovered"],
        "extracted": loaded["extracted"],
        "skipped_unchanged": planned["skipped_unchanged"],
        "quarantined": loaded["quarantined"],
        "loaded": loaded["loaded"],
        "transformed": checked is not None,
        "checks_failed": checked.get("checks_failed") if checked else None,
        "warehouse": str(cfg.warehouse),
        "data_docs": _data_docs_index(cfg, checked),
        "quarantined_files": loaded["quarantined_files"],
        "skipped_files": planned.get("skipped_files", []),
        # files that a killed or failed run loaded but never reported (its summary is missing)
        "unreported_runs": report_unfinished_runs(cfg, run_id),
        # the read-only copy of the marts that dashboards read (jixiao/serving.py)
        "serving": publish_after_run(cfg.warehouse, run_id, rebuilt=checked is not None),
    }
    cfg.runs_dir.mkdir(parents=True, exist_ok=True)
    (cfg.runs_dir / f"{_safe(run_id)}.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return summary


def report_unfinished_runs(
    cfg: settings_module.Settings, run_id: str | None
) -> list[dict[str, Any]]:
    """Return what earlier runs loaded into ``raw`` but never reported (killed or failed
    after ``load_raw``: no summary in ``runs/``), once: a stub summary is written for each,
    naming the run that reported it."""
    if not cfg.warehouse.exists():
        return []
    with warehouse_lock(cfg.warehouse), duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        has_raw = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'submissions'"
        ).fetchone()
        if not has_raw or not has_raw[0]:
            return []
        rows = con.execute(
            """
            select s.run_id, s.path, s.status,
                string_agg(i.message, '; ' order by i.line_number)
                    filter (where i.severity = 'error') as reason
            from raw.submissions as s
            left join raw.extraction_issues as i using (sha256)
            where s.run_id is not null and s.run_id is distinct from ?
            group by all
            order by s.run_id, s.path
            """,
            [run_id],
        ).fetchall()
    runs: dict[str, dict[str, Any]] = {}
    for earlier, path, status, reason in rows:
        if summary_path(earlier).exists():
            continue
        entry = runs.setdefault(
            earlier, {"run_id": earlier, "loaded": 0, "quarantined": 0, "quarantined_files": []}
        )
        if status == "quarantined":
            entry["quarantined"] += 1
            entry["quarantined_files"].append({"path": path, "reason": reason or "quarantined"})
        else:
            entry["loaded"] += 1
    cfg.runs_dir.mkdir(parents=True, exist_ok=True)
    for earlier, entry in runs.items():
        stub = {**entry, "status": "unfinished", "reported_by": run_id}
        summary_path(earlier).write_text(json.dumps(stub, ensure_ascii=False, indent=2), "utf-8")
    return list(runs.values())


def _data_docs_index(cfg: settings_module.Settings, checked: dict[str, Any] | None) -> str | None:
    if checked and checked.get("data_docs"):
        return str(checked["data_docs"])
    index = cfg.data_docs_dir / "index.html"  # from the last run that validated
    return str(index) if index.exists() else None


def up_to_date(
    inbox: str | None, year: int | None, reprocess_quarantined: bool = False
) -> dict[str, Any] | None:
    """Return a run summary if there is nothing to do, else ``None``.

    Nothing to do: discovery finds no new or changed file and the marts were built from
    exactly the current raw data and code. ``jixiao run`` asks this before starting
    Airflow, so an unchanged inbox costs a hash of its files, not a DAG run.
    """
    from jixiao.stages.discover import plan
    from jixiao.stages.transform import transform_needed

    planned = plan(inbox, year, reprocess_quarantined=reprocess_quarantined)
    if planned["batches"] or transform_needed():
        return None
    cfg = settings_module.resolve()
    return {
        "run_id": None,
        "year": year,
        "discovered": planned["counts"]["discovered"],
        "extracted": 0,
        "skipped_unchanged": planned["counts"]["skipped_unchanged"],
        "quarantined": 0,
        "loaded": 0,
        "transformed": False,
        "checks_failed": None,
        "warehouse": str(cfg.warehouse),
        "data_docs": _data_docs_index(cfg, None),
        "quarantined_files": [],
        "skipped_files": planned["counts"]["skipped_files"],
        "unreported_runs": report_unfinished_runs(cfg, None),
        "serving": publish_after_run(cfg.warehouse, None, rebuilt=_serving_stale(cfg)),
    }


def _serving_stale(cfg: settings_module.Settings) -> bool:
    """Return True when the serving copy is older than the warehouse's last write (a run
    killed between building the marts and publishing them)."""
    target = serving_path(cfg.warehouse)
    if not target.is_file() or not cfg.warehouse.is_file():
        return False
    return target.stat().st_mtime < cfg.warehouse.stat().st_mtime


def summary_path(run_id: str) -> Path:
    """Given a run id, return where its summary is written."""
    return settings_module.resolve().runs_dir / f"{_safe(run_id)}.json"


def _safe(run_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)
