"""Forms the project did not generate (../shared/corpus): spreadsheets exported to PDF by an
office suite, ruled and borderless, several templates including the national one, and
text layers, each with a golden. Marked ``shared``: skipped, saying so, where ../shared is
absent."""

from __future__ import annotations

import json

import pytest

from jixiao.cli import main
from jixiao.extract.api import extract_file
from jixiao_devtools.accuracy import measure
from tests.conftest import SHARED

CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.shared("corpus")


@pytest.fixture(scope="module")
def report():  # noqa: ANN201 - jixiao_devtools.accuracy.Report
    return measure(CORPUS)


def test_corpus_reads_at_least_98_percent_of_fields(report) -> None:  # noqa: ANN001
    overall = report.total()
    assert overall.recall >= 0.98, overall
    assert overall.precision >= 0.98, overall
    names = [name for name, _, _ in report.files]
    assert len(names) == len(list(CORPUS.glob("*.golden.json")))
    assert sum(name.endswith(".txt") for name in names) >= 3  # the text layers count too


def test_every_corpus_file_reads_at_least_95_percent(report) -> None:  # noqa: ANN001
    for name, score, _ in report.files:
        assert score.recall >= 0.95, (name, score)


def test_planted_mistakes_are_kept_as_printed_and_flagged() -> None:
    huadu = extract_file(CORPUS / "gz-2020-huadu-weijian.pdf")
    over = [i for i in huadu["issues"] if i["code"] == "score_exceeds_points"]
    assert len(over) == 1 and over[0]["page"] is not None
    leaf = next(r for r in huadu["indicators"] if r["score"] > r["points"])
    assert (leaf["points"], leaf["score"]) == (2, 2.5)  # kept, not clipped
    zengcheng = extract_file(CORPUS / "gz-2022-zengcheng-nongye.pdf")
    codes = [i["code"] for i in zengcheng["issues"]]
    assert "budget_dimension_mismatch" in codes


@pytest.mark.parametrize("stem", ["mof-2021-nanhai-renshe", "mof-2022-shenzhen-shichang"])
def test_clean_national_forms_add_up_with_their_budget_execution_points(stem: str) -> None:
    record = extract_file(CORPUS / f"{stem}.pdf")
    golden = json.loads((CORPUS / f"{stem}.golden.json").read_text(encoding="utf-8"))
    totals = record["totals"]
    assert totals["budget_execution_points"] == golden["budget_execution"]["points"]
    assert totals["budget_execution_score"] == golden["budget_execution"]["score"]
    leaves = sum(row["score"] for row in record["indicators"])
    assert leaves + totals["budget_execution_score"] == pytest.approx(totals["total_score"])
    assert not [i for i in record["issues"] if i["severity"] != "info"]


def test_accuracy_cli_prints_one_row_per_corpus_file(capsys: pytest.CaptureFixture) -> None:
    assert main(["accuracy", str(CORPUS)]) == 0
    out = capsys.readouterr().out
    for golden in CORPUS.glob("*.golden.json"):
        document = golden.name.removesuffix(".golden.json")
        assert (document if document.endswith(".txt") else document + ".pdf") in out
