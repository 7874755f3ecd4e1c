"""Benchmark: one generated year through the real scheduler, beside `jixiao run`.

    .venv/bin/python benchmarks/run_deployed.py [--count 600] [--year 2023] [--batch-size 25]
        [--modes jixiao-run,local,celery] [--worker-concurrency 1]

Generates ``count`` submissions of one fiscal year, then loads them into a fresh warehouse
three ways, one after another on this host:

- ``jixiao-run``: `jixiao run` (``dag.test()`` on SQLite, tasks one after another);
- ``local``: scheduler, dag-processor and api-server on a scratch Postgres DB with
  LocalExecutor (parallelism 4), the run triggered through the REST API;
- ``celery``: the same with CeleryExecutor, Redis and two workers on separate working
  folders (``--worker-concurrency`` task processes each).

For each it prints the wall time of the run (queued → finished; stack start-up apart),
the time inside tasks (sum over task instances), the time at least one task was running,
the orchestration overhead (wall − that busy time) and pages per second. Needs
PostgreSQL and Redis on 127.0.0.1 for the deployed modes. The sum-check gate is off
(``JIXIAO_SUM_CHECK_MAX_FAILURE_PCT=100``): this measures orchestration, not accuracy.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from jixiao.stack import DAG_ID, AirflowStack, scratch_database

BENCH_ENV = {"JIXIAO_SUM_CHECK_MAX_FAILURE_PCT": "100", "JIXIAO_RETRIES": "0"}


def busy_seconds(intervals: list[tuple[datetime, datetime]]) -> float:
    """Given task (start, end) intervals, return the time at least one task was running."""
    busy, current_start, current_end = 0.0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                busy += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        busy += (current_end - current_start).total_seconds()
    return busy


def pages_loaded(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return int(con.execute("select coalesce(sum(pages), 0) from raw.submissions").fetchone()[0])


def measure_jixiao_run(inbox: Path, root: Path, year: int, batch_size: int) -> dict:
    home = root / "jixiao-run"
    env = {**os.environ, **BENCH_ENV, "JIXIAO_HOME": str(home)}
    for name in ("AIRFLOW_HOME", "JIXIAO_WAREHOUSE"):
        env.pop(name, None)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao.cli", "run", "--inbox", str(inbox), "--year", str(year),
         "--batch-size", str(batch_size)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"jixiao run failed:\n{proc.stderr[-3000:]}")
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    with sqlite3.connect(home / "airflow" / "airflow.db") as con:
        rows = con.execute(
            "select start_date, end_date from task_instance where run_id = ? "
            "and start_date is not null and end_date is not null",
            [summary["run_id"]],
        ).fetchall()
    intervals = [(datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in rows]
    return {
        "wall": wall,
        "intervals": intervals,
        "warehouse": Path(summary["warehouse"]),
        "startup": None,
    }


def measure_stack(
    inbox: Path, root: Path, executor: str, year: int, batch_size: int, concurrency: int
) -> dict:
    extra = {**BENCH_ENV, "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(concurrency)}
    with scratch_database("jixiao_bench") as url:
        stack = AirflowStack(root / executor, url, inbox, executor=executor, extra_env=extra)
        try:
            started = time.perf_counter()
            client = stack.start()
            startup = time.perf_counter() - started
            # unpausing starts last year's scheduled run (skipped: no such folder) first
            client.unpause(DAG_ID)
            scheduled = client.wait_for_scheduled_run(DAG_ID, timeout=120)
            client.wait_for_run(DAG_ID, scheduled["dag_run_id"], 300, stack)
            run_id = client.trigger(DAG_ID, {"year": year, "batch_size": batch_size})
            run = client.wait_for_run(DAG_ID, run_id, 3600, stack)
            if run["state"] != "success":
                sys.exit(f"{executor} run {run_id} ended {run['state']}\n{stack.task_logs()}")
            tis = client.task_instances(DAG_ID, run_id)
        finally:
            stack.stop()
    stamp = datetime.fromisoformat
    intervals = [
        (stamp(ti["start_date"]), stamp(ti["end_date"]))
        for ti in tis
        if ti["start_date"] and ti["end_date"]
    ]
    return {
        "wall": (stamp(run["end_date"]) - stamp(run["queued_at"])).total_seconds(),
        "intervals": intervals,
        "warehouse": stack.warehouse,
        "startup": startup,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--batch-size", type=int, default=25)
    parser.add_argument("--modes", default="jixiao-run,local,celery")
    parser.add_argument("--worker-concurrency", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    from jixiao_devtools.samples import generate_year

    root = args.workdir or Path(tempfile.mkdtemp(prefix="jixiao-bench-deployed-"))
    inbox = root / "inbox"
    started = time.perf_counter()
    written = generate_year(inbox, args.year, args.count)
    print(f"generated {len(written)} submissions in {time.perf_counter() - started:.1f} s")

    results = {}
    for mode in args.modes.split(","):
        print(f"running {mode} …", flush=True)
        if mode == "jixiao-run":
            results[mode] = measure_jixiao_run(inbox, root, args.year, args.batch_size)
        else:
            executor = {"local": "LocalExecutor", "celery": "CeleryExecutor"}[mode]
            results[mode] = measure_stack(
                inbox, root, executor, args.year, args.batch_size, args.worker_concurrency
            )

    print(
        f"\n{'mode':<12}{'start-up':>10}{'wall':>8}{'in tasks':>10}{'busy':>8}"
        f"{'overhead':>10}{'share':>7}{'pages/s':>9}"
    )
    for mode, result in results.items():
        wall = result["wall"]
        in_tasks = sum((end - start).total_seconds() for start, end in result["intervals"])
        busy = busy_seconds(result["intervals"])
        pages = pages_loaded(result["warehouse"])
        startup = f"{result['startup']:.1f}" if result["startup"] is not None else "-"
        print(
            f"{mode:<12}{startup:>10}{wall:>8.1f}{in_tasks:>10.1f}{busy:>8.1f}"
            f"{wall - busy:>10.1f}{(wall - busy) / wall:>7.1%}{pages / wall:>9.1f}"
        )
    print(
        "\nwall: run queued → finished (jixiao run: the whole command); in tasks: sum of task "
        "durations; busy: time with at least one task running; overhead = wall − busy"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
