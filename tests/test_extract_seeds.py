"""The text-layer path on the real seeds (marked ``shared``: skipped where ../shared is absent)."""

from __future__ import annotations

import pytest

from jixiao.extract.api import extract_file
from jixiao.extract.record import Record, is_quarantined
from tests.conftest import SEEDS

pytestmark = pytest.mark.shared("seeds")


def _seed(prefix: str) -> Record:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert found, f"seed {prefix} not found under {SEEDS}"
    return extract_file(found[0])


def _line(record: Record, item: str) -> dict:
    return next(line for line in record["budget_lines"] if line["item"] == item)


def test_district_form_003() -> None:
    record = _seed("003")
    assert record["source"]["media_type"] == "text/plain"
    assert record["document"] == {
        "family": "self_evaluation_form",
        "department": "广州市番禺区科技工业商务和信息化局",
        "fiscal_year": 2021,
        "admin_level": "district",
        "district": "番禺区",
        "unit_count": 6,
    }
    assert record["totals"]["total_score"] == 95.77
    fiscal = _line(record, "财政拨款")
    assert (fiscal["dimension"], fiscal["budget"], fiscal["actual"]) == (
        "资金来源",
        127208.53,
        125005.9,
    )
    assert fiscal["reported_rate"] == pytest.approx(0.983)
    assert _line(record, "区本级支出")["dimension"] == "预算级次"
    assert _line(record, "转移支付")["reported_rate"] == pytest.approx(0.789)


def test_003_keeps_and_flags_the_score_above_points() -> None:
    record = _seed("003")
    row = next(r for r in record["indicators"] if r["level3"] == "资产管理制度健全性")
    assert (row["points"], row["score"]) == (1, 2)
    flagged = [i for i in record["issues"] if i["code"] == "score_exceeds_points"]
    assert len(flagged) == 1 and flagged[0]["severity"] == "warning"
    assert flagged[0]["page"] == row["page"]
    assert not is_quarantined(record)


def test_003_indicators_follow_the_printed_tree() -> None:
    record = _seed("003")
    rows = record["indicators"]
    # 21 管理效能 leaves, 15 履职效能 leaves, 1 加减分项 leaf in the printed form
    counts = {
        name: sum(r["level1"] == name for r in rows)
        for name in ("管理效能", "履职效能", "加减分项")
    }
    assert counts == {"管理效能": 21, "履职效能": 15, "加减分项": 1}
    assert sum(r["score"] for r in rows) == pytest.approx(95.77)
    assert not [i for i in record["issues"] if i["code"] != "score_exceeds_points"]
    first = rows[0]
    assert (first["level2"], first["level3"], first["points"], first["score"]) == (
        "资金管理",
        "预算完成率",
        2,
        1.97,
    )
    car = next(r for r in rows if r["level3"] == "年产新能源汽车")  # list number dropped
    assert (car["target"], car["actual"]) == ("10万辆", "12万辆")


def test_city_form_000() -> None:
    record = _seed("000")
    document = record["document"]
    assert document["department"] == "广州市发展和改革委员会"
    assert (document["admin_level"], document["district"]) == ("city", None)
    assert (document["fiscal_year"], document["unit_count"]) == (2021, 7)
    assert record["totals"]["total_score"] == 94.61
    fiscal = _line(record, "财政拨款")
    assert (fiscal["budget"], fiscal["actual"], fiscal["reported_rate"]) == (
        466677.75,
        460011.92,
        pytest.approx(0.9857),
    )
    assert _line(record, "市本级支出")["budget"] == 361808.5
    assert [line["reported_rate"] for line in record["budget_lines"]][-1] == 0.997635217
    assert record["issues"] == []


def test_000_indicator_tree_survives_repeated_headers_and_labels() -> None:
    record = _seed("000")
    rows = record["indicators"]
    level1 = {r["level1"]: r["level1_points"] for r in rows}
    assert level1 == {"管理效能": 45, "履职效能": 50, "加减分项": 5}
    # the form prints 11 duty groups; (二) continues on the next page under repeated labels
    duty_groups = [r["level2"] for r in rows if r["level1"] == "履职效能"]
    assert len(dict.fromkeys(duty_groups)) == 11
    assert sum(g.startswith("(二)") for g in duty_groups) == 4
    scores = [r["score"] for r in rows if r["score"] is not None]
    assert sum(scores) == pytest.approx(94.61)
    bonus = [r for r in rows if r["level1"] == "加减分项"]
    assert len(bonus) == 1 and bonus[0]["score"] is None  # printed without a score


def test_third_party_report_004_metadata_and_total() -> None:
    record = _seed("004")
    assert record["document"] == {
        "family": "evaluation_report",
        "department": "广州市荔湾区科技工业和信息化局",
        "fiscal_year": 2021,
        "admin_level": "district",
        "district": "荔湾区",
        "unit_count": None,
    }
    assert record["totals"]["total_score"] == 88.48
    assert record["issues"] == []
    assert not is_quarantined(record)


def test_004_budget_execution_table() -> None:
    record = _seed("004")
    figures = {
        (line["dimension"], line["item"]): (
            line["initial_budget"],
            line["adjustment"],
            line["budget"],
            line["actual"],
            line["reported_rate"],
        )
        for line in record["budget_lines"]
    }
    # 表 1-5: 年初预算数 / 调整金额 / 调整后预算数 / 支出金额 / 支出率
    assert figures == {
        ("资金结构明细", "人员经费"): (3523.51, -306.22, 3217.29, 3189.72, pytest.approx(0.9914)),
        ("资金结构明细", "日常公用经费"): (210.12, -7.15, 202.97, 182.2, pytest.approx(0.8977)),
        ("资金结构", "基本支出"): (3733.63, -313.37, 3420.26, 3371.92, pytest.approx(0.9859)),
        ("资金结构明细", "基本建设类项目"): (0.0, 0.0, 0.0, 0.0, 0.0),
        ("资金结构明细", "行政事业类项目"): (
            13354.78,
            -4859.1,
            8495.68,
            7516.97,
            pytest.approx(0.8848),
        ),
        ("资金结构", "项目支出"): (13354.78, -4859.1, 8495.68, 7516.97, pytest.approx(0.8848)),
        ("合计", "合计"): (17088.41, -5172.47, 11915.94, 10888.89, pytest.approx(0.9138)),
    }


def test_004_projects_table() -> None:
    projects = _seed("004")["projects"]
    # 表 1-6 lists 30 projects under a 合计 row (which is not a project)
    assert len(projects) == 30
    assert all(project["name"] != "合计" for project in projects)
    assert projects[1]["name"] == "科学技术支出"
    assert (projects[1]["initial_budget"], projects[1]["adjusted_budget"]) == (11830.0, 6550.33)
    assert projects[-1]["name"] == "荔湾区电子商务综合服务平台项目经费"
    assert projects[-1]["actual"] == 0.0
    wrapped = next(p for p in projects if p["name"].startswith("新三板广州服务基地基础设施"))
    assert wrapped["name"] == "新三板广州服务基地基础设施建设项目工作经费"
    assert sum(p["adjusted_budget"] for p in projects) == pytest.approx(8495.68)
    assert sum(p["actual"] for p in projects) == pytest.approx(7516.97)


def test_004_indicator_table() -> None:
    rows = _seed("004")["indicators"]
    # 附件1: 2 一级指标 (50 + 50), 5 二级指标, 28 三级指标 (as the report itself says)
    assert len(rows) == 28
    assert {r["level1"]: r["level1_points"] for r in rows} == {
        "财政管理情况评价": 50,
        "履职情况评价": 50,
    }
    assert len({(r["level1"], r["level2"]) for r in rows}) == 5
    first = rows[0]
    assert (first["level2"], first["level3"], first["points"], first["score"]) == (
        "预算资金管理",
        "预算编制合理性",
        4,
        3.5,
    )
    last = rows[-1]
    assert last["level3"] == "企业安全生产意识和应对突发生产安全事故的能力"
    assert sum(r["score"] for r in rows) == pytest.approx(88.48)
