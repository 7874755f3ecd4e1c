"""Plain text layers whose blocks are out of reading order (one block per cell, any order)."""

from __future__ import annotations

import json

import pytest

from jixiao.extract.api import extract_file
from jixiao.extract.text_blocks import cells_of, department_from_lines, parse_blocks
from jixiao.extract.text_layer import parse_text, split_lines
from jixiao_devtools.accuracy import compare_golden
from tests.conftest import SHARED


def _blocks(*cells: str) -> str:
    """Given cell texts (a cell may wrap with ``\\n``; ``\\f`` starts a page), return a text
    layer that prints one block per cell, blocks separated by a blank line."""
    return "\n\n".join(cells)


# Level names printed apart from their points (管理 5 / 计划管理 资金管理 / 2 3), the
# header words 三级指标 … after the rows, a level-1 name printed beside another level's
# points (履职 5 … 10 效果), the department after 单位数, the budget table's labels, then
# its items, then one block of figures per measure.
FORM = _blocks(
    "部门整体支出绩效自评表\n（2024年度）\n单位基本情况\n部门名称",
    "单位数：3个",
    "某市某区卫生健康局",
    "年度部门整体支出规\n模（万元）",
    "按资金来源",
    "按资金结构",
    "全年预算数",
    "全年执行数",
    "执行率",
    "财政拨款",
    "其他资金",
    "基本支出",
    "项目支出",
    *["100.00", "20.00", "30.00", "90.00"],
    *["90.00", "10.00", "30.00", "70.00"],
    *["90%", "50%", "100%", "77.78%"],
    "一级指标",
    "二级指标",
    "管理",
    "5",
    "计划管理",
    "资金管理",
    "2",
    "3",
    "预算编制科学性",
    "2",
    "部门预算编制是否科学，用以反映\n编制质量。",
    "2",
    "按要求完成。",
    "预算执行率",
    "3",
    "预算执行的比率，用以反映执行进度。",
    "2.5",
    "执行略慢，扣0.5分。",
    "三级指标",
    "分值",
    "得分/自评分",
    "一级指标 分值 二级指标 分值 三级指标 分值",
    "业务办理量",
    "6",
    "1000件",
    "1200件",
    "6",
    "履职",
    "5",
    "重点工作",
    "10",
    "业务办结率",
    "4",
    "≥95%",
    "93%",
    "3.5",
    "10",
    "效果",
    "满意度",
    "5",
    "群众满意率",
    "5",
    "≥90%",
    "96%",
    "5",
    "年度指标值",
    "实际完成指标值",
    "总分",
    "20",
    "19",
    "评价等级",
    "☑优 90分≤得分≤100分；□良",
)


def _levels(rows: list[dict]) -> list[tuple]:
    return [
        (row["level1"], row["level1_points"], row["level2"], row["level2_points"], row["level3"])
        for row in rows
    ]


def test_levels_come_from_what_adds_up() -> None:
    content = parse_text(FORM)
    assert _levels(content.indicators) == [
        ("管理", 5, "计划管理", 2, "预算编制科学性"),
        ("管理", 5, "资金管理", 3, "预算执行率"),
        ("履职", 10, "重点工作", 10, "业务办理量"),
        ("履职", 10, "重点工作", 10, "业务办结率"),
        ("效果", 5, "满意度", 5, "群众满意率"),
    ]
    assert [(row["points"], row["score"]) for row in content.indicators] == [
        (2, 2),
        (3, 2.5),
        (6, 6),
        (4, 3.5),
        (5, 5),
    ]
    assert (content.total_points, content.total_score) == (20, 19)


def test_targets_and_actuals_are_the_values_between_points_and_score() -> None:
    rows = parse_text(FORM).indicators
    assert [(row["target"], row["actual"]) for row in rows] == [
        (None, None),
        (None, None),
        ("1000件", "1200件"),
        ("≥95%", "93%"),
        ("≥90%", "96%"),
    ]


def test_department_printed_lines_after_its_label() -> None:
    assert parse_text(FORM).department == "某市某区卫生健康局"
    text = "\n".join(["部门（单位）名称", "", "单位数：2个", "年度目标：完成任务。", "某某委员会"])
    assert department_from_lines(split_lines(text)) == "某某委员会"
    assert department_from_lines(split_lines("单位名称\n\n单位数：2个\n")) is None


def test_budget_figures_in_one_block_per_measure() -> None:
    lines = parse_text(FORM).budget_lines
    assert [(x["dimension"], x["item"], x["budget"], x["actual"]) for x in lines] == [
        ("资金来源", "财政拨款", 100.0, 90.0),
        ("资金来源", "其他资金", 20.0, 10.0),
        ("资金结构", "基本支出", 30.0, 30.0),
        ("资金结构", "项目支出", 90.0, 70.0),
    ]
    assert lines[3]["reported_rate"] == pytest.approx(0.7778)


# A leaf whose explanation and score were printed before its name and points, and a level
# name repeated with its points at the top of a continued page.
CONTINUED = _blocks(
    "一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 评分依据",
    "管理效能",
    "10",
    "资金管理",
    "6",
    "预算完成率",
    "3",
    "预算完成数与预算数的比率，用以反映完成程度。",
    "3",
    "按要求完成。",
    "\f一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 评分依据",
    "资金管理",
    "6",
    "结余率",
    "3",
    "结余资金的比率，用以反映控制程度。",
    "2",
    "结余偏高，扣1分。",
    "资产管理办法是否健全，用以反映\n制度保障。",
    "3.5",
    "个别制度未更新。",
    "资产管理",
    "4",
    "制度健全性",
    "4",
    "总分",
    "10",
    "8.5",
)


def test_leaf_printed_apart_and_repeated_level() -> None:
    content = parse_text(CONTINUED)
    assert _levels(content.indicators) == [
        ("管理效能", 10, "资金管理", 6, "预算完成率"),
        ("管理效能", 10, "资金管理", 6, "结余率"),
        ("管理效能", 10, "资产管理", 4, "制度健全性"),
    ]
    assert [(row["points"], row["score"], row["page"]) for row in content.indicators] == [
        (3, 3, 1),
        (3, 2, 2),
        (4, 3.5, 2),
    ]
    assert (content.total_points, content.total_score) == (10, 8.5)


def test_numbers_that_do_not_add_up_give_no_rows() -> None:
    text = CONTINUED.replace("\n\n6\n\n", "\n\n7\n\n")  # level points no leaves add up to
    assert parse_blocks(split_lines(text)).indicators == []


def test_a_number_alone_on_a_line_is_a_cell_of_its_own() -> None:
    cells = cells_of(split_lines("预算完成率\n3\n预算完成数与预算数\n的比率。\n3"))
    assert [(cell.text, cell.value) for cell in cells] == [
        ("预算完成率", None),
        ("3", 3.0),
        ("预算完成数与预算数的比率。", None),
        ("3", 3.0),
    ]


CORPUS = SHARED / "corpus"
FIXTURE = CORPUS / "gz-2023-conghua-wenlv.txt"


@pytest.mark.shared("corpus/gz-2023-conghua-wenlv.txt")
def test_corpus_reading_order_text_layer() -> None:
    golden = json.loads((CORPUS / (FIXTURE.name + ".golden.json")).read_text(encoding="utf-8"))
    scores = compare_golden(extract_file(FIXTURE), golden)
    right = sum(score.tp for score in scores.values())
    facts = sum(score.tp + score.fn for score in scores.values())
    assert right / facts >= 0.95, scores
