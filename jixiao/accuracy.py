"""Accuracy harness: extraction measured against ground truth, field by field.

Every document ``X.pdf`` (or ``X.txt``) with a ``X.truth.json`` beside it is extracted and
both records are flattened into facts ``(kind, key, field) = value``:

- metadata: ``document.*`` (family, department, fiscal year, admin level, district, units);
- budget lines: keyed by (dimension, item), every field including its page;
- indicators: keyed by (level1, level2, level3, n-th occurrence), every field and page;
- projects: keyed by (name, n-th occurrence), every field and page;
- totals: total score and grade.

``null`` is no fact. A fact extracted with the truth's value is a true positive; an
extracted fact that differs or is not in the truth is a false positive; a truth fact not
extracted with its value is a false negative. Precision = TP / (TP + FP), recall =
TP / (TP + FN), per document family and per field kind.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.api import extract_file

KINDS: tuple[str, ...] = ("metadata", "budget_lines", "indicators", "projects", "totals")
TRUTH_SUFFIX = ".truth.json"
DOCUMENT_SUFFIXES: tuple[str, ...] = (".pdf", ".txt")
FLOAT_TOLERANCE = 1e-6

Fact = tuple[str, tuple[Any, ...], str]


@dataclass
class Score:
    """True positives, false positives and false negatives of one group of facts."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Return TP / (TP + FP), 1.0 when nothing was extracted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Return TP / (TP + FN), 1.0 when the truth holds nothing."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Report:
    """Scores per (family, kind), and the documents compared."""

    scores: dict[tuple[str, str], Score] = field(default_factory=lambda: defaultdict(Score))
    documents: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def total(self, family: str | None = None, kind: str | None = None) -> Score:
        """Return the summed score over the families and kinds given (all when None)."""
        out = Score()
        for (fam, knd), score in self.scores.items():
            if (family is None or fam == family) and (kind is None or knd == kind):
                out.add(score)
        return out


def _keyed(rows: Iterable[dict[str, Any]], key_fields: tuple[str, ...]) -> list[tuple]:
    seen: Counter[tuple] = Counter()
    out = []
    for row in rows:
        key = tuple(row.get(name) for name in key_fields)
        seen[key] += 1
        out.append((*key, seen[key]))
    return out


def facts(record: dict[str, Any]) -> dict[Fact, Any]:
    """Given a schema-v1 record (or truth), return its facts (null values left out)."""
    out: dict[Fact, Any] = {}

    def put(kind: str, key: tuple[Any, ...], name: str, value: Any) -> None:
        if value is not None:
            out[(kind, key, name)] = value

    for name, value in record["document"].items():
        put("metadata", (), name, value)
    parts = (
        ("budget_lines", ("dimension", "item")),
        ("indicators", ("level1", "level2", "level3")),
        ("projects", ("name",)),
    )
    for kind, key_fields in parts:
        rows = record.get(kind, [])
        for row, key in zip(rows, _keyed(rows, key_fields), strict=True):
            for name, value in row.items():
                if name not in key_fields:
                    put(kind, key, name, value)
            put(kind, key, "present", True)
    for name, value in record["totals"].items():
        put("totals", (), name, value)
    return out


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, float | int) and isinstance(right, float | int):
        return math.isclose(left, right, rel_tol=0, abs_tol=FLOAT_TOLERANCE)
    return bool(left == right)


def compare(record: dict[str, Any], truth: dict[str, Any]) -> dict[str, Score]:
    """Given an extracted record and its truth, return the score of each field kind."""
    got, want = facts(record), facts(truth)
    scores = {kind: Score() for kind in KINDS}
    for fact, value in got.items():
        if fact in want and _equal(value, want[fact]):
            scores[fact[0]].tp += 1
        else:
            scores[fact[0]].fp += 1
    for fact, value in want.items():
        if fact not in got or not _equal(got[fact], value):
            scores[fact[0]].fn += 1
    return scores


def document_for(truth: Path) -> Path | None:
    """Given a truth file ``X.truth.json``, return the document ``X.pdf``/``X.txt`` beside it."""
    stem = truth.name.removesuffix(TRUTH_SUFFIX)
    for suffix in DOCUMENT_SUFFIXES:
        candidate = truth.with_name(stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def measure(folder: Path) -> Report:
    """Given a folder, extract every document that has a truth beside it and score it."""
    report = Report()
    for truth_file in sorted(Path(folder).rglob("*" + TRUTH_SUFFIX)):
        document = document_for(truth_file)
        if document is None:
            report.misses.append(f"{truth_file}: no .pdf or .txt beside it")
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        family = truth["document"]["family"]
        report.documents[family] += 1
        for kind, score in compare(dict(extract_file(document)), truth).items():
            report.scores[(family, kind)].add(score)
    return report


def format_report(report: Report) -> str:
    """Given a report, return the table printed by ``jixiao accuracy``."""
    lines = [f"{'family':<24} {'kind':<13} {'docs':>4} {'facts':>6} {'precision':>9} {'recall':>7}"]
    families = sorted(report.documents)
    for family in families:
        for kind in KINDS:
            score = report.total(family, kind)
            truth_facts = score.tp + score.fn
            lines.append(
                f"{family:<24} {kind:<13} {report.documents[family]:>4} {truth_facts:>6} "
                f"{score.precision:>9.4f} {score.recall:>7.4f}"
            )
    for kind in KINDS:
        score = report.total(kind=kind)
        lines.append(
            f"{'ALL':<24} {kind:<13} {sum(report.documents.values()):>4} "
            f"{score.tp + score.fn:>6} {score.precision:>9.4f} {score.recall:>7.4f}"
        )
    overall = report.total()
    lines.append(
        f"{'ALL':<24} {'all':<13} {sum(report.documents.values()):>4} "
        f"{overall.tp + overall.fn:>6} {overall.precision:>9.4f} {overall.recall:>7.4f}"
    )
    lines.extend(f"skipped: {miss}" for miss in report.misses)
    return "\n".join(lines)
