"""Line-flattened text layers of spreadsheet-exported forms (extract/text_lines.py).

Each visual line's words are joined by single spaces, so a line mixes cells of several
columns: merged level names land in the middle of a leaf's line or alone on a line, and
wrapped names are split over the lines around their figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.extract.text_layer import parse_text
from jixiao_devtools.accuracy import compare_golden
from tests.conftest import SHARED

CORPUS = SHARED / "corpus"

GUANGZHOU = """部门整体支出绩效自评表
（2021年度）
单位名称 某某局 单位数：3
一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 评分依据、未达标原因、改进措施
预算完成率 2.00 反映预算完成程度。 2
部门预算编制
3.00 反映预算编制的准确性。 2.5 存在个别不规范情况。
情况
资金管理 7.00
专项资金管理情况 2.00 反映专项资金管理总体情况。 2
管理效能 10
采购管理 3.00 政府采购执行率 3.00 3
第 1 页，共 2 页管理效能 10
评分依据、未达标原因
一级指标 分值 二级指标 分值 三级指标 分值 年度指标值 实际完成指标值 得分/自评分 备注
、改进措施
1.道路清扫率 5.00 ≥85% 87.5% 5
推进城市管理 10.00 2.公厕改造数量 2.50 30座 30座 2.5
3.死亡率 2.50 ≤12/10万 0 2.5
城市照明及市政设
履职效能 15 5.00 1.路灯亮灯率 5.00 ≥98% 98.6% 4
施管护
总分 25 24
"""

NATIONAL = """部门整体支出绩效自评表
（2022年度）
部门（单位）名称 某某局
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
城镇新增就业人数 ≥1.8万人 2.1万人 5 5
数量指标
职业技能培训人次 ≥3万人次 3.3万人次 5 5
产出指标
质量指标 城镇登记失业率 ≤3% 2.46% 5 5
绩效指 时效指标
标 欠薪案件按时办结率 ≥95% 96.1% 5 4
效益指标 社会效益指标 零就业家庭动态清零率 100% 100% 10 10
总分 100 29
"""


def _leaves(content) -> list[tuple]:
    return [
        (row["level1"], row["level2"], row["level3"], row["points"], row["score"])
        for row in content.indicators
    ]


def test_guangzhou_levels_by_sums_and_wrapped_names() -> None:
    content = parse_text(GUANGZHOU)
    assert _leaves(content) == [
        ("管理效能", "资金管理", "预算完成率", 2.0, 2.0),
        ("管理效能", "资金管理", "部门预算编制情况", 3.0, 2.5),
        ("管理效能", "资金管理", "专项资金管理情况", 2.0, 2.0),
        ("管理效能", "采购管理", "政府采购执行率", 3.0, 3.0),
        ("履职效能", "推进城市管理", "道路清扫率", 5.0, 5.0),
        ("履职效能", "推进城市管理", "公厕改造数量", 2.5, 2.5),
        ("履职效能", "推进城市管理", "死亡率", 2.5, 2.5),
        ("履职效能", "城市照明及市政设施管护", "路灯亮灯率", 5.0, 4.0),
    ]
    assert content.total_score == 24


def test_national_levels_by_position() -> None:
    content = parse_text(NATIONAL)
    assert _leaves(content) == [
        ("产出指标", "数量指标", "城镇新增就业人数", 5.0, 5.0),
        ("产出指标", "数量指标", "职业技能培训人次", 5.0, 5.0),
        ("产出指标", "质量指标", "城镇登记失业率", 5.0, 5.0),
        ("产出指标", "时效指标", "欠薪案件按时办结率", 5.0, 4.0),
        ("效益指标", "社会效益指标", "零就业家庭动态清零率", 10.0, 10.0),
    ]


def _plain_text(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return "\f".join(page.extract_text() or "" for page in document.pages)


@pytest.mark.shared("corpus")
def test_corpus_plain_text_layers(tmp_path: Path) -> None:
    """The corpus PDFs' plain text layers (page.extract_text()) read against their goldens."""
    from jixiao.extract.api import extract_file

    right = total = 0
    for pdf in sorted(CORPUS.glob("*.pdf")):
        text = tmp_path / f"{pdf.stem}-plain.txt"
        text.write_text(_plain_text(pdf), encoding="utf-8")
        golden = json.loads(pdf.with_suffix(".golden.json").read_text(encoding="utf-8"))
        scores = compare_golden(extract_file(text), golden)
        right += sum(score.tp for score in scores.values())
        total += sum(score.tp + score.fn for score in scores.values())
    assert total and right / total >= MIN_PLAIN_RECALL


MIN_PLAIN_RECALL = 0.66  # 984 of 1450 facts today; raise as the reader improves


NATIONAL_BUDGET = """部门整体支出绩效自评表
（2022年度）
部门（单位）名称 某某市某某局
项目 年初预算数 全年预算数 全年执行数 分值 执行率 得分
年度预
年度资金总额 100.00 120.00 110.00 10 91.67% 9.17
算执行
其中：财政拨款 80.00 90.00 85.00 — 94.44% —
元） 其他资金 20.00 30.00 25.00 — 83.33% —
"""


def test_national_execution_table_and_department_label() -> None:
    content = parse_text(NATIONAL_BUDGET)
    assert content.department == "某某市某某局"
    assert [
        (line["item"], line["initial_budget"], line["budget"], line["actual"])
        for line in content.budget_lines
    ] == [
        ("年度资金总额", 100.0, 120.0, 110.0),
        ("财政拨款", 80.0, 90.0, 85.0),
        ("其他资金", 20.0, 30.0, 25.0),
    ]
    assert (content.execution_points, content.execution_score) == (10.0, 9.17)


def test_budget_items_after_a_wrapped_row_label() -> None:
    text = """单位名称 某某局 单位数：2
年度部门整体支出规 按资金来源 按资金结构
模（万元） 财政拨款 其他资金 基本支出 项目支出
全年预算数 10.00 2.00 3.00 9.00
全年执行数 9.00 1.00 3.00 7.00
完成率 90.00% 50.00% 100.00% 77.78%
"""
    lines = parse_text(text).budget_lines
    assert [line["item"] for line in lines] == ["财政拨款", "其他资金", "基本支出", "项目支出"]
    assert lines[0]["budget"] == 10.0
