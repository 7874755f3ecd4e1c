from __future__ import annotations

from pathlib import Path

import duckdb

from jixiao.extract.raw_tables import RAW_DDL
from jixiao.freshness import code_digest, fingerprint, last_built, record_built


def _warehouse(tmp_path: Path) -> Path:
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        for statement in RAW_DDL:
            con.execute(statement)
    return warehouse


def _add(warehouse: Path, sha256: str, status: str = "loaded") -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "insert into raw.submissions (sha256, path, file_name, family, status, "
            "schema_version, loaded_at) values (?, 'x', 'x', 'unknown', ?, 1, now())",
            [sha256, status],
        )


def test_fingerprint_changes_with_raw_and_with_code(tmp_path: Path) -> None:
    code = tmp_path / "models"
    code.mkdir()
    (code / "a.sql").write_text("select 1", encoding="utf-8")
    warehouse = _warehouse(tmp_path)
    empty = fingerprint(warehouse, [code])
    _add(warehouse, "a" * 64)
    one = fingerprint(warehouse, [code])
    assert empty != one
    assert fingerprint(warehouse, [code]) == one  # stable
    (code / "a.sql").write_text("select 2", encoding="utf-8")
    assert fingerprint(warehouse, [code]) != one


def test_fingerprint_is_none_without_raw(tmp_path: Path) -> None:
    assert fingerprint(tmp_path / "missing.duckdb", []) is None
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    assert fingerprint(tmp_path / "empty.duckdb", []) is None


def test_record_and_read_back_the_last_build(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path)
    assert last_built(warehouse) is None
    record_built(warehouse, "v1")
    record_built(warehouse, "v2")
    assert last_built(warehouse) == "v2"


def test_code_digest_ignores_dbt_build_output(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.sql").write_text("select 1", encoding="utf-8")
    before = code_digest([tmp_path])
    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "manifest.json").write_text("{}", encoding="utf-8")
    assert code_digest([tmp_path]) == before
