"""How sure OCR was of each number in a record, and a flag on every doubtful one.

Readers take figures from words without caring where the words came from, so a record's
numbers are traced back to the OCR words that printed them: on the value's page, a word
whose number equals the value (``95``, ``95分``, ``1,234.50``, ``95%`` for a rate of
0.95). Each traced value keeps the word's confidence in ``record["ocr_values"]``; below
the threshold (``JIXIAO_OCR_MIN_CONFIDENCE``) it also gets an ``ocr_low_confidence``
warning naming the file, the page, the cell (``field``) and the value read (``observed``).
A name (an indicator's, the department's) printed by a doubtful word is flagged the same
way, with the name's field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from jixiao.extract import issues as codes
from jixiao.extract.issues import issue, where
from jixiao.extract.normalize import parse_number, parse_rate
from jixiao.extract.page_words import PageLayout, Word
from jixiao.extract.record import OcrValue, Record

_UNIT = re.compile(r"(?:分|万元|元)$")
VALUE_TOLERANCE = 1e-6


def word_values(word: Word) -> list[float]:
    """Given a word, return the numbers it prints (a rate also as its fraction)."""
    text = _UNIT.sub("", word.text.replace(" ", ""))
    values: list[float] = []
    number = parse_number(text)
    if number is not None:
        values.append(number)
    if text.endswith("%"):
        rate = parse_rate(text)
        if rate is not None:
            values.append(rate)
    return values


def _numbers(
    row: Mapping[str, object], keys: tuple[str, ...], prefix: str, page: int | None
) -> Iterator[tuple[str, float, int | None]]:
    for key in keys:
        value = row.get(key)
        if isinstance(value, int | float):
            yield f"{prefix}.{key}", float(value), page


def _fields(record: Record) -> Iterator[tuple[str, float, int | None]]:
    """Yield (field, value, page) for every number of a record (``page`` None: any)."""
    for row in record["indicators"]:
        name = row["level3"] or row["level2"] or row["level1"] or "?"
        keys = ("points", "score", "level1_points", "level2_points")
        yield from _numbers(row, keys, f"indicators.{name}", row["page"])
    for line in record["budget_lines"]:
        keys = ("budget", "actual", "reported_rate", "initial_budget", "adjustment")
        prefix = f"budget_lines.{line['dimension']}.{line['item']}"
        yield from _numbers(line, keys, prefix, line["page"])
    for project in record["projects"]:
        keys = ("initial_budget", "adjustment", "adjusted_budget", "actual", "reported_rate")
        yield from _numbers(project, keys, f"projects.{project['name']}", project["page"])
    yield from _numbers(record["totals"], tuple(record["totals"]), "totals", None)


def trace(record: Record, layouts: Iterable[PageLayout]) -> list[OcrValue]:
    """Given a record and the pages OCR read, return each traced value with the lowest
    confidence among the words that print it on its page (any OCR'd page for totals)."""
    words = [
        (word, values)
        for layout in layouts
        for word in layout.words
        if word.confidence is not None and (values := word_values(word))
    ]
    traced: list[OcrValue] = []
    for field, value, page in _fields(record):
        matches = [
            word
            for word, values in words
            if (page is None or word.page == page)
            and any(abs(found - value) <= VALUE_TOLERANCE for found in values)
        ]
        if matches:
            weakest = min(matches, key=lambda word: word.confidence or 0.0)
            traced.append(
                {
                    "field": field,
                    "value": value,
                    "text": weakest.text,
                    "page": weakest.page,
                    "confidence": float(weakest.confidence or 0.0),
                }
            )
    return traced


def _names(record: Record) -> Iterator[tuple[str, str, int | None]]:
    """Yield (field, name, page) for the names a record reads: indicators, department."""
    for row in record["indicators"]:
        leaf = row["level3"] or row["level2"] or row["level1"] or "?"
        for key in ("level1", "level2", "level3"):
            if row.get(key):
                yield f"indicators.{leaf}.{key}", str(row[key]), row["page"]  # type: ignore[literal-required]
    if record["document"]["department"]:
        yield "document.department", record["document"]["department"], None


def doubtful_names(
    record: Record, layouts: Iterable[PageLayout], threshold: float
) -> list[tuple[str, str, int, float]]:
    """Given a record and its OCR'd pages, return (field, name, page, confidence) for each
    name printed by a word OCR read with less confidence than ``threshold`` (a word of two
    or more characters found inside the name, on its page)."""
    weak = [
        word
        for layout in layouts
        for word in layout.words
        if word.confidence is not None and word.confidence < threshold and len(word.text) >= 2
    ]
    found: dict[tuple[str, int | None], tuple[str, str, int, float]] = {}
    for field, name, page in _names(record):  # a group's name once, under its first leaf
        for word in weak:
            if (page is None or word.page == page) and word.text in name:
                known = found.get((name, page))
                if known is None or word.confidence < known[3]:  # type: ignore[operator]
                    field = known[0] if known else field
                    found[(name, page)] = (field, name, word.page, float(word.confidence or 0.0))
    return list(found.values())


def flag_low_confidence(
    record: Record, layouts: Iterable[PageLayout], threshold: float, name_of_file: str
) -> None:
    """Given a record read from OCR'd pages, store each value's confidence
    (``record["ocr_values"]``) and add a warning for every value below ``threshold``."""
    layouts = list(layouts)
    traced = trace(record, layouts)
    record["ocr_values"] = traced
    for value in traced:
        if value["confidence"] >= threshold:
            continue
        record["issues"].append(
            issue(
                "warning",
                codes.OCR_LOW_CONFIDENCE,
                f"{where(name_of_file, value['page'])}: OCR read {value['text']!r} for "
                f"{value['field']} with confidence {value['confidence']:.2f}, below "
                f"{threshold:.2f} (JIXIAO_OCR_MIN_CONFIDENCE); kept as read, check it "
                "against the scan",
                value["page"],
                field=value["field"],
                observed=value["value"],
            )
        )
    for field, name, page, confidence in doubtful_names(record, layouts, threshold):
        record["issues"].append(
            issue(
                "warning",
                codes.OCR_LOW_CONFIDENCE,
                f"{where(name_of_file, page)}: OCR read the name {name!r} ({field}) with "
                f"confidence {confidence:.2f}, below {threshold:.2f} "
                "(JIXIAO_OCR_MIN_CONFIDENCE); kept as read, check it against the scan",
                page,
                field=field,
            )
        )
