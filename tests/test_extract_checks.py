"""Consistency checks: values kept as printed, problems flagged as warnings."""

from __future__ import annotations

from pathlib import Path

from jixiao.extract.checks import check_budget, check_leaf_sum, check_points, check_scores
from jixiao.extract.record import BudgetLine, Indicator
from jixiao.extract.tolerances import read_tolerances, tolerances
from jixiao.extract.vocabulary import budget_line_kind

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project" / "dbt_project.yml"


def _leaf(level2: str, level3: str, points: float, score: float | None, page: int = 1) -> Indicator:
    return {
        "level1": "管理效能",
        "level1_points": 5,
        "level2": level2,
        "level2_points": 3,
        "level3": level3,
        "points": points,
        "score": score,
        "target": None,
        "actual": None,
        "page": page,
    }


def _line(dimension: str, item: str, budget: float, actual: float, rate: float) -> BudgetLine:
    return {
        "dimension": dimension,
        "item": item,
        "budget": budget,
        "actual": actual,
        "reported_rate": rate,
        "initial_budget": None,
        "adjustment": None,
        "page": 1,
    }


def test_score_above_points_is_flagged_with_its_page() -> None:
    rows = [_leaf("资产管理", "资产管理制度健全性", 1, 2, page=3), _leaf("资产管理", "b", 2, 2)]
    found = check_scores(rows, "x.pdf")
    assert [(i["severity"], i["code"], i["page"]) for i in found] == [
        ("warning", "score_exceeds_points", 3)
    ]
    assert "x.pdf p.3" in found[0]["message"] and "资产管理制度健全性" in found[0]["message"]
    assert rows[0]["score"] == 2  # kept as printed


def test_leaf_sum_mismatch() -> None:
    rows = [_leaf("a", "a1", 2, 1.5), _leaf("a", "a2", 1, None), _leaf("a", "a3", 1, 1)]
    assert check_leaf_sum(rows, 2.5, 4, "x.pdf") == []
    found = check_leaf_sum(rows, 3.0, 4, "x.pdf")
    assert [(i["code"], i["page"]) for i in found] == [("leaf_sum_mismatch", 4)]
    assert check_leaf_sum(rows, None, None, "x.pdf") == []


def test_points_must_nest() -> None:
    good = [_leaf("a", "a1", 2, 2), _leaf("a", "a2", 1, 1)]
    good += [dict(_leaf("b", "b1", 2, 2), level2_points=2)]
    assert check_points(good, None, "x.pdf") == []
    bad = [_leaf("a", "a1", 2, 2), _leaf("a", "a2", 2, 2)]  # 4 under a 3-point group
    codes = [i["code"] for i in check_points(bad, 100, "x.pdf")]
    assert codes.count("points_sum_mismatch") == 3  # level 2, level 1 and 总分


def test_budget_rates_and_breakdowns() -> None:
    lines = [
        _line("资金来源", "财政拨款", 100.0, 98.0, 0.98),
        _line("资金来源", "其他资金", 10.0, 10.0, 1.0),
        _line("资金结构", "基本支出", 20.0, 19.0, 0.95),
        _line("资金结构", "项目支出", 90.0, 89.0, 0.9889),
    ]
    assert check_budget(lines, "x.pdf") == []
    lines[1] = _line("资金来源", "其他资金", 12.0, 10.0, 0.98)
    codes = sorted(i["code"] for i in check_budget(lines, "x.pdf"))
    assert codes == ["budget_dimension_mismatch", "rate_mismatch"]


def test_findings_carry_typed_numbers_and_the_dbt_tolerances(tmp_path: Path) -> None:
    lines = [
        _line("资金来源", "财政拨款", 100.0, 98.0, 0.98),
        _line("资金结构", "基本支出", 100.008, 98.0, 0.98),
    ]
    assert check_budget(lines, "x.pdf") == []  # 0.008 within 0.005 per figure of 2 figures
    lines[1] = _line("资金结构", "基本支出", 101.0, 98.0, 0.9703)
    (found,) = check_budget(lines, "x.pdf")
    assert (found["field"], found["observed"], found["expected"]) == (
        "budget_lines.资金结构.budget",
        101.0,
        100.0,
    )
    project = tmp_path / "dbt_project.yml"
    project.write_text(
        "vars:\n  tolerance_amount: 0.5\n  tolerance_score: 0.01\n  tolerance_rate: 0.005\n",
        encoding="utf-8",
    )
    assert read_tolerances(project).amounts(4) == 2.0
    assert tolerances() == read_tolerances(DBT_PROJECT)  # the one definition: dbt's vars
    assert (tolerances().amount, tolerances().score, tolerances().rate) == (0.005, 0.01, 0.005)


def test_a_total_line_is_classified_once_by_the_vocabulary() -> None:
    kinds = [
        budget_line_kind(dimension, item)
        for dimension, item in (
            ("合计", "合计"),
            ("资金结构", "基本支出小计"),
            ("资金来源", "合计"),
            ("资金结构明细", "人员经费"),
            ("资金来源", "财政拨款"),
        )
    ]
    assert kinds == ["total", "subtotal", "dimension_total", "detail", "item"]
