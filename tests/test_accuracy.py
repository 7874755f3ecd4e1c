"""The accuracy harness: 100% on the generated corpus, and counts that mean what they say."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao_devtools.accuracy import KINDS, compare, format_report, measure
from jixiao_devtools.samples import truth_path


@pytest.fixture(scope="module")
def corpus(sample_corpus: Path) -> Path:
    return sample_corpus


def test_generated_corpus_scores_100_percent(corpus: Path) -> None:
    report = measure(corpus)
    assert set(report.documents) == {
        "self_evaluation_form",
        "evaluation_report",
        "self_evaluation_report",
    }
    for family in report.documents:
        for kind in KINDS:
            score = report.total(family, kind)
            assert (score.precision, score.recall, score.fp, score.fn) == (1.0, 1.0, 0, 0), (
                family,
                kind,
            )
    assert report.total().tp > 4000


def test_cli_prints_precision_and_recall(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["accuracy", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "recall" in out
    assert out.splitlines()[-1].split()[-2:] == ["1.0000", "1.0000"]


def test_a_wrong_value_is_one_false_positive_and_one_false_negative(corpus: Path) -> None:
    pdf = next(corpus.rglob("*-report.pdf"))
    truth = json.loads(truth_path(pdf).read_text(encoding="utf-8"))
    record = copy.deepcopy(truth)
    record["projects"][0]["actual"] += 1
    del record["indicators"][0]
    scores = compare(record, truth)
    assert (scores["projects"].fp, scores["projects"].fn) == (1, 1)
    assert scores["indicators"].fp == 0 and scores["indicators"].fn > 0
    assert scores["indicators"].recall < 1.0 and scores["indicators"].precision == 1.0
    assert scores["metadata"].fp == scores["metadata"].fn == 0


def test_format_lists_every_family_and_kind(corpus: Path) -> None:
    text = format_report(measure(corpus))
    for kind in KINDS:
        assert kind in text
