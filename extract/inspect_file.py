"""``jixiao inspect FILE``: what extraction recognised in one file, step by step, for a person.

Family and the evidence for it; how the file was read; each table with its page and its
header cells mapped to fields (and the ones left unmapped); the level alignment found;
the fields not found; and the issues. A data engineer reads this when a new template
does not load as expected (see docs/extraction.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.extract.api import Evidence, extract_with_evidence
from jixiao.extract.record import Record
from jixiao.extract.vocabulary import AMOUNT_UNITS, RECORD_UNIT

DOCUMENT_FIELDS: tuple[str, ...] = (
    "department",
    "fiscal_year",
    "admin_level",
    "district",
    "unit_count",
)


def inspect_file(path: str | Path) -> dict[str, Any]:
    """Given a file, return what was recognised in it as a JSON-ready dict."""
    record, evidence = extract_with_evidence(path)
    return inspection(record, evidence)


def _unit(unit: str | None, seen: list[str]) -> str:
    """Given the unit a budget table states and every unit seen, say how its amounts were
    read."""
    if len(seen) > 1:
        return f"unclear: {' and '.join(seen)} stated; amounts kept as printed"
    if unit is None:
        return f"none stated; amounts read as {RECORD_UNIT}"
    if unit == RECORD_UNIT:
        return f"{unit} (as printed)"
    return f"{unit}, converted to {RECORD_UNIT} (× {AMOUNT_UNITS[unit]:g})"


def _headers(evidence: Evidence) -> list[dict[str, Any]]:
    form = evidence.form
    if form is None or form.indicators is None:
        return []
    return [
        {
            "page": header.page,
            "ruled": header.ruled,
            "columns": [
                {"header": column.header, "field": _field_name(column.field, column.level)}
                for column in header.columns
            ],
            "unmapped": list(header.unmapped),
        }
        for header in form.indicators.headers
    ]


def _field_name(field: str, level: int) -> str:
    return f"level {level}" if field == "level" else field


def _not_found(record: Record) -> list[str]:
    document = record["document"]
    missing = [
        f"document.{name}"
        for name in DOCUMENT_FIELDS
        if document[name] is None  # type: ignore[literal-required]
        and not (name == "district" and document["admin_level"] == "city")
    ]
    if not record["budget_lines"]:
        missing.append("budget_lines")
    if not record["indicators"]:
        missing.append("indicators")
    for name in ("total_score", "grade"):
        if record["totals"][name] is None:  # type: ignore[literal-required]
            missing.append(f"totals.{name}")
    return missing


def inspection(record: Record, evidence: Evidence) -> dict[str, Any]:
    """Given a record and how it was read, return the inspection report."""
    form = evidence.form
    budget = form.budget if form is not None else None
    table = form.indicators if form is not None else None
    leaves = record["indicators"]
    return {
        "file": record["source"]["path"],
        "pages": record["source"]["pages"],
        "media_type": record["source"]["media_type"],
        "family": record["document"]["family"],
        "family_evidence": evidence.family_evidence,
        "read_by": evidence.reader,
        "document": record["document"],
        "ocr": _ocr(record, evidence),
        "department_label": form.department_label if form is not None else None,
        "budget_table": None
        if budget is None
        else {
            "page": budget.page,
            "orientation": budget.orientation,
            "headers": budget.headers,
            "unmapped": budget.unmapped,
            "lines": len(budget.lines),
            "unit": budget.unit,
            "units_seen": budget.units_seen,
            "execution_points": budget.execution_points,
            "execution_score": budget.execution_score,
        },
        "indicator_table": None
        if table is None
        else {
            "headers": _headers(evidence),
            "level_alignment": {f"level {k}": v for k, v in sorted(table.alignments.items())},
            "notes": table.notes,
        },
        "indicators": {
            "leaves": len(leaves),
            "pages": sorted({row["page"] for row in leaves if row["page"] is not None}),
            "points_sum": round(sum(row["points"] or 0 for row in leaves), 4),
            "score_sum": round(sum(row["score"] or 0 for row in leaves), 4),
        },
        "budget_lines": len(record["budget_lines"]),
        "projects": len(record["projects"]),
        "totals": record["totals"],
        "not_found": _not_found(record),
        "issues": record["issues"],
    }


def _ocr(record: Record, evidence: Evidence) -> dict[str, Any] | None:
    """Return how the scanned pages were read: per page its turn, seal ink, words and their
    confidence; the numbers traced to OCR words (``record["ocr_values"]``) by confidence."""
    if not evidence.scanned:
        return None
    values = sorted(record.get("ocr_values", []), key=lambda value: value["confidence"])
    return {
        "pages": [
            {
                "page": page.layout.number,
                "turned_degrees": round(page.skew_degrees, 2),
                "quarter_turns": page.quarter_turns,
                "seal_pixels_removed": page.seal_pixels,
                "seal_lines_dropped": page.dropped_lines,
                "words": len(page.layout.words),
                "rules": len(page.layout.rules),
                "lowest_confidence": min(
                    (word.confidence or 0.0 for word in page.layout.words), default=None
                ),
                "seconds": round(page.seconds, 1),
            }
            for page in evidence.scanned
        ],
        "numbers_traced": len(values),
        "least_sure": values[:5],
    }


def _value(value: Any) -> str:
    return "—" if value is None else str(value)


def format_inspection(report: dict[str, Any]) -> str:
    """Given an inspection report, return it as text for a terminal."""
    out = [
        f"{report['file']}  ({_value(report['pages'])} page(s), {report['media_type']})",
        f"family       {report['family']}",
    ]
    out.extend(f"  because    {reason}" for reason in report["family_evidence"] or ["nothing"])
    out.append(f"read by      {_value(report['read_by'])}")
    document = report["document"]
    label = report["department_label"]
    out.append(
        "document     "
        + f"department {_value(document['department'])}"
        + (f" (beside {label})" if label else "")
        + f" · year {_value(document['fiscal_year'])}"
        + f" · {_value(document['admin_level'])} {_value(document['district'])}"
        + f" · units {_value(document['unit_count'])}"
    )
    ocr = report.get("ocr")
    if ocr is not None:
        for page in ocr["pages"]:
            out.append(
                f"OCR p.{page['page']}     "
                + (f"stood up ({page['quarter_turns'] * 90}°) · " if page["quarter_turns"] else "")
                + f"turned {page['turned_degrees']}° back · "
                f"{page['words']} words (lowest confidence {_value(page['lowest_confidence'])})"
                f" · {page['rules']} rules from pixels · seal: {page['seal_pixels_removed']} px "
                f"removed, {page['seal_lines_dropped']} line(s) dropped · {page['seconds']} s"
            )
        out.append(f"  numbers    {ocr['numbers_traced']} traced to OCR words; least sure:")
        out.extend(
            f"    {value['confidence']:.2f} p.{value['page']} {value['field']} = {value['text']}"
            for value in ocr["least_sure"]
        )
    budget = report["budget_table"]
    if budget is not None:
        out.append(
            f"budget table p.{budget['page']} ({budget['orientation']}): {budget['lines']} line(s)"
        )
        out.append("  header     " + " | ".join(budget["headers"]))
        out.append("  unit       " + _unit(budget["unit"], budget["units_seen"]))
        out.extend(f"  unmapped   {text}" for text in budget["unmapped"])
        if budget["execution_points"] is not None:
            out.append(
                f"  预算执行率  points {budget['execution_points']}, "
                f"score {_value(budget['execution_score'])}"
            )
    table = report["indicator_table"]
    if table is not None:
        for header in table["headers"]:
            kind = "ruled" if header["ruled"] else "columns rebuilt from alignment"
            cells = " | ".join(f"{c['header']}→{c['field']}" for c in header["columns"])
            out.append(f"indicator header p.{header['page']} ({kind}): {cells}")
            if header["unmapped"]:
                out.append("  unmapped   " + ", ".join(header["unmapped"]))
        for level, alignment in table["level_alignment"].items():
            out.append(f"  {level} names are printed at the {alignment} of their rows")
        out.extend(f"  note       {note}" for note in table["notes"])
    leaves = report["indicators"]
    out.append(
        f"indicators   {leaves['leaves']} leaf row(s) on page(s) "
        f"{', '.join(map(str, leaves['pages'])) or '—'}; points {leaves['points_sum']}, "
        f"scores {leaves['score_sum']}"
    )
    totals = report["totals"]
    out.append(
        f"totals       总分 {_value(totals['total_score'])} · grade {_value(totals['grade'])}"
        + (
            f" · 预算执行率 {totals['budget_execution_score']}/{totals['budget_execution_points']}"
            if totals.get("budget_execution_points") is not None
            else ""
        )
    )
    out.append(
        f"also         {report['budget_lines']} budget line(s), {report['projects']} project(s)"
    )
    out.append("not found    " + (", ".join(report["not_found"]) or "nothing"))
    if report["issues"]:
        out.append("issues")
        for item in report["issues"]:
            page = f" p.{item['page']}" if item["page"] is not None else ""
            out.append(f"  {item['severity']:<8} {item['code']}{page}: {item['message']}")
    else:
        out.append("issues       none")
    return "\n".join(out)
