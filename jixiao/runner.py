"""Run the ``jixiao_yearly`` DAG in-process with ``dag.test()`` on the embedded defaults.

Airflow reads its configuration when it is first imported, so this module sets the
environment (a project-local AIRFLOW_HOME with SQLite metadata, this repository's
``dags/`` folder) before importing anything from Airflow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from jixiao import settings as settings_module
from jixiao.locking import exclusive_lock

DAG_ID = "jixiao_yearly"


class RunFailed(RuntimeError):
    """The DAG run finished in a state other than success."""

    def __init__(
        self, message: str, run_id: str | None = None, failed_tasks: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.run_id = run_id
        self.failed_tasks = failed_tasks or []


def failed_summary(error: BaseException, inbox: Path, year: int | None) -> dict[str, Any]:
    """Given why a run failed, return its one-line JSON summary (``jixiao run`` prints it
    last, as it prints the summary of a run that succeeded)."""
    cfg = settings_module.resolve()
    return {
        "run_id": getattr(error, "run_id", None),
        "year": year,
        "status": "failed",
        "error": f"{type(error).__name__}: {error}",
        "failed_tasks": getattr(error, "failed_tasks", []),
        "inbox": str(inbox),
        "warehouse": str(cfg.warehouse),
        "logs": str(cfg.airflow_home / "logs"),
    }


def airflow_environment(cfg: settings_module.Settings, inbox: Path) -> dict[str, str]:
    """Given the settings and the inbox, return the environment variables for Airflow."""
    return {
        "AIRFLOW_HOME": str(cfg.airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings_module.DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": cfg.airflow_database,
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(cfg.airflow_home / "logs"),
        "JIXIAO_HOME": str(cfg.home),
        "JIXIAO_WAREHOUSE": str(cfg.warehouse),
        "JIXIAO_INBOX": str(inbox),
        "GX_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }


def _migrated_marker(env: dict[str, str]) -> Path:
    from importlib.metadata import version

    return Path(env["AIRFLOW_HOME"]) / f".jixiao-migrated-{version('apache-airflow-core')}"


def migrate_metadata_db(env: dict[str, str]) -> None:
    """Create or upgrade Airflow's metadata DB (``airflow db migrate``) in a subprocess.

    Skipped when this Airflow version already migrated the project-local SQLite DB
    (a marker file beside it), which keeps an unchanged rerun cheap.
    """
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    marker = _migrated_marker(env)
    sqlite_db = Path(env["AIRFLOW_HOME"]) / "airflow.db"
    uses_local_sqlite = env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "").endswith(str(sqlite_db))
    if uses_local_sqlite and marker.exists() and sqlite_db.exists():
        return
    proc = subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        raise RunFailed(f"airflow db migrate failed (exit {proc.returncode}):\n{tail}")
    if uses_local_sqlite:
        marker.touch()


def ensure_warehouse_pool(slots: int = 1) -> None:
    """Create the one-slot pool the warehouse-writing tasks run in, if it is missing."""
    from jixiao.deploy import ensure_pool

    ensure_pool(slots)


def run_dag(
    inbox: Path,
    year: int | None = None,
    batch_size: int | None = None,
    reprocess_quarantined: bool = False,
    force_transform: bool = False,
    always_run_dag: bool = False,
) -> dict[str, Any]:
    """Given an inbox, run the DAG once in-process and return the run summary.

    When nothing changed (no new file, marts built from the current data and code) no
    DAG run is started and the summary has ``run_id`` null, unless ``always_run_dag``.
    Raises ``RunFailed`` naming the failed tasks when the run does not succeed.
    """
    cfg = settings_module.resolve()
    inbox = inbox.expanduser().resolve()
    if not (always_run_dag or force_transform):
        from jixiao.stages.publish import up_to_date

        unchanged = up_to_date(str(inbox), year, reprocess_quarantined)
        if unchanged is not None:
            return unchanged
    env = airflow_environment(cfg, inbox)
    os.environ.update(env)
    # Like max_active_runs=1 on a scheduler: in-process runs sharing one AIRFLOW_HOME
    # (SQLite metadata) queue here instead of racing to register the DAG and its runs.
    with exclusive_lock(cfg.airflow_home / "jixiao-run.lock", f"Airflow home {cfg.airflow_home}"):
        return _run_dag_in_process(
            cfg, inbox, env, year, batch_size, reprocess_quarantined, force_transform
        )


def _run_dag_in_process(
    cfg: settings_module.Settings,
    inbox: Path,
    env: dict[str, str],
    year: int | None,
    batch_size: int | None,
    reprocess_quarantined: bool,
    force_transform: bool,
) -> dict[str, Any]:
    migrate_metadata_db(env)

    from airflow import settings as airflow_settings
    from airflow.dag_processing.dagbag import DagBag

    if airflow_settings.Session is None:
        airflow_settings.configure_orm()
    ensure_warehouse_pool()

    bag = DagBag(dag_folder=str(settings_module.DAGS_FOLDER))
    if bag.import_errors:
        raise RunFailed(f"DAG import errors: {bag.import_errors}")
    dag = bag.get_dag(DAG_ID)
    if dag is None:
        raise RunFailed(f"DAG {DAG_ID!r} not found in {settings_module.DAGS_FOLDER}")
    conf = {
        "inbox": str(inbox),
        "year": year,
        "batch_size": batch_size or cfg.batch_size,
        "reprocess_quarantined": reprocess_quarantined,
        "force_transform": force_transform,
    }
    dag_run = dag.test(run_conf=conf)
    state = str(getattr(dag_run.state, "value", dag_run.state))
    if state != "success":
        failed = [
            ti.task_id + (f"[{ti.map_index}]" if ti.map_index >= 0 else "")
            for ti in dag_run.get_task_instances()
            if str(getattr(ti.state, "value", ti.state)) in {"failed", "upstream_failed"}
        ]
        raise RunFailed(
            f"DAG run {dag_run.run_id} ended {state}; failed tasks: {', '.join(failed) or '?'}; "
            f"logs under {cfg.airflow_home / 'logs'}",
            dag_run.run_id,
            failed,
        )
    from jixiao.stages.publish import summary_path

    path = summary_path(dag_run.run_id)
    if not path.exists():
        raise RunFailed(f"DAG run {dag_run.run_id} succeeded but wrote no summary at {path}")
    return json.loads(path.read_text(encoding="utf-8"))
