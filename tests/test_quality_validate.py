"""The quality gate's mechanics: results table, summary, pipeline errors, sum-check threshold.

The first tests run the stored suites over the shared dbt fixture
(tests/dbt_fixtures/raw_rows.sql): a21v2 scores 2 on a 1-point indicator, a22's leaves do
not add up to its 总分, b22 spends 160 % and prints 良 for 75 points, x21 has no
department, and a21v1/a21v2 print level-2 points (资金管理 16, 运行管理 29) that their
leaves do not add up to; b21 and b22r are clean; q21 is quarantined. The others use
hand-made tables and suites, without dbt.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from jixiao.expectations import validate
from jixiao.expectations.specs import load_suite_specs, parse_suite
from jixiao.expectations.threshold import (
    MAX_FAILURE_PCT,
    MIN_SUBMISSIONS,
    SumCheckThreshold,
    SumCheckThresholdExceeded,
)
from jixiao.extract.raw_tables import RAW_DDL, classify_budget_lines
from jixiao.stages import transform

FIXTURE_SQL = Path(__file__).parent / "dbt_fixtures" / "raw_rows.sql"
RUN_ID = "quality-test"
EXPECTED_FAILURES = {
    ("score_within_points", "a21v2", "error"),
    ("leaf_scores_sum_to_total", "a22", "error"),
    ("execution_rate_plausible", "b22", "error"),
    ("printed_grade_matches_score", "b22", "warning"),
    ("submission_identified", "x21", "error"),
    ("level2_points_sum", "a21v1", "warning"),
    ("level2_points_sum", "a21v2", "warning"),
}
LOADED = {"a21v1", "a21v2", "a22", "b21", "b22", "b22r", "x21"}
LENIENT = SumCheckThreshold(max_failure_pct=100)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quality")
    path = folder / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
        con.execute(FIXTURE_SQL.read_text(encoding="utf-8"))
        classify_budget_lines(con)  # as the loader does: the extractor's kind of each line
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(folder / "dbt_work"))
        transform.dbt_build_before_checks(path)
    return path


@pytest.fixture(scope="module")
def summary(warehouse: Path) -> dict:
    return validate.validate_warehouse(warehouse, RUN_ID, threshold=LENIENT)


def check_results(warehouse: Path, run_id: str = RUN_ID) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select * from quality.check_results where run_id = ? order by check_name, sha256",
            [run_id],
        )
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def stored_check_names() -> set[str]:
    return {check.name for spec in load_suite_specs() for check in spec.checks}


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
    for sha256 in ("b21", "b22r"):
        theirs = [row for row in rows if row["sha256"] == sha256]
        assert theirs, sha256
        assert all(row["passed"] for row in theirs), theirs


def test_one_row_per_check_and_submission(warehouse: Path, summary: dict) -> None:
    rows = check_results(warehouse)
    keys = [(row["check_name"], row["sha256"]) for row in rows]
    assert len(keys) == len(set(keys))
    by_check: dict[str, set[str]] = {}
    for row in rows:
        by_check.setdefault(row["check_name"], set()).add(row["sha256"])
    assert set(by_check) == stored_check_names()
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
    assert "tolerance_score" in sums["expected"]  # the dbt var, defined once
    assert rows[("submission_identified", "x21")]["department"] is None


def test_summary_counts(summary: dict) -> None:
    checks = stored_check_names()
    assert summary["checks_run"] == len(checks)
    assert summary["checks_failed"] == len({check for check, _, _ in EXPECTED_FAILURES})
    assert summary["submissions_checked"] == len(LOADED)
    assert summary["rows_written"] == len(checks) * len(LOADED)
    assert sum(summary["failed_by_check"].values()) == len(EXPECTED_FAILURES)
    assert summary["sum_check_failure_pct"]["leaf_scores_sum_to_total"] > 0
    json.dumps(summary, ensure_ascii=False, default=str)


def test_submission_without_rows_passes_as_not_applicable(warehouse: Path, summary: dict) -> None:
    rows = {(row["check_name"], row["sha256"]): row for row in check_results(warehouse)}
    no_indicators = rows[("score_within_points", "x21")]
    assert no_indicators["passed"] is True
    assert no_indicators["observed"] == "not applicable: no rows in staging.stg_indicator_scores"
    no_total = rows[("leaf_scores_sum_to_total", "x21")]
    assert no_total["passed"] is True
    assert no_total["observed"].startswith("not applicable")


def test_superseded_versions_are_checked_too(warehouse: Path, summary: dict) -> None:
    """Every submission version is checked, not only the one the marts use."""
    rows = {(row["check_name"], row["sha256"]): row for row in check_results(warehouse)}
    superseded = rows[("printed_grade_matches_score", "a21v1")]
    assert superseded["passed"] is True
    assert rows[("level2_points_sum", "a21v1")]["passed"] is False


def test_rerun_with_the_same_run_id_replaces_its_rows(warehouse: Path, summary: dict) -> None:
    again = validate.validate_warehouse(warehouse, RUN_ID, threshold=LENIENT)
    assert again["rows_written"] == summary["rows_written"]
    assert len(check_results(warehouse)) == summary["rows_written"]


def test_data_docs_are_written_when_asked(warehouse: Path, summary: dict, tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    again = validate.validate_warehouse(
        warehouse, "with-docs", data_docs_dir=docs, threshold=LENIENT
    )
    assert again["checks_failed"] == summary["checks_failed"]
    assert (docs / "index.html").is_file()
    assert list((docs / "validations").rglob("*.html"))


def test_missing_table_is_a_pipeline_error(tmp_path: Path) -> None:
    path = tmp_path / "raw_only.duckdb"
    with duckdb.connect(str(path)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
    with pytest.raises(RuntimeError, match="int_submissions_versioned"):
        validate.validate_warehouse(path, "no-dbt")


# ---------- hand-made warehouses and suites (no dbt)

SUM_SUITE: dict[str, Any] = {
    "name": "scored",
    "meta": {"table": "intermediate.scored", "key_columns": ["sha256"]},
    "expectations": [
        {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "score_difference_abs", "min_value": 0, "max_value": 0.01},
            "meta": {
                "check_name": "sums",
                "severity": "error",
                "kind": "sum",
                "expected": "<= 0.01",
            },
        }
    ],
}


def hand_made(
    tmp_path: Path, rows: list[tuple[Any, ...]], columns: str = "sha256, score_difference_abs"
) -> tuple[Path, Path]:
    """Return a warehouse with submissions a, b, c … and intermediate.scored = rows,
    and a suites folder holding SUM_SUITE."""
    path = tmp_path / "hand_made.duckdb"
    shas = sorted({row[0] for row in rows if row[0] is not None})
    with duckdb.connect(str(path)) as con:
        con.execute("create schema intermediate")
        con.execute(
            "create table intermediate.int_submissions_versioned "
            "(sha256 varchar, department varchar, fiscal_year integer)"
        )
        con.executemany(
            "insert into intermediate.int_submissions_versioned values (?, ?, 2021)",
            [[sha, f"{sha}局"] for sha in shas],
        )
        names = [name.strip() for name in columns.split(",")]
        types = ", ".join(f"{name} {'varchar' if name == 'sha256' else 'double'}" for name in names)
        con.execute(f"create table intermediate.scored ({types})")
        con.executemany(
            f"insert into intermediate.scored values ({', '.join('?' for _ in names)})",
            [list(row) for row in rows],
        )
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "scored.json").write_text(json.dumps(SUM_SUITE), encoding="utf-8")
    return path, suites


def test_null_key_is_a_pipeline_error(tmp_path: Path) -> None:
    path, suites = hand_made(tmp_path, [("a", 0.0), (None, 0.0)])
    with pytest.raises(RuntimeError, match="null keys"):
        validate.validate_warehouse(path, "null-keys", suites_dir=suites)


def test_duplicate_key_is_a_pipeline_error(tmp_path: Path) -> None:
    path, suites = hand_made(tmp_path, [("a", 0.0), ("a", 0.5), ("b", 0.0)])
    with pytest.raises(RuntimeError, match="duplicate keys"):
        validate.validate_warehouse(path, "duplicates", suites_dir=suites)


def test_missing_column_is_a_pipeline_error(tmp_path: Path) -> None:
    path, suites = hand_made(tmp_path, [("a", 0.0)], columns="sha256, renamed_difference")
    with pytest.raises(RuntimeError, match="lacks columns.*score_difference_abs"):
        validate.validate_warehouse(path, "drift", suites_dir=suites)


def test_sum_check_failed_by_too_many_submissions_fails_the_run(tmp_path: Path) -> None:
    rows = [("a", 0.5), ("b", 0.5), ("c", 0.5), ("d", 0.0), ("e", 0.0)]
    path, suites = hand_made(tmp_path, rows)
    threshold = SumCheckThreshold(max_failure_pct=50, min_submissions=5)
    with pytest.raises(SumCheckThresholdExceeded, match=r"sums failed for 3 of 5 .*60\.0 %"):
        validate.validate_warehouse(path, "regression", suites_dir=suites, threshold=threshold)
    written = check_results(path, "regression")
    assert {row["sha256"] for row in written if not row["passed"]} == {"a", "b", "c"}


def test_sum_check_failures_within_the_threshold_are_findings(tmp_path: Path) -> None:
    rows = [("a", 0.5), ("b", 0.5), ("c", 0.0), ("d", 0.0), ("e", None)]
    path, suites = hand_made(tmp_path, rows)
    threshold = SumCheckThreshold(max_failure_pct=60, min_submissions=4)
    summary = validate.validate_warehouse(path, "ok", suites_dir=suites, threshold=threshold)
    # e has no difference: not applicable, so 2 of the 4 applicable submissions fail
    assert summary["sum_check_failure_pct"] == {"sums": 50.0}
    assert summary["failed_by_check"] == {"sums": 2}


def test_the_threshold_needs_enough_submissions(tmp_path: Path) -> None:
    path, suites = hand_made(tmp_path, [("a", 0.5), ("b", 0.5)])
    threshold = SumCheckThreshold(max_failure_pct=50, min_submissions=3)
    summary = validate.validate_warehouse(path, "few", suites_dir=suites, threshold=threshold)
    assert summary["sum_check_failure_pct"] == {"sums": 100.0}


def test_range_checks_never_trip_the_threshold(tmp_path: Path) -> None:
    path, suites = hand_made(tmp_path, [(sha, 0.5) for sha in "abcde"])
    suite = json.loads((suites / "scored.json").read_text(encoding="utf-8"))
    suite["expectations"][0]["meta"]["kind"] = "range"
    (suites / "scored.json").write_text(json.dumps(suite), encoding="utf-8")
    summary = validate.validate_warehouse(
        path, "range", suites_dir=suites, threshold=SumCheckThreshold(0, 1)
    )
    assert summary["failed_by_check"] == {"sums": 5}


def test_threshold_is_read_from_the_environment() -> None:
    assert SumCheckThreshold.from_env({}) == SumCheckThreshold(50.0, 5)
    env = {MAX_FAILURE_PCT.name: "20", MIN_SUBMISSIONS.name: "10"}
    assert SumCheckThreshold.from_env(env) == SumCheckThreshold(20.0, 10)
    with pytest.raises(ValueError, match=MAX_FAILURE_PCT.name):
        SumCheckThreshold.from_env({MAX_FAILURE_PCT.name: "half"})
    with pytest.raises(ValueError, match=f"{MAX_FAILURE_PCT.name} must be between 0 and 100"):
        SumCheckThreshold.from_env({MAX_FAILURE_PCT.name: "150"})


# ---------- suites


def test_stored_suites_build_gx_suites() -> None:
    specs = load_suite_specs()
    for spec in specs:
        suite = validate.build_expectation_suite(spec)
        assert suite.name == spec.name
        assert len(suite.expectations) == len(spec.definition["expectations"])
        assert all(expectation.description for expectation in suite.expectations)
    tables = {spec.table.split(".")[0] for spec in specs}
    assert tables <= {"staging", "intermediate"}, "suites run before the marts are built"


def test_a_check_takes_the_worst_severity_of_its_expectations() -> None:
    specs = {spec.name: spec for spec in load_suite_specs()}
    rate = specs["submissions"].check("execution_rate_plausible")
    assert rate.severity == "error"
    severities = {
        expectation["meta"]["severity"]
        for expectation in specs["submissions"].definition["expectations"]
        if expectation["meta"]["check_name"] == "execution_rate_plausible"
    }
    assert severities == {"error", "warning"}


def test_suite_without_severity_is_rejected(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(SUM_SUITE))
    del bad["expectations"][0]["meta"]["severity"]
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ValueError, match="severity"):
        validate.load_suite_specs(tmp_path)


def test_a_check_name_is_defined_once(tmp_path: Path) -> None:
    for name in ("one", "two"):
        suite = {**SUM_SUITE, "name": name}
        (tmp_path / f"{name}.json").write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(ValueError, match="check sums defined in"):
        validate.load_suite_specs(tmp_path)


def test_expectations_of_one_check_agree_on_kind() -> None:
    suite = json.loads(json.dumps(SUM_SUITE))
    second = json.loads(json.dumps(suite["expectations"][0]))
    second["meta"]["kind"] = "range"
    suite["expectations"].append(second)
    with pytest.raises(ValueError, match="kind"):
        parse_suite(suite, Path("inline.json"))
