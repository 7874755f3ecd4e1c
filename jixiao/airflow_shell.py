"""Run the ``airflow`` command on jixiao's embedded defaults.

``python -m jixiao.airflow_shell ARGS…`` sets the same environment ``jixiao run`` uses
(project-local AIRFLOW_HOME with SQLite metadata, this repository's ``dags/``),
migrates the metadata DB, creates the warehouse pool, then replaces itself with
``airflow ARGS…``. ``make airflow`` uses it for ``airflow standalone``; it also serves
``airflow backfill create …`` and ``airflow dags list`` on a laptop.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jixiao import settings as settings_module
from jixiao.deploy import SMALL_HOST_SETTINGS
from jixiao.runner import airflow_environment, migrate_metadata_db


def prepare(inbox: Path | None = None) -> dict[str, str]:
    """Set and return Airflow's environment; migrate its DB and create the warehouse pool."""
    cfg = settings_module.resolve()
    # a laptop or a small host: not 32 pre-forked task processes (Airflow's default); an
    # operator's own AIRFLOW__… values win (passed on to Airflow, which reads them)
    env = {**SMALL_HOST_SETTINGS, **os.environ, **airflow_environment(cfg, inbox or cfg.inbox)}
    # a laptop's `airflow standalone`: one admin user, password written to AIRFLOW_HOME
    env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] = "admin:admin"
    # `airflow standalone` starts its components as `airflow …` found on PATH
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    os.environ.update(env)
    migrate_metadata_db(env)
    subprocess.run(
        [sys.executable, "-m", "jixiao.deploy", "pool"],
        env=os.environ.copy(),
        check=True,
        capture_output=True,
        text=True,
    )
    return env


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m jixiao.airflow_shell AIRFLOW_ARGS…", file=sys.stderr)
        return 2
    env = prepare()
    print(f"AIRFLOW_HOME={env['AIRFLOW_HOME']}", file=sys.stderr)
    os.execv(sys.executable, [sys.executable, "-m", "airflow", *args])
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
