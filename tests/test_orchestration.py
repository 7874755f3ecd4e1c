"""Orchestration scenarios a data engineer meets every year, through the real DAG.

Each scenario runs ``jixiao run`` (the DAG via ``dag.test()``) in a subprocess on forms of
the generated sample corpus (``sample_corpus``; no ../shared needed): re-submissions, the
year parameter, two runs started together, a failing batch retried, and Airflow 3's
backfill over 2019–2023.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from jixiao.stages.discover import fiscal_year_to_process, sha256_of
from tests.generated import CITY, DISTRICT, truth, write_corrected_form
from tests.jixiao_run import finish_run, run, run_environment, start_run


def _department_and_total(record: dict[str, Any]) -> tuple[str, float]:
    return record["document"]["department"], record["totals"]["total_score"]


def _two_forms(sample_corpus: Path, inbox: Path) -> Path:
    """An inbox of one year with a district's and a city bureau's form; return it."""
    (inbox / "2021").mkdir(parents=True)
    for form in (DISTRICT, CITY):
        shutil.copy(sample_corpus / form, inbox / form)
    return inbox


def _mart(warehouse: str, department: str, year: int) -> tuple[str, float]:
    with duckdb.connect(warehouse, read_only=True) as con:
        row = con.execute(
            "select sha256, total_score from marts.fct_department_year "
            "where department = ? and fiscal_year = ?",
            [department, year],
        ).fetchone()
    assert row is not None, f"no mart row for {department} {year}"
    return row


def test_year_selection_rules() -> None:
    assert fiscal_year_to_process(2021, "manual", 2026) == 2021
    assert fiscal_year_to_process(None, "scheduled", 2023) == 2023
    assert fiscal_year_to_process(None, "backfill", 2019) == 2019
    assert fiscal_year_to_process(None, "manual", 2026) is None
    assert fiscal_year_to_process(None, "asset_triggered", 2026) is None


@pytest.fixture(scope="module")
def resubmitted(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("orchestration")
    inbox, home = root / "inbox", root / "home"
    (inbox / "2021").mkdir(parents=True)
    (inbox / "2022").mkdir()
    first = shutil.copy(sample_corpus / DISTRICT, inbox / "2021" / "panyu.pdf")
    run1 = run(inbox, home)

    # A corrected 番禺 form (one score and the total lowered) arrives later …
    corrected = inbox / "2021" / "panyu-corrected.pdf"
    corrected_truth = write_corrected_form(sample_corpus / DISTRICT, corrected, "0.47")
    # … and two versions of the city form arrive in the same run: the newer file wins.
    older = inbox / "2021" / "city-draft.pdf"
    write_corrected_form(sample_corpus / CITY, older, "0.1")
    newer = shutil.copy(sample_corpus / CITY, inbox / "2021" / "city-final.pdf")
    os.utime(older, (1_650_000_000, 1_650_000_000))
    os.utime(newer, (1_660_000_000, 1_660_000_000))
    # A 2022 file that a --year 2021 run must not touch.
    (inbox / "2022" / "later.txt").write_text("not yet", encoding="utf-8")
    run2 = run(inbox, home, "--year", "2021")
    return {
        "inbox": inbox,
        "home": home,
        "run1": run1,
        "run2": run2,
        "files": {"first": first, "corrected": corrected, "older": older, "newer": newer},
        "district": _department_and_total(truth(sample_corpus / DISTRICT)),
        "corrected_total": corrected_truth["totals"]["total_score"],
        "city": _department_and_total(truth(sample_corpus / CITY)),
    }


def test_resubmission_supersedes_in_marts_and_keeps_history(resubmitted: dict) -> None:
    warehouse = resubmitted["run2"]["warehouse"]
    files = resubmitted["files"]
    department, first_total = resubmitted["district"]
    corrected_total = resubmitted["corrected_total"]
    assert corrected_total == round(first_total - 0.47, 2)
    assert _mart(warehouse, department, 2021) == (sha256_of(files["corrected"]), corrected_total)
    with duckdb.connect(warehouse, read_only=True) as con:
        versions = con.execute(
            "select file_name, sha256, total_score from raw.submissions "
            "where department = ? and fiscal_year = 2021 order by loaded_at, file_name",
            [department],
        ).fetchall()
    assert versions == [
        ("panyu.pdf", sha256_of(files["first"]), first_total),
        ("panyu-corrected.pdf", sha256_of(files["corrected"]), corrected_total),
    ]


def test_newest_file_wins_among_versions_of_one_run(resubmitted: dict) -> None:
    warehouse = resubmitted["run2"]["warehouse"]
    newer = resubmitted["files"]["newer"]
    department, total = resubmitted["city"]
    assert _mart(warehouse, department, 2021) == (sha256_of(newer), total)


def test_year_param_limits_discovery(resubmitted: dict) -> None:
    run1, run2 = resubmitted["run1"], resubmitted["run2"]
    assert (run1["year"], run1["discovered"], run1["quarantined"]) == (None, 1, 0)
    assert run2["year"] == 2021
    assert run2["discovered"] == 4  # 2021 only: panyu (unchanged) + 3 new
    assert (run2["skipped_unchanged"], run2["loaded"]) == (1, 3)


def test_backfill_2019_to_2023_creates_one_run_per_fiscal_year(resubmitted: dict) -> None:
    env = run_environment(resubmitted["home"])
    env["AIRFLOW_HOME"] = str(resubmitted["home"] / "airflow")
    env["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parents[1] / "dags")
    proc = subprocess.run(
        [sys.executable, "-m", "airflow", "backfill", "create", "--dag-id", "jixiao_yearly",
         "--from-date", "2019-01-01", "--to-date", "2023-12-31", "--dry-run"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    dates = [line.split("|")[1].strip()[:10] for line in proc.stdout.splitlines()
             if line.startswith("| 20")]  # fmt: skip
    assert dates == ["2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01"]
    # each of those runs processes the fiscal year of its logical date
    years = [fiscal_year_to_process(None, "backfill", int(d[:4])) for d in dates]
    assert years == [2019, 2020, 2021, 2022, 2023]


def test_two_runs_started_together_neither_fails_nor_duplicates(
    tmp_path: Path, sample_corpus: Path
) -> None:
    inbox = _two_forms(sample_corpus, tmp_path / "inbox")
    home = tmp_path / "home"  # migrated before either starts (tests/jixiao_run.py)
    first, second = start_run(inbox, home), start_run(inbox, home)
    summaries = [finish_run(first), finish_run(second)]
    assert sum(s["loaded"] for s in summaries) == 2
    with duckdb.connect(summaries[0]["warehouse"], read_only=True) as con:
        assert con.execute("select count(*) from raw.submissions").fetchone()[0] == 2
        assert con.execute("select count(*) from marts.fct_department_year").fetchone()[0] == 2


# Loaded by the `jixiao run` process (PYTHONPATH): extract_batch fails while FAULT exists.
FAULT_INJECTION = """
import os
from pathlib import Path

import jixiao.stages.extract as stage

_extract_batch = stage.extract_batch


def extract_batch(batch, run_id):
    fault = Path(os.environ["JIXIAO_TEST_FAULT"])
    if fault.exists():
        raise OSError(f"injected fault: {fault} exists")
    return _extract_batch(batch, run_id)


stage.extract_batch = extract_batch
"""


def test_failing_batch_is_retried_and_loses_no_file(tmp_path: Path, sample_corpus: Path) -> None:
    """An extract batch that fails (an injected I/O error) is retried by Airflow; once
    the fault is gone the retry extracts every file of the batch."""
    inbox = _two_forms(sample_corpus, tmp_path / "inbox")
    home = tmp_path / "home"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(FAULT_INJECTION, encoding="utf-8")
    blocker = tmp_path / "fault"
    blocker.write_text("extract fails while this file exists", encoding="utf-8")
    proc = start_run(
        inbox,
        home,
        env={
            "PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")]),
            "JIXIAO_TEST_FAULT": str(blocker),
            "JIXIAO_RETRIES": "2",
            "JIXIAO_RETRY_DELAY_SECONDS": "3",
        },
    )
    task_log = proc.outputs[0]  # type: ignore[attr-defined]  # dag.test logs to stdout
    deadline = time.monotonic() + 600
    while "Task failed with exception" not in task_log.read_text("utf-8", errors="replace"):
        assert proc.poll() is None, "the run ended before the extract batch failed"
        assert time.monotonic() < deadline, "the extract batch never failed"
        time.sleep(0.5)
    blocker.unlink()  # the fault goes away before the retry
    summary = finish_run(proc)
    assert (summary["extracted"], summary["loaded"], summary["quarantined"]) == (2, 2, 0)
    with sqlite3.connect(home / "airflow" / "airflow.db") as con:
        tries = con.execute(
            "select try_number, state from task_instance where task_id = 'extract' and run_id = ?",
            [summary["run_id"]],
        ).fetchall()
    assert tries == [(2, "success")]
