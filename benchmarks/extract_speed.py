"""Benchmark: ``jixiao extract`` against naive pdfplumber over the same generated corpus.

Naive = ``page.extract_text()`` + ``page.extract_tables()`` on every page. Both run in
this process over the same PDFs — the generated samples, then ``../shared/corpus`` (forms
exported from spreadsheets) when it is there — alternating for ``--rounds`` rounds (the best time of
each is kept: the machine is shared); pages/s of each and the ratio are printed. Then
the peak memory (max RSS) of a fresh process extracting one long report (``--big-pages``,
200 by default) is measured.

    .venv/bin/python benchmarks/extract_speed.py            # default corpus (20 PDFs)
    .venv/bin/python benchmarks/extract_speed.py --year-count 200
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pdfplumber

from jixiao.extract.api import extract_file
from jixiao_devtools.samples import generate, generate_year
from jixiao_devtools.samples.catalog import DEPARTMENTS
from jixiao_devtools.samples.report import ExecFigures, build_report, render_report

ROWS_PER_PAGE = 23  # project rows of the sample report's table on one page
SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def naive(pdf: Path) -> int:
    """Given a PDF, read every page's text and tables the naive way; return its pages."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
        return len(document.pages)


def timed(pdfs: list[Path], read) -> tuple[int, float]:  # noqa: ANN001 - a callable
    """Given PDFs and a reader returning pages, return (pages read, seconds)."""
    start = time.perf_counter()
    pages = sum(read(pdf) for pdf in pdfs)
    return pages, time.perf_counter() - start


def ours(pdf: Path) -> int:
    """Given a PDF, extract its record; return its pages."""
    return int(extract_file(pdf)["source"]["pages"] or 0)


def big_report(path: Path, pages: int) -> Path:
    """Given a path and a page count, write an evaluation report about that long."""
    sample = build_report(2021, DEPARTMENTS["liwan-kgxj"])
    template = sample.projects[0]
    projects = tuple(
        ExecFigures(
            f"{template.label}（第{n}期）", Decimal(100), Decimal(-10), Decimal(90), Decimal(80)
        )
        for n in range(1, pages * ROWS_PER_PAGE)
    )
    sample = dataclasses.replace(
        sample, projects=projects, project_total_actual=Decimal(80) * len(projects)
    )
    drawn = render_report(sample, path)
    print(f"big report: {drawn['pages']} pages")
    return path


def peak_memory_mb(pdf: Path) -> float:
    """Given a PDF, extract it in a fresh process and return that process's peak RSS (MB)."""
    code = (
        "import resource, sys; from jixiao.extract.api import extract_file; "
        "extract_file(sys.argv[1]); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def compare(label: str, pdfs: list[Path], rounds: int) -> None:
    """Given PDFs, time naive pdfplumber and jixiao over them, alternating; print both."""
    naive_runs, our_runs = [], []
    for _ in range(rounds):  # alternate, keep the best: the machine is shared
        naive_runs.append(timed(pdfs, naive))
        our_runs.append(timed(pdfs, ours))
    naive_pages, naive_s = min(naive_runs, key=lambda run: run[1])
    our_pages, our_s = min(our_runs, key=lambda run: run[1])
    print(f"{label}: {len(pdfs)} PDFs, {naive_pages} pages")
    print(f"  naive pdfplumber : {naive_pages / naive_s:8.1f} pages/s ({naive_s:.2f} s)")
    print(f"  jixiao extract   : {our_pages / our_s:8.1f} pages/s ({our_s:.2f} s)")
    print(f"  ratio (ours/naive): {naive_s / our_s:.2f}x")


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year-count", type=int, default=0, help="use generate_year(N)")
    parser.add_argument("--big-pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; best kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.year_count:
            pdfs = generate_year(folder / "corpus", 2023, args.year_count)
        else:
            pdfs = generate(folder / "corpus")
        corpora = [("generated samples", pdfs)]
        shared = sorted(SHARED_CORPUS.glob("*.pdf"))
        if shared:
            corpora.append(("../shared/corpus (spreadsheet exports)", shared))
        for label, files in corpora:
            compare(label, files, args.rounds)
        if args.big_pages:
            big = big_report(folder / "big.pdf", args.big_pages)
            print(f"peak memory extracting it: {peak_memory_mb(big):.0f} MB (max RSS)")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"benchmark process max RSS: {own:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
