"""Airflow plugin: the scheduler creates the warehouse pool when a jixiao run starts.

A task in a pool that does not exist is never scheduled: it stays ``scheduled`` and
only a scheduler log line says why. The init step (``python -m jixiao.deploy init``)
creates the pool; this listener covers a metadata DB where init was not run (a fresh
database, a restored backup): when a ``jixiao_yearly`` run starts, the scheduler creates
the missing pool before it schedules the run's first task, and logs that it did.

Registered through the ``airflow.plugins`` entry point (pyproject.toml), so every
component where jixiao is installed loads it; nothing runs at import.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from airflow.listeners import hookimpl
from airflow.plugins_manager import AirflowPlugin

log = logging.getLogger(__name__)

DAG_IDS = frozenset({"jixiao_yearly"})


@hookimpl
def on_dag_run_running(dag_run: Any, msg: str) -> None:
    """When a jixiao run starts (in the scheduler), create the warehouse pool if missing."""
    if getattr(dag_run, "dag_id", None) not in DAG_IDS:
        return
    from jixiao import deploy

    try:
        created = deploy.ensure_pool()
    except Exception:  # noqa: BLE001 - never break the scheduler loop; say what failed
        log.exception(
            "jixiao: could not create pool %r for run %s; its tasks stay 'scheduled' until "
            "`python -m jixiao.deploy pool` (or `airflow pools set`) creates it",
            deploy.pool_name(),
            dag_run.run_id,
        )
        return
    if created:
        log.warning(
            "jixiao: pool %r was missing (init step not run on this metadata DB); "
            "created it with 1 slot for run %s",
            deploy.pool_name(),
            dag_run.run_id,
        )


class JixiaoPlugin(AirflowPlugin):
    name = "jixiao"
    listeners = [sys.modules[__name__]]
