"""OCR engines side by side on the same scanned pages: field accuracy and seconds per page.

Scans are made here (tests/scan_maker.py) from text PDFs with known answers — the corpus
forms with their goldens (../shared/corpus) and the project's generated samples with their
truths — then read through the whole extraction path twice: once with the project's
engine (RapidOCR, models in the wheel) and once with Debian's Tesseract (`tesseract-ocr`
+ `tesseract-ocr-chi-sim`, called as a program, one thread). Only the engine differs:
rendering, straightening, rules and the table readers are the same.

    .venv/bin/python benchmarks/ocr_engines.py [--corpus ../shared/corpus] [--samples N]

Prints, per engine: fields right (of the goldens' facts), OCR CPU seconds per page on one
core, pages per second; and the ratio of Tesseract to RapidOCR in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jixiao.extract import scan_pages  # noqa: E402
from jixiao.extract.api import extract_file  # noqa: E402
from jixiao.extract.ocr_engine import OcrChar, OcrLine, recognise  # noqa: E402
from jixiao_devtools.accuracy import compare, compare_golden  # noqa: E402
from tests.scan_maker import ScanStyle, scan_pdf  # noqa: E402

CORPUS_FILES = (
    "gz-2020-huadu-weijian",  # ruled, landscape
    "gz-2021-nansha-jiaotong",  # borderless
    "mof-2021-nanhai-renshe",  # national template, borderless
)
STYLES = (
    ScanStyle(dpi=200, degrees=0.7),
    ScanStyle(dpi=150, degrees=-0.9, colour=True),
)


def tesseract_lines(grey: np.ndarray, threads: int = 1) -> list[OcrLine]:
    """Given greyscale pixels, return Tesseract's text lines (chi_sim) as OCR lines whose
    pieces are Tesseract's words with their confidences."""
    with tempfile.TemporaryDirectory() as folder:
        image = Path(folder) / "page.png"
        from PIL import Image

        Image.fromarray(grey).save(image)
        env = {**os.environ, "OMP_THREAD_LIMIT": str(threads)}
        done = subprocess.run(
            ["tesseract", str(image), "stdout", "-l", "chi_sim", "--psm", "3", "tsv"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
    lines: dict[tuple[str, str, str], list[OcrChar]] = {}
    for row in done.stdout.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or not cells[11].strip() or float(cells[10]) < 0:
            continue
        left, top, width, height = (float(v) for v in cells[6:10])
        piece = OcrChar(cells[11], float(cells[10]) / 100, left, left + width, top, top + height)
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(piece)
    found = []
    for pieces in lines.values():
        pieces.sort(key=lambda piece: piece.x0)
        x0, x1 = pieces[0].x0, pieces[-1].x1
        top, bottom = min(p.top for p in pieces), max(p.bottom for p in pieces)
        quad = [[x0, top], [x1, top], [x1, bottom], [x0, bottom]]
        text = "".join(piece.text for piece in pieces)
        found.append(OcrLine(quad, text, min(p.confidence for p in pieces), tuple(pieces)))
    return found


class Timed:
    """An engine whose calls are counted and timed (CPU seconds of this process and its
    children: Tesseract runs as a child)."""

    def __init__(self, engine: Callable[..., list[OcrLine]]) -> None:
        self.engine, self.pages, self.seconds = engine, 0, 0.0

    def __call__(self, grey: np.ndarray, threads: int = 1) -> list[OcrLine]:
        before = _cpu()
        lines = self.engine(grey, threads)
        self.seconds += _cpu() - before
        self.pages += 1
        return lines


def _cpu() -> float:
    now = os.times()
    return now.user + now.system + now.children_user + now.children_system


def _documents(corpus: Path | None, samples: int, folder: Path) -> list[tuple[Path, dict, str]]:
    """Return (scan, answer, kind) for every document scanned for the comparison."""
    docs: list[tuple[Path, dict, str]] = []
    sources: list[tuple[Path, dict, str]] = []
    if corpus is not None and corpus.is_dir():
        for name in CORPUS_FILES:
            golden = json.loads((corpus / f"{name}.golden.json").read_text("utf-8"))
            sources.append((corpus / f"{name}.pdf", golden, "golden"))
    if samples:
        from jixiao_devtools.samples import generate

        made = generate(folder / "samples")
        forms = [p for p in made if p.suffix == ".pdf" and "report" not in p.name][:samples]
        for pdf in forms:
            truth = json.loads(pdf.with_suffix(".truth.json").read_text("utf-8"))
            sources.append((pdf, truth, "truth"))
    for index, (pdf, answer, kind) in enumerate(sources):
        style = STYLES[index % len(STYLES)]
        docs.append((scan_pdf(pdf, folder / f"{index:02d}-{pdf.stem}.pdf", style), answer, kind))
    return docs


def _score(record: dict[str, Any], answer: dict, kind: str) -> tuple[int, int]:
    scores = (compare_golden if kind == "golden" else compare)(record, answer).values()
    return sum(s.tp for s in scores), sum(s.tp + s.fn for s in scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--samples", type=int, default=2, help="generated sample forms")
    args = parser.parse_args()
    os.environ["JIXIAO_OCR_WORKERS"] = "1"  # one core per engine: CPU seconds compare
    engines: dict[str, Callable[..., list[OcrLine]]] = {"rapidocr": recognise}
    if shutil.which("tesseract"):
        engines["tesseract"] = tesseract_lines
    else:
        print("tesseract: not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
    with tempfile.TemporaryDirectory() as folder:
        docs = _documents(args.corpus, args.samples, Path(folder))
        print(f"{len(docs)} scanned documents (150-200 dpi, turned, noise, a seal)")
        results = {}
        for label, engine in engines.items():
            timed = Timed(engine)
            scan_pages.recognise = timed  # type: ignore[assignment]
            right = total = 0
            started = time.monotonic()
            for scan, answer, kind in docs:
                got, want = _score(extract_file(scan), answer, kind)
                right, total = right + got, total + want
                print(f"  {label:10s} {scan.name:40s} {got}/{want} fields")
            wall = time.monotonic() - started
            per_page = timed.seconds / max(1, timed.pages)
            results[label] = (right / max(1, total), per_page)
            print(
                f"{label:10s} fields right {right}/{total} ({right / max(1, total):.1%}); "
                f"{timed.pages} pages, OCR {per_page:.1f} CPU s/page "
                f"({1 / max(per_page, 1e-9):.3f} pages/s on one core); whole run {wall:.0f} s"
            )
        if len(results) == 2:
            (acc_r, sec_r), (acc_t, sec_t) = results["rapidocr"], results["tesseract"]
            print(
                f"tesseract / rapidocr: fields right {acc_t / max(acc_r, 1e-9):.2f}x, "
                f"CPU per page {sec_t / max(sec_r, 1e-9):.2f}x"
            )


if __name__ == "__main__":
    main()
