"""Deterministic sample submissions of all three families, each with its ground truth.

``generate(out_dir)`` writes ``out_dir/<year>/<slug>.pdf`` (forms), ``<slug>-report.pdf``
(third-party evaluation reports) and ``<slug>-narrative.pdf`` (narrative self-evaluation
reports) and, beside each, ``<name>.truth.json``: the schema-v1 record a perfect
extractor returns for that PDF. The same bytes are written on every run.
``generate_year(out_dir, year, count)`` writes ``count`` varied submissions for one year
(for benchmarks at a city's scale).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jixiao_devtools.samples.catalog import (
    CORPUS,
    DEPARTMENTS,
    FORM_VARIANTS,
    NARRATIVES,
    REPORTS,
    Department,
)
from jixiao_devtools.samples.model import DEFAULT_VARIANT, Variant, build_sample
from jixiao_devtools.samples.narrative import build_narrative, narrative_truth, render_narrative
from jixiao_devtools.samples.render import render
from jixiao_devtools.samples.report import build_report, render_report, report_truth
from jixiao_devtools.samples.truth import truth_record
from jixiao_devtools.samples.year import synthetic_departments

TRUTH_SUFFIX = ".truth.json"

__all__ = ["TRUTH_SUFFIX", "generate", "generate_year", "truth_path"]


def truth_path(pdf: Path) -> Path:
    """Given a sample PDF's path, return the path of its ground-truth JSON."""
    return pdf.with_name(pdf.stem + TRUTH_SUFFIX)


def _write_truth(pdf: Path, truth: dict[str, Any]) -> None:
    truth_path(pdf).write_text(
        json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _folder(out_dir: Path, year: int) -> Path:
    folder = Path(out_dir) / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_form(
    out_dir: Path, year: int, department: Department, variant: Variant = DEFAULT_VARIANT
) -> Path:
    """Given a folder, year, department and variant, write one form PDF and its truth."""
    sample = build_sample(year, department, variant)
    pdf = _folder(out_dir, year) / f"{department.slug}.pdf"
    pages, leaf_pages = render(sample, pdf)
    _write_truth(pdf, truth_record(sample, pages, leaf_pages, pdf.name))
    return pdf


def write_report(out_dir: Path, year: int, department: Department, mistake: bool) -> Path:
    """Given a folder, year and department, write one evaluation report PDF and its truth."""
    sample = build_report(year, department, mistake)
    pdf = _folder(out_dir, year) / f"{department.slug}-report.pdf"
    drawn = render_report(sample, pdf)
    _write_truth(pdf, report_truth(sample, drawn, pdf.name))
    return pdf


def write_narrative(out_dir: Path, year: int, department: Department) -> Path:
    """Given a folder, year and department, write one narrative report PDF and its truth."""
    sample = build_narrative(year, department)
    pdf = _folder(out_dir, year) / f"{department.slug}-narrative.pdf"
    drawn = render_narrative(sample, pdf)
    _write_truth(pdf, narrative_truth(sample, drawn))
    return pdf


def generate(out_dir: Path) -> list[Path]:
    """Given an output folder, write the sample corpus and return the PDF paths written."""
    written = [write_form(out_dir, year, DEPARTMENTS[slug]) for year, slug in CORPUS]
    for year, slug, template, budget_only, borderless, mistake in FORM_VARIANTS:
        variant = Variant(template, budget_only, borderless, mistake)
        written.append(write_form(out_dir, year, DEPARTMENTS[slug], variant))
    for year, slug, mistake in REPORTS:
        written.append(write_report(out_dir, year, DEPARTMENTS[slug], mistake))
    for year, slug in NARRATIVES:
        written.append(write_narrative(out_dir, year, DEPARTMENTS[slug]))
    return written


def generate_year(out_dir: Path, year: int, count: int) -> list[Path]:
    """Given a folder, a fiscal year and a count, write ``count`` varied submissions.

    Departments are synthetic (city bureaus and district bureaus of Guangzhou); about 70%
    are forms (every fifth of the 2020 template, every seventh budget-only), 15% third-party
    evaluation reports and 15% narrative reports.
    """
    written = []
    for index, department in enumerate(synthetic_departments(count)):
        kind = index % 20
        if kind in (3, 10, 17):
            written.append(write_report(out_dir, year, department, mistake=index % 40 == 3))
        elif kind in (6, 13, 19):
            written.append(write_narrative(out_dir, year, department))
        else:
            variant = Variant(
                template="2020" if index % 5 == 4 else "2021",
                budget_only=index % 7 == 5,
            )
            written.append(write_form(out_dir, year, department, variant))
    return written
