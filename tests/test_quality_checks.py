"""Every quality check against crafted submissions (tests/quality_cases.py).

One warehouse holds three clean submissions and, per check, copies with exactly one
mistake. It is built by the real dbt project (before_checks phase) and validated by the
real GX suites; the marts are then built from the results.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from quality_cases import CLEAN, VIOLATIONS, Violation, insert_raw_rows

from jixiao.expectations import validate
from jixiao.expectations.specs import load_suite_specs
from jixiao.expectations.threshold import SumCheckThreshold
from jixiao.extract.raw_tables import RAW_DDL
from jixiao.stages import transform

RUN_ID = "quality-checks"
LOST_ROWS_TEST = "assert_fct_department_year_lost_no_rows"
ALL_SUBMISSIONS = (*CLEAN, *(violation.submission for violation in VIOLATIONS))
ISSUE_CHECKS = {
    "score_within_points",
    "points_non_negative",
    "total_score_in_range",
    "execution_rate_plausible",
    "amounts_non_negative",
    "fiscal_year_plausible",
    "grade_valid",
    "leaf_scores_sum_to_total",
    "level2_points_sum",
    "points_sum_to_100",
    "budget_dimensions_agree",
    "projects_sum_to_total",
    "adjusted_equals_initial_plus_adjustment",
    "printed_rate_matches",
    "printed_grade_matches_score",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("quality_checks")
    warehouse = folder / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
        insert_raw_rows(con, ALL_SUBMISSIONS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(folder / "dbt_work"))
        transform.dbt_build_before_checks(warehouse)
    # many crafted failures among few submissions: not an extraction regression here
    lenient = SumCheckThreshold(max_failure_pct=100)
    summary = validate.validate_warehouse(
        warehouse, RUN_ID, data_docs_dir=folder / "data_docs", threshold=lenient
    )
    return {"warehouse": warehouse, "folder": folder, "summary": summary}


@pytest.fixture(scope="module")
def results(built: dict) -> dict[tuple[str, str], dict]:
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        cursor = con.execute("select * from quality.check_results where run_id = ?", [RUN_ID])
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return {(row["check_name"], row["sha256"]): row for row in rows}


def failed_checks(results: dict[tuple[str, str], dict], sha256: str) -> dict[str, str]:
    return {
        check: row["severity"]
        for (check, sha), row in results.items()
        if sha == sha256 and not row["passed"]
    }


def test_the_suites_hold_every_check_of_the_issue() -> None:
    names = {check.name for spec in load_suite_specs() for check in spec.checks}
    assert ISSUE_CHECKS <= names
    assert {violation.check for violation in VIOLATIONS} == names


@pytest.mark.parametrize("violation", VIOLATIONS, ids=lambda violation: violation.id)
def test_a_crafted_mistake_fails_its_check_and_nothing_else(
    results: dict[tuple[str, str], dict], violation: Violation
) -> None:
    failed = failed_checks(results, violation.submission.sha256)
    assert failed == {violation.check: violation.severity}
    row = results[(violation.check, violation.submission.sha256)]
    assert row["observed"] and not row["observed"].startswith("not applicable")
    assert row["expected"]


@pytest.mark.parametrize("check", sorted({violation.check for violation in VIOLATIONS}))
def test_a_clean_submission_the_check_applies_to_passes(
    results: dict[tuple[str, str], dict], check: str
) -> None:
    clean_rows = [results[(check, submission.sha256)] for submission in CLEAN]
    assert all(row["passed"] for row in clean_rows), clean_rows
    applied = [row for row in clean_rows if not row["observed"].startswith("not applicable")]
    assert applied, f"no clean submission exercises {check}"


def test_every_check_has_one_row_per_submission(
    built: dict, results: dict[tuple[str, str], dict]
) -> None:
    checks = {check for check, _ in results}
    shas = {sha for _, sha in results}
    assert shas == {submission.sha256 for submission in ALL_SUBMISSIONS}
    assert len(results) == len(checks) * len(shas)
    summary = built["summary"]
    assert summary["checks_run"] == len(checks)
    assert summary["rows_written"] == len(results)
    assert summary["checks_failed"] == len({violation.check for violation in VIOLATIONS})


def test_findings_name_department_year_and_values(results: dict[tuple[str, str], dict]) -> None:
    row = results[("leaf_scores_sum_to_total", "leaves_off_total")]
    assert row["department"] == "甲局·leaves_off_total"
    assert row["fiscal_year"] == 2021
    assert "score_difference=0.5" in row["observed"]
    group = results[("budget_dimensions_agree", "details_off_group")]
    assert "资金结构 基本支出 (line 3) = its 明细 lines" in group["observed"]
    assert "measure=actual" in group["observed"]
    reported = results[("projects_sum_to_total", "project_total_misprinted")]
    assert "project_sum=450.0" in reported["observed"] and "460.0" in reported["observed"]


def test_a_reported_mismatch_reaches_its_check_by_typed_fields_not_message(built: dict) -> None:
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        message = con.execute(
            "select message from raw.extraction_issues where sha256 = 'project_total_misprinted'"
        ).fetchone()[0]
        row = con.execute(
            "select measure, project_sum, printed_total, excess_difference "
            "from intermediate.int_check_projects_summed "
            "where sha256 = 'project_total_misprinted' and total_source like 'extraction issue%'"
        ).fetchone()
    assert not any(character.isdigit() for character in message)  # numbers only typed
    assert row == ("actual", 450.0, 460.0, 10.0)


def test_the_tolerances_are_dbt_vars(built: dict, tmp_path: Path) -> None:
    """A wider tolerance_amount lets the budget table that is 10 万元 off pass."""
    warehouse = tmp_path / "lenient.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    query = (
        "select max(excess_difference), max(tolerance) from intermediate.int_check_budget_totals "
        "where sha256 = 'dimensions_disagree'"
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        strict = con.execute(query).fetchone()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(tmp_path / "dbt_work"))
        transform.run_dbt(
            ["run", "--select", "+int_check_budget_totals", "--vars", "{tolerance_amount: 2.5}"],
            warehouse,
        )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        lenient = con.execute(query).fetchone()
    assert strict[0] > 0 and strict[1] < 0.1
    assert lenient[0] == 0 and lenient[1] >= 2.5


def test_data_docs_show_every_check(built: dict) -> None:
    docs = built["folder"] / "data_docs"
    assert (docs / "index.html").is_file()
    pages = "".join(page.read_text(encoding="utf-8") for page in docs.rglob("*.html"))
    validation_pages = "".join(
        page.read_text(encoding="utf-8") for page in (docs / "validations").rglob("*.html")
    )
    for check in {violation.check for violation in VIOLATIONS}:
        assert check in pages, check
        assert check in validation_pages, check


def build_marts(built: dict, folder: Path) -> Path:
    """Copy the validated warehouse and build its marts there."""
    warehouse = folder / "warehouse.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(folder / "dbt_work"))
        transform.dbt_build_after_checks(warehouse)
    return warehouse


@pytest.fixture(scope="module")
def marts(built: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The marts built from the validation results (the DAG's second dbt phase)."""
    """The marts built from the validation results (the DAG's second dbt phase).

    Every crafted violation is in the warehouse: document findings never fail the marts
    build (the marts' own range tests on printed amounts only warn).
    """
    return build_marts(built, tmp_path_factory.mktemp("marts"))


def test_marts_carry_quality_status_and_failed_checks(marts: Path) -> None:
    with duckdb.connect(str(marts), read_only=True) as con:
        rows = con.execute(
            "select sha256, quality_status, failed_checks from marts.fct_department_year"
        ).fetchall()
    by_sha = {sha: (status, list(failed)) for sha, status, failed in rows}
    for submission in CLEAN:
        assert by_sha[submission.sha256] == ("ok", [])
    for violation in VIOLATIONS:
        if violation.submission.department is None:
            continue  # no department-year row
        assert by_sha[violation.submission.sha256] == (violation.severity, [violation.check])


def test_an_ocr_read_submission_failing_a_sum_check_is_a_likely_misread(marts: Path) -> None:
    with duckdb.connect(str(marts), read_only=True) as con:
        rows = con.execute(
            "select sha256, source_ocr, likely_misread, quality_status "
            "from marts.fct_department_year"
        ).fetchall()
    by_sha = {sha: (ocr, misread, status) for sha, ocr, misread, status in rows}
    assert by_sha["dimensions_disagree_in_scan"] == (True, True, "error")
    assert by_sha["dimensions_disagree"] == (False, False, "error")  # the department's own
    assert [sha for sha, (_, misread, _) in by_sha.items() if misread] == [
        "dimensions_disagree_in_scan"
    ]


def test_the_scans_department_years_list_what_ocr_doubted(marts: Path) -> None:
    """mart_ocr_read_submissions: only the department-years read by OCR, each value OCR
    doubted named by its cell, as read, with its page; the likely misread flagged."""
    with duckdb.connect(str(marts), read_only=True) as con:
        rows = con.execute(
            "select sha256, likely_misread, low_confidence_count, low_confidence_number_count, "
            "low_confidence_values, first_page_number from marts.mart_ocr_read_submissions"
        ).fetchall()
    assert rows == [
        (
            "dimensions_disagree_in_scan",
            True,
            2,
            1,
            "budget_lines.资金来源.财政拨款.budget = 110.0 (第2页); department (第2页)",
            2,
        )
    ]


def test_submissions_read_in_part_are_listed_with_what_was_not_read(marts: Path) -> None:
    """mart_partly_read_submissions: a missing part and an unclear amount unit list the
    submission (with both codes); ordinary findings (an OCR doubt, a sum) do not."""
    with duckdb.connect(str(marts), read_only=True) as con:
        rows = con.execute(
            "select sha256, missing_parts, gap_count from marts.mart_partly_read_submissions"
        ).fetchall()
    assert rows == [("dimensions_disagree", "amount_unit_unclear, missing_total_score", 2)]


def test_a_mart_that_lost_rows_fails_the_marts_build(marts: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.duckdb"
    shutil.copy(marts, damaged)
    with duckdb.connect(str(damaged)) as con:
        con.execute("delete from marts.fct_department_year where sha256 = 'clean_report'")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(tmp_path / "dbt_work"))
        with pytest.raises(RuntimeError, match=LOST_ROWS_TEST):
            transform.run_dbt(["test", "--select", LOST_ROWS_TEST], damaged)
