"""Text PDFs whose pages are displayed turned (a /Rotate saved with the page, a table printed
sideways on a portrait page) are read stood up, by every reader, and say so."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2
import pytest

from jixiao.extract.api import extract_file
from jixiao.extract.page_words import text_turn
from jixiao_devtools.accuracy import compare
from tests.generated import DISTRICT, REPORT


def _turned_copy(source: Path, target: Path, degrees: int) -> Path:
    """Write ``source`` with every page displayed turned ``degrees`` clockwise."""
    pdf = pypdfium2.PdfDocument(str(source))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            page.set_rotation(degrees)
            page.close()
        pdf.save(str(target))
    finally:
        pdf.close()
    return target


def _facts_read(record: dict, source: Path) -> tuple[int, int]:
    truth = json.loads(source.with_suffix(".truth.json").read_text(encoding="utf-8"))
    scores = compare(record, truth).values()
    return sum(s.tp for s in scores), sum(s.tp + s.fn for s in scores)


def test_text_turn_is_read_from_the_characters_matrices() -> None:
    def chars(a: float, b: float, count: int) -> list[dict]:
        return [{"matrix": (a, b, -b, a, 0.0, 0.0)}] * count

    assert text_turn(chars(1, 0, 5)) == 0
    assert text_turn(chars(0, 1, 5)) == 90  # running up the page
    assert text_turn(chars(-1, 0, 5)) == 180
    assert text_turn(chars(0, -1, 5) + chars(1, 0, 2)) == 270  # most of the page
    assert text_turn([]) == 0


@pytest.mark.parametrize("degrees", [90, 180, 270])
@pytest.mark.parametrize("document", [DISTRICT, REPORT])
def test_a_document_displayed_turned_reads_like_the_upright_one(
    sample_corpus: Path, tmp_path: Path, document: str, degrees: int
) -> None:
    source = sample_corpus / document
    upright = extract_file(source)
    turned = extract_file(_turned_copy(source, tmp_path / "turned.pdf", degrees))
    right, total = _facts_read(turned, source)
    assert right == total == _facts_read(upright, source)[1]
    for part in ("document", "budget_lines", "indicators", "projects", "totals"):
        assert turned[part] == upright[part], part
    said = [i["message"] for i in turned["issues"] if i["code"] == "pages_turned"]
    assert len(said) == 1 and f"turned {(360 - degrees) % 360}°" in said[0]
    assert "pages_turned" not in [i["code"] for i in upright["issues"]]
