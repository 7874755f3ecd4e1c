"""The text-layer parser on small flattened forms (the seeds are tested separately)."""

from __future__ import annotations

from pathlib import Path

from jixiao.extract.api import extract_file
from jixiao.extract.text_layer import parse_text, split_lines

FORM = """部门整体支出绩效自评表
（２０２２年度）

单位名称 广州市天河区教育局 单位数：12个

年度部门
整体支出

按资金来源 按资金结构 按预算级次

财政拨款 其他资金 基本支出 项目支出 区本级支出 转移支付

全年预
算数

1,000.00 100.00 200.00 900.00 1,050.00 50.00

全年执行数 980.00 100.00 190.00 890.00 1,040.00 40.00

完成率 98% 100% 95% 98.89% 99.05% 0.8

一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 评分依据

管理效能 5

资金管理 3

预算完成率 2 预算完成程度。 1.5
执行率98%，扣0.5分。





一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 评分依据

管理效能 5

资金管理 3

结转结余率 1
结转结余控制。
1

采购管理 2 政府采购
执行率 2 采购执行情况。 2

一级指标 分值 二级指标 分值 三级指标 分值 年度指标值 实际完成指标值 得分/自评分

履职效能 5

（一）扩大
学位供给

5

1.新增公办学位 3 6000个 6480个 3

2.新建学校 2 8所 7所 1.5

总分 10 9
"""


def test_split_lines_counts_pages_by_blank_runs_or_form_feeds() -> None:
    assert [line.page for line in split_lines("a\n\n\nb\n\nc")] == [1, 1, 1, 2, 2, 2]
    assert [line.page for line in split_lines("a\n\fb\n\n\nc")] == [1, 2, 2, 2, 2]


def test_small_form_is_read_by_its_numbers() -> None:
    content = parse_text(FORM)
    assert content.department == "广州市天河区教育局" and content.unit_count == 12
    budget = {
        line["item"]: (line["budget"], line["actual"], line["reported_rate"])
        for line in content.budget_lines
    }
    assert budget["财政拨款"] == (1000.0, 980.0, 0.98)
    assert budget["转移支付"] == (50.0, 40.0, 0.8)
    rows = [
        (
            r["level1"],
            r["level2"],
            r["level3"],
            r["points"],
            r["score"],
            r["target"],
            r["actual"],
            r["page"],
        )
        for r in content.indicators
    ]
    assert rows == [
        ("管理效能", "资金管理", "预算完成率", 2, 1.5, None, None, 1),
        ("管理效能", "资金管理", "结转结余率", 1, 1, None, None, 2),
        ("管理效能", "采购管理", "政府采购执行率", 2, 2, None, None, 2),
        ("履职效能", "(一)扩大学位供给", "1.新增公办学位", 3, 3, "6000个", "6480个", 2),
        ("履职效能", "(一)扩大学位供给", "2.新建学校", 2, 1.5, "8所", "7所", 2),
    ]
    assert (content.total_score, content.total_points) == (9, 10)


def test_text_file_record_flags_leaf_sum(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_text(FORM.replace("总分 10 9", "总分 10 9.5"), encoding="utf-8")
    record = extract_file(path)
    assert record["document"]["fiscal_year"] == 2022
    assert record["document"]["district"] == "天河区"
    assert [(i["code"], i["severity"]) for i in record["issues"]] == [
        ("leaf_sum_mismatch", "warning")
    ]
