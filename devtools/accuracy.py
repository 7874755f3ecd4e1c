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
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.extract.api import extract_file

KINDS: tuple[str, ...] = ("metadata", "budget_lines", "indicators", "projects", "totals")
TRUTH_SUFFIX = ".truth.json"
GOLDEN_SUFFIX = ".golden.json"
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
    files: list[tuple[str, Score, dict[str, Score]]] = field(default_factory=list)

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


def _nth(rows: list[dict[str, Any]], key_fields: tuple[str, ...]) -> list[tuple]:
    return _keyed(rows, key_fields)


def golden_facts(golden: dict[str, Any]) -> dict[Fact, Any]:
    """Given a ``NAME.golden.json`` of ``../shared/corpus``, return its facts.

    Goldens carry fewer fields than records: budget lines keyed by item (initial budget,
    budget, actual), indicators by their three levels (points, score), the total score and
    grade, the points and score of 预算执行率 where the budget table carries them
    (``budget_execution``), and the leaf count and sums (``indicator_summary``).
    """
    out: dict[Fact, Any] = {}

    def put(kind: str, key: tuple[Any, ...], name: str, value: Any) -> None:
        if value is not None:
            out[(kind, key, name)] = value

    for name, value in golden["document"].items():
        put("metadata", (), name, value)
    lines = golden.get("budget_lines", [])
    for row, key in zip(lines, _nth(lines, ("item",)), strict=True):
        for name in GOLDEN_BUDGET_FIELDS:
            put("budget_lines", key, name, row.get(name))
    leaves = golden.get("indicators", [])
    for row, key in zip(leaves, _nth(leaves, ("level1", "level2", "level3")), strict=True):
        put("indicators", key, "present", True)
        for name in ("points", "score"):
            put("indicators", key, name, row.get(name))
    for name, value in golden.get("indicator_summary", {}).items():
        put("indicators", ("summary",), name, value)
    for name in ("total_score", "grade"):
        put("totals", (), name, golden.get("totals", {}).get(name))
    for name, value in golden.get("budget_execution", {}).items():
        put("totals", ("budget_execution",), name, value)
    return out


GOLDEN_BUDGET_FIELDS: tuple[str, ...] = ("initial_budget", "budget", "actual")


def record_as_golden(record: dict[str, Any]) -> dict[str, Any]:
    """Given an extraction record, return it in the shape of a corpus golden."""
    leaves = [
        {key: row.get(key) for key in ("level1", "level2", "level3", "points", "score")}
        for row in record.get("indicators", [])
    ]
    golden: dict[str, Any] = {
        "document": dict(record["document"]),
        "totals": {
            "total_score": record["totals"].get("total_score"),
            "grade": record["totals"].get("grade"),
        },
        "budget_lines": [
            {"item": row["item"], **{name: row.get(name) for name in GOLDEN_BUDGET_FIELDS}}
            for row in record.get("budget_lines", [])
        ],
        "indicators": leaves,
    }
    if leaves:
        golden["indicator_summary"] = {
            "leaf_count": len(leaves),
            "points_sum": round(sum(row["points"] or 0 for row in leaves), 4),
            "score_sum": round(sum(row["score"] or 0 for row in leaves), 4),
        }
    execution = (
        record["totals"].get("budget_execution_points"),
        record["totals"].get("budget_execution_score"),
    )
    if any(value is not None for value in execution):
        golden["budget_execution"] = {"points": execution[0], "score": execution[1]}
    return golden


def _nfkc_facts(found: dict[Fact, Any]) -> dict[Fact, Any]:
    """Given facts, return them with every string NFKC-normalised (the record's contract)."""

    def norm(value: Any) -> Any:
        return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value

    return {
        (kind, tuple(norm(part) for part in key), name): norm(value)
        for (kind, key, name), value in found.items()
    }


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, float | int) and isinstance(right, float | int):
        return math.isclose(left, right, rel_tol=0, abs_tol=FLOAT_TOLERANCE)
    return bool(left == right)


def compare(record: dict[str, Any], truth: dict[str, Any]) -> dict[str, Score]:
    """Given an extracted record and its truth, return the score of each field kind."""
    return compare_facts(facts(record), facts(truth))


def compare_golden(record: dict[str, Any], golden: dict[str, Any]) -> dict[str, Score]:
    """Given an extracted record and a corpus golden, return the score of each field kind."""
    got = _nfkc_facts(golden_facts(record_as_golden(record)))
    return compare_facts(got, _nfkc_facts(golden_facts(golden)))


def compare_facts(got: dict[Fact, Any], want: dict[Fact, Any]) -> dict[str, Score]:
    """Given extracted and expected facts, return the score of each field kind."""
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
    """Given ``X.truth.json`` or a golden (``X.golden.json``, ``X.txt.golden.json``), return
    the document it describes (``X.pdf``/``X.txt``), or None when it is not beside it."""
    if truth.name.endswith(GOLDEN_SUFFIX):
        stem = truth.name.removesuffix(GOLDEN_SUFFIX)
        candidates = [stem] if stem.endswith(DOCUMENT_SUFFIXES) else [stem + ".pdf"]
    else:
        stem = truth.name.removesuffix(TRUTH_SUFFIX)
        candidates = [stem + suffix for suffix in DOCUMENT_SUFFIXES]
    for name in candidates:
        candidate = truth.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def measure(folder: Path) -> Report:
    """Given a folder, extract every document with a truth or a golden beside it; score it."""
    report = Report()
    expected = sorted(Path(folder).rglob("*" + TRUTH_SUFFIX)) + sorted(
        Path(folder).rglob("*" + GOLDEN_SUFFIX)
    )
    for truth_file in expected:
        document = document_for(truth_file)
        if document is None:
            report.misses.append(f"{truth_file}: no document beside it")
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        family = truth["document"]["family"]
        report.documents[family] += 1
        record = dict(extract_file(document))
        is_golden = truth_file.name.endswith(GOLDEN_SUFFIX)
        scores = compare_golden(record, truth) if is_golden else compare(record, truth)
        file_score = Score()
        for kind, score in scores.items():
            report.scores[(family, kind)].add(score)
            file_score.add(score)
        report.files.append((document.name, file_score, scores))
    return report


def format_report(report: Report) -> str:
    """Given a report, return the table printed by ``jixiao accuracy``."""
    lines = [f"{'file':<40} {'facts':>6} {'right':>6} {'wrong':>6} {'missed':>6}  missed by kind"]
    for name, score, kinds in report.files:
        by_kind = ", ".join(f"{kind} {s.fn}" for kind, s in kinds.items() if s.fn)
        lines.append(
            f"{name:<40} {score.tp + score.fn:>6} {score.tp:>6} {score.fp:>6} {score.fn:>6}"
            f"  {by_kind}"
        )
    lines.append("")
    lines.append(
        f"{'family':<24} {'kind':<13} {'docs':>4} {'facts':>6} {'precision':>9} {'recall':>7}"
    )
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
