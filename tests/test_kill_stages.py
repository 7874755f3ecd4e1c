"""kill -9 at every stage of `jixiao run`, then reruns: the same warehouse as one clean run.

One inbox (two generated forms and two bad files) is loaded twice: once by an
uninterrupted `jixiao run`, and once by a chain of runs of which each is SIGKILLed (the
whole process group, dbt included) inside one stage — extract, load_raw, dbt_build,
validate, publish — before a last run completes. Both warehouses must then hold the same
raw rows, marts, latest check results and serving copy, and the files loaded by a killed
run must have been reported by a later one (issue 14).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from tests.generated import CITY, DISTRICT
from tests.jixiao_run import run, run_environment, with_migrated_airflow

# stage -> the log line after which the run is killed, and how long after it
KILL_POINTS: list[tuple[str, str, float]] = [
    ("extract", "[DAG TEST] starting task_id=extract", 0.2),
    ("load_raw", "[DAG TEST] starting task_id=load_raw", 0.3),
    ("dbt_build", "Running with dbt=", 2.0),
    ("validate", "[DAG TEST] starting task_id=validate", 1.0),
    ("publish", "[DAG TEST] starting task_id=publish", 0.0),
]


def _inbox(root: Path, sample_corpus: Path) -> Path:
    year = root / "inbox" / "2021"
    year.mkdir(parents=True)
    for form in (DISTRICT, CITY):
        shutil.copy(sample_corpus / form, year)
    (year / "empty.pdf").write_bytes(b"")
    (year / "notice.txt").write_text("关于召开年度工作会议的通知\n", encoding="utf-8")
    return root / "inbox"


def run_killed_at(inbox: Path, home: Path, marker: str, delay: float) -> str:
    """Start `jixiao run`, SIGKILL its process group ``delay`` s after ``marker`` is logged;
    return its output. Fails if the run ends before the marker."""
    with_migrated_airflow(home)
    log = home / f"killed-{time.monotonic_ns()}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jixiao.cli", "run", "--inbox", str(inbox)],
            env=run_environment(home),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 600
    while marker not in log.read_text("utf-8", "replace"):
        assert proc.poll() is None, f"the run ended before {marker!r}:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return log.read_text("utf-8", "replace")


def snapshot(warehouse: str, serving: str | None) -> dict[str, Any]:
    """Given a warehouse and its serving copy, return what a reader sees of them."""
    with duckdb.connect(warehouse, read_only=True) as con:
        state = {
            "raw": con.execute(
                "select file_name, sha256, status, family, department, fiscal_year, total_score "
                "from raw.submissions order by all"
            ).fetchall(),
            "issues": con.execute(
                "select sha256, code from raw.extraction_issues order by all"
            ).fetchall(),
            "marts": con.execute(
                "select department, fiscal_year, total_score, quality_status "
                "from marts.fct_department_year order by all"
            ).fetchall(),
            "checks": con.execute(
                "select check_name, sha256, passed from quality.check_results "
                "qualify row_number() over (partition by check_name, sha256 "
                "order by checked_at desc) = 1 order by all"
            ).fetchall(),
        }
    assert serving is not None
    with duckdb.connect(serving, read_only=True) as con:
        state["serving"] = con.execute(
            "select department, fiscal_year, total_score, quality_status "
            "from marts.fct_department_year order by all"
        ).fetchall()
    return state


def test_a_kill_at_every_stage_then_a_rerun_reaches_the_clean_runs_warehouse(
    tmp_path: Path, sample_corpus: Path
) -> None:
    inbox = _inbox(tmp_path, sample_corpus)
    clean = run(inbox, tmp_path / "clean")
    expected = snapshot(clean["warehouse"], clean["serving"])
    assert len(expected["marts"]) == 2

    home = tmp_path / "killed"
    for stage, marker, delay in KILL_POINTS:
        output = run_killed_at(inbox, home, marker, delay)
        assert f"starting task_id={stage}" in output or stage == "dbt_build"
    final = run(inbox, home)
    assert snapshot(final["warehouse"], final["serving"]) == expected

    stubs = [json.loads(p.read_text("utf-8")) for p in (home / "runs").glob("*.json")]
    unfinished = [s for s in stubs if s.get("status") == "unfinished"]
    assert sum(s["loaded"] for s in unfinished) == 2  # the killed run's files, reported once
    assert sum(s["quarantined"] for s in unfinished) == 2
