"""The ground truth of a sample: the schema-v1 record a perfect extractor returns for it.

Names are NFKC-normalised (as the record contract says); numbers are the floats of what
is printed. ``source`` keeps only what is known before extraction (media type, pages).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from jixiao.extract.record import totals
from jixiao.extract.vocabulary import strip_enumerator
from jixiao_devtools.samples.catalog import Department
from jixiao_devtools.samples.model import Leaf, Sample, score_text


def _text(value: str | None) -> str | None:
    if value is None or value in ("", "——"):
        return None
    return unicodedata.normalize("NFKC", value)


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _indicator(leaf: Leaf, page: int) -> dict[str, Any]:
    return {
        "level1": _text(leaf.level1),
        "level1_points": _number(leaf.level1_points),
        "level2": _text(leaf.level2),
        "level2_points": _number(leaf.level2_points),
        "level3": strip_enumerator(_text(leaf.level3)),
        "points": _number(leaf.points),
        "score": _number(leaf.score),
        "target": _text(leaf.target),
        "actual": _text(leaf.actual),
        "page": page,
    }


def _issues(sample: Sample, leaf_pages: list[int], file_name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if sample.variant.borderless:
        found.append(
            {
                "severity": "info",
                "code": "borderless_tables",
                "message": f"{file_name}: no ruling lines; cells rebuilt from positions",
                "page": None,
            }
        )
    if sample.variant.dimension_mistake:
        found.append(
            {
                "severity": "warning",
                "code": "budget_dimension_mismatch",
                "message": f"{file_name} p.1: 资金结构 budgets add up to 100 more than the "
                "other breakdowns (deliberate)",
                "page": 1,
            }
        )
    for leaf, page in zip(sample.management + sample.duties, leaf_pages, strict=True):
        if leaf.score is not None and leaf.score > leaf.points:
            found.append(
                {
                    "severity": "warning",
                    "code": "score_exceeds_points",
                    "message": (
                        f"{file_name} p.{page}: {leaf.level3} scores {score_text(leaf.score)} "
                        f"on {leaf.points} point(s) (deliberate, as in published forms)"
                    ),
                    "page": page,
                }
            )
    return found


def truth_record(
    sample: Sample, pages: int, leaf_pages: list[int], file_name: str
) -> dict[str, Any]:
    """Given a sample, its page count, each leaf's page and its file name, return the truth."""
    dept = sample.department
    leaves = sample.management + sample.duties
    return {
        **record_head("self_evaluation_form", dept, sample.year, pages, dept.units),
        "budget_lines": [
            {
                "dimension": cell.dimension,
                "item": cell.item,
                "budget": float(cell.budget),
                "actual": None if sample.variant.budget_only else float(cell.actual),
                "reported_rate": None if sample.variant.budget_only else float(cell.rate),
                "initial_budget": None,
                "adjustment": None,
                "page": 1,
                "kind": "item",  # a form's columns: parts of 资金来源, 资金结构, 预算级次
            }
            for cell in sample.budget
        ],
        "indicators": [
            _indicator(leaf, page) for leaf, page in zip(leaves, leaf_pages, strict=True)
        ],
        "projects": [],
        "totals": totals(float(sample.total)),
        "issues": _issues(sample, leaf_pages, file_name),
    }


def record_head(
    family: str, department: Department, year: int, pages: int, unit_count: int | None
) -> dict[str, Any]:
    """Given a sample's family, department, year, page count and unit count, return the
    record's ``schema_version``, ``source`` and ``document`` as a perfect extractor fills them."""
    return {
        "schema_version": 1,
        "source": {"path": None, "sha256": None, "media_type": "application/pdf", "pages": pages},
        "document": {
            "family": family,
            "department": _text(department.name),
            "fiscal_year": year,
            "admin_level": "district" if department.district else "city",
            "district": department.district,
            "unit_count": unit_count,
        },
    }


def nfkc_text(value: str | None) -> str | None:
    """Given a printed name, return it as the record holds it (NFKC; blanks and —— are None)."""
    return _text(value)
