"""The DAG file imports cleanly, is wired as designed and does no work at import time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

DAG_FILE = REPO_ROOT / "dags" / "jixiao_yearly.py"


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(REPO_ROOT / "dags"))


def test_dags_import_without_errors_and_carry_tags_and_retries(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert list(dagbag.dag_ids) == ["jixiao_yearly"]
    for dag in dagbag.dags.values():
        assert dag.tags, f"{dag.dag_id} has no tags"
        for task in dag.tasks:
            assert task.retries >= 1, f"{dag.dag_id}.{task.task_id} has no retries"


def test_dag_shape(dagbag) -> None:
    dag = dagbag.dags["jixiao_yearly"]
    assert dag.max_active_runs == 1
    # @yearly with data intervals: the run for [Y-01-01, Y+1-01-01) has logical year Y
    assert type(dag.schedule).__name__ == "CronDataIntervalTimetable"
    assert dag.schedule.expression == "0 0 1 1 *"
    for task_id in ("discover", "load_raw", "dbt_build", "validate", "dbt_build_marts"):
        assert dag.get_task(task_id).pool == "jixiao_warehouse", task_id
    order = [
        "discover",
        "extract",
        "load_raw",
        "transform_needed",
        "dbt_build",
        "validate",
        "dbt_build_marts",
        "publish",
    ]
    assert set(dag.task_ids) == set(order)
    for upstream, downstream in zip(order, order[1:], strict=False):
        assert downstream in dag.get_task(upstream).downstream_task_ids
    assert type(dag.get_task("extract")).__name__.endswith("MappedOperator")
    outlets = {asset.name for asset in dag.get_task("dbt_build_marts").outlets}
    assert "jixiao.marts.fct_department_year" in outlets


def test_dag_file_is_wiring_only() -> None:
    """No jixiao/extract/expectations import at module level but the settings (stdlib
    only, they read the environment): logic loads in tasks."""
    tree = ast.parse(DAG_FILE.read_text(encoding="utf-8"))
    top_level_imports = [
        node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    modules = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else node.names[0].name
        for node in top_level_imports
    }
    stages = {m for m in modules if m.split(".")[0] in {"jixiao", "extract", "expectations"}}
    assert stages <= {"jixiao.settings"}
    assert Path(DAG_FILE).stat().st_size < 6000


def test_every_mart_is_published_as_an_asset(dagbag) -> None:
    marts = {path.stem for path in (REPO_ROOT / "dbt_project" / "models" / "marts").glob("*.sql")}
    outlets = {
        asset.name for asset in dagbag.dags["jixiao_yearly"].get_task("dbt_build_marts").outlets
    }
    assert outlets == {f"jixiao.marts.{name}" for name in marts}
