"""The project's own generated documents for tests: no ``../shared`` needed.

``build_once`` builds a folder once per test run, shared by the pytest-xdist workers; the
``sample_corpus`` fixture (tests/conftest.py) uses it for the sample corpus (what
``jixiao samples`` writes). The helpers here pick documents out of that corpus and render
what a department sends next: the same form corrected (one score lowered, the total
with it).
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao_devtools.samples import generate, truth_path
from jixiao_devtools.samples.catalog import DEPARTMENTS
from jixiao_devtools.samples.model import build_sample
from jixiao_devtools.samples.render import render
from jixiao_devtools.samples.truth import truth_record

__all__ = [
    "CITY",
    "DISTRICT",
    "REPORT",
    "build_once",
    "copy_tree",
    "generate",
    "run_folder",
    "sample_corpus_folder",
    "sample_pdfs",
    "truth",
    "write_corrected_form",
]

# Documents of the sample corpus the orchestration scenarios use (fiscal year 2021):
CITY = "2021/gz-fgw.pdf"  # 广州市发展和改革委员会: a city bureau's form
DISTRICT = "2021/panyu-kgsx.pdf"  # 番禺区: a district bureau's form, one score above its points
REPORT = "2021/liwan-kgxj-report.pdf"  # 荔湾区: a third-party evaluation report


RUN_FOLDER: Path | None = None  # set by tests/conftest.py for the whole run (run_folder)


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The folder every process of this test run sees: xdist workers' basetemps are
    siblings in it; without xdist it is the run's own basetemp."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)


def _read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    folder.chmod(0o555)


def build_once(name: str, build: Callable[[Path], object], read_only: bool = True) -> Path:
    """Given a name and ``build(folder)``, return the folder ``build`` filled, built once
    per test run: the first process to ask builds it under a file lock, the others (xdist
    workers) wait for it and reuse it. Never change it: copy it (``copy_tree``) first;
    ``read_only`` makes it so (not for warehouses, whose readers take locks beside them)."""
    if RUN_FOLDER is None:
        raise RuntimeError("tests/conftest.py sets RUN_FOLDER before any test runs")
    folder, done = RUN_FOLDER / name, RUN_FOLDER / f"{name}.done"
    with open(RUN_FOLDER / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            if folder.exists():  # a build that failed in another worker
                _writable(folder)
                shutil.rmtree(folder)
            build(folder)  # in place: a DAG run writes absolute paths into what it builds
            if read_only:
                _read_only(folder)
            done.touch()
    return folder


def sample_corpus_folder() -> Path:
    """The sample corpus, generated once per test run (the ``sample_corpus`` fixture)."""
    return build_once("sample-corpus", generate)


def copy_tree(source: Path, target: Path) -> Path:
    """Copy a folder (a read-only one from ``build_once`` too) to ``target``, writable,
    keeping modification times (discovery orders versions by them)."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    _writable(target)
    return target


def sample_pdfs(corpus: Path) -> list[Path]:
    """Given the sample corpus folder, return its PDFs (in ``<year>/<name>.pdf`` order)."""
    return sorted(corpus.rglob("*.pdf"))


def truth(pdf: Path) -> dict[str, Any]:
    """Given a sample PDF, return its ground truth (the record a perfect extractor returns)."""
    return json.loads(truth_path(pdf).read_text(encoding="utf-8"))


def write_corrected_form(form: Path, target: Path, lowered_by: str) -> dict[str, Any]:
    """Given a sample form (``<year>/<slug>.pdf`` of the corpus), write at ``target`` the
    form its department re-submits: the first indicator scored in full is lowered by
    ``lowered_by`` points, and the total with it. Return the new form's ground truth
    (not written beside it: the inbox holds only what a department sends)."""
    year, slug = int(form.parent.name), form.stem
    sample = build_sample(year, DEPARTMENTS[slug])
    cut = Decimal(lowered_by)
    index = next(i for i, leaf in enumerate(sample.management) if leaf.score == leaf.points)
    leaf = sample.management[index]
    management = list(sample.management)
    management[index] = dataclasses.replace(leaf, score=leaf.score - cut)
    corrected = dataclasses.replace(sample, management=tuple(management), total=sample.total - cut)
    target.parent.mkdir(parents=True, exist_ok=True)
    pages, leaf_pages = render(corrected, target)
    return truth_record(corrected, pages, leaf_pages, target.name)
