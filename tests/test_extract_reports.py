"""Evaluation reports and narrative reports: PDF tables, text layers, mistakes, page limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.extract.api import extract_file
from jixiao.extract.assemble import classified
from jixiao.extract.narrative import parse_narrative
from jixiao.extract.record import is_quarantined
from jixiao.extract.reports import parse_report_text
from jixiao_devtools.samples import truth_path
from tests.generated import REPORT as SAMPLE_REPORT

REPORT = """广州市白云区水务局

2022年部门整体支出绩效评价报告

该部门整体支出年初预算安排合共 1,000.00万元。

表 1 2022年部门整体支出资金执行情况

单位：万元

财政拨款支出
年初

预算数

预算调整 实际支出

调整金额 调整率
调整后

预算数
支出金额 支出率

基本

支出

人员经费 300.00 -10.00 3.33% 290.00 280.00 96.55%

小计 300.00 -10.00 3.33% 290.00 280.00 96.55%

项目

支出

行政事业类项目 700.00 50.00 7.14% 750.00 600.00 80.00%

小计 700.00 50.00 7.14% 750.00 600.00 80.00%

合计 1,000.00 40.00 4.00% 1,040.00 880.00 84.62%

各项目主要支出情况详见下表：

表 2 项目支出资金执行情况

单位：万元

序

号
项目名称

年初

预算数

预算调整 调整后

预算数

实际支出

调整 调整率 支出数 执行率

合计 700.00 50.00 7.14% 750.00 610.00 81.33%

1
河涌整治工

程项目
500.00 50.00 10.00% 550.00 450.00 81.82%

2 排水设施养护经费 200.00 0.00 0.00% 200.00 150.00 75.00%

三、评价结果

经第三方机构综合分析与评价，总体综合评分为 90.50分。

评价指标

指标说明 评分标准 评分 评分依据 专家意见一级指标 二级指标 三级指标

名称 权重(%) 名称 权重(%) 名称 权重(%)

投入

40
预算
管理

40

预算编制合理性 20.00
考核预算编制。
按标准评分。
18.50
依据充分。

预算执行率 20.00 考核预算执行。 按标准评分。 17.00 依据充分。

产出 60 履职 60 重点任务完成率 60.00 考核任务完成。 按标准评分。 55.00 依据充分。

合   计 90.50 —— ——
"""


def test_text_layer_report_reads_tables_rows_and_score() -> None:
    content = parse_report_text(REPORT, "r.txt")
    assert content.form.department == "广州市白云区水务局"
    lines = {(b["dimension"], b["item"]): b for b in content.budget_lines}
    assert lines[("资金结构明细", "人员经费")]["initial_budget"] == 300.0
    assert lines[("资金结构", "项目支出")]["budget"] == 750.0
    assert lines[("合计", "合计")]["reported_rate"] == pytest.approx(0.8462)
    assert [p["name"] for p in content.projects] == ["河涌整治工程项目", "排水设施养护经费"]
    assert [
        (r["level1"], r["level2"], r["level3"], r["score"]) for r in content.form.indicators
    ] == [
        ("投入", "预算管理", "预算编制合理性", 18.5),
        ("投入", "预算管理", "预算执行率", 17.0),
        ("产出", "履职", "重点任务完成率", 55.0),
    ]
    assert content.form.total_score == 90.5
    # the 合计 row prints 610.00 spent, the projects add up to 600.00: flagged, not fixed
    assert [i["code"] for i in content.issues] == ["project_sum_mismatch"]


def test_text_layer_report_file_is_supported(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    record = extract_file(path)
    assert record["document"]["family"] == "evaluation_report"
    assert record["document"]["fiscal_year"] == 2022
    assert (record["document"]["admin_level"], record["document"]["district"]) == (
        "district",
        "白云区",
    )
    assert not is_quarantined(record)
    assert "project_sum_mismatch" in [i["code"] for i in record["issues"]]


def test_adjustment_that_does_not_add_up_is_flagged() -> None:
    broken = REPORT.replace(
        "人员经费 300.00 -10.00 3.33% 290.00", "人员经费 300.00 -10.00 3.33% 295.00"
    )
    content = parse_report_text(broken, "r.txt")
    codes = [i["code"] for i in content.issues]
    assert "adjustment_mismatch" in codes and "budget_subtotal_mismatch" in codes


def test_narrative_sentences_give_one_total_line() -> None:
    text = (
        "广州市越秀区司法局2022年度部门整体支出绩效自评报告\n\n"
        "本部门预算编制范围包括本级及所属单位共3个。\n\n"
        "2022年度，本部门年初预算数为1,200.00万元，调整后预算数为\n"
        "1,150.50万元，执行数为1,100.25万元，执行率为95.63%。\n\n"
        "经自评，本部门自评得分92.5分，评价等级为“优”。\n"
    )
    content = parse_narrative(text)
    assert content.department == "广州市越秀区司法局"
    assert content.unit_count == 3
    assert content.budget_lines == [
        {
            "dimension": "合计",
            "item": "合计",
            "budget": 1150.5,
            "actual": 1100.25,
            "reported_rate": pytest.approx(0.9563),
            "initial_budget": 1200.0,
            "adjustment": None,
            "page": 1,
        }
    ]
    assert (content.total_score, content.grade) == (92.5, "优")


def test_narrative_without_figures_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text(
        "广州市司法局2022年度部门整体支出绩效自评报告\n\n工作总结。\n", encoding="utf-8"
    )
    record = extract_file(path)
    assert record["document"]["family"] == "self_evaluation_report"
    assert [i["code"] for i in record["issues"]] == ["missing_budget_figures"]


def test_page_limit_quarantines(sample_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = sample_corpus / SAMPLE_REPORT
    monkeypatch.setenv("JIXIAO_MAX_PAGES", "1")
    record = extract_file(pdf)
    assert [(i["severity"], i["code"]) for i in record["issues"]] == [("error", "too_many_pages")]
    assert pdf.name in record["issues"][0]["message"]
    assert is_quarantined(record)
    monkeypatch.delenv("JIXIAO_MAX_PAGES")
    truth = json.loads(truth_path(pdf).read_text(encoding="utf-8"))
    assert extract_file(pdf)["projects"] == truth["projects"]


def test_pdf_without_tables_falls_back_to_the_text_layer(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from jixiao.extract.text_layer import parse_text
    from jixiao_devtools.samples.render import FONT, register_font

    form = (
        "部门整体支出绩效自评表\n（2022年度）\n单位名称 广州市天河区教育局 单位数：12个\n"
        "按资金来源 按资金结构 按预算级次\n"
        "财政拨款 其他资金 基本支出 项目支出 区本级支出 转移支付\n"
        "全年预算数 1,000.00 100.00 200.00 900.00 1,050.00 50.00\n"
        "全年执行数 980.00 100.00 190.00 890.00 1,040.00 40.00\n"
        "完成率 98% 100% 95% 98.89% 99.05% 0.8\n"
        "一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 评分依据\n"
        "管理效能 5\n资金管理 5\n预算完成率 2 预算完成程度。 1.5\n"
        "结转结余率 3 结转结余控制。 3\n总分 5 4.5\n"
    )
    register_font()
    path = tmp_path / "typed.pdf"
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont(FONT, 10)
    for number, line in enumerate(form.splitlines()):
        canvas.drawString(50, 800 - 16 * number, line)
    canvas.showPage()
    canvas.save()
    record = extract_file(path)
    assert record["document"]["family"] == "self_evaluation_form"
    assert ("info", "text_layer_fallback") in [(i["severity"], i["code"]) for i in record["issues"]]
    expected = parse_text(form)
    assert record["budget_lines"] == classified(expected.budget_lines)
    assert [(r["level3"], r["score"]) for r in record["indicators"]] == [
        ("预算完成率", 1.5),
        ("结转结余率", 3.0),
    ]
    assert record["totals"]["total_score"] == 4.5
    assert not is_quarantined(record)
