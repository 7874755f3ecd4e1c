"""Budget tables of other templates: amounts printed in another unit than 万元 are stored
in 万元, and say so; headings carrying a unit or a % sign, and sources printed without a
group, are read.

A form may print its amounts in 元, 千元 or 亿元: in its column headings (全年预算数（元）),
in the label of the table (年度部门整体支出规模（千元）, wrapped over lines), or on a line of
its own (金额单位：元). Read as 万元 they would be 10,000 times too large; the unit is read
by those words wherever they stand, the amounts are converted and the record says so. A
table stating two units is kept as printed and flagged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.extract.api import extract_file
from jixiao.extract.budget_table import read_budget_table
from jixiao.extract.page_words import PageLayout, Word
from jixiao.extract.reports import parse_report_text
from jixiao.extract.vocabulary import amount_unit_in, amount_units_in, budget_measure
from tests.test_extract_text_layer import FORM

H = 8.0


def word(text: str, x0: float, top: float) -> Word:
    return Word(text, x0, x0 + 8.0 * len(text), top, top + H, 1)


def national_page(
    headings: dict[str, str], figures: list[list[str]], above: list[Word]
) -> PageLayout:
    """A national-template budget table (measures as columns) under ``above``: a label
    column at x=10 (年度预算执行情况, wrapped), items at x=60, one column per heading."""
    xs = [150, 250, 350, 430, 480, 530]
    words = list(above)
    words.append(word("项目", 60, 100))
    words += [word(text, x, 100) for text, x in zip(headings.values(), xs, strict=False)]
    items = ["年度资金总额", "其中：财政拨款", "其他资金"]
    label = ["年度预", "算执行", "情况（", "万元）"] if "label" in headings else []
    for row, (item, values) in enumerate(zip(items, figures, strict=True)):
        top = 120.0 + 20 * row
        words.append(word(item, 60, top))
        words += [word(value, x, top) for value, x in zip(values, xs, strict=False)]
    for index, part in enumerate(label):
        words.append(word(part, 10, 112.0 + 10 * index))
    return PageLayout(1, 600.0, 800.0, words, [])


YUAN = [
    ["1000000.00", "1200000.00", "1100000.00", "10", "91.67%", "9.17"],
    ["900000.00", "1000000.00", "950000.00", "—", "95%", "—"],
    ["100000.00", "200000.00", "150000.00", "—", "75%", "—"],
]
HEADINGS = {"a": "年初预算数", "b": "全年预算数", "c": "全年执行数", "d": "分值", "e": "执行率"}
HEADINGS |= {"f": "得分"}


def amounts(table) -> list[tuple]:  # noqa: ANN001 - a BudgetTable
    return [(line["initial_budget"], line["budget"], line["actual"]) for line in table.lines]


def test_units_are_read_from_brackets_and_statements_not_from_figures() -> None:
    assert amount_unit_in("全年预算数（元）") == "元"
    assert amount_unit_in("年度部门整体支出规模（千元）") == "千元"
    assert amount_unit_in("金额单位：亿元") == "亿元"
    assert amount_unit_in("单位:万元") == "万元"
    assert amount_unit_in("资金规模（1.5亿元）") is None  # a figure, not a unit
    assert amount_unit_in("单位：元/人") is None  # a per-head unit of an indicator
    assert amount_units_in(["规模（万", "元）按资金来源 按资金结构"]) == ["万元"]
    assert amount_units_in(["规模", "金额单位：元", "按资金来源"]) == ["元"]
    assert budget_measure("全年预算数（元）") == "budget"
    assert budget_measure("执行率（%）") == "rate"


def test_headings_in_yuan_put_the_amounts_in_wan_yuan() -> None:
    headings = {key: f"{text}（元）" if key in "abc" else text for key, text in HEADINGS.items()}
    table = read_budget_table([national_page(headings, YUAN, [])])
    assert table is not None
    assert (table.unit, table.units_seen) == ("元", ["元"])
    assert amounts(table) == [(100.0, 120.0, 110.0), (90.0, 100.0, 95.0), (10.0, 20.0, 15.0)]
    assert table.lines[0]["reported_rate"] == pytest.approx(0.9167)  # rates are not amounts
    assert (table.execution_points, table.execution_score) == (10, 9.17)


def test_a_label_wrapped_in_its_cell_states_wan_yuan_and_nothing_is_converted() -> None:
    figures = [[v.replace("0000.00", ".00") for v in row] for row in YUAN]
    table = read_budget_table([national_page(HEADINGS | {"label": ""}, figures, [])])
    assert table is not None
    assert (table.unit, table.units_seen) == ("万元", ["万元"])
    assert amounts(table)[0] == (100.0, 120.0, 110.0)


def test_a_unit_line_above_the_table_counts_and_two_units_are_kept_as_printed() -> None:
    stated = [word("金额单位：千元", 400, 30)]
    table = read_budget_table([national_page(HEADINGS, YUAN, stated)])
    assert table is not None and table.unit == "千元"
    assert amounts(table)[0] == (100000.0, 120000.0, 110000.0)
    both = read_budget_table([national_page(HEADINGS | {"label": ""}, YUAN, stated)])
    assert both is not None
    assert (both.unit, both.units_seen) == (None, ["千元", "万元"])
    assert amounts(both)[0] == (1000000.0, 1200000.0, 1100000.0)  # as printed


def _in_yuan(text: str) -> str:
    """The test form with its budget figures in 元 (every amount × 10,000; rates kept)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if (
            "." in line
            and "%" not in line
            and all(
                token.replace(",", "").replace(".", "").isdigit() for token in line.split()[-6:]
            )
        ):
            head = line.split()[:-6]
            tail = [f"{float(t.replace(',', '')) * 10000:,.2f}" for t in line.split()[-6:]]
            lines[index] = " ".join(head + tail)
    return "\n".join(lines)


def test_a_text_layer_in_yuan_is_stored_in_wan_yuan_and_says_so(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text(FORM.replace("整体支出\n", "整体支出规模（万元）\n"), encoding="utf-8")
    yuan = tmp_path / "yuan.txt"
    yuan.write_text(
        _in_yuan(FORM).replace("整体支出\n", "整体支出规\n模（元）\n"), encoding="utf-8"
    )
    read, converted = extract_file(plain), extract_file(yuan)
    assert converted["budget_lines"] == read["budget_lines"]
    assert read["budget_lines"][0]["budget"] == 1000.0
    codes = [(i["code"], i["severity"]) for i in converted["issues"]]
    assert ("amounts_converted", "info") in codes
    assert "amounts_converted" not in [i["code"] for i in read["issues"]]


def test_a_text_layer_stating_two_units_is_flagged_and_kept_as_printed(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    path.write_text(
        FORM.replace("整体支出\n", "整体支出规模（万元）\n金额单位：元\n"), encoding="utf-8"
    )
    record = extract_file(path)
    assert record["budget_lines"][0]["budget"] == 1000.0
    unclear = [i for i in record["issues"] if i["code"] == "amount_unit_unclear"]
    assert [i["severity"] for i in unclear] == ["warning"]
    assert "元 and 万元" in unclear[0]["message"] or "万元 and 元" in unclear[0]["message"]


def test_a_report_table_in_yuan_is_stored_and_checked_in_wan_yuan() -> None:
    """A third-party report's project table under 单位：元: projects in 万元, and the sum
    check's typed numbers in 万元 too (the warehouse compares them with the projects)."""
    from tests.test_extract_reports import REPORT

    head, project_part = REPORT.rsplit("单位：万元", 1)
    for printed, yuan in (
        ("700.00 50.00 7.14% 750.00 610.00", "7,000,000 500,000 7.14% 7,500,000 6,100,000"),
        ("500.00 50.00 10.00% 550.00 450.00", "5,000,000 500,000 10.00% 5,500,000 4,500,000"),
        ("200.00 0.00 0.00% 200.00 150.00", "2,000,000 0 0.00% 2,000,000 1,500,000"),
    ):
        assert printed in project_part
        project_part = project_part.replace(printed, yuan)
    in_yuan = head + "单位：元" + project_part
    read, converted = parse_report_text(REPORT, "r.txt"), parse_report_text(in_yuan, "r.txt")
    assert converted.projects == read.projects
    assert converted.budget_lines == read.budget_lines
    codes = [i["code"] for i in converted.issues]
    assert codes == ["amounts_converted", "project_sum_mismatch"]
    mismatch = converted.issues[1]
    assert (mismatch["observed"], mismatch["expected"]) == (
        read.issues[0]["observed"],
        read.issues[0]["expected"],
    )


def test_narrative_figures_are_converted_by_the_unit_written_after_each(tmp_path: Path) -> None:
    path = tmp_path / "narrative.txt"
    path.write_text(
        "广州市越秀区司法局2022年度部门整体支出绩效自评报告\n\n"
        "2022年度，本部门年初预算数为0.12亿元，调整后预算数为\n"
        "11,505,000.00元，执行数为1,100.25万元，执行率为95.63%。\n",
        encoding="utf-8",
    )
    record = extract_file(path)
    (line,) = record["budget_lines"]
    assert (line["initial_budget"], line["budget"], line["actual"]) == (1200.0, 1150.5, 1100.25)
    converted = [i["message"] for i in record["issues"] if i["code"] == "amounts_converted"]
    assert len(converted) == 2 and "亿元" in converted[0] and "printed in 元" in converted[1]


def test_a_ruled_report_table_reads_the_unit_line_printed_over_it(sample_corpus: Path) -> None:
    """The PDF path: the band above a ruled table is kept with its rows (a generated report
    prints 单位：万元 there), and a table under 单位：元 is stored in 万元."""
    from jixiao.extract.execution_rows import find_row_tables
    from jixiao.extract.pdf_tables import TableRow, read_tables
    from jixiao.extract.reports import parse_report_rows

    report = next(sample_corpus.glob("*/*-report.pdf"))
    tables = find_row_tables(read_tables(report.read_bytes(), report.name).rows)
    assert [(table.kind, table.units) for table in tables] == [
        ("budget", ["万元"]),
        ("projects", ["万元"]),
    ]
    header = ("序号", "项目名称", "年初预算数", "调整金额", "调整后预算数", "支出数", "执行率")
    body = [
        ("", "合计", "7,000,000.00", "500,000.00", "7,500,000.00", "6,000,000.00", "80.00%"),
        ("1", "甲项目", "5,000,000.00", "500,000.00", "5,500,000.00", "4,500,000.00", "81.82%"),
        ("2", "乙项目", "2,000,000.00", "0.00", "2,000,000.00", "1,500,000.00", "75.00%"),
    ]
    above = "表2 项目支出资金执行情况\n单位：元"
    rows = [TableRow(3, 1, cells, above) for cells in (header, *body)]
    content = parse_report_rows(rows, "", "r.pdf")
    assert [(p["name"], p["adjusted_budget"], p["actual"]) for p in content.projects] == [
        ("甲项目", 550.0, 450.0),
        ("乙项目", 200.0, 150.0),
    ]
    assert [i["code"] for i in content.issues] == ["amounts_converted"]


def test_headings_with_a_percent_sign_and_sources_without_a_group_are_read() -> None:
    """A budget table of another province: 执行率% as a heading, and sources named without
    a 按资金来源 group (一般公共预算拨款, 财政专户管理资金 …) still fall under 资金来源."""
    from jixiao.extract.vocabulary import dimension_of

    assert budget_measure("执行率%") == budget_measure("执行率（%）") == "rate"
    for item in ("一般公共预算拨款", "政府性基金预算拨款", "财政专户管理资金", "事业收入"):
        assert dimension_of(None, item) == "资金来源", item
    assert dimension_of(None, "年度资金总额") == "合计"
    assert dimension_of("按支出性质分", "事业收入") == "资金结构"  # a printed group wins
