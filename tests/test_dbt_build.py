"""dbt project: a real `dbt build` over a small hand-made DuckDB warehouse.

The raw rows are in tests/dbt_fixtures/raw_rows.sql and warehouse_rows.sql (what each
submission is for is written at their tops). One dbt build per module (plus `dbt docs
generate`); every test reads its result. Expected numbers are worked out by hand from
the fixture rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from jixiao import settings
from jixiao.extract.raw_tables import RAW_DDL, classify_budget_lines
from jixiao.stages import transform

FIXTURES = Path(__file__).parent / "dbt_fixtures"
FIXTURE_FILES = (FIXTURES / "raw_rows.sql", FIXTURES / "warehouse_rows.sql")
PANYU = "广州市番禺区科技工业商务和信息化局"
PANYU_SHORT = "番禺区科技工业商务和信息化局"
PANYU_KEY = "番禺区/科技工业商务和信息化局"
NDRC = "广州市发展和改革委员会"
NDRC_KEY = "市本级/发展和改革委员会"
LIWAN = "荔湾区科技工业和信息化局"
LIWAN_KEY = "荔湾区/科技工业和信息化局"
TIANHE = "广州市天河区教育局"
MARTS = (
    "dim_department",
    "dim_district",
    "fct_budget_execution",
    "fct_indicator_scores",
    "fct_department_year",
    "mart_district_year",
    "mart_department_trend",
)


def make_raw_warehouse(path: Path, sql: str | None = None) -> Path:
    """Create schema raw in a new DuckDB file and insert the fixture rows (or `sql`)."""
    with duckdb.connect(str(path)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
        if sql is None:
            for fixture in FIXTURE_FILES:
                con.execute(fixture.read_text(encoding="utf-8"))
        else:
            con.execute(sql)
        classify_budget_lines(con)  # as the loader does: the extractor's kind of each line
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("dbt_build")
    warehouse = make_raw_warehouse(folder / "warehouse.duckdb")
    target_root = folder / "dbt_work"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(target_root))
        transform.dbt_build(warehouse)  # how long it takes: benchmarks/dbt_build.py
        run_results = json.loads(
            (target_root / "target" / "run_results.json").read_text(encoding="utf-8")
        )
        docs = transform.dbt_docs_generate(warehouse)
    return {
        "warehouse": warehouse,
        "target": target_root / "target",
        "run_results": run_results,
        "docs": docs,
    }


@pytest.fixture(scope="module")
def con(built: dict):
    with duckdb.connect(str(built["warehouse"]), read_only=True) as connection:
        yield connection


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def department_year(con: duckdb.DuckDBPyConnection, department: str, year: int) -> dict:
    found = rows(
        con,
        "select * from marts.fct_department_year where department = ? and fiscal_year = ?",
        [department, year],
    )
    assert len(found) == 1, f"expected one fct_department_year row for {department} {year}"
    return found[0]


def test_build_writes_artifacts_to_the_target_dir(built: dict) -> None:
    results = built["run_results"]
    statuses = {result["unique_id"]: result["status"] for result in results["results"]}
    assert statuses, "dbt recorded no node"
    assert all(status in ("success", "pass", "no-op") for status in statuses.values()), statuses
    unit_tests = [node for node in statuses if node.startswith("unit_test.")]
    assert len(unit_tests) >= 15


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
    found = con.execute(
        "select department_key, fiscal_year from marts.fct_department_year"
    ).fetchall()
    assert sorted(found) == sorted(
        [
            (PANYU_KEY, 2021),
            (PANYU_KEY, 2022),
            (PANYU_KEY, 2023),
            (NDRC_KEY, 2021),
            (NDRC_KEY, 2022),
            (LIWAN_KEY, 2021),
            ("天河区/教育局", 2021),
        ]
    )


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
    assert used == {"a21v2", "a22", "a23", "b21", "b22", "r21", "t21"}


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


def test_default_work_dir_is_under_jixiao_home(
    jixiao_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dbt's target folder has one default, the settings' (``$JIXIAO_HOME/dbt``)."""
    monkeypatch.delenv(transform.DBT_TARGET_DIR_ENV, raising=False)
    assert transform.dbt_target_dir() == jixiao_home.resolve() / "dbt" / "target"
    command = transform.dbt_command(["build"])
    assert command[command.index("--log-path") + 1] == str(jixiao_home.resolve() / "dbt" / "logs")
    assert command[command.index("--profiles-dir") + 1] == str(transform.dbt_project_dir())


# ---------------------------------------------------------------- standardized marts


def test_every_mart_is_a_table_with_rows(con: duckdb.DuckDBPyConnection) -> None:
    for mart in (*MARTS, "mart_unmapped_indicator_labels", "fct_project_execution"):
        kind = con.execute(
            "select table_type from information_schema.tables "
            "where table_schema = 'marts' and table_name = ?",
            [mart],
        ).fetchone()
        assert kind == ("BASE TABLE",), mart
        assert con.execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0, mart


def test_department_year_has_the_columns_dashboards_bind_to(
    con: duckdb.DuckDBPyConnection,
) -> None:
    columns = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'fct_department_year'"
        ).fetchall()
    }
    assert {
        "department",
        "fiscal_year",
        "admin_level",
        "district",
        "total_score",
        "normalized_score",
        "grade",
        "printed_grade",
        "execution_rate",
        "printed_execution_rate",
        "score_percentile_in_year",
        "score_zscore_in_year",
        "quality_status",
    } <= columns
    district_year = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'mart_district_year'"
        ).fetchall()
    }
    assert {
        "district",
        "fiscal_year",
        "department_count",
        "mean_total_score",
        "weighted_execution_rate",
    } <= district_year


def test_name_variants_resolve_to_one_department(con: duckdb.DuckDBPyConnection) -> None:
    (department,) = rows(
        con, "select * from marts.dim_department where department_key = ?", [PANYU_KEY]
    )
    assert sorted(department["name_variants"]) == sorted([PANYU, PANYU_SHORT])
    assert department["department_name"] == PANYU_SHORT  # as printed in its latest year
    assert (department["first_fiscal_year"], department["last_fiscal_year"]) == (2021, 2023)
    assert department["fiscal_year_count"] == 3
    assert con.execute("select count(*) from marts.dim_department").fetchone()[0] == 4


def test_normalized_score_leaves_out_bonus_items(con: duckdb.DuckDBPyConnection) -> None:
    # a21v2: non-bonus leaves 1.97 + 2 + 41.8 + 45 of 2 + 1 + 42 + 50 points
    row = department_year(con, PANYU, 2021)
    assert row["normalized_score"] == pytest.approx(100 * 90.77 / 95, abs=1e-6)
    assert row["bonus_deduction_score"] == pytest.approx(5.0)
    # the third-party report's 50 + 50 template has no bonus items
    report = department_year(con, LIWAN, 2021)
    assert report["normalized_score"] == pytest.approx(88.48, abs=1e-6)


def test_report_execution_rate_uses_the_adjusted_budget(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = department_year(con, LIWAN, 2021)
    assert row["family"] == "evaluation_report"
    assert row["budget_dimension"] == "合计"
    assert row["budget_total"] == pytest.approx(11915.94)  # 调整后预算数, not 17088.41
    assert row["initial_budget_total"] == pytest.approx(17088.41)
    assert row["execution_rate"] == pytest.approx(10888.89 / 11915.94)
    assert row["printed_execution_rate"] == pytest.approx(0.9138)
    assert row["execution_rate_difference"] == pytest.approx(10888.89 / 11915.94 - 0.9138)
    assert (row["grade"], row["printed_grade"]) == ("良", "良")


def test_budget_lines_keep_printed_rates_beside_recomputed_ones(
    con: duckdb.DuckDBPyConnection,
) -> None:
    lines = {
        row["line_number"]: row
        for row in rows(con, "select * from marts.fct_budget_execution where sha256 = 'r21'")
    }
    assert len(lines) == 7
    personnel = lines[1]
    assert personnel["budget_basis"] == "adjusted"
    assert personnel["execution_rate"] == pytest.approx(3189.72 / 3217.29)
    assert personnel["printed_rate"] == pytest.approx(0.9914)
    assert personnel["rate_difference"] == pytest.approx(3189.72 / 3217.29 - 0.9914)
    assert personnel["adjustment_rate"] == pytest.approx(-306.22 / 3523.51)
    assert lines[3]["is_subtotal_line"] and lines[3]["is_total_line"]
    assert lines[4]["execution_rate"] is None  # zero budget
    parts = sum(row["budget_amount"] for row in lines.values() if not row["is_total_line"])
    assert parts == pytest.approx(11915.94)
    panyu = rows(
        con,
        "select * from marts.fct_budget_execution where sha256 = 'a21v2' and line_number = 1",
    )[0]
    assert panyu["budget_basis"] == "full_year"
    assert panyu["execution_rate"] == pytest.approx(125005.9 / 127208.53)


def test_indicators_map_to_canonical_categories(con: duckdb.DuckDBPyConnection) -> None:
    # 预算完成率 is the same canonical indicator in the form and in the report
    codes = rows(
        con,
        "select sha256, indicator_code, category, section from marts.fct_indicator_scores "
        "where indicator_name = '预算完成率' and sha256 in ('a21v2', 'r21')",
    )
    assert {row["sha256"] for row in codes} == {"a21v2", "r21"}
    assert {(row["indicator_code"], row["category"], row["section"]) for row in codes} == {
        ("budget_completion_rate", "budget_execution", "management")
    }
    report = {
        row["line_number"]: row
        for row in rows(con, "select * from marts.fct_indicator_scores where sha256 = 'r21'")
    }
    assert report[3]["is_unmapped"] and report[3]["category"] == "fund_management"
    assert report[6]["section"] == "performance" and not report[6]["is_unmapped"]
    assert report[2]["score_rate"] == pytest.approx(4.55 / 8)
    # 预算资金管理 of r21: 3.5 + 4.55 + 16.92 of 4 + 8 + 20 points, but 预算完成率 is
    # budget_execution and the other two fund_management / budget_preparation
    assert report[2]["category_score_rate"] == pytest.approx(4.55 / 8)
    bonus = rows(
        con,
        "select * from marts.fct_indicator_scores where sha256 = 'a21v2' and line_number = 5",
    )[0]
    assert bonus["is_bonus_deduction"] and bonus["category"] == "bonus_deduction"


def test_unmapped_labels_are_counted(con: duckdb.DuckDBPyConnection) -> None:
    labels = {
        (row["label_level"], row["printed_label"]): row
        for row in rows(con, "select * from marts.mart_unmapped_indicator_labels")
    }
    assert set(labels) == {(1, "综合管理"), (2, "运行管理"), (3, "其他预算资金管理指标")}
    # its leaf 预算完成率 is known: the row keeps that category (and section)
    assert labels[(1, "综合管理")]["fallback_category"] == "budget_execution"
    assert labels[(3, "其他预算资金管理指标")]["points_total"] == pytest.approx(20.0)
    tianhe = department_year(con, TIANHE, 2021)
    assert tianhe["unmapped_indicator_count"] == 1


def test_scores_standardized_within_the_year(con: duckdb.DuckDBPyConnection) -> None:
    year = {
        row["sha256"]: row
        for row in rows(con, "select * from marts.fct_department_year where fiscal_year = 2021")
    }
    scores = {sha: row["total_score"] for sha, row in year.items()}
    assert scores == pytest.approx({"a21v2": 95.77, "b21": 94.61, "r21": 88.48, "t21": 70.0})
    mean = sum(scores.values()) / 4
    sd = (sum((score - mean) ** 2 for score in scores.values()) / 4) ** 0.5
    for sha, score in scores.items():
        assert year[sha]["score_zscore_in_year"] == pytest.approx((score - mean) / sd, abs=1e-6)
    # percent_rank: lowest 0, highest 1, in thirds between
    assert [year[sha]["score_percentile_in_year"] for sha in ("t21", "r21", "b21", "a21v2")] == (
        pytest.approx([0.0, 1 / 3, 2 / 3, 1.0], abs=1e-6)
    )
    # within the district level (a21v2, r21, t21) and the city level (b21 alone)
    assert year["r21"]["score_percentile_in_admin_level"] == pytest.approx(0.5)
    assert year["b21"]["score_zscore_in_admin_level"] is None
    assert all(row["score_rank_in_district"] == 1 for row in year.values())
    rates = {sha: row["execution_rate"] for sha, row in year.items()}
    lowest = min(rates, key=lambda sha: rates[sha])
    assert year[lowest]["execution_rate_percentile_in_year"] == 0.0


def test_district_year_weights_execution_by_spend(con: duckdb.DuckDBPyConnection) -> None:
    by_district = {
        row["district"]: row
        for row in rows(con, "select * from marts.mart_district_year where fiscal_year = 2021")
    }
    assert set(by_district) == {"番禺区", "市本级", "荔湾区", "天河区"}
    panyu = by_district["番禺区"]
    assert panyu["department_count"] == 1
    assert panyu["mean_total_score"] == pytest.approx(95.77)
    assert panyu["weighted_execution_rate"] == pytest.approx(125575.02 / 127782.82)
    districts = {
        row[0] for row in con.execute("select district from marts.dim_district").fetchall()
    }
    assert len(districts) == 12 and "市本级" in districts


def test_trend_shows_year_over_year_changes(con: duckdb.DuckDBPyConnection) -> None:
    trend = {
        row["fiscal_year"]: row
        for row in rows(
            con,
            "select * from marts.mart_department_trend where department_key = ?",
            [PANYU_KEY],
        )
    }
    assert sorted(trend) == [2021, 2022, 2023]
    assert trend[2021]["previous_fiscal_year"] is None
    assert trend[2022]["total_score_change"] == pytest.approx(88.5 - 95.77)
    assert trend[2023]["total_score_change"] == pytest.approx(91.0 - 88.5)
    assert trend[2023]["execution_rate_change"] == pytest.approx(0.7 - 380.0 / 400.0)
    assert trend[2023]["previous_grade"] == "良"


def test_docs_describe_every_mart_column(built: dict) -> None:
    catalog = json.loads((built["docs"] / "catalog.json").read_text(encoding="utf-8"))
    manifest = json.loads((built["docs"] / "manifest.json").read_text(encoding="utf-8"))
    assert (built["docs"] / "static_index.html").is_file()
    catalogued = {node["metadata"]["name"] for node in catalog["nodes"].values()}
    assert set(MARTS) <= catalogued
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] != "marts":
            continue
        assert node["description"].strip(), node["name"]
        entry = catalog["nodes"][node["unique_id"]]
        for column in entry["columns"]:
            description = node["columns"].get(column, {}).get("description", "")
            assert any("\u4e00" <= char <= "\u9fff" for char in description), (
                f"{node['name']}.{column}: no Chinese term in its description"
            )
            assert any(char.isascii() and char.isalpha() for char in description), (
                f"{node['name']}.{column}: no English meaning in its description"
            )
    exposures = {
        dependency.split(".")[-1]
        for exposure in manifest["exposures"].values()
        for dependency in exposure["depends_on"]["nodes"]
    }
    assert set(MARTS) <= exposures


def test_every_model_is_described_and_its_docs_sit_beside_the_data_docs(built: dict) -> None:
    manifest = json.loads((built["docs"] / "manifest.json").read_text(encoding="utf-8"))
    undescribed = [
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and not node["description"].strip()
    ]
    assert undescribed == []
    site = transform.dbt_docs_dir() / "index.html"
    assert site.is_file() and site.parent.parent == settings.resolve().data_docs_dir.parent


def test_every_model_column_is_described(built: dict) -> None:
    """Every column the catalog finds in a model (staging, intermediate and marts) has a
    description in the models' YAML (its own words or a doc block)."""
    catalog = json.loads((built["docs"] / "catalog.json").read_text(encoding="utf-8"))
    manifest = json.loads((built["docs"] / "manifest.json").read_text(encoding="utf-8"))
    models = {uid: entry for uid, entry in catalog["nodes"].items() if uid.startswith("model.")}
    assert {"stg_submissions", "int_check_submissions", *MARTS} <= {
        entry["metadata"]["name"] for entry in models.values()
    }
    undescribed = sorted(
        f"{manifest['nodes'][uid]['name']}.{column}"
        for uid, entry in models.items()
        for column in entry["columns"]
        if not manifest["nodes"][uid]["columns"].get(column, {}).get("description", "").strip()
    )
    assert undescribed == [], (
        f"{len(undescribed)} model columns without a description: {', '.join(undescribed)}"
    )


def test_no_model_reads_an_issue_message() -> None:
    models = Path(__file__).resolve().parent.parent / "dbt_project" / "models"
    readers = [
        path.name
        for path in models.rglob("*.sql")
        if "regexp" in path.read_text(encoding="utf-8")
        and "message" in path.read_text(encoding="utf-8")
    ]
    assert readers == []


def test_marts_build_after_the_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The DAG builds in two phases around the validation; both must succeed."""
    monkeypatch.setenv(transform.DBT_TARGET_DIR_ENV, str(tmp_path / "dbt_work"))
    warehouse = make_raw_warehouse(tmp_path / "phased.duckdb")
    transform.dbt_build_before_checks(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        marts = connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts'"
        ).fetchone()[0]
        standardized = connection.execute(
            "select count(*) from intermediate.int_department_years_standardized"
        ).fetchone()[0]
    assert marts == 0 and standardized == 7
    transform.dbt_build_after_checks(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert (
            connection.execute("select count(*) from marts.fct_department_year").fetchone()[0] == 7
        )


README = Path(__file__).resolve().parents[1] / "README.md"


def readme_mart_queries() -> list[str]:
    """Return the README's example SQL blocks that read the marts."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Querying the warehouse", 1)[1].split("\n## ", 1)[0]
    blocks = [block.split("```", 1)[0] for block in section.split("```sql\n")[1:]]
    return [block for block in blocks if "marts." in block]


def test_readme_questions_are_answered(con: duckdb.DuckDBPyConnection) -> None:
    queries = readme_mart_queries()
    assert len(queries) >= 3
    for query in queries:
        answer = rows(con, query)
        assert answer, f"README query returned nothing:\n{query}"
    least_executed = rows(con, queries[0])
    # the lowest execution rate of 2021 comes first in that year
    first_2021 = next(row for row in least_executed if row["fiscal_year"] == 2021)
    rates_2021 = {
        row["department"]: row["execution_rate"]
        for row in rows(
            con,
            "select department, execution_rate from marts.fct_department_year "
            "where fiscal_year = 2021",
        )
    }
    assert first_2021["department"] == min(rates_2021, key=lambda name: rates_2021[name])
    improved = rows(con, queries[2])
    assert improved[0]["department"] == PANYU_SHORT  # 88.0 (2022) → 2023
