"""Helpers of the deployed-mode tests: services present, a stack per test, its checks."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from jixiao.stack import POSTGRES, REDIS, AirflowStack, scratch_database, service_available
from jixiao.stages.discover import candidate_files

YEAR = 2021  # the sample year with the most submissions (8)


def require_services(*addresses: str, modules: tuple[str, ...] = ()) -> None:
    """Skip, saying what is missing, unless every service and module is there."""
    missing = [f"a server at {address}" for address in addresses if not service_available(address)]
    missing += [
        f"Python module {name} (pip install -c constraints.txt -e '.[deploy]')"
        for name in modules
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        pytest.skip("deployed-mode test needs " + ", ".join(missing))


@contextmanager
def running_stack(root: Path, inbox: Path, executor: str) -> Iterator[AirflowStack]:
    """Yield a started stack on a scratch Postgres DB; stop it and drop the DB after."""
    with scratch_database() as url:
        # orchestration is under test here, not extraction accuracy (test_pipeline_dag.py
        # and test_accuracy.py hold that): a sum-check gate never stops these runs
        stack = AirflowStack(
            root,
            url,
            inbox,
            executor=executor,
            extra_env={"JIXIAO_SUM_CHECK_MAX_FAILURE_PCT": "100"},
        )
        try:
            yield stack
        finally:
            stack.stop()


def year_files(inbox: Path, year: int = YEAR) -> list[Path]:
    return candidate_files(inbox / str(year))


def assert_warehouse_has_the_year(warehouse: Path, inbox: Path, year: int = YEAR) -> None:
    """Every file of the year is in raw (none lost), and the marts hold the year."""
    expected = {str(path.resolve()) for path in year_files(inbox, year)}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = {row[0] for row in con.execute("select path from raw.submissions").fetchall()}
        departments = con.execute(
            "select count(*) from marts.fct_department_year where fiscal_year = ?", [year]
        ).fetchone()
    assert loaded == expected, f"lost: {sorted(expected - loaded)}; extra: {loaded - expected}"
    assert departments and departments[0] > 0, f"no {year} rows in marts.fct_department_year"


def assert_year_not_there_is_skipped(stack: AirflowStack, client, run: dict) -> None:
    """The scheduled run of a year with no folder ended at once: success, all skipped."""
    tis = client.task_instances("jixiao_yearly", run["dag_run_id"])
    states = {ti["task_id"]: ti["state"] for ti in tis}
    context = f"{run}\n{states}\n{stack.logs()}"
    assert run["state"] == "success", context
    assert set(states.values()) == {"skipped"}, context
    discover = next(ti for ti in tis if ti["task_id"] == "discover")
    assert discover["try_number"] == 1, context  # no retry
    assert discover["duration"] is not None and discover["duration"] < 30, context


def check_services(executor: str) -> None:
    services = (POSTGRES, REDIS) if executor == "CeleryExecutor" else (POSTGRES,)
    modules = ("psycopg2", "airflow.providers.postgres")
    if executor == "CeleryExecutor":
        modules += ("airflow.providers.celery", "redis")
    require_services(*services, modules=modules)
