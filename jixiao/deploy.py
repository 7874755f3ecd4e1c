"""What a deployment of jixiao runs: its Airflow components, their settings, and its init.

One list of components (``COMPONENTS``) is the source of truth for ``docker-compose.yml``
(checked by ``tests/test_deployment.py``) and for the processes the deployed-mode tests
and benchmarks start (``jixiao/stack.py``).

``python -m jixiao.deploy init`` is the init step of every deployment (the compose
``airflow-init`` service, one host of a multi-host setup, the test harness): it migrates
the metadata DB, creates the ``jixiao_warehouse`` pool if it is missing (never resizing
one an operator changed), and writes the admin password file of Airflow's simple auth
manager from ``AIRFLOW_ADMIN_USER`` / ``AIRFLOW_ADMIN_PASSWORD``. Every step is
idempotent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from jixiao import settings as settings_module

POOL_DESCRIPTION = "jixiao: DuckDB allows one writer; warehouse tasks run one at a time"

# Airflow components, as `airflow ARGS…`. Workers of the celery profile listen on the
# queues named in their service (`--queues`), see docker-compose.yml.
COMPONENTS: dict[str, list[str]] = {
    "airflow-apiserver": ["api-server"],
    "airflow-scheduler": ["scheduler"],
    "airflow-dag-processor": ["dag-processor"],
    "airflow-triggerer": ["triggerer"],
    "airflow-worker": ["celery", "worker"],
}


def worker_args(queues: list[str], concurrency: int | None = None) -> list[str]:
    """Given the queues a Celery worker serves, return its ``airflow`` arguments.

    The worker that serves the warehouse queue must be the one host holding the DuckDB
    file; extraction workers serve the default queue only.
    """
    args = [*COMPONENTS["airflow-worker"], "--queues", ",".join(queues)]
    return args + (["--concurrency", str(concurrency)] if concurrency else [])


# Sized for a 2–4 core host: Airflow's defaults (parallelism 32, 16 Celery processes per
# worker, 2 parsing processes) pre-fork far more processes than such a host can run.
SMALL_HOST_SETTINGS: dict[str, str] = {
    "AIRFLOW__CORE__PARALLELISM": "4",
    "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "4",
    "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",
    "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
    "AIRFLOW__API__WORKERS": "1",
}


def pool_name() -> str:
    """Return the name of the warehouse pool (``JIXIAO_WAREHOUSE_POOL``)."""
    return settings_module.resolve().warehouse_pool


def ensure_pool(slots: int = 1) -> bool:
    """Create the warehouse pool if it is missing; return True if it was created.

    An existing pool is left as it is (an operator may have resized it). Needs Airflow's
    metadata DB (init step, scheduler); tasks cannot reach it.
    """
    from airflow import settings
    from airflow.models.pool import Pool
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    if settings.engine is None:
        settings.configure_orm()
    name = pool_name()
    # a session of its own: the scheduler calls this (plugin listener) in the middle of its
    # loop, whose scoped session must not be committed or closed here
    with Session(settings.engine) as session:
        if session.scalar(select(Pool.id).where(Pool.pool == name)) is not None:
            return False
        session.add(
            Pool(pool=name, slots=slots, description=POOL_DESCRIPTION, include_deferred=False)
        )
        try:
            session.commit()
        except IntegrityError:  # another component created it at the same moment
            session.rollback()
            return False
    return True


def write_admin_password(env: dict[str, str] | None = None) -> Path | None:
    """Write the simple auth manager's password file from AIRFLOW_ADMIN_USER/PASSWORD.

    Returns the file written, or None when no password is configured (Airflow then
    generates one on first start and prints it to the api-server log).
    """
    cfg = settings_module.resolve(env)
    if not cfg.airflow_admin_password:
        return None
    target = cfg.airflow_passwords_file
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({cfg.airflow_admin_user: cfg.airflow_admin_password}, handle)
    return target


def check_executor(env: dict[str, str]) -> None:
    """Raise ``RuntimeError`` when the compose profile and the executor disagree.

    The celery profile starts Redis and workers, but only ``AIRFLOW_EXECUTOR`` switches
    the scheduler to CeleryExecutor: one without the other leaves every task queued
    (or the workers idle). Checked where ``COMPOSE_PROFILES`` is passed (docker compose).
    """
    if "COMPOSE_PROFILES" not in env:
        return
    celery_profile = "celery" in env["COMPOSE_PROFILES"].split(",")
    celery_executor = "CeleryExecutor" in env.get("AIRFLOW__CORE__EXECUTOR", "")
    if celery_profile != celery_executor:
        raise RuntimeError(
            f"COMPOSE_PROFILES={env['COMPOSE_PROFILES']!r} but AIRFLOW__CORE__EXECUTOR="
            f"{env.get('AIRFLOW__CORE__EXECUTOR', '')!r}: set COMPOSE_PROFILES=celery together "
            "with AIRFLOW_EXECUTOR=CeleryExecutor in .env, or neither"
        )


def check_writable(env: dict[str, str]) -> list[Path]:
    """Return the jixiao folders this process must write (warehouse folder, JIXIAO_HOME);
    raise ``RuntimeError`` naming the first one it cannot write, and the fix."""
    cfg = settings_module.resolve(env)
    folders = [cfg.warehouse.parent, cfg.home]
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".jixiao-write-check-{os.getpid()}"
            probe.write_text("ok", encoding="utf-8")
            probe.unlink()
        except OSError as exc:
            raise RuntimeError(
                f"{folder} is not writable by uid {os.getuid()} ({exc}); on the host, "
                "`chown` the mounted folder to AIRFLOW_UID (docker compose: AIRFLOW_UID in "
                ".env is `id -u` of the folder's owner)"
            ) from exc
    return folders


def init(env: dict[str, str] | None = None) -> list[str]:
    """Check the executor and the folders, migrate the metadata DB, create the pool, write
    the admin password; return what was done, one line each. Raises ``RuntimeError``
    (with Airflow's output) on failure."""
    from jixiao.runner import RunFailed, migrate_metadata_db

    env = {**os.environ, **(env or {})}  # passed on to Airflow's processes
    env["AIRFLOW_HOME"] = str(settings_module.resolve(env).airflow_home)
    check_executor(env)
    done = [f"writable: {folder}" for folder in check_writable(env)]
    try:
        migrate_metadata_db(env)
    except RunFailed as exc:
        raise RuntimeError(str(exc)) from exc
    done.append("metadata DB migrated")
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao.deploy", "pool"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"creating pool {pool_name()!r} failed:\n{proc.stderr[-3000:]}")
    done.append(proc.stdout.strip())
    written = write_admin_password(env)
    if written:
        done.append(f"admin password file written: {written}")
    return done


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["init"]:
        try:
            for line in init():
                print(f"jixiao init: {line}")
        except RuntimeError as exc:
            print(f"jixiao init: {exc}", file=sys.stderr)
            return 1
        return 0
    if args == ["pool"]:
        created = ensure_pool()
        print(f"pool {pool_name()!r} {'created (1 slot)' if created else 'already exists'}")
        return 0
    print("usage: python -m jixiao.deploy init|pool", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
