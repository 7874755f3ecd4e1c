"""The word reader on small hand-built pages: one regression test per bug found on forms
the project did not generate (../shared/corpus), each built here from words and rules."""

from __future__ import annotations

from jixiao.extract.budget_table import read_budget_table
from jixiao.extract.columns import find_headers
from jixiao.extract.form_reader import read_form_layout
from jixiao.extract.indicator_table import is_indicator_header, read_indicator_table
from jixiao.extract.page_words import (
    PageLayout,
    Rule,
    Word,
    is_layout_text,
    layouts_of_text,
    lines_of,
)
from jixiao.extract.vocabulary import indicator_field, split_overprint, strip_list_numbers

H = 8.0  # a line's height
COLUMNS = {  # centre x of each column of a Guangzhou-style indicator table
    "一级指标": 40,
    "分值一": 80,
    "二级指标": 130,
    "分值二": 180,
    "三级指标": 250,
    "分值": 320,
    "得分": 400,
}


def word(text: str, x: float, top: float, page: int = 1) -> Word:
    """A word of `text` centred at x (8 units per character), its top at `top`."""
    width = 8.0 * len(text)
    return Word(text, x - width / 2, x + width / 2, top, top + H, page)


def header(top: float, page: int = 1) -> list[Word]:
    names = {"分值一": "分值", "分值二": "分值"}
    return [word(names.get(key, key), x, top, page) for key, x in COLUMNS.items()]


def leaf(name: str, points: str, score: str, top: float, page: int = 1) -> list[Word]:
    return [
        word(name, COLUMNS["三级指标"], top, page),
        word(points, COLUMNS["分值"], top, page),
        word(score, COLUMNS["得分"], top, page),
    ]


def page(words: list[Word], number: int = 1, rules: list[Rule] | None = None) -> PageLayout:
    return PageLayout(number, 500.0, 800.0, words, rules or [])


def centred_table(top: float = 100.0) -> list[Word]:
    """Two level-1 groups, three level-2 groups; names printed at the middle of their rows."""
    words = header(top)
    rows = [("甲一", "2", "2"), ("甲二", "3", "2.5"), ("乙一", "5", "5"), ("丙一", "4", "4")]
    y = top + 30
    for name, points, score in rows:
        words += leaf(name, points, score, y)
        y += 20
    middle = top + 30  # rows at +30, +50, +70, +90

    def name(text: str, points: str, column: str, y: float) -> list[Word]:
        return [word(text, COLUMNS[column], y), word(points, COLUMNS[f"分值{column[0]}"], y)]

    words += name("管理", "10", "一级指标", middle + 20) + name(
        "履职", "4", "一级指标", middle + 60
    )
    words += name("资金", "5", "二级指标", middle + 10) + name("采购", "5", "二级指标", middle + 40)
    words += name("任务", "4", "二级指标", middle + 60)
    words += [word("总分", COLUMNS["三级指标"], top + 120), word("14", COLUMNS["分值"], top + 120)]
    words += [word("13.5", COLUMNS["得分"], top + 120)]
    return words


def levels(layouts: list[PageLayout]) -> list[tuple]:
    table = read_indicator_table(layouts)
    assert table is not None
    return [
        (row["level1"], row["level2"], row["level3"], row["points"], row["score"])
        for row in table.indicators
    ]


def test_merged_names_printed_at_the_middle_of_their_rows_group_the_leaves() -> None:
    assert levels([page(centred_table())]) == [
        ("管理", "资金", "甲一", 2, 2),
        ("管理", "资金", "甲二", 3, 2.5),
        ("管理", "采购", "乙一", 5, 5),
        ("履职", "任务", "丙一", 4, 4),
    ]


def test_total_row_closes_the_table_and_gives_total_and_points() -> None:
    table = read_indicator_table([page(centred_table())])
    assert table is not None
    assert (table.total_score, table.total_points) == (13.5, 14)


def test_top_aligned_names_are_found_as_top_aligned() -> None:
    words = header(100)
    for index, (name, pts) in enumerate([("甲一", "2"), ("甲二", "3"), ("乙一", "5")]):
        words += leaf(name, pts, pts, 130 + 20 * index)
    words += [word("资金", COLUMNS["二级指标"], 130), word("5", COLUMNS["分值二"], 130)]
    words += [word("采购", COLUMNS["二级指标"], 170), word("5", COLUMNS["分值二"], 170)]
    words += [word("管理", COLUMNS["一级指标"], 130), word("10", COLUMNS["分值一"], 130)]
    table = read_indicator_table([page(words)])
    assert table is not None
    assert [row["level2"] for row in table.indicators] == ["资金", "资金", "采购"]
    assert table.alignments[2] == "top"


def test_a_merged_name_printed_again_above_a_repeated_header_continues_its_group() -> None:
    first = header(100)
    first += leaf("甲一", "2", "2", 130) + leaf("甲二", "2", "2", 150)
    first += [word("管理", COLUMNS["一级指标"], 160), word("6", COLUMNS["分值一"], 160)]
    first += [word("资金", COLUMNS["二级指标"], 160), word("6", COLUMNS["分值二"], 160)]
    second = [word("管理", COLUMNS["一级指标"], 30, 2), word("6", COLUMNS["分值一"], 30, 2)]
    second += header(50, 2) + leaf("甲三", "2", "1", 80, 2)
    second += [word("资金", COLUMNS["二级指标"], 50, 2)]  # printed over the repeated header
    rows = levels([page(first), page(second, 2)])
    assert rows == [
        ("管理", "资金", "甲一", 2, 2),
        ("管理", "资金", "甲二", 2, 2),
        ("管理", "资金", "甲三", 2, 1),
    ]


def test_a_header_cell_wrapped_above_and_below_its_line_names_its_column() -> None:
    words = header(100)
    words = [w for w in words if w.text != "一级指标"]
    words += [word("一级指", COLUMNS["一级指标"], 95), word("标", COLUMNS["一级指标"], 105)]
    found = find_headers(page(words), indicator_field, is_indicator_header)
    assert len(found) == 1
    assert [(c.field, c.level) for c in found[0].columns][0] == ("level", 1)


def test_a_name_printed_over_a_header_word_is_not_part_of_the_header() -> None:
    words = header(100) + [word("资产管理", COLUMNS["二级指标"], 99.6)]
    found = find_headers(page(words), indicator_field, is_indicator_header)
    assert [c.header for c in found[0].columns].count("二级指标") == 1
    assert "资产管理" in found[0].unmapped


def test_page_numbers_are_not_read_as_scores() -> None:
    words = header(100) + leaf("甲一", "2", "2", 130)
    words += [word("—", COLUMNS["分值"] - 10, 780), word("2", COLUMNS["分值"], 780)]
    words += [word("—", COLUMNS["分值"] + 10, 780)]
    table = read_indicator_table([page(words)])
    assert table is not None and len(table.indicators) == 1


def test_a_level_points_figure_wrapped_after_its_point_is_joined() -> None:
    words = header(100) + leaf("甲一", "25", "25", 130) + leaf("甲二", "25", "20", 150)
    words += [word("管理", COLUMNS["一级指标"], 140)]
    words += [word("50.", COLUMNS["分值一"], 136), word("00", COLUMNS["分值一"], 144.5)]
    table = read_indicator_table([page(words)])
    assert table is not None
    assert {row["level1_points"] for row in table.indicators} == {50.0}


def test_ruled_rows_split_level_groups_where_the_rules_run() -> None:
    words = header(100)
    words += leaf("甲一", "2", "2", 130) + leaf("甲二", "2", "2", 150) + leaf("乙一", "2", "2", 170)
    # without points, the names' places suggest 资金 = 甲一 and 采购 = 甲二 + 乙一 (both
    # centred); the rules say the 资金 cell spans 甲一 and 甲二: the rules win
    words += [word("资金", COLUMNS["二级指标"], 130), word("采购", COLUMNS["二级指标"], 155)]
    x_all = (0.0, 500.0)
    x_leaf = (210.0, 500.0)
    rules = [Rule(*x_all, 125, 125), Rule(*x_leaf, 145, 145), Rule(*x_all, 165, 165)]
    rules += [Rule(*x_all, 185, 185)]
    rules += [Rule(x, x, 90, 190) for x in (0, 60, 100, 160, 200, 290, 350, 450, 500)]
    table = read_indicator_table([page(words, rules=rules)])
    assert table is not None
    assert [row["level2"] for row in table.indicators] == ["资金", "资金", "采购"]


def test_list_numbers_are_dropped_and_an_ambiguous_one_only_in_a_numbered_list() -> None:
    assert strip_list_numbers(["1.预算完成率", "2.12345热线办结率", "3.结转结余率"]) == [
        "预算完成率",
        "12345热线办结率",
        "结转结余率",
    ]
    assert strip_list_numbers(["2.5级以上地震监测率"]) == ["2.5级以上地震监测率"]
    assert strip_list_numbers(["(一)扩大学位供给"]) == ["(一)扩大学位供给"]


def test_national_budget_table_reads_measures_as_columns_and_the_execution_points() -> None:
    y = 100.0
    columns = {"项目": 60, "年初预算数": 150, "全年预算数": 230, "全年执行数": 310}
    columns |= {"分值": 370, "执行率": 420, "得分": 470}
    words = [word(text, x, y) for text, x in columns.items()]
    rows = [
        ("年度资金总额", ["100.00", "120.00", "110.00", "10", "91.67%", "9.17"]),
        ("其中：财政拨款", ["90.00", "100.00", "95.00", "—", "95%", "—"]),
        ("其他资金", ["10.00", "20.00", "15.00", "—", "75%", "—"]),
    ]
    for index, (item, figures) in enumerate(rows, start=1):
        top = y + 20 * index
        words.append(word(item, 60, top))
        words += [word(v, x, top) for v, x in zip(figures, list(columns.values())[1:], strict=True)]
    table = read_budget_table([page(words)])
    assert table is not None
    assert [(line["dimension"], line["item"]) for line in table.lines] == [
        ("合计", "年度资金总额"),
        ("资金来源", "财政拨款"),
        ("资金来源", "其他资金"),
    ]
    assert table.lines[0]["initial_budget"] == 100.0 and table.lines[0]["actual"] == 110.0
    assert (table.execution_points, table.execution_score) == (10, 9.17)


def test_budget_table_with_measures_as_rows_reads_items_under_their_groups() -> None:
    words = [word("按资金来源", 200, 100), word("按资金结构", 360, 100)]
    items = {"财政拨款": 160, "其他资金": 240, "基本支出": 320, "项目支出": 400}
    words += [word(text, x, 115) for text, x in items.items()]
    words += [word("全年预算数", 60, 130)] + [word("50.00", x, 130) for x in items.values()]
    words += [word("全年执行数", 60, 145)] + [word("40.00", x, 145) for x in items.values()]
    words += [word("完成率", 60, 160)] + [word("80%", x, 160) for x in items.values()]
    table = read_budget_table([page(words)])
    assert table is not None
    got = [(line["dimension"], line["item"], line["reported_rate"]) for line in table.lines]
    assert got == [
        ("资金来源", "财政拨款", 0.8),
        ("资金来源", "其他资金", 0.8),
        ("资金结构", "基本支出", 0.8),
        ("资金结构", "项目支出", 0.8),
    ]


def test_department_is_read_beside_any_of_its_labels() -> None:
    words = [word("部门(单位)名称", 60, 50), word("某市某局", 200, 50)]
    words += centred_table()
    form, evidence = read_form_layout([page(words)])
    assert form.department == "某市某局"
    assert evidence.department_label == "部门(单位)名称"


def test_layout_text_becomes_words_at_their_columns() -> None:
    text = "一级指标   分值   得分\n管理        10     9\n"
    layouts = layouts_of_text(text)
    lines = lines_of(layouts[0].words)
    assert [w.text for w in lines[1].words] == ["管理", "10", "9"]
    assert lines[1].words[1].x0 == text.splitlines()[1].index("10")
    assert is_layout_text("a   b\nc   d\ne\n")
    assert not is_layout_text("一级指标\n分值\n得分\n")


def test_a_budget_row_with_one_figure_per_column_is_read_in_order_even_when_shifted() -> None:
    # a text layer packs the figures left of their headers: order decides, not position
    columns = {"项目": 60, "年初预算数": 150, "全年预算数": 230, "全年执行数": 310, "分值": 370}
    words = [word(text, x, 100) for text, x in columns.items()]
    words.append(word("年度资金总额", 60, 120))
    words += [
        word(v, x, 120)
        for v, x in zip(["100.00", "120.00", "110.00", "10"], (140, 190, 240, 290), strict=True)
    ]
    table = read_budget_table([page(words)])
    assert table is not None
    line = table.lines[0]
    assert (line["initial_budget"], line["budget"], line["actual"]) == (100.0, 120.0, 110.0)
    assert table.execution_points == 10


def test_points_printed_with_their_unit_are_figures() -> None:
    words = header(100) + leaf("甲一", "2分", "1.5分", 130) + leaf("甲二", "3分", "3分", 150)
    table = read_indicator_table([page(words)])
    assert table is not None
    assert [(row["points"], row["score"]) for row in table.indicators] == [(2, 1.5), (3, 3)]


def test_a_note_on_the_department_label_is_not_the_department() -> None:
    words = [word("单位名称(盖章)", 60, 50), word("某市某局", 200, 50)] + centred_table()
    form, _ = read_form_layout([page(words)])
    assert form.department == "某市某局"


def test_a_two_level_table_puts_its_leaves_under_level_one() -> None:
    columns = {"一级指标": 40, "权重(%)": 100, "二级指标": 180, "分值": 260, "自评得分": 330}
    words = [word(text, x, 100) for text, x in columns.items()]
    for index, (name, pts, score) in enumerate([("甲", "6", "5"), ("乙", "4", "4")]):
        top = 130 + 20 * index
        words += [word(name, 180, top), word(pts, 260, top), word(score, 330, top)]
    words += [word("产出", 40, 140), word("10", 100, 140)]
    table = read_indicator_table([page(words)])
    assert table is not None
    got = [(r["level1"], r["level1_points"], r["level2"], r["level3"]) for r in table.indicators]
    assert got == [("产出", 10, None, "甲"), ("产出", 10, None, "乙")]


def test_a_name_read_interleaved_with_a_header_word_is_split_back() -> None:
    assert split_overprint("二资级产指管标理") == ("二级指标", "资产管理")
    assert split_overprint("分4值") == ("分值", "4")
    assert split_overprint("资产管理制度") is None
