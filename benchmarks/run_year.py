"""Benchmark: `jixiao run` over a generated Guangzhou-scale year, then an unchanged rerun.

    .venv/bin/python benchmarks/run_year.py [--count 600] [--year 2023] [--batch-size 25]

Generates ``count`` submissions of one fiscal year (``jixiao_devtools.samples.generate_year``),
runs the real DAG (``jixiao run``, i.e. ``dag.test()`` on SQLite metadata) in a fresh
JIXIAO_HOME, and prints the wall time, pages per second and where the time went: each
task's share (from Airflow's task_instance table) and the orchestration overhead
(wall time not spent inside any task). Then it reruns the unchanged inbox twice and prints
each wall time as a share of the first: `jixiao run` (which sees nothing changed and
starts no DAG run) and `jixiao run --always-run-dag` (the DAG's own no-op path: nothing
extracted, dbt and the checks skipped). Targets (issue #6): orchestration under
25 % of the first run; the unchanged rerun under 5 % of the first run.
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
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import duckdb

STAGES = ("discover", "extract", "load_raw", "dbt_build", "validate", "dbt_build_marts", "publish")


def run(inbox: Path, home: Path, batch_size: int, *extra: str) -> tuple[float, dict]:
    """Run `jixiao run` once; return (wall seconds, run summary)."""
    env = {**os.environ, "JIXIAO_HOME": str(home), "JIXIAO_BATCH_SIZE": str(batch_size)}
    env.pop("AIRFLOW_HOME", None)
    env.pop("JIXIAO_WAREHOUSE", None)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao.cli", "run", "--inbox", str(inbox), *extra],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"jixiao run failed:\n{proc.stderr[-3000:]}")
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])


def task_seconds(airflow_db: Path, run_id: str) -> dict[str, float]:
    """Given Airflow's SQLite DB and a run id, return seconds spent per task (all map indexes)."""
    with sqlite3.connect(airflow_db) as con:
        rows = con.execute(
            "select task_id, start_date, end_date from task_instance where run_id = ?", [run_id]
        ).fetchall()
    spent: dict[str, float] = defaultdict(float)
    for task_id, start, end in rows:
        if start and end:
            spent[task_id] += (
                datetime.fromisoformat(end) - datetime.fromisoformat(start)
            ).total_seconds()
    return dict(spent)


def pages_loaded(warehouse: str) -> int:
    with duckdb.connect(warehouse, read_only=True) as con:
        return int(con.execute("select coalesce(sum(pages), 0) from raw.submissions").fetchone()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--batch-size", type=int, default=25)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    from jixiao_devtools.samples import generate_year

    root = args.workdir or Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    inbox, home = root / "inbox", root / "home"
    started = time.perf_counter()
    pdfs = generate_year(inbox, args.year, args.count)
    print(f"generated {len(pdfs)} submissions in {time.perf_counter() - started:.1f} s ({inbox})")

    wall, summary = run(inbox, home, args.batch_size)
    pages = pages_loaded(summary["warehouse"])
    spent = task_seconds(home / "airflow" / "airflow.db", summary["run_id"])
    in_tasks = sum(spent.values())
    print(
        f"\nfirst run: {wall:.1f} s wall, {summary['loaded']} loaded, "
        f"{summary['quarantined']} quarantined, {pages} pages, {pages / wall:.1f} pages/s"
    )
    print(f"{'stage':<18}{'seconds':>10}{'share':>9}")
    for stage in STAGES:
        seconds = spent.get(stage, 0.0)
        print(f"{stage:<18}{seconds:>10.1f}{seconds / wall:>9.1%}")
    overhead = wall - in_tasks
    print(f"{'orchestration':<18}{overhead:>10.1f}{overhead / wall:>9.1%}  (wall - time in tasks)")

    rerun_wall, rerun = run(inbox, home, args.batch_size)
    dag_wall, dag_rerun = run(inbox, home, args.batch_size, "--always-run-dag")
    print(
        f"\nunchanged rerun, `jixiao run`: {rerun_wall:.1f} s wall "
        f"({rerun_wall / wall:.1%} of the first run; "
        f"DAG run started: {rerun['run_id'] is not None})"
    )
    print(
        f"unchanged rerun, `jixiao run --always-run-dag`: {dag_wall:.1f} s wall "
        f"({dag_wall / wall:.1%}; extracted={dag_rerun['extracted']}, "
        f"transformed={dag_rerun['transformed']})"
    )
    print(
        f"targets: orchestration < 25 % -> {'met' if overhead / wall < 0.25 else 'NOT met'}; "
        f"unchanged rerun < 5 % -> {'met' if rerun_wall / wall < 0.05 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
