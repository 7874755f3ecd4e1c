from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from jixiao.extract.envelope import extract_to_envelope, read_envelope, write_envelope
from jixiao.extract.issues import OCR_LOW_CONFIDENCE, PROJECT_SUM_MISMATCH, issue
from jixiao.extract.record import Record, empty_record
from jixiao.stages.load import load_envelopes


def _record(sha256: str, department: str = "广州市番禺区科技工业商务和信息化局") -> Record:
    record = empty_record(f"/inbox/2021/{sha256[:6]}.pdf", sha256, "application/pdf")
    record["source"]["pages"] = 3
    record["document"].update(
        family="self_evaluation_form",
        department=department,
        fiscal_year=2021,
        admin_level="district",
        district="番禺区",
        unit_count=6,
    )
    record["budget_lines"] = [
        {
            "dimension": "资金来源",
            "item": "财政拨款",
            "budget": 127208.53,
            "actual": 125005.9,
            "reported_rate": 0.983,
            "initial_budget": None,
            "adjustment": None,
            "page": 2,
        }
    ]
    record["indicators"] = [
        {
            "level1": "管理效能",
            "level1_points": 45,
            "level2": "资金管理",
            "level2_points": 16,
            "level3": "预算完成率",
            "points": 2,
            "score": 1.97,
            "target": None,
            "actual": None,
            "page": 2,
        }
    ]
    record["totals"]["total_score"] = 95.77
    return record


def _envelope(records_dir: Path, record: Record) -> Path:
    sha256 = record["source"]["sha256"]
    return write_envelope(
        records_dir,
        {
            "envelope_version": 1,
            "run_id": "test",
            "extracted_at": "2026-01-01T00:00:00+00:00",
            "file": {
                "path": record["source"]["path"],
                "sha256": sha256,
                "size": 10,
                "mtime": "2026-01-01T00:00:00+00:00",
                "year_folder": 2021,
            },
            "record": record,
        },
    )


def _counts(warehouse: Path) -> dict[str, int]:
    tables = ["submissions", "budget_lines", "indicator_scores", "projects", "extraction_issues"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables}


def _rows(warehouse: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(query).fetchall()


def test_load_writes_every_part_and_second_load_is_a_noop(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    path = _envelope(tmp_path / "records", _record("a" * 64))
    first = load_envelopes(warehouse, [path])
    assert (first.loaded, first.quarantined, first.already_present) == (1, 0, 0)
    before = _counts(warehouse)
    assert before == {
        "submissions": 1,
        "budget_lines": 1,
        "indicator_scores": 1,
        "projects": 0,
        "extraction_issues": 0,
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            "select department, fiscal_year, admin_level, district, total_score, status "
            "from raw.submissions"
        ).fetchone()
        score = con.execute("select score, points, page from raw.indicator_scores").fetchone()
    assert row == (
        "广州市番禺区科技工业商务和信息化局",
        2021,
        "district",
        "番禺区",
        95.77,
        "loaded",
    )
    assert score == (1.97, 2.0, 2)

    second = load_envelopes(warehouse, [path])
    assert (second.loaded, second.already_present) == (0, 1)
    assert _counts(warehouse) == before


def test_quarantined_record_keeps_its_reason_and_no_data_rows(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    bad = empty_record("/inbox/2021/broken.pdf", "b" * 64, "application/pdf")
    bad["issues"].append(
        {"severity": "error", "code": "corrupt_pdf", "message": "broken.pdf: no xref", "page": None}
    )
    unknown = empty_record("/inbox/2021/menu.pdf", "c" * 64, "application/pdf")
    records = tmp_path / "records"
    result = load_envelopes(warehouse, [_envelope(records, bad), _envelope(records, unknown)])
    assert (result.loaded, result.quarantined) == (0, 2)
    assert {q["path"] for q in result.quarantined_files} == {
        "/inbox/2021/broken.pdf",
        "/inbox/2021/menu.pdf",
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        issues = con.execute(
            "select s.file_name, i.code, i.severity from raw.extraction_issues i "
            "join raw.submissions s using (sha256) order by 1"
        ).fetchall()
        statuses = con.execute("select distinct status from raw.submissions").fetchall()
    assert issues == [
        ("broken.pdf", "corrupt_pdf", "error"),
        ("menu.pdf", "unrecognised_document", "error"),
    ]
    assert statuses == [("quarantined",)]


def test_load_is_all_or_nothing(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    records = tmp_path / "records"
    good = _envelope(records, _record("d" * 64))
    broken = _envelope(records, _record("e" * 64))
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["record"]["indicators"][0]["score"] = "not a number"  # cannot be cast to double
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    load_envelopes(warehouse, [])  # creates the empty schema
    with pytest.raises(duckdb.Error):
        load_envelopes(warehouse, [good, broken])
    assert _counts(warehouse)["submissions"] == 0


def test_unreadable_envelope_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="x.json"):
        read_envelope(path)


def test_extractor_exception_is_quarantined_not_raised(tmp_path: Path) -> None:
    def explode(path: Path) -> Any:
        raise RuntimeError("boom")

    item = {"path": "/inbox/2021/x.pdf", "sha256": "f" * 64, "size": 1, "mtime": None}
    envelope = read_envelope(extract_to_envelope(item, "r1", tmp_path, explode))
    issue = envelope["record"]["issues"][0]
    assert issue["code"] == "extraction_failed"
    assert "x.pdf" in issue["message"] and "boom" in issue["message"]
    assert envelope["record"]["document"]["family"] == "unknown"


def test_quarantined_file_extracted_again_replaces_its_quarantined_row(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    sha256 = "9" * 64
    bad = empty_record("/inbox/2021/x.pdf", sha256, "application/pdf")
    bad["issues"].append(
        {"severity": "error", "code": "corrupt_pdf", "message": "x.pdf: broken", "page": None}
    )
    load_envelopes(warehouse, [_envelope(tmp_path / "r1", bad)])
    # an upgraded extractor now reads the same bytes
    result = load_envelopes(warehouse, [_envelope(tmp_path / "r2", _record(sha256))])
    assert (result.loaded, result.already_present) == (1, 0)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select status from raw.submissions").fetchall()
        issues = con.execute("select count(*) from raw.extraction_issues").fetchone()[0]
    assert rows == [("loaded",)]
    assert issues == 0


def test_typed_issue_fields_and_ocr_provenance_are_stored(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    scanned = _record("1" * 64)
    scanned["source"]["ocr"] = True
    scanned["issues"] = [
        issue(
            "warning",
            PROJECT_SUM_MISMATCH,
            "x.pdf p.9: reworded at will",
            9,
            field="projects.合计.actual",
            observed=460,
            expected=450.0,
        ),
        issue("warning", OCR_LOW_CONFIDENCE, "x.pdf p.2: 财政拨款 read as 127208.53", 2),
    ]
    older = _record("2" * 64, department="广州市天河区教育局")
    del older["source"]["ocr"]  # a record written before OCR provenance existed
    records = tmp_path / "records"
    load_envelopes(warehouse, [_envelope(records, scanned), _envelope(records, older)])
    issues = _rows(
        warehouse,
        "select code, page, field, observed, expected from raw.extraction_issues order by 1",
    )
    ocr = _rows(warehouse, "select sha256, source_ocr from raw.submissions order by 1")
    kinds = _rows(warehouse, "select distinct kind from raw.budget_lines")
    assert issues == [
        ("ocr_low_confidence", 2, None, None, None),
        ("project_sum_mismatch", 9, "projects.合计.actual", 460.0, 450.0),
    ]
    assert ocr == [("1" * 64, True), ("2" * 64, False)]
    assert kinds == [("item",)]  # classified by the loader when the record has no kind


def test_an_old_warehouse_gets_the_new_columns_in_place(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    load_envelopes(warehouse, [_envelope(tmp_path / "r1", _record("3" * 64))])
    with duckdb.connect(str(warehouse)) as con:  # as a warehouse written before them
        for table, column in (
            ("submissions", "source_ocr"),
            ("budget_lines", "kind"),
            ("extraction_issues", "field"),
            ("extraction_issues", "observed"),
            ("extraction_issues", "expected"),
        ):
            con.execute(f"alter table raw.{table} drop column {column}")
    total = _record("4" * 64, department="广州市天河区教育局")
    total["budget_lines"][0].update(dimension="合计", item="合计")
    load_envelopes(warehouse, [_envelope(tmp_path / "r2", total)])
    columns = {
        table: [row[0] for row in _rows(warehouse, f"describe raw.{table}")]
        for table in ("submissions", "budget_lines", "extraction_issues")
    }
    kinds = _rows(warehouse, "select sha256, kind from raw.budget_lines order by 1")
    ocr = _rows(warehouse, "select source_ocr from raw.submissions order by sha256")
    assert columns["submissions"][-1] == "source_ocr"
    assert columns["budget_lines"][-1] == "kind"
    assert columns["extraction_issues"][-3:] == ["field", "observed", "expected"]
    assert kinds == [("3" * 64, "item"), ("4" * 64, "total")]  # the old line classified too
    assert ocr == [(None,), (False,)]
