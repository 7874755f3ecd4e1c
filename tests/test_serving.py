"""The serving copy (jixiao/serving.py): what a run publishes, and that readers never block it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from jixiao import serving
from jixiao.stages import publish
from tests.dashboard_warehouse import demo_build


def _marts(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, tuple]:
    tables = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? and table_schema = 'marts' order by 1",
            [catalog],
        ).fetchall()
    ]
    return {
        table: con.execute(
            f"select count(*), sum(hash(t)) from {catalog}.marts.{table} t"
        ).fetchone()
        for table in tables
    }


def test_a_run_publishes_every_mart_unchanged() -> None:
    built = demo_build()
    assert built["serving"] == serving.serving_path(built["warehouse"])
    assert built["serving"].is_file()
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        warehouse = _marts(con, "jixiao")
    reader = serving.open_reader(built["serving"])
    copied = _marts(reader, "jixiao")
    assert copied == warehouse and len(copied) >= 9
    (run_id,) = reader.execute("select run_id from serving.published").fetchone()
    assert run_id == built["summary"]["run_id"]


def test_quarantined_files_and_failed_checks_are_published() -> None:
    reader = serving.open_reader(demo_build()["serving"])
    files = reader.execute("select file_name, reasons from quality.quarantined_files").fetchall()
    assert [name for name, _ in files] == ["minutes.pdf"]
    assert files[0][1]  # the extractor's reason, as stored in raw.extraction_issues
    failed = reader.execute(
        "select count(*) from quality.latest_check_results where not passed"
    ).fetchone()[0]
    with duckdb.connect(str(demo_build()["warehouse"]), read_only=True) as con:
        in_marts = con.execute(
            "select sum(len(failed_checks)) from marts.fct_department_year"
        ).fetchone()[0]
    assert failed >= in_marts > 0


def test_publish_swaps_while_a_reader_holds_the_old_copy(tmp_path: Path) -> None:
    built = demo_build()
    warehouse = tmp_path / "warehouse" / "jixiao.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(built["warehouse"], warehouse)
    target = publish.publish(warehouse).path
    old = serving.open_reader(target)  # a dashboard with the copy open
    before = serving.version(target)
    with duckdb.connect(str(warehouse)) as con:  # a load writes the warehouse meanwhile
        con.execute("delete from marts.fct_department_year where fiscal_year = 2022")
    published = publish.publish(warehouse, run_id="second")
    assert published.path == target and serving.version(target) != before
    count = "select count(*) from marts.fct_department_year where fiscal_year = 2022"
    assert old.execute(count).fetchone()[0] > 0  # the open reader keeps its copy
    assert serving.open_reader(target).execute(count).fetchone()[0] == 0  # a new one sees the new
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary left


def test_an_unchanged_run_keeps_the_copy_and_a_missing_one_is_published(tmp_path: Path) -> None:
    built = demo_build()
    warehouse = tmp_path / "jixiao.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    target = serving.serving_path(warehouse)
    assert publish.publish_after_run(warehouse, None, rebuilt=False) == str(target)
    first = serving.version(target)
    assert publish.publish_after_run(warehouse, None, rebuilt=False) == str(target)
    assert serving.version(target) == first
    assert publish.publish_after_run(tmp_path / "absent.duckdb", None, rebuilt=True) is None
