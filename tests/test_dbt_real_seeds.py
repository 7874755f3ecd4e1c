"""Warehouse marts built from the real documents of ../shared/seeds.

The seeds go through the real extractor (jixiao.extract.api.extract_file), envelopes and
loader, then `dbt build`; the standardized numbers are checked against the figures
printed in the documents (番禺区 2021: 总分 95.77; 资金来源 127208.53 + 574.29 budget,
125005.9 + 569.12 actual). Marked ``shared``: skipped, saying so, where ../shared is absent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from jixiao.extract.api import extract_file
from jixiao.extract.envelope import extract_to_envelope
from jixiao.stages import transform
from jixiao.stages.discover import sha256_of
from jixiao.stages.load import load_envelopes
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("0*.txt")) if SEEDS.is_dir() else []
PANYU_KEY = "番禺区/科技工业商务和信息化局"
NDRC_KEY = "市本级/发展和改革委员会"
LIWAN_KEY = "荔湾区/科技工业和信息化局"
README = Path(__file__).resolve().parents[1] / "README.md"

pytestmark = pytest.mark.shared("seeds")


def inbox_item(path: Path) -> dict:
    stat = path.stat()
    return {
        "path": str(path),
        "sha256": sha256_of(path),
        "size": stat.st_size,
        "mtime": datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(),
        "year_folder": None,
    }


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("real_seeds")
    records = folder / "records"
    envelopes = [
        extract_to_envelope(inbox_item(path), "seed-run", records, extract_file)
        for path in SEED_FILES
    ]
    warehouse = folder / "warehouse.duckdb"
    load_envelopes(warehouse, envelopes)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(transform.DBT_TARGET_DIR_ENV, str(folder / "dbt_work"))
        transform.dbt_build(warehouse)
    return warehouse


@pytest.fixture(scope="module")
def con(warehouse: Path):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def department_year(con: duckdb.DuckDBPyConnection, key: str, year: int) -> dict:
    found = rows(
        con,
        "select * from marts.fct_department_year where department_key = ? and fiscal_year = ?",
        [key, year],
    )
    assert len(found) == 1, f"expected one department-year {key} {year}"
    return found[0]


def test_panyu_2021_standardized_numbers(con: duckdb.DuckDBPyConnection) -> None:
    row = department_year(con, PANYU_KEY, 2021)
    assert row["department"] == "广州市番禺区科技工业商务和信息化局"
    assert (row["district"], row["admin_level"]) == ("番禺区", "district")
    assert row["total_score"] == pytest.approx(95.77)
    assert row["budget_total"] == pytest.approx(127208.53 + 574.29)
    assert row["actual_total"] == pytest.approx(125005.9 + 569.12)
    assert row["execution_rate"] == pytest.approx(125575.02 / 127782.82)
    # 管理效能 40.77 + 履职效能 50 of 45 + 50 points, without the 5 bonus points
    assert row["normalized_score"] == pytest.approx(100 * 90.77 / 95, abs=1e-6)
    assert row["bonus_deduction_score"] == pytest.approx(5.0)
    assert row["grade"] == "优"
    assert row["unmapped_indicator_count"] == 0


def test_ndrc_2021_standardized_numbers(con: duckdb.DuckDBPyConnection) -> None:
    row = department_year(con, NDRC_KEY, 2021)
    assert (row["district"], row["jurisdiction"], row["admin_level"]) == (None, "市本级", "city")
    assert row["total_score"] == pytest.approx(94.61)
    assert row["execution_rate"] == pytest.approx((460011.92 + 48187.53) / (466677.75 + 48176.53))
    assert row["grade"] == "优"


def test_panyu_budget_lines_keep_the_printed_rates(con: duckdb.DuckDBPyConnection) -> None:
    lines = {
        row["item"]: row
        for row in rows(
            con,
            "select * from marts.fct_budget_execution where department_key = ? "
            "and fiscal_year = 2021",
            [PANYU_KEY],
        )
    }
    transfer = lines["转移支付"]
    assert transfer["execution_rate"] == pytest.approx(1414.15 / 1792.63)
    assert transfer["printed_rate"] == pytest.approx(0.789)
    assert transfer["rate_difference"] == pytest.approx(1414.15 / 1792.63 - 0.789)
    assert abs(transfer["rate_difference"]) < 0.0005  # printed to 0.1 %


def test_every_management_indicator_is_in_the_taxonomy(
    con: duckdb.DuckDBPyConnection,
) -> None:
    found = rows(
        con,
        "select department_key, section, category, count(*) as indicators, "
        "count(*) filter (where is_unmapped) as unmapped, "
        "count(indicator_code) as coded "
        "from marts.fct_indicator_scores where fiscal_year = 2021 "
        "and department_key in (?, ?) group by all",
        [PANYU_KEY, NDRC_KEY],
    )
    assert found and all(row["unmapped"] == 0 for row in found)
    management = [row for row in found if row["section"] == "management"]
    assert {row["category"] for row in management} >= {
        "budget_execution",
        "procurement",
        "assets",
        "information_disclosure",
        "performance_management",
    }
    assert all(row["coded"] == row["indicators"] for row in management)


def test_the_real_departments_rank_within_2021(con: duckdb.DuckDBPyConnection) -> None:
    year = rows(con, "select * from marts.fct_department_year where fiscal_year = 2021")
    scores = {row["department_key"]: row["total_score"] for row in year}
    assert {PANYU_KEY, NDRC_KEY} <= set(scores)
    best = max(scores, key=lambda key: scores[key])
    by_key = {row["department_key"]: row for row in year}
    assert by_key[best]["score_percentile_in_year"] == 1.0
    district_year = rows(
        con,
        "select * from marts.mart_district_year where district = '番禺区' and fiscal_year = 2021",
    )[0]
    assert district_year["weighted_execution_rate"] == pytest.approx(125575.02 / 127782.82)


def test_liwan_report_when_the_extractor_reads_it(con: duckdb.DuckDBPyConnection) -> None:
    found = rows(
        con,
        "select * from marts.fct_department_year where department_key = ? and fiscal_year = 2021",
        [LIWAN_KEY],
    )
    if not found:
        pytest.skip("the third-party report (004) is not extracted yet (quarantined)")
    row = found[0]
    assert row["family"] == "evaluation_report"
    assert row["total_score"] == pytest.approx(88.48)
    assert row["budget_total"] == pytest.approx(11915.94)  # 调整后预算数
    assert row["execution_rate"] == pytest.approx(10888.89 / 11915.94)


def test_readme_questions_on_the_real_documents(con: duckdb.DuckDBPyConnection) -> None:
    section = README.read_text(encoding="utf-8").split("## Querying the warehouse", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = [block.split("```", 1)[0] for block in section.split("```sql\n")[1:]]
    queries = [block for block in blocks if "marts." in block]
    assert len(queries) >= 3
    for query in queries:
        cursor = con.execute(query)
        cursor.fetchall()  # runs; the trend question needs two years, which the seeds lack
    least = rows(con, queries[0])
    assert {row["fiscal_year"] for row in least} == {2021}
    categories = rows(con, queries[1])
    assert {row["jurisdiction"] for row in categories} >= {"番禺区", "市本级"}
