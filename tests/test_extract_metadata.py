"""Document metadata and families, read from content."""

from __future__ import annotations

import pytest

from jixiao.extract.families import classify
from jixiao.extract.metadata import (
    admin_level_of,
    department_from_text,
    fiscal_year_from_text,
    unit_count_from_text,
)


@pytest.mark.parametrize(
    ("department", "expected"),
    [
        ("广州市番禺区科技工业商务和信息化局", ("district", "番禺区")),
        ("广州市天河区教育局", ("district", "天河区")),
        ("越秀区卫生健康局", ("district", "越秀区")),
        ("广州市发展和改革委员会", ("city", None)),
        ("广州市规划和自然资源局", ("city", None)),
        (None, (None, None)),
    ],
)
def test_admin_level_from_department(department: str | None, expected: tuple) -> None:
    assert admin_level_of(department) == expected


def test_department_and_unit_count_from_flattened_text() -> None:
    text = "单位\n名称\n\n广州市发展和改革委员会 单位数：7\n\n年度\n整体"
    assert department_from_text(text) == "广州市发展和改革委员会"
    assert unit_count_from_text(text) == 7
    assert unit_count_from_text("6个") == 6
    assert unit_count_from_text("单位数： 6个") == 6
    assert department_from_text("没有单位信息") is None


def test_fiscal_year() -> None:
    assert fiscal_year_from_text("部门整体支出绩效自评表\n（２０２２年度）") == 2022
    assert fiscal_year_from_text("2021年部门整体支出绩效评价报告") == 2021
    assert fiscal_year_from_text("会议通知") is None


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("附件3\n部门整体支出绩效自评表\n（2021年度）", "self_evaluation_form"),
        ("2021年度部门整体支出绩效自评报告\n一、基本情况", "self_evaluation_report"),
        ("某局\n\n2021年部门整体支出绩效评价报告", "evaluation_report"),
        ("单位名称 某局\n一级指标 分值 二级指标 得分/自评分", "self_evaluation_form"),
        ("关于召开年度工作会议的通知", "unknown"),
    ],
)
def test_classify(text: str, family: str) -> None:
    assert classify(text) == family
