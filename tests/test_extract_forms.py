"""Indicator tables of ruled cells (third-party reports): found by header labels, merged
cells filled, pages stitched."""

from __future__ import annotations

from jixiao.extract.forms import FormContent, find_indicators, header_columns
from jixiao.extract.pdf_tables import TableRow

HEADER = (
    "一级\n指标",
    "分值",
    "二级指标",
    "分值",
    "三级指标",
    "分值",
    "指标解释",
    "得分/\n自评分",
    "评分依据",
)


def _rows(page: int, table: int, *rows: tuple) -> list[TableRow]:
    return [TableRow(page, table, tuple(cells)) for cells in rows]


def parse_rows(rows: list[TableRow]) -> FormContent:
    content = FormContent()
    find_indicators(rows, content)
    return content


def test_header_columns_follow_labels_not_positions() -> None:
    shuffled = (
        "三级指标",
        "分值",
        "得分",
        "一级指标",
        "分值",
        "二级指标",
        "分值",
        "年度指标值",
        "实际完成值",
    )
    columns = header_columns(shuffled)
    assert columns == {
        "level3": 0,
        "points": 1,
        "score": 2,
        "level1": 3,
        "level1_points": 4,
        "level2": 5,
        "level2_points": 6,
        "target": 7,
        "actual": 8,
    }
    assert header_columns(("单位名称", "某局", "单位数：6")) is None


def test_merged_cells_are_filled_and_repeated_headers_stitch_pages() -> None:
    rows = _rows(
        1,
        1,
        HEADER,
        (
            "管理效能",
            "45",
            "资金管理",
            "16",
            "预算完成率",
            "2",
            "部门（单位）\n预算完成程度",
            "1.97",
            "",
        ),
        (None, None, None, None, "部门预算编制\n情况", "3", "……", "3", ""),
    )
    rows += _rows(
        2,
        2,
        HEADER,  # repeated at the top of the next page
        ("", "", "", "", "结转结余率", "2", "……", "2", "据实计算"),  # labels left blank
        (None, None, "采购管理", "2", "政府采购执行率", "2", "……", "1.5", ""),
        ("总分", "100", "", None, None, None, None, "8.47", ""),
    )
    content = parse_rows(rows)
    got = [
        (
            r["level1"],
            r["level1_points"],
            r["level2"],
            r["level2_points"],
            r["level3"],
            r["points"],
            r["score"],
            r["page"],
        )
        for r in content.indicators
    ]
    assert got == [
        ("管理效能", 45, "资金管理", 16, "预算完成率", 2, 1.97, 1),
        ("管理效能", 45, "资金管理", 16, "部门预算编制情况", 3, 3, 1),
        ("管理效能", 45, "资金管理", 16, "结转结余率", 2, 2, 2),
        ("管理效能", 45, "采购管理", 2, "政府采购执行率", 2, 1.5, 2),
    ]
    assert (content.total_score, content.total_points, content.total_page) == (8.47, 100, 2)
    assert content.skipped_pages == []


def test_rows_that_fit_no_header_are_reported() -> None:
    rows = _rows(
        1, 1, HEADER, ("管理效能", "45", "资金管理", "16", "预算完成率", "2", "…", "2", "")
    )
    rows += _rows(2, 2, ("结转结余率", "2", "2"))
    assert parse_rows(rows).skipped_pages == [2]
