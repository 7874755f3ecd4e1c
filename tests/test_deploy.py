"""jixiao/deploy.py: the init step's checks, the admin password file, worker commands;
and the pipeline's answer to a scheduled run whose year folder is not there yet."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from jixiao import deploy
from jixiao.stages import discover


def test_worker_args_name_the_queues() -> None:
    assert deploy.worker_args(["jixiao_warehouse", "default"], concurrency=1) == [
        "celery", "worker", "--queues", "jixiao_warehouse,default", "--concurrency", "1",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("profiles", "executor", "ok"),
    [
        ("", "LocalExecutor", True),
        ("celery", "CeleryExecutor", True),
        ("celery", "LocalExecutor", False),  # the celery profile left the scheduler local
        ("", "CeleryExecutor", False),  # a Celery scheduler with no Redis and no worker
    ],
)
def test_executor_must_match_the_compose_profile(profiles: str, executor: str, ok: bool) -> None:
    env = {"COMPOSE_PROFILES": profiles, "AIRFLOW__CORE__EXECUTOR": executor}
    if ok:
        deploy.check_executor(env)
    else:
        with pytest.raises(RuntimeError, match="COMPOSE_PROFILES=celery together"):
            deploy.check_executor(env)


def test_executor_is_not_checked_outside_compose() -> None:
    deploy.check_executor({"AIRFLOW__CORE__EXECUTOR": "CeleryExecutor"})


def test_admin_password_file_is_written_private(tmp_path: Path) -> None:
    target = tmp_path / "auth" / "passwords.json"
    env = {
        "AIRFLOW_ADMIN_USER": "ops",
        "AIRFLOW_ADMIN_PASSWORD": "s3cret",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(target),
    }
    assert deploy.write_admin_password(env) == target
    assert json.loads(target.read_text("utf-8")) == {"ops": "s3cret"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert deploy.write_admin_password({"AIRFLOW_HOME": str(tmp_path)}) is None


def test_unwritable_warehouse_folder_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "data"  # a file where a folder should be: unwritable even for root
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"data/warehouse is not writable by uid"):
        deploy.check_writable({"JIXIAO_WAREHOUSE": str(blocker / "warehouse" / "j.duckdb")})


def test_writable_folders_are_created(tmp_path: Path) -> None:
    env = {"JIXIAO_WAREHOUSE": str(tmp_path / "w" / "j.duckdb"), "JIXIAO_HOME": str(tmp_path / "h")}
    assert deploy.check_writable(env) == [tmp_path / "w", tmp_path / "h"]
    assert (tmp_path / "w").is_dir() and (tmp_path / "h").is_dir()


def test_scheduled_run_of_a_year_not_there_yet_is_not_arrived(
    jixiao_home: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2021").mkdir(parents=True)
    params = {"inbox": str(inbox), "year": None, "batch_size": 5, "reprocess_quarantined": False}
    with pytest.raises(discover.YearNotArrived, match="no folder .*2025"):
        discover.plan_run(params, "scheduled", 2025)
    with pytest.raises(discover.YearNotArrived):
        discover.plan_run(params, "backfill", 2025)
    # asked for explicitly, or with no inbox at all: an error, not a skip
    with pytest.raises(FileNotFoundError):
        discover.plan_run({**params, "year": 2025}, "manual", None)
    with pytest.raises(FileNotFoundError):
        discover.plan_run({**params, "inbox": str(tmp_path / "absent")}, "scheduled", 2025)
    assert discover.plan_run(params, "scheduled", 2021)["counts"]["discovered"] == 0


def test_scheduler_plugin_is_registered_and_creates_the_pool_for_jixiao_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib.metadata import entry_points
    from types import SimpleNamespace

    from jixiao import airflow_plugin

    plugins = {ep.name: ep.value for ep in entry_points(group="airflow.plugins")}
    assert plugins.get("jixiao") == "jixiao.airflow_plugin:JixiaoPlugin"
    assert airflow_plugin in airflow_plugin.JixiaoPlugin.listeners
    calls = []
    monkeypatch.setattr(deploy, "ensure_pool", lambda: calls.append(1) or True)
    airflow_plugin.on_dag_run_running(SimpleNamespace(dag_id="other", run_id="r"), "started")
    assert calls == []
    airflow_plugin.on_dag_run_running(SimpleNamespace(dag_id="jixiao_yearly", run_id="r"), "")
    assert calls == [1]
