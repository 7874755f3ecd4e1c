"""The pipeline's stages as plain typed functions; the Airflow DAG is a thin shell over them.

Each function takes and returns JSON-ready values (they travel as XComs) and reads its
paths from ``jixiao.settings`` at call time, never at import time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from jixiao import serving
from jixiao import settings as settings_module
from jixiao.discover import batches, discover, os_path_of
from jixiao.locking import connect_writable, wait_for_readers, warehouse_lock

if TYPE_CHECKING:
    from extract.bounded import Limits
    from extract.record import Record

T = TypeVar("T")

# Runs the scheduler creates for a period; their logical year is the fiscal year.
PERIODIC_RUN_TYPES = frozenset({"scheduled", "backfill"})


def fiscal_year_to_process(
    year_param: int | None, run_type: object, logical_year: int | None
) -> int | None:
    """Given the ``year`` param, the run type and the logical date's year, return the year.

    An explicit ``year`` param wins. A scheduled or backfill run processes the fiscal
    year of its data interval (``@yearly``: the interval starting 1 January of that
    year). A manual run without ``year`` processes every year folder (``None``).
    """
    if year_param is not None:
        return int(year_param)
    if is_periodic(run_type) and logical_year is not None:
        return logical_year
    return None


class YearNotArrived(LookupError):
    """A scheduled or backfill run's fiscal-year folder is not in the inbox (yet)."""


def is_periodic(run_type: object) -> bool:
    """Given a DAG run type, return True for runs the scheduler creates for a period."""
    return str(getattr(run_type, "value", run_type) or "") in PERIODIC_RUN_TYPES


def check_year_folder(inbox: str | None, year: int | None, periodic: bool) -> None:
    """Raise ``YearNotArrived`` when a periodic run's year folder is missing from the inbox.

    Every 1 January (and on unpausing the DAG) the scheduler starts the run of a fiscal
    year whose evaluations are not published yet: that run has nothing to do and must
    end at once, not retry. A missing inbox, or a missing folder for a year asked for
    explicitly, stays an error (``FileNotFoundError`` from discovery).
    """
    folder = (Path(inbox) if inbox else settings_module.resolve().inbox) / str(year)
    if periodic and year is not None and folder.parent.is_dir() and not folder.is_dir():
        raise YearNotArrived(
            f"fiscal year {year}: no folder {folder} in the inbox yet; nothing to process "
            f"(drop the year's files in {folder} and trigger the DAG with year={year})"
        )


def plan_run(params: dict[str, Any], run_type: object, logical_year: int | None) -> dict[str, Any]:
    """Given a DAG run's params, type and logical year, return its extraction plan."""
    year = fiscal_year_to_process(params["year"], run_type, logical_year)
    return plan(
        params["inbox"] or None,
        year,
        params["batch_size"],
        params["reprocess_quarantined"],
        periodic=is_periodic(run_type) and params["year"] is None,
    )


def plan(
    inbox: str | None,
    year: int | None,
    batch_size: int | None = None,
    reprocess_quarantined: bool = False,
    periodic: bool = False,
) -> dict[str, Any]:
    """Given the inbox, an optional fiscal year and a batch size, return the extraction plan.

    The plan holds the batches of new or changed files and the discovery counts. A
    periodic (scheduled or backfill) run whose year folder is missing raises
    ``YearNotArrived`` before touching the warehouse.
    """
    cfg = settings_module.resolve()
    check_year_folder(inbox, year, periodic)
    with warehouse_lock(cfg.warehouse):
        found = discover(
            Path(inbox) if inbox else cfg.inbox, cfg.warehouse, year, reprocess_quarantined
        )
    return {
        "batches": batches(found.new_files, batch_size or cfg.batch_size),
        "counts": {
            "year": year,
            "discovered": found.discovered,
            "skipped_unchanged": found.skipped_unchanged,
            "skipped_files": found.skipped,  # not submissions (FIFOs, link loops…), with why
        },
    }


def extract_batch(batch: list[dict[str, Any]], run_id: str | None) -> list[dict[str, Any]]:
    """Given one batch of inbox files, return one envelope per file (the task's XCom).

    Envelopes travel to ``load_raw`` as XComs, i.e. through the metadata DB (or the
    object store of Airflow's XComObjectStorageBackend), which every worker shares: a
    worker's local disk never carries them (docs/operations.md, "Envelopes").
    """
    from extract.bounded import limits_from_env
    from extract.envelope import build_envelope

    limits = limits_from_env()
    return [
        dict(build_envelope(item, run_id, lambda _path, item=item: read_inbox_file(item, limits)))
        for item in batch
    ]


def read_inbox_file(item: Mapping[str, Any], limits: Limits | None = None) -> Record:
    """Given an inbox file found by discovery, return its record.

    It is read in a child process under the per-file time and memory limits
    (``extract/bounded.py``), by its real path (a name that is not UTF-8 is shown escaped);
    a file discovery could not read, or a link to outside the inbox, is quarantined
    unread with the reason discovery found.
    """
    from extract.api import extract_file
    from extract.bounded import extract_bounded, limits_from_env
    from extract.issues import UNREADABLE_FILE, issue
    from extract.record import empty_record

    path, sha256 = str(item["path"]), str(item["sha256"])
    problem = item.get("problem")
    if problem:
        record = empty_record(path, sha256, "application/octet-stream")
        record["issues"].append(issue("error", problem["code"], problem["message"]))
        return record
    real = os_path_of(item)
    record = extract_bounded(lambda: extract_file(real), path, sha256, limits or limits_from_env())
    if not record["source"]["sha256"] and any(
        entry["code"] == UNREADABLE_FILE for entry in record["issues"]
    ):
        record["source"]["sha256"] = sha256  # unreadable (or gone) since discovery: not changed
    record["source"]["path"] = path
    return record


def load(envelope_batches: list[list[dict[str, Any]]] | None) -> dict[str, Any]:
    """Given the envelopes of every batch, load them into ``raw`` in one transaction."""
    from extract.envelope import check_envelope
    from extract.load import load_envelope_data

    cfg = settings_module.resolve()
    envelopes = [
        check_envelope(envelope, f"extract batch {number}, item {position}")
        for number, batch in enumerate(envelope_batches or [])
        for position, envelope in enumerate(batch or [])
    ]
    with warehouse_lock(cfg.warehouse):
        result = load_envelope_data(
            cfg.warehouse,
            envelopes,
            accept_printed_year=accept_printed_year(),
            connect=connect_writable,  # waits while a reader holds the warehouse open
        )
    return {"extracted": len(envelopes), **result.to_dict()}


ACCEPT_PRINTED_YEAR_ENV = "JIXIAO_ACCEPT_PRINTED_YEAR"


def accept_printed_year() -> bool:
    """Return True when documents are loaded under their printed fiscal year even if it
    differs from their year folder (``$JIXIAO_ACCEPT_PRINTED_YEAR=1``; default: quarantine
    them as ``fiscal_year_mismatch``)."""
    return os.environ.get(ACCEPT_PRINTED_YEAR_ENV, "").strip().lower() in {"1", "true", "yes"}


def when_writable(warehouse: Path, what: str, action: Callable[[], T]) -> T:
    """Given the warehouse, a task name and a writing action, run it once no reader holds
    the warehouse open: wait (``JIXIAO_LOCK_TIMEOUT_SECONDS``, with backoff) while one does,
    and again if a reader slipped in before the action opened it (dbt in a subprocess)."""

    def attempt() -> T:
        duckdb.connect(str(warehouse)).close()  # raises at once while a reader holds it
        return action()

    return wait_for_readers(warehouse, attempt, what)


def code_folders() -> list[Path]:
    """Return the folders whose files decide what the marts look like."""
    from jixiao.transform import dbt_project_dir

    project = dbt_project_dir()
    suites = Path(__file__).resolve().parents[1] / "expectations" / "suites"
    return [project / "models", project / "seeds", project / "macros", project / "tests", suites]


def transform_needed(force: bool = False) -> bool:
    """Return True unless the marts were already built from exactly this raw data and code."""
    from jixiao import freshness

    cfg = settings_module.resolve()
    if force:
        return True
    with warehouse_lock(cfg.warehouse):
        current = freshness.fingerprint(cfg.warehouse, code_folders())
        return current is None or current != freshness.last_built(cfg.warehouse)


def transform(phase: str) -> dict[str, Any]:
    """Run one phase of ``dbt build``; raise naming the failed nodes when it fails.

    ``before_checks`` builds everything the quality checks read (seeds, staging,
    intermediate); ``after_checks`` builds what reads their results (the marts).
    """
    from jixiao import transform as dbt

    phases = {
        "before_checks": dbt.dbt_build_before_checks,
        "after_checks": dbt.dbt_build_after_checks,
    }
    if phase not in phases:
        raise ValueError(f"unknown dbt phase {phase!r}; expected one of {sorted(phases)}")
    cfg = settings_module.resolve()
    os.environ.setdefault("JIXIAO_DBT_TARGET_DIR", str(cfg.dbt_target_dir))
    with warehouse_lock(cfg.warehouse):
        when_writable(cfg.warehouse, f"dbt build ({phase})", lambda: phases[phase](cfg.warehouse))
        if phase == "after_checks":
            from jixiao import freshness

            built_from = freshness.fingerprint(cfg.warehouse, code_folders())
            if built_from is not None:
                when_writable(
                    cfg.warehouse,
                    "dbt_build_marts",
                    lambda: freshness.record_built(cfg.warehouse, built_from),
                )
    return {"warehouse": str(cfg.warehouse), "phase": phase}


def validate(run_id: str) -> dict[str, Any]:
    """Run the Great Expectations suites over the warehouse; return their summary.

    Data Docs HTML is rebuilt under the settings' ``data_docs_dir`` on every run.
    """
    from expectations.validate import validate_warehouse

    cfg = settings_module.resolve()
    with warehouse_lock(cfg.warehouse):
        summary = dict(
            when_writable(
                cfg.warehouse,
                "validate",
                lambda: validate_warehouse(cfg.warehouse, run_id, data_docs_dir=cfg.data_docs_dir),
            )
        )
    index = cfg.data_docs_dir / "index.html"
    summary["data_docs"] = str(index) if index.exists() else None
    return summary


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
        "serving": serving.publish_after_run(cfg.warehouse, run_id, rebuilt=checked is not None),
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
        "serving": serving.publish_after_run(cfg.warehouse, None, rebuilt=_serving_stale(cfg)),
    }


def _serving_stale(cfg: settings_module.Settings) -> bool:
    """Return True when the serving copy is older than the warehouse's last write (a run
    killed between building the marts and publishing them)."""
    target = serving.serving_path(cfg.warehouse)
    if not target.is_file() or not cfg.warehouse.is_file():
        return False
    return target.stat().st_mtime < cfg.warehouse.stat().st_mtime


def summary_path(run_id: str) -> Path:
    """Given a run id, return where its summary is written."""
    return settings_module.resolve().runs_dir / f"{_safe(run_id)}.json"


def _safe(run_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)
