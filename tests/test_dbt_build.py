"""dbt project: a real `dbt build` over a small hand-made DuckDB warehouse.

The raw rows are in tests/dbt_fixtures/raw_rows.sql (what each submission is for is
written at its top). One dbt build per module; every test reads its result.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest

from extract.raw_tables import RAW_DDL
from jixiao import transform

FIXTURE_SQL = Path(__file__).parent / "dbt_fixtures" / "raw_rows.sql"
PANYU = "广州市番禺区科技工业商务和信息化局"
NDRC = "广州市发展和改革委员会"


def make_raw_warehouse(path: Path, sql: str | None = None) -> Path:
    """Create schema raw in a new DuckDB file and insert the fixture rows (or `sql`)."""
    with duckdb.connect(str(path)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
        con.execute(FIXTURE_SQL.read_text(encoding="utf-8") if sql is None else sql)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("dbt_build")
    warehouse = make_raw_warehouse(folder / "warehouse.duckdb")
    target_root = folder / "dbt_work"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(target_root))
        started = time.perf_counter()
        transform.dbt_build(warehouse)
        seconds = time.perf_counter() - started
    return {"warehouse": warehouse, "target": target_root / "target", "seconds": seconds}


@pytest.fixture(scope="module")
def con(built: dict):
    with duckdb.connect(str(built["warehouse"]), read_only=True) as connection:
        yield connection


def department_year(con: duckdb.DuckDBPyConnection, department: str, year: int) -> dict:
    cursor = con.execute(
        "select * from marts.fct_department_year where department = ? and fiscal_year = ?",
        [department, year],
    )
    columns = [column[0] for column in cursor.description]
    row = cursor.fetchone()
    assert row is not None, f"no fct_department_year row for {department} {year}"
    return dict(zip(columns, row, strict=True))


def test_build_writes_artifacts_to_the_target_dir(built: dict) -> None:
    results = json.loads((built["target"] / "run_results.json").read_text(encoding="utf-8"))
    statuses = {result["unique_id"]: result["status"] for result in results["results"]}
    assert statuses, "dbt recorded no node"
    assert all(status in ("success", "pass", "no-op") for status in statuses.values()), statuses
    unit_tests = [node for node in statuses if node.startswith("unit_test.")]
    assert len(unit_tests) >= 4
    assert built["seconds"] < 120


def test_schemas_are_named_exactly(con: duckdb.DuckDBPyConnection) -> None:
    schemas = {
        row[0]
        for row in con.execute(
            "select distinct table_schema from information_schema.tables"
        ).fetchall()
    }
    assert {"raw", "staging", "intermediate", "marts"} <= schemas
    assert not any(schema.startswith("main_") for schema in schemas)
    kinds = dict(
        con.execute(
            "select table_schema || '.' || table_name, table_type from information_schema.tables"
        ).fetchall()
    )
    assert kinds["staging.stg_submissions"] == "VIEW"
    assert kinds["intermediate.int_submissions_scored"] == "VIEW"
    assert kinds["marts.fct_department_year"] == "BASE TABLE"
    assert kinds["staging.grade_bands"] == "BASE TABLE"


def test_contract_column_types(con: duckdb.DuckDBPyConnection) -> None:
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'fct_department_year'"
        ).fetchall()
    )
    assert types["sha256"] == "VARCHAR"
    assert types["fiscal_year"] == "INTEGER"
    assert types["execution_rate"] == "DOUBLE"
    assert types["is_grade_consistent"] == "BOOLEAN"
    assert types["loaded_at"] == "TIMESTAMP"


def test_one_row_per_department_and_year(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("select department, fiscal_year from marts.fct_department_year").fetchall()
    assert sorted(rows) == sorted([(PANYU, 2021), (PANYU, 2022), (NDRC, 2021), (NDRC, 2022)])


def test_latest_resubmission_is_used(con: duckdb.DuckDBPyConnection) -> None:
    row = department_year(con, PANYU, 2021)
    assert row["sha256"] == "a21v2"
    assert row["version_number"] == 2
    assert row["submission_count"] == 2
    assert row["total_score"] == pytest.approx(95.77)
    assert row["district"] == "番禺区"
    assert row["admin_level"] == "district"


def test_form_is_preferred_over_a_later_third_party_report(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = department_year(con, NDRC, 2022)
    assert row["sha256"] == "b22"
    assert row["family"] == "self_evaluation_form"
    assert row["submission_count"] == 2


def test_execution_rate_from_funding_source_lines(con: duckdb.DuckDBPyConnection) -> None:
    row = department_year(con, PANYU, 2021)
    assert row["budget_dimension"] == "资金来源"
    assert row["budget_total"] == pytest.approx(127782.82)
    assert row["actual_total"] == pytest.approx(125575.02)
    assert row["execution_rate"] == pytest.approx(125575.02 / 127782.82)
    assert row["printed_execution_rate"] is None


def test_execution_rate_falls_back_to_another_dimension(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = department_year(con, PANYU, 2022)
    assert row["budget_dimension"] == "资金结构"
    assert row["budget_total"] == pytest.approx(400.0)
    assert row["execution_rate"] == pytest.approx(0.95)


def test_total_line_is_not_counted_twice_and_gives_printed_rate(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = department_year(con, NDRC, 2021)
    assert row["budget_total"] == pytest.approx(6000.0)
    assert row["actual_total"] == pytest.approx(5900.0)
    assert row["printed_execution_rate"] == pytest.approx(0.9833)


def test_grades_recomputed_from_total_score(con: duckdb.DuckDBPyConnection) -> None:
    assert department_year(con, PANYU, 2021)["grade"] == "优"
    assert department_year(con, NDRC, 2021)["grade"] == "优"
    panyu_2022 = department_year(con, PANYU, 2022)
    assert (panyu_2022["grade"], panyu_2022["printed_grade"]) == ("良", "良")
    ndrc_2022 = department_year(con, NDRC, 2022)
    assert (ndrc_2022["grade"], ndrc_2022["printed_grade"]) == ("中", "良")
    assert ndrc_2022["is_grade_consistent"] is False


def test_leaf_score_difference(con: duckdb.DuckDBPyConnection) -> None:
    row = department_year(con, PANYU, 2022)
    assert row["leaf_score_sum"] == pytest.approx(88.0)
    assert row["score_difference"] == pytest.approx(0.5)
    assert department_year(con, PANYU, 2021)["score_difference"] == pytest.approx(0.0)


def test_quarantined_and_unidentified_files_stay_out_of_marts(
    con: duckdb.DuckDBPyConnection,
) -> None:
    loaded = {
        row[0] for row in con.execute("select sha256 from staging.stg_submissions").fetchall()
    }
    assert "q21" not in loaded and "x21" in loaded
    quarantined = con.execute("select sha256 from staging.stg_quarantined_submissions").fetchall()
    assert quarantined == [("q21",)]
    used = {
        row[0] for row in con.execute("select sha256 from marts.fct_department_year").fetchall()
    }
    assert used == {"a21v2", "a22", "b21", "b22"}


def test_run_dbt_names_failed_nodes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(transform.DBT_TARGET_DIR_ENV, str(tmp_path / "dbt_work"))
    orphan = (
        "insert into raw.budget_lines (sha256, line_number, dimension, item, budget, actual) "
        "values ('nobody', 1, '资金来源', '财政拨款', 1.0, 1.0)"
    )
    warehouse = make_raw_warehouse(tmp_path / "broken.duckdb", orphan)
    with pytest.raises(RuntimeError) as raised:
        transform.run_dbt(["test", "--select", "source:raw.budget_lines"], warehouse)
    message = str(raised.value)
    assert "source_relationships_raw_budget_lines_sha256" in message
    assert "dbt output" in message


def test_missing_project_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(transform.DBT_PROJECT_DIR_ENV, str(tmp_path))
    with pytest.raises(RuntimeError, match="dbt_project.yml"):
        transform.dbt_build(tmp_path / "warehouse.duckdb")


def test_default_work_dir_is_beside_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(transform.DBT_TARGET_DIR_ENV, raising=False)
    assert transform.dbt_target_dir(tmp_path / "w.duckdb") == tmp_path / "dbt" / "target"
    command = transform.dbt_command(["build"], tmp_path / "w.duckdb")
    assert command[command.index("--log-path") + 1] == str(tmp_path / "dbt" / "logs")
    assert command[command.index("--profiles-dir") + 1] == str(transform.dbt_project_dir())
