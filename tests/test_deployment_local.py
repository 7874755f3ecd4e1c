"""As deployed: scheduler, dag-processor and api-server on Postgres with LocalExecutor.

Everything goes through Airflow 3's REST API: token, unpause, trigger with conf, poll the
run, list task instances. Needs PostgreSQL at 127.0.0.1:5432 (trust auth); skips,
saying so, where it is absent.
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


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> Path:
    check_services("LocalExecutor")
    return copy_tree(sample_corpus, tmp_path_factory.mktemp("deployed-local") / "inbox")


def test_local_executor_on_postgres_through_the_rest_api(inbox: Path, tmp_path: Path) -> None:
    with running_stack(tmp_path / "stack", inbox, "LocalExecutor") as stack:
        client = stack.start()
        # a metadata DB without the pool (init never run): the scheduler creates it
        client.request("DELETE", "/pools/jixiao_warehouse")
        client.unpause(DAG_ID)
        # unpausing creates the run of the last full year, whose folder is not there yet
        scheduled = client.wait_for_scheduled_run(DAG_ID, timeout=60)
        manual = client.trigger(DAG_ID, {"year": YEAR, "batch_size": 4})
        skipped = client.wait_for_run(DAG_ID, scheduled["dag_run_id"], 90, stack)
        assert_year_not_there_is_skipped(stack, client, skipped)

        run = client.wait_for_run(DAG_ID, manual, 600, stack)
        tis = client.task_instances(DAG_ID, manual)
        states = {f"{ti['task_id']}[{ti['map_index']}]": ti["state"] for ti in tis}
        assert run["state"] == "success", f"{states}\n{stack.logs()}\n{stack.task_logs()}"
        assert states["extract[0]"] == states["extract[1]"] == "success", states
        assert all(state == "success" for state in states.values()), states
        assert "pool 'jixiao_warehouse' was missing" in (
            stack.root / "logs" / "scheduler.log"
        ).read_text("utf-8")
        assert_warehouse_has_the_year(stack.warehouse, inbox)
