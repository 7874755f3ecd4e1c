"""The sample generator: deterministic, varied, and with self-consistent ground truth."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from jixiao_devtools.samples import generate, truth_path
from tests.generated import sample_pdfs


@pytest.fixture(scope="module")
def corpus(sample_corpus: Path) -> list[Path]:
    return sample_pdfs(sample_corpus)


def _truth(pdf: Path) -> dict:
    return json.loads(truth_path(pdf).read_text(encoding="utf-8"))


def test_same_bytes_on_every_run(corpus: list[Path], tmp_path: Path) -> None:
    again = sorted(generate(tmp_path))
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


def _forms(corpus: list[Path]) -> list[Path]:
    return [p for p in corpus if _truth(p)["document"]["family"] == "self_evaluation_form"]


def test_corpus_covers_families_city_districts_and_years(corpus: list[Path]) -> None:
    docs = [_truth(pdf)["document"] for pdf in corpus]
    assert 18 <= len(corpus) <= 25
    families = {doc["family"] for doc in docs}
    assert families == {"self_evaluation_form", "evaluation_report", "self_evaluation_report"}
    assert len({doc["fiscal_year"] for doc in docs}) >= 3
    assert any(doc["admin_level"] == "city" and doc["district"] is None for doc in docs)
    districts = {doc["district"] for doc in docs if doc["admin_level"] == "district"}
    assert len(districts) >= 3
    for doc in docs:
        if doc["district"]:
            assert doc["district"] in doc["department"]
    pages = [_truth(pdf)["source"]["pages"] for pdf in corpus]
    assert min(pages) >= 1 and max(pages) <= 5
    keys = [(doc["department"], doc["fiscal_year"]) for doc in docs]
    assert len(keys) == len(set(keys)), "one submission per department and year"


def test_truth_leaf_scores_add_up_to_total(corpus: list[Path]) -> None:
    for pdf in corpus:
        truth = _truth(pdf)
        if not truth["indicators"]:
            continue
        leaf_sum = sum(row["score"] for row in truth["indicators"] if row["score"] is not None)
        assert leaf_sum == pytest.approx(truth["totals"]["total_score"], abs=1e-6), pdf.name


def test_truth_points_nest_and_make_100(corpus: list[Path]) -> None:
    templates = set()
    for pdf in corpus:
        level2: dict[tuple[str, str], float] = defaultdict(float)
        level1: dict[str, float] = {}
        rows = _truth(pdf)["indicators"]
        for row in rows:
            level2[(row["level1"], row["level2"])] += row["points"]
            level1[row["level1"]] = row["level1_points"]
        for row in rows:
            assert level2[(row["level1"], row["level2"])] == row["level2_points"]
        if rows:
            assert sum(level1.values()) == 100, pdf.name
            templates.add(tuple(sorted(level1.items())))
    assert (("加减分项", 5), ("履职效能", 50), ("管理效能", 45)) in templates
    assert len(templates) >= 3  # level-1 names and weights vary between templates


def test_truth_budget_breakdowns_share_one_total(corpus: list[Path]) -> None:
    for pdf in _forms(corpus):
        truth = _truth(pdf)
        lines = truth["budget_lines"]
        assert len({line["dimension"] for line in lines}) == 3
        mismatch = any(i["code"] == "budget_dimension_mismatch" for i in truth["issues"])
        for field in ("budget", "actual"):
            if lines[0][field] is None:
                continue
            sums: dict[str, float] = defaultdict(float)
            for line in lines:
                sums[line["dimension"]] += line[field]
            spread = max(sums.values()) - min(sums.values())
            assert (spread > 1) if (mismatch and field == "budget") else (spread < 0.005)
        for line in lines:
            if line["actual"] is not None:
                assert line["reported_rate"] == pytest.approx(
                    line["actual"] / line["budget"], abs=5e-4
                )


def test_corpus_holds_the_mistakes_real_documents_contain(corpus: list[Path]) -> None:
    codes = [i["code"] for pdf in corpus for i in _truth(pdf)["issues"] if i["severity"] != "info"]
    assert sorted(codes) == [
        "budget_dimension_mismatch",
        "project_sum_mismatch",
        "score_exceeds_points",
    ]
    over = [
        row
        for pdf in corpus
        for row in _truth(pdf)["indicators"]
        if row["score"] and row["score"] > row["points"]
    ]
    assert len(over) == 1


def test_reports_carry_projects_over_pages_and_budget_only_forms_exist(
    corpus: list[Path],
) -> None:
    reports = [_truth(p) for p in corpus if _truth(p)["document"]["family"] == "evaluation_report"]
    assert reports and all(len(r["projects"]) >= 8 for r in reports)
    assert any(len({p["page"] for p in r["projects"]}) > 1 for r in reports)
    budget_only = [p for p in _forms(corpus) if _truth(p)["budget_lines"][0]["actual"] is None]
    assert budget_only


def test_corpus_holds_a_borderless_form(corpus: list[Path]) -> None:
    import pdfplumber

    flagged = [
        pdf
        for pdf in _forms(corpus)
        if any(i["code"] == "borderless_tables" for i in _truth(pdf)["issues"])
    ]
    assert len(flagged) == 1
    with pdfplumber.open(flagged[0]) as document:
        assert all(not page.lines and not page.rects for page in document.pages)


def test_generate_year_writes_count_varied_submissions(tmp_path: Path) -> None:
    from jixiao_devtools.samples import generate_year

    pdfs = generate_year(tmp_path, 2023, 21)
    assert len(pdfs) == 21
    docs = [_truth(pdf)["document"] for pdf in pdfs]
    assert {doc["fiscal_year"] for doc in docs} == {2023}
    assert len({doc["department"] for doc in docs}) == 21
    assert len({doc["family"] for doc in docs}) == 3


def test_corpus_varies_printing_styles(corpus: list[Path]) -> None:
    """Rates as percent and as bare fractions, thousands separators, blank bonus scores."""
    from jixiao.extract.pdf_tables import read_pdf

    printed = []
    for pdf in corpus:
        content = read_pdf(pdf.read_bytes(), pdf.name)
        printed += [word.text for layout in content.layouts for word in layout.words]
    assert any(cell.endswith("%") for cell in printed)
    assert any(cell.startswith("0.") and len(cell) == 11 for cell in printed)
    assert any("," in cell and cell.replace(",", "").replace(".", "").isdigit() for cell in printed)
    bonus = [
        row for pdf in corpus for row in _truth(pdf)["indicators"] if row["level1"] == "加减分项"
    ]
    assert any(row["score"] is None for row in bonus)
    assert any(row["score"] is not None for row in bonus)


def test_synthetic_departments_stay_distinct_at_city_scale() -> None:
    from jixiao.extract.metadata import department_from_title
    from jixiao_devtools.samples.year import synthetic_departments

    departments = synthetic_departments(700)
    assert len({d.name for d in departments}) == len({d.slug for d in departments}) == 700
    for department in departments[::50]:  # names read back from a report title
        title = f"{department.name}2023年部门整体支出绩效评价报告"
        assert department_from_title(title) == department.name
