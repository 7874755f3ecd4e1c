"""Quality checks: GX suites over a real dbt-built warehouse, results in quality.check_results.

Rows come from tests/dbt_fixtures/raw_rows.sql: a21v2 scores 2 on a 1-point indicator,
a22's leaves do not add up to its 总分, b22 spends 160 % and prints the wrong grade,
x21 has no department; a21v1, b21 and b22r are clean; q21 is quarantined.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from expectations import validate
from extract.raw_tables import RAW_DDL
from jixiao import transform

FIXTURE_SQL = Path(__file__).parent / "dbt_fixtures" / "raw_rows.sql"
RUN_ID = "quality-test"
EXPECTED_FAILURES = {
    ("score_within_points", "a21v2", "error"),
    ("leaf_scores_sum_to_total", "a22", "error"),
    ("execution_rate_plausible", "b22", "warning"),
    ("grade_matches_printed", "b22", "warning"),
    ("submission_identified", "x21", "error"),
}
LOADED = {"a21v1", "a21v2", "a22", "b21", "b22", "b22r", "x21"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quality")
    path = folder / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
        con.execute(FIXTURE_SQL.read_text(encoding="utf-8"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(folder / "dbt_work"))
        transform.dbt_build(path)
    return path


@pytest.fixture(scope="module")
def summary(warehouse: Path) -> dict:
    return validate.validate_warehouse(warehouse, RUN_ID)


def check_results(warehouse: Path, run_id: str = RUN_ID) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select * from quality.check_results where run_id = ? order by check_name, sha256",
            [run_id],
        )
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def test_the_right_submissions_fail_the_right_checks(warehouse: Path, summary: dict) -> None:
    rows = check_results(warehouse)
    failed = {
        (row["check_name"], row["sha256"], row["severity"]) for row in rows if not row["passed"]
    }
    assert failed == EXPECTED_FAILURES
    assert {(f["check_name"], f["sha256"], f["severity"]) for f in summary["failed"]} == (
        EXPECTED_FAILURES
    )


def test_clean_submissions_pass_every_check(warehouse: Path, summary: dict) -> None:
    rows = check_results(warehouse)
    for sha256 in ("a21v1", "b21", "b22r"):
        theirs = [row for row in rows if row["sha256"] == sha256]
        assert theirs, sha256
        assert all(row["passed"] for row in theirs), theirs


def test_one_row_per_check_and_submission(warehouse: Path, summary: dict) -> None:
    rows = check_results(warehouse)
    keys = [(row["check_name"], row["sha256"]) for row in rows]
    assert len(keys) == len(set(keys))
    assert {row["sha256"] for row in rows} == LOADED
    by_check: dict[str, set[str]] = {}
    for row in rows:
        by_check.setdefault(row["check_name"], set()).add(row["sha256"])
    assert len(by_check) == 7
    assert all(shas == LOADED for shas in by_check.values()), by_check
    assert all(row["checked_at"] is not None for row in rows)


def test_rows_carry_identity_observed_and_expected(warehouse: Path, summary: dict) -> None:
    rows = {(row["check_name"], row["sha256"]): row for row in check_results(warehouse)}
    over = rows[("score_within_points", "a21v2")]
    assert over["department"] == "广州市番禺区科技工业商务和信息化局"
    assert over["fiscal_year"] == 2021
    assert "line_number=2" in over["observed"] and "score=2.0" in over["observed"]
    assert "points" in over["expected"]
    sums = rows[("leaf_scores_sum_to_total", "a22")]
    assert "score_difference=0.5" in sums["observed"]
    assert "0.01" in sums["expected"]
    assert rows[("submission_identified", "x21")]["department"] is None


def test_summary_counts(summary: dict) -> None:
    assert summary["checks_run"] == 7
    assert summary["checks_failed"] == 5
    assert summary["submissions_checked"] == len(LOADED)
    assert summary["rows_written"] == 7 * len(LOADED)
    json.dumps(summary, ensure_ascii=False, default=str)


def test_submission_without_rows_passes_as_not_applicable(warehouse: Path, summary: dict) -> None:
    rows = {(row["check_name"], row["sha256"]): row for row in check_results(warehouse)}
    no_indicators = rows[("score_within_points", "x21")]
    assert no_indicators["passed"] is True
    assert no_indicators["observed"] == "no rows in staging.stg_indicator_scores"


def test_superseded_versions_are_checked_too(warehouse: Path, summary: dict) -> None:
    """Every submission version is checked, not only the one the marts use."""
    rows = {(row["check_name"], row["sha256"]): row for row in check_results(warehouse)}
    superseded = rows[("grade_matches_printed", "a21v1")]
    assert superseded["passed"] is True
    assert superseded["observed"].startswith("grade=")


def test_rerun_with_the_same_run_id_replaces_its_rows(warehouse: Path, summary: dict) -> None:
    again = validate.validate_warehouse(warehouse, RUN_ID)
    assert again["rows_written"] == summary["rows_written"]
    assert len(check_results(warehouse)) == summary["rows_written"]


def test_missing_table_is_a_pipeline_error(tmp_path: Path) -> None:
    path = tmp_path / "raw_only.duckdb"
    with duckdb.connect(str(path)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
    with pytest.raises(RuntimeError, match="int_submissions_versioned"):
        validate.validate_warehouse(path, "no-dbt")


def test_null_key_is_a_pipeline_error(tmp_path: Path) -> None:
    path = tmp_path / "null_keys.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema intermediate")
        con.execute(
            "create table intermediate.int_submissions_versioned as "
            "select 'a' as sha256, '甲局' as department, 2021 as fiscal_year"
        )
        con.execute(
            "create table intermediate.scored as "
            "select * from (values ('a', 0.0), (null, 0.0)) as t(sha256, score_difference_abs)"
        )
    suites = tmp_path / "suites"
    suites.mkdir()
    suite = {
        "name": "scored",
        "meta": {"table": "intermediate.scored", "key_columns": ["sha256"]},
        "expectations": [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "score_difference_abs", "max_value": 0.01},
                "meta": {"check_name": "sums", "severity": "error", "expected": "<= 0.01"},
            }
        ],
    }
    (suites / "scored.json").write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(RuntimeError, match="null keys"):
        validate.validate_warehouse(path, "null-keys", suites_dir=suites)


def test_stored_suites_build_gx_suites() -> None:
    specs = validate.load_suite_specs()
    names = {check.name for spec in specs for check in spec.checks}
    assert {"score_within_points", "leaf_scores_sum_to_total", "execution_rate_plausible"} <= names
    for spec in specs:
        suite = validate.build_expectation_suite(spec)
        assert suite.name == spec.name
        assert len(suite.expectations) == len(spec.definition["expectations"])


def test_suite_without_severity_is_rejected(tmp_path: Path) -> None:
    bad = {
        "name": "bad",
        "meta": {"table": "marts.fct_department_year", "key_columns": ["sha256"]},
        "expectations": [
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "grade"},
                "meta": {"check_name": "grade_known"},
            }
        ],
    }
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ValueError, match="severity"):
        validate.load_suite_specs(tmp_path)


def test_data_docs_are_written_when_asked(warehouse: Path, summary: dict, tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    again = validate.validate_warehouse(warehouse, "with-docs", data_docs_dir=docs)
    assert again["checks_failed"] == summary["checks_failed"]
    assert (docs / "index.html").is_file()
    assert list((docs / "validations").rglob("*.html"))
