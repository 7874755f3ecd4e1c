"""Bad input never raises: it gives family ``unknown`` and one error issue with a stable code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from jixiao.extract.api import extract_file
from jixiao.extract.record import is_quarantined
from jixiao_devtools.samples.render import FONT, register_font
from tests.generated import CITY


@pytest.fixture(scope="module")
def sample_pdf(sample_corpus: Path) -> bytes:
    return (sample_corpus / CITY).read_bytes()


def _canvas_pdf(path: Path, text: str | None, encrypt: object = None) -> None:
    register_font()
    canvas = Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    if text is None:
        canvas.rect(72, 72, 400, 600, fill=1)  # a "scan": drawing only, no text layer
    else:
        canvas.setFont(FONT, 12)
        canvas.drawString(72, 700, text)
    canvas.showPage()
    canvas.save()


def _empty(path: Path, _: bytes) -> None:
    path.write_bytes(b"")


def _binary(path: Path, _: bytes) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def _text_named_pdf(path: Path, _: bytes) -> None:
    path.write_text("部门整体支出绩效自评表", encoding="utf-8")


def _truncated(path: Path, pdf: bytes) -> None:
    path.write_bytes(pdf[: len(pdf) // 2])


def _garbage(path: Path, _: bytes) -> None:
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 500)


def _encrypted(path: Path, _: bytes) -> None:
    _canvas_pdf(path, "部门整体支出绩效自评表", pdfencrypt.StandardEncryption("secret", "owner"))


def _scanned(path: Path, _: bytes) -> None:
    _canvas_pdf(path, None)


def _not_evaluation_pdf(path: Path, _: bytes) -> None:
    _canvas_pdf(path, "关于召开年度工作会议的通知")


def _not_evaluation_text(path: Path, _: bytes) -> None:
    path.write_text("关于召开年度工作会议的通知\n请各单位准时参加。\n", encoding="utf-8")


CASES: list[tuple[str, Callable[[Path, bytes], None], str]] = [
    ("empty.pdf", _empty, "empty_file"),
    ("picture.pdf", _binary, "not_a_pdf"),
    ("words.pdf", _text_named_pdf, "not_a_pdf"),
    ("half.pdf", _truncated, "corrupt_pdf"),
    ("garbage.pdf", _garbage, "corrupt_pdf"),
    ("locked.pdf", _encrypted, "encrypted_pdf"),
    ("scan.pdf", _scanned, "no_text_layer"),
    ("notice.pdf", _not_evaluation_pdf, "unrecognised_document"),
    ("notice.txt", _not_evaluation_text, "unrecognised_document"),
]


@pytest.mark.parametrize(("name", "make", "code"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_gives_error_issue(
    tmp_path: Path, sample_pdf: bytes, name: str, make: Callable[[Path, bytes], None], code: str
) -> None:
    path = tmp_path / name
    make(path, sample_pdf)
    record = extract_file(path)
    assert record["document"]["family"] == "unknown"
    assert [(i["severity"], i["code"]) for i in record["issues"]] == [("error", code)]
    assert name in record["issues"][0]["message"]
    assert "expected" in record["issues"][0]["message"]
    assert record["source"]["path"] == str(path)
    assert len(record["source"]["sha256"]) == 64
    assert record["budget_lines"] == [] and record["indicators"] == []
    assert is_quarantined(record)


def test_missing_file_gives_unreadable_file(tmp_path: Path) -> None:
    record = extract_file(tmp_path / "gone.pdf")
    assert [i["code"] for i in record["issues"]] == ["unreadable_file"]
    assert is_quarantined(record)


def test_form_without_indicator_table_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "title-only.pdf"
    _canvas_pdf(path, "部门整体支出绩效自评表（2021年度）")
    record = extract_file(path)
    assert record["document"]["family"] == "self_evaluation_form"
    assert record["document"]["fiscal_year"] == 2021
    codes = {i["code"]: i["severity"] for i in record["issues"]}
    assert codes["missing_indicator_table"] == "error"
    assert codes["missing_budget_table"] == "warning"
    assert is_quarantined(record)
