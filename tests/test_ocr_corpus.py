"""Scans of forms the project did not make (../shared/corpus): a ruled Guangzhou form in
greyscale at 200 dpi with a seal over its table, and a borderless national form in colour
at 150 dpi; each read by OCR against its golden. Marked ``shared``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.extract.api import extract_with_evidence
from jixiao_devtools.accuracy import compare_golden
from tests.conftest import SHARED
from tests.scan_maker import ScanStyle, scan_pdf

CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.shared("corpus")
CASES = {
    "gz-2020-huadu-weijian": ScanStyle(dpi=200, degrees=0.7),
    "mof-2021-nanhai-renshe": ScanStyle(dpi=150, degrees=-0.9, colour=True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_scanned_corpus_form_reads_95_percent_of_its_golden(name: str, tmp_path: Path) -> None:
    scan = scan_pdf(CORPUS / f"{name}.pdf", tmp_path / f"{name}.pdf", CASES[name])
    record, evidence = extract_with_evidence(scan)
    golden = json.loads((CORPUS / f"{name}.golden.json").read_text("utf-8"))
    scores = compare_golden(record, golden).values()
    right = sum(score.tp for score in scores)
    wanted = sum(score.tp + score.fn for score in scores)
    assert right / wanted >= 0.95, (right, wanted, record["issues"])
    assert record["source"]["ocr"] is True
    assert len(evidence.scanned) == golden["pages"]
