"""The extraction record, schema v1: the contract between extraction and loading.

One record per input file. Amounts stay in 万元 as printed, rates are fractions,
absent values are ``None``; every value keeps the page it was read from.
See ``docs/architecture.md`` and DESIGN.md for the field meanings.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

SCHEMA_VERSION = 1

Family = Literal["self_evaluation_form", "self_evaluation_report", "evaluation_report", "unknown"]
FAMILIES: tuple[str, ...] = (
    "self_evaluation_form",
    "self_evaluation_report",
    "evaluation_report",
    "unknown",
)
Severity = Literal["error", "warning", "info"]


class Source(TypedDict):
    path: str
    sha256: str
    media_type: str
    pages: int | None
    ocr: NotRequired[bool]  # True when a page was read by OCR (absent in older records: False)


class Document(TypedDict):
    family: str
    department: str | None
    fiscal_year: int | None
    admin_level: str | None  # "city" | "district" | None
    district: str | None  # "番禺区" …; None at city level
    unit_count: int | None


class BudgetLine(TypedDict):
    dimension: str  # 资金来源 | 资金结构 | 预算级次 | 合计 …
    item: str
    budget: float | None
    actual: float | None
    reported_rate: float | None
    initial_budget: float | None
    adjustment: float | None
    page: int | None
    # total | dimension_total | subtotal | detail | item
    # (jixiao.extract.vocabulary.budget_line_kind)
    kind: NotRequired[str]


class Indicator(TypedDict):
    level1: str | None
    level1_points: float | None
    level2: str | None
    level2_points: float | None
    level3: str | None
    points: float | None
    score: float | None
    target: str | None
    actual: str | None
    page: int | None


class Project(TypedDict):
    name: str
    initial_budget: float | None
    adjustment: float | None
    adjusted_budget: float | None
    actual: float | None
    reported_rate: float | None
    page: int | None


class Totals(TypedDict):
    total_score: float | None
    grade: str | None
    # national template: the 预算执行率 points and score printed in the budget table, which
    # 总分 includes beside the indicator table's leaves (null elsewhere)
    budget_execution_points: float | None
    budget_execution_score: float | None


class Issue(TypedDict):
    severity: str
    code: str
    message: str  # for a person; checks read the typed fields below, never the message
    page: int | None
    # a numeric finding: what it concerns, the value printed or read, the value expected
    field: NotRequired[str | None]
    observed: NotRequired[float | None]
    expected: NotRequired[float | None]


class OcrValue(TypedDict):
    """A number of the record read by OCR: which field, the word it came from, how sure."""

    field: str  # as in an issue's field: indicators.<name>.score, budget_lines.<dim>.<item>.actual
    value: float
    text: str  # the word as OCR read it
    page: int
    confidence: float  # 0-1, the lowest of the word's characters


class Record(TypedDict):
    schema_version: int
    source: Source
    document: Document
    budget_lines: list[BudgetLine]
    indicators: list[Indicator]
    projects: list[Project]
    totals: Totals
    issues: list[Issue]
    ocr_values: NotRequired[list[OcrValue]]  # only when pages were read by OCR


def totals(
    total_score: float | None = None,
    grade: str | None = None,
    execution_points: float | None = None,
    execution_score: float | None = None,
) -> Totals:
    """Given the totals read, return the record's ``totals`` (absent values null)."""
    return {
        "total_score": total_score,
        "grade": grade,
        "budget_execution_points": execution_points,
        "budget_execution_score": execution_score,
    }


def is_quarantined(record: Record) -> bool:
    """Given a record, return True when it must not be loaded as data.

    A record is quarantined when its family is unknown or any issue has severity
    ``error`` (unreadable, corrupt, not an evaluation document).
    """
    if record["document"]["family"] == "unknown":
        return True
    return any(issue["severity"] == "error" for issue in record["issues"])


def empty_record(path: str, sha256: str, media_type: str) -> Record:
    """Given a file's identity, return a record with no content (family ``unknown``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": {
            "path": path,
            "sha256": sha256,
            "media_type": media_type,
            "pages": None,
            "ocr": False,
        },
        "document": {
            "family": "unknown",
            "department": None,
            "fiscal_year": None,
            "admin_level": None,
            "district": None,
            "unit_count": None,
        },
        "budget_lines": [],
        "indicators": [],
        "projects": [],
        "totals": totals(),
        "issues": [],
    }
