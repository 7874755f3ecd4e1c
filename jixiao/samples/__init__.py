"""Deterministic sample submissions: self-evaluation forms as PDFs, each with its truth.

``generate(out_dir)`` writes ``out_dir/<year>/<slug>.pdf`` and, beside each,
``<slug>.truth.json``: the schema-v1 record a perfect extractor returns for that PDF.
The same bytes are written on every run.
"""

from __future__ import annotations

import json
from pathlib import Path

from jixiao.samples.catalog import CORPUS, DEPARTMENTS
from jixiao.samples.model import build_sample
from jixiao.samples.render import render
from jixiao.samples.truth import truth_record

TRUTH_SUFFIX = ".truth.json"

__all__ = ["TRUTH_SUFFIX", "generate", "truth_path"]


def truth_path(pdf: Path) -> Path:
    """Given a sample PDF's path, return the path of its ground-truth JSON."""
    return pdf.with_name(pdf.stem + TRUTH_SUFFIX)


def generate(out_dir: Path) -> list[Path]:
    """Given an output folder, write the sample corpus and return the PDF paths written."""
    written = []
    for year, slug in CORPUS:
        sample = build_sample(year, DEPARTMENTS[slug])
        folder = Path(out_dir) / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        pdf = folder / f"{slug}.pdf"
        pages, leaf_pages = render(sample, pdf)
        truth = truth_record(sample, pages, leaf_pages, pdf.name)
        truth_path(pdf).write_text(
            json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(pdf)
    return written
