"""The sample generator: deterministic, varied, and with self-consistent ground truth."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from jixiao.samples import generate, truth_path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("samples"))


def _truth(pdf: Path) -> dict:
    return json.loads(truth_path(pdf).read_text(encoding="utf-8"))


def test_same_bytes_on_every_run(corpus: list[Path], tmp_path: Path) -> None:
    again = generate(tmp_path)
    assert [p.relative_to(tmp_path) for p in again] == [
        p.relative_to(corpus[0].parents[1]) for p in corpus
    ]
    for first, second in zip(corpus, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
        assert truth_path(first).read_bytes() == truth_path(second).read_bytes()


def test_layout_is_year_folder_slug_pdf_with_truth_beside(corpus: list[Path]) -> None:
    for pdf in corpus:
        assert pdf.suffix == ".pdf"
        assert pdf.parent.name == str(_truth(pdf)["document"]["fiscal_year"])
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert truth_path(pdf).is_file()


def test_corpus_covers_city_districts_and_years(corpus: list[Path]) -> None:
    docs = [_truth(pdf)["document"] for pdf in corpus]
    assert 12 <= len(corpus) <= 16
    assert len({doc["fiscal_year"] for doc in docs}) >= 2
    assert any(doc["admin_level"] == "city" and doc["district"] is None for doc in docs)
    districts = {doc["district"] for doc in docs if doc["admin_level"] == "district"}
    assert len(districts) >= 3
    for doc in docs:
        if doc["district"]:
            assert doc["district"] in doc["department"]
    pages = [_truth(pdf)["source"]["pages"] for pdf in corpus]
    assert min(pages) >= 2 and max(pages) <= 4


def test_truth_leaf_scores_add_up_to_total(corpus: list[Path]) -> None:
    for pdf in corpus:
        truth = _truth(pdf)
        leaf_sum = sum(row["score"] for row in truth["indicators"] if row["score"] is not None)
        assert leaf_sum == pytest.approx(truth["totals"]["total_score"], abs=1e-6), pdf.name


def test_truth_points_nest_and_make_100(corpus: list[Path]) -> None:
    for pdf in corpus:
        level2: dict[tuple[str, str], float] = defaultdict(float)
        level1: dict[str, float] = {}
        for row in _truth(pdf)["indicators"]:
            level2[(row["level1"], row["level2"])] += row["points"]
            level1[row["level1"]] = row["level1_points"]
        for row in _truth(pdf)["indicators"]:
            assert level2[(row["level1"], row["level2"])] == row["level2_points"]
        assert sum(level1.values()) == 100
        assert level1 == {"管理效能": 45, "履职效能": 50, "加减分项": 5}


def test_truth_budget_breakdowns_share_one_total(corpus: list[Path]) -> None:
    for pdf in corpus:
        lines = _truth(pdf)["budget_lines"]
        assert {line["dimension"] for line in lines} == {"资金来源", "资金结构", "预算级次"}
        for field in ("budget", "actual"):
            sums = defaultdict(float)
            for line in lines:
                sums[line["dimension"]] += line[field]
            assert max(sums.values()) - min(sums.values()) < 0.005, pdf.name
        for line in lines:
            assert line["reported_rate"] == pytest.approx(line["actual"] / line["budget"], abs=5e-4)


def test_exactly_one_sample_carries_the_deliberate_mistake(corpus: list[Path]) -> None:
    flagged = [pdf for pdf in corpus if _truth(pdf)["issues"]]
    assert len(flagged) == 1
    truth = _truth(flagged[0])
    assert [issue["code"] for issue in truth["issues"]] == ["score_exceeds_points"]
    over = [row for row in truth["indicators"] if row["score"] and row["score"] > row["points"]]
    assert len(over) == 1 and over[0]["page"] == truth["issues"][0]["page"]


def test_corpus_varies_printing_styles(corpus: list[Path]) -> None:
    """Rates as percent and as bare fractions, thousands separators, blank bonus scores."""
    from extract.pdf_tables import read_pdf

    printed = []
    for pdf in corpus:
        content = read_pdf(pdf.read_bytes(), pdf.name)
        printed += [cell for row in content.rows for cell in row.cells if cell]
    assert any(cell.endswith("%") for cell in printed)
    assert any(cell.startswith("0.") and len(cell) == 11 for cell in printed)
    assert any("," in cell and cell.replace(",", "").replace(".", "").isdigit() for cell in printed)
    bonus = [
        row for pdf in corpus for row in _truth(pdf)["indicators"] if row["level1"] == "加减分项"
    ]
    assert any(row["score"] is None for row in bonus)
    assert any(row["score"] is not None for row in bonus)
