"""End to end: generated inbox → ``jixiao run`` (the real DAG via ``dag.test()``) → marts.

Runs the CLI in a subprocess so Airflow gets its own configuration (AIRFLOW_HOME with
SQLite metadata under tmp), exactly as ``make demo`` does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from jixiao import settings
from tests.generated import CITY, copy_tree, sample_pdfs
from tests.jixiao_run import run

RAW_TABLES = ("submissions", "budget_lines", "indicator_scores", "extraction_issues")


TOTAL_ITEMS = {"合计", "总计", "小计"}
# the dimension a department-year's execution rate is computed from, in order of preference
RATE_DIMENSIONS = ("资金来源", "合计", "资金结构", "预算级次")


def _expected_rate(budget_lines: list[dict]) -> float | None:
    """Σ actual / Σ budget over the preferred dimension's parts (its total line if alone)."""
    for dimension in RATE_DIMENSIONS:
        lines = [line for line in budget_lines if line["dimension"] == dimension]
        if not lines:
            continue
        parts = [line for line in lines if line["item"] not in TOTAL_ITEMS] or lines
        if any(line["budget"] is None or line["actual"] is None for line in parts):
            return None  # a budget-only table: no execution rate
        return sum(line["actual"] for line in parts) / sum(line["budget"] for line in parts)
    return None


def _truths(inbox: Path) -> list[dict]:
    return [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(inbox.rglob("*.truth.json"))
    ]


def _expected_from_truth(inbox: Path) -> dict[tuple[str, int], dict[str, Any]]:
    expected = {}
    for truth in _truths(inbox):
        if any(issue["severity"] == "error" for issue in truth.get("issues", [])):
            continue
        document = truth["document"]
        key = (document["department"], document["fiscal_year"])
        assert key not in expected, f"two sample documents for {key}"
        expected[key] = {
            "total_score": truth["totals"]["total_score"],
            "execution_rate": _expected_rate(truth["budget_lines"]),
            "district": document["district"],
        }
    return expected


def _raw_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in RAW_TABLES}


def _marts_digest(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return [
            (table, con.execute(f"select count(*), sum(hash(t)) from marts.{table} t").fetchone())
            for table in tables
        ]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("e2e")
    inbox = copy_tree(sample_corpus, root / "inbox")
    pdfs = sample_pdfs(inbox)
    year = inbox / "2021"
    (year / "empty.pdf").write_bytes(b"")
    (year / "minutes.pdf").write_text("会议纪要：这不是 PDF 文件", encoding="utf-8")
    (year / "truncated.pdf").write_bytes((sample_corpus / CITY).read_bytes()[:700])
    summary = run(inbox, root / "home", migrated=False)  # a fresh home, as `make demo` has
    return {"inbox": inbox, "home": root / "home", "pdfs": pdfs, "summary": summary}


def test_run_summary_counts(first_run: dict[str, Any]) -> None:
    summary = first_run["summary"]
    n_pdfs = len(first_run["pdfs"])
    assert summary["discovered"] == n_pdfs + 3
    assert summary["extracted"] == n_pdfs + 3
    assert summary["skipped_unchanged"] == 0
    assert summary["quarantined"] == 3
    assert summary["loaded"] == n_pdfs
    assert Path(summary["warehouse"]).is_file()
    quarantined = {Path(q["path"]).name: q["reason"] for q in summary["quarantined_files"]}
    assert set(quarantined) == {"empty.pdf", "minutes.pdf", "truncated.pdf"}
    assert all(name in reason for name, reason in quarantined.items())


def test_the_runs_builds_test_the_data_not_the_sql(first_run: dict[str, Any]) -> None:
    """Both of the run's dbt builds ran data tests and no unit test: unit tests check the
    models' SQL on fixed inputs, in CI (tests/test_dbt_build.py), not on every load."""
    home = settings.resolve({"JIXIAO_HOME": str(first_run["home"])})
    log = (home.dbt_target_dir / "logs" / "dbt.log").read_text(encoding="utf-8")
    builds = re.findall(r"Finished running (\d+ .*) in \d+ hours", log)
    assert len(builds) == 2, builds  # before and after the quality checks
    assert all("data tests" in build and "unit test" not in build for build in builds), builds


def test_marts_equal_ground_truth(first_run: dict[str, Any]) -> None:
    expected = _expected_from_truth(first_run["inbox"])
    assert expected, "the sample generator wrote no ground truth"
    with duckdb.connect(first_run["summary"]["warehouse"], read_only=True) as con:
        rows = con.execute(
            "select department, fiscal_year, district, total_score, execution_rate "
            "from marts.fct_department_year"
        ).fetchall()
    got = {
        (dept, year): {"total_score": score, "execution_rate": rate, "district": district}
        for dept, year, district, score, rate in rows
    }
    assert set(got) == set(expected)
    for key, want in expected.items():
        assert got[key]["district"] == want["district"], key
        if want["total_score"] is None:
            assert got[key]["total_score"] is None, key
        else:
            assert got[key]["total_score"] == pytest.approx(want["total_score"], abs=1e-9), key
        if want["execution_rate"] is None:
            assert got[key]["execution_rate"] is None, key
        else:
            assert got[key]["execution_rate"] == pytest.approx(want["execution_rate"], rel=1e-9), (
                key
            )


def test_quarantine_reasons_are_in_raw(first_run: dict[str, Any]) -> None:
    with duckdb.connect(first_run["summary"]["warehouse"], read_only=True) as con:
        rows = con.execute(
            "select s.file_name, i.code from raw.submissions s "
            "join raw.extraction_issues i using (sha256) "
            "where s.status = 'quarantined' and i.severity = 'error'"
        ).fetchall()
    assert {name for name, _ in rows} == {"empty.pdf", "minutes.pdf", "truncated.pdf"}


def test_quality_results_written_per_check_and_submission(first_run: dict[str, Any]) -> None:
    with duckdb.connect(first_run["summary"]["warehouse"], read_only=True) as con:
        checks = dict(
            con.execute(
                "select check_name, count(distinct sha256) from quality.check_results group by 1"
            ).fetchall()
        )
    loaded = first_run["summary"]["loaded"]
    assert checks["score_within_points"] == loaded
    assert checks["leaf_scores_sum_to_total"] == loaded


def test_rerun_of_unchanged_inbox_is_a_noop(first_run: dict[str, Any]) -> None:
    """The DAG itself, run on an unchanged inbox, extracts nothing and skips dbt/checks."""
    warehouse = Path(first_run["summary"]["warehouse"])
    before = _raw_counts(warehouse)
    marts_before = _marts_digest(warehouse)
    summary = run(first_run["inbox"], first_run["home"], "--always-run-dag")
    assert summary["run_id"] is not None  # a real DAG run
    assert summary["extracted"] == 0
    assert summary["loaded"] == 0
    assert summary["skipped_unchanged"] == first_run["summary"]["discovered"]
    assert summary["transformed"] is False  # nothing new: dbt and the checks are skipped
    assert _raw_counts(warehouse) == before
    assert _marts_digest(warehouse) == marts_before


def test_jixiao_run_on_unchanged_inbox_starts_no_dagrun(first_run: dict[str, Any]) -> None:
    summary = run(first_run["inbox"], first_run["home"])
    assert summary["run_id"] is None
    assert (summary["extracted"], summary["loaded"], summary["transformed"]) == (0, 0, False)
    assert summary["skipped_unchanged"] == first_run["summary"]["discovered"]


# the check that must catch each kind of mistake the sample generator plants
CHECK_FOR_PLANTED_ISSUE = {
    "score_exceeds_points": "score_within_points",
    "budget_dimension_mismatch": "budget_dimensions_agree",
    "project_sum_mismatch": "projects_sum_to_total",
}


def test_planted_mistakes_are_found_and_nothing_else(first_run: dict[str, Any]) -> None:
    """Each planted mistake fails its check in the mart; clean samples fail no check."""
    with duckdb.connect(first_run["summary"]["warehouse"], read_only=True) as con:
        rows = con.execute(
            "select department, fiscal_year, quality_status, failed_checks "
            "from marts.fct_department_year"
        ).fetchall()
    status = {(dept, year): (state, set(failed)) for dept, year, state, failed in rows}
    planted_seen = 0
    for truth in _truths(first_run["inbox"]):
        key = (truth["document"]["department"], truth["document"]["fiscal_year"])
        codes = {issue["code"] for issue in truth.get("issues", [])}
        expected_checks = {
            CHECK_FOR_PLANTED_ISSUE[c] for c in codes if c in CHECK_FOR_PLANTED_ISSUE
        }
        state, failed = status[key]
        if expected_checks:
            planted_seen += 1
            assert expected_checks <= failed, (key, failed)
            assert state in {"warning", "error"}, key
        elif not codes:
            assert (state, failed) == ("ok", set()), key
    assert planted_seen >= 2, "the sample corpus should plant several mistakes"
