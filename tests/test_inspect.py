"""`jixiao inspect FILE`: what was recognised, shown to a person (and as JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.cli import main
from tests.conftest import SHARED

CORPUS = SHARED / "corpus"


def test_inspect_shows_family_header_mapping_and_not_found(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    text = tmp_path / "form.txt"
    cells = [
        ("一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分"),
        ("管理", "10", "资金", "10", "预算完成率", "4", "3"),
        ("", "", "", "", "结转结余率", "6", "6"),
        ("", "", "", "", "未能读出的行", "", ""),
        ("总分", "", "", "", "", "10", "9"),
    ]
    # rows a blank line apart, as layout-preserving extraction prints padded cells
    table = "\n\n".join("".join(cell.ljust(12) for cell in row).rstrip() for row in cells)
    text.write_text("      部门整体支出绩效自评表\n单位名称    某区某局\n" + table + "\n")
    assert main(["inspect", str(text)]) == 0
    out = capsys.readouterr().out
    assert "family       self_evaluation_form" in out
    assert "三级指标→level 3" in out and "得分→score" in out
    assert "not found" in out and "budget_lines" in out
    assert "missing_budget_table" in out
    assert "partly_read" in out and "1 indicator row(s) without figures" in out
    assert main(["inspect", "--json", str(text)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["family"] == "self_evaluation_form"
    assert report["indicator_table"]["headers"][0]["columns"][0] == {
        "header": "一级指标",
        "field": "level 1",
    }
    assert report["indicators"]["leaves"] == 3  # the unread row is kept, without figures


def test_inspect_of_a_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    assert main(["inspect", "no-such-file.pdf"]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.shared("corpus")
def test_inspect_of_a_national_form_shows_its_budget_table_and_execution_points(
    capsys: pytest.CaptureFixture,
) -> None:
    assert main(["inspect", str(CORPUS / "mof-2023-xiangzhou-minzheng.pdf")]) == 0
    out = capsys.readouterr().out
    assert "measures as columns" in out
    assert "年初预算数→initial_budget" in out
    assert "预算执行率  points 10.0, score 9.67" in out
    assert "beside 部门(单位)名称" in out
