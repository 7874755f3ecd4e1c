"""As deployed with CeleryExecutor: Redis broker, Postgres result backend, two workers
whose local disks are separate (each its own AIRFLOW_HOME, task logs and JIXIAO_HOME).

The run must succeed and lose no file although the extract batches run on both workers
and load_raw on one: envelopes travel as XComs, never through a worker's disk. Worker 1
alone serves the warehouse queue, so the warehouse exists on its disk only. Needs
PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379); skips, saying so, without them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deployed import (
    YEAR,
    assert_warehouse_has_the_year,
    assert_year_not_there_is_skipped,
    check_services,
    running_stack,
)
from tests.generated import copy_tree

DAG_ID = "jixiao_yearly"
WAREHOUSE_TASKS = {"discover", "load_raw", "transform_needed", "dbt_build", "validate", "publish"}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> Path:
    check_services("CeleryExecutor")
    return copy_tree(sample_corpus, tmp_path_factory.mktemp("deployed-celery") / "inbox")


def _tasks_run_on(stack, number: int, run_id: str) -> set[str]:
    """The tasks whose logs are on worker ``number``'s own disk (it ran them)."""
    logs = stack.worker_home(number) / "airflow" / "logs" / f"dag_id={DAG_ID}" / f"run_id={run_id}"
    return {path.name.removeprefix("task_id=") for path in logs.glob("task_id=*")}


def test_celery_workers_on_separate_disks_lose_no_file(inbox: Path, tmp_path: Path) -> None:
    with running_stack(tmp_path / "stack", inbox, "CeleryExecutor") as stack:
        client = stack.start()
        client.unpause(DAG_ID)
        scheduled = client.wait_for_scheduled_run(DAG_ID, timeout=60)
        manual = client.trigger(DAG_ID, {"year": YEAR, "batch_size": 2})
        skipped = client.wait_for_run(DAG_ID, scheduled["dag_run_id"], 90, stack)
        assert_year_not_there_is_skipped(stack, client, skipped)

        run = client.wait_for_run(DAG_ID, manual, 600, stack)
        states = {
            f"{ti['task_id']}[{ti['map_index']}]": ti["state"]
            for ti in client.task_instances(DAG_ID, manual)
        }
        context = f"{states}\n{stack.logs()}\n{stack.task_logs()}"
        assert run["state"] == "success", context
        assert all(state == "success" for state in states.values()), context

        on_first, on_second = _tasks_run_on(stack, 1, manual), _tasks_run_on(stack, 2, manual)
        assert "extract" in on_first and "extract" in on_second, (on_first, on_second)
        assert WAREHOUSE_TASKS <= on_first and not WAREHOUSE_TASKS & on_second, context
        assert not (stack.worker_jixiao(2) / "warehouse").exists()
        assert_warehouse_has_the_year(stack.warehouse, inbox)
