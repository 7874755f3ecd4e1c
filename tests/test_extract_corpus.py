"""Every generated sample PDF extracts to exactly its ground truth."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from jixiao.extract.api import extract_file
from jixiao.extract.record import is_quarantined
from jixiao_devtools.samples import truth_path
from tests.generated import sample_pdfs


@pytest.fixture(scope="module")
def extracted(sample_corpus: Path) -> list[tuple[Path, dict, dict]]:
    pdfs = sample_pdfs(sample_corpus)
    return [
        (pdf, extract_file(pdf), json.loads(truth_path(pdf).read_text(encoding="utf-8")))
        for pdf in pdfs
    ]


@pytest.mark.parametrize("part", ["document", "budget_lines", "indicators", "projects", "totals"])
def test_part_equals_truth(extracted: list[tuple[Path, dict, dict]], part: str) -> None:
    for pdf, record, truth in extracted:
        if record[part] != truth[part]:
            for index, (got, want) in enumerate(zip(record[part], truth[part], strict=False)):
                assert got == want, f"{pdf.name} {part}[{index}]"
        assert record[part] == truth[part], pdf.name


def test_issues_equal_truth(extracted: list[tuple[Path, dict, dict]]) -> None:
    for pdf, record, truth in extracted:

        def key(issue: dict) -> tuple:
            return (issue["severity"], issue["code"], issue["page"])

        assert [key(i) for i in record["issues"]] == [key(i) for i in truth["issues"]], pdf.name
        for issue in record["issues"]:
            assert pdf.name in issue["message"]


def test_source_is_filled(extracted: list[tuple[Path, dict, dict]]) -> None:
    for pdf, record, truth in extracted:
        assert record["schema_version"] == 1
        assert record["source"]["path"] == str(pdf)
        assert record["source"]["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
        assert record["source"]["media_type"] == "application/pdf"
        assert record["source"]["pages"] == truth["source"]["pages"]
        assert not is_quarantined(record)


def test_record_is_json_ready(extracted: list[tuple[Path, dict, dict]]) -> None:
    for _, record, _ in extracted:
        assert json.loads(json.dumps(record, ensure_ascii=False)) == record
