"""Normalisation of printed text and numbers."""

from __future__ import annotations

import pytest

from jixiao.extract.normalize import (
    clean_text,
    compact,
    is_placeholder,
    join_lines,
    parse_number,
    parse_rate,
)


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("466,677.75", 466677.75),
        ("127208.53", 127208.53),
        ("１２７２０８．５３", 127208.53),
        (" 16.00 ", 16.0),
        ("2", 2.0),
        ("——", None),
        ("", None),
        (None, None),
        ("约6亿元", None),
        ("1,2,3", None),
    ],
)
def test_parse_number(printed: str | None, value: float | None) -> None:
    assert parse_number(printed) == value


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("98.3%", 0.983),
        ("98.57%", 0.9857),
        ("１００．０２％", 1.0002),
        ("0.997635217", 0.997635217),
        ("——", None),
        ("n/a", None),
    ],
)
def test_parse_rate(printed: str, value: float | None) -> None:
    assert parse_rate(printed) == value


def test_join_lines_joins_cjk_without_spaces_and_normalises() -> None:
    assert join_lines("部门（单位）本年度\n预算完成数") == "部门(单位)本年度预算完成数"
    assert join_lines("推动REITs\n试点") == "推动REITs试点"
    assert join_lines("Smart\nCity") == "Smart City"
    assert join_lines("  \n ") is None
    assert join_lines(None) is None


def test_placeholders_and_compact() -> None:
    assert is_placeholder("——") and is_placeholder(" ") and is_placeholder(None)
    assert not is_placeholder("0")
    assert clean_text("——") is None
    assert compact("一级\n指标 ") == "一级指标"


def test_kangxi_radicals_and_full_width_punctuation_normalise() -> None:
    from jixiao.extract.normalize import nfkc, parse_number

    # ⼀ (U+2F00) and ⽬ (U+2F6C) are Kangxi radicals some PDFs emit for 一 and 目
    assert nfkc("⼀级指标 ⽬标") == "一级指标 目标"
    assert parse_number("１２，３４５．６７") == 12345.67
