"""Scanned pages → words and ruling lines: the same ``PageLayout`` a text PDF gives.

Each page without a text layer is rendered, cleaned and straightened
(``extract/scan_image.py``), read by OCR (``extract/ocr_engine.py``) and turned into
words with boxes in PDF points and a confidence (the lowest of their characters'), plus
the ruling lines found in its pixels. From there the table and document readers that
read text PDFs read it (no second parser).

A word holding one of the domain's terms with one doubtful character wrong is put right
(``extract/ocr_lexicon.py``). An OCR text line is cut into words where a ruling line runs
between two of its characters or where the gap between them is wider than a character
(two cells of a table without rules). Lines the detector finds turned more than
``MAX_TURN_DEGREES`` on a page already straightened are a seal's curved lettering, not the
form's text: they are dropped.

Pages are read in parallel batches (``JIXIAO_OCR_WORKERS`` processes, each with its own
engine); the pages of one batch go through one engine in order.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from statistics import median

from jixiao.extract.normalize import nfkc
from jixiao.extract.ocr_engine import OcrChar, OcrLine, recognise
from jixiao.extract.ocr_lexicon import correct
from jixiao.extract.page_words import PageLayout, Rule, Word
from jixiao.extract.scan_image import (
    PageImage,
    prepare_page,
    rules_of,
    turned,
    turned_degrees,
)

TALL_SHARE = 1.5  # a text line this much taller than wide stands: the page lies sideways
UPRIGHT_CONFIDENCE = 0.85  # read with less, a page may be upside down: read it turned
MAX_TURN_DEGREES = 8.0  # a text line turned further than this is a seal's lettering …
MAX_TURN_SHORT_DEGREES = 25.0  # … a box of one or two characters, further than this
WORD_GAP_SHARE = 0.9  # a gap wider than this share of the line's height ends a word


@dataclass(frozen=True)
class ScannedPage:
    """One page read by OCR: its layout and what a person checking it wants to know."""

    layout: PageLayout
    skew_degrees: float
    seal_pixels: int
    dropped_lines: int  # turned lines dropped as a seal's lettering
    seconds: float
    quarter_turns: int = 0  # the page was scanned sideways (1, 3) or upside down (2)


def _crosses_rule(left: OcrChar, right: OcrChar, rules: list[Rule], scale: float) -> bool:
    """Return True when a vertical rule runs between two neighbouring characters."""
    middle = (left.top + left.bottom + right.top + right.bottom) / 4 * scale
    gap_from, gap_to = left.x1 * scale, right.x0 * scale
    slack = (left.x1 - left.x0) * scale * 0.25  # character boxes from OCR are approximate
    return any(
        gap_from - slack <= rule.x0 <= gap_to + slack and rule.y0 <= middle <= rule.y1
        for rule in rules
    )


def _pieces(line: OcrLine) -> list[OcrChar]:
    """Return a line's characters, or the whole line as one piece when OCR gave none."""
    if line.chars:
        return list(line.chars)
    xs = [point[0] for point in line.quad]
    ys = [point[1] for point in line.quad]
    return [OcrChar(line.text, line.confidence, min(xs), max(xs), min(ys), max(ys))]


def words_of_line(line: OcrLine, rules: list[Rule], scale: float, page: int) -> list[Word]:
    """Given an OCR line, the page's vertical rules, the points per pixel and the page
    number, return the line's words (cut at rules and wide gaps) in PDF points."""
    pieces = [piece for piece in _pieces(line) if piece.text.strip()]
    if not pieces:
        return []
    height = median(piece.bottom - piece.top for piece in pieces)
    runs: list[list[OcrChar]] = [[pieces[0]]]
    for left, right in zip(pieces, pieces[1:], strict=False):
        wide = right.x0 - left.x1 > WORD_GAP_SHARE * height
        if wide or _crosses_rule(left, right, rules, scale):
            runs.append([right])
        else:
            runs[-1].append(right)
    words = []
    for run in runs:
        raw = "".join(piece.text for piece in run)
        doubts = [piece.confidence for piece in run for _ in piece.text]
        text = nfkc(correct(raw, doubts)[0]).strip()
        if not text:
            continue
        if set(text) == {"一"}:  # a dash alone in a cell: OCR cannot tell it from 一
            text = "—" * len(text)
        words.append(
            Word(
                text,
                min(piece.x0 for piece in run) * scale,
                max(piece.x1 for piece in run) * scale,
                min(piece.top for piece in run) * scale,
                max(piece.bottom for piece in run) * scale,
                page,
                confidence=round(min(piece.confidence for piece in run), 4),
            )
        )
    return words


def is_seal_lettering(line: OcrLine) -> bool:
    """Given an OCR line of a straightened page, return True when it is turned like a
    seal's curved lettering: more than ``MAX_TURN_DEGREES`` for a line at least two
    characters long (a single character's box is too small to measure a turn by), more
    than ``MAX_TURN_SHORT_DEGREES`` for any."""
    xs = [point[0] for point in line.quad]
    ys = [point[1] for point in line.quad]
    long_line = max(xs) - min(xs) >= 2 * (max(ys) - min(ys))
    turn = turned_degrees(line.quad)
    return turn > (MAX_TURN_DEGREES if long_line else MAX_TURN_SHORT_DEGREES)


def _is_tall(line: OcrLine) -> bool:
    xs = [point[0] for point in line.quad]
    ys = [point[1] for point in line.quad]
    return max(ys) - min(ys) > TALL_SHARE * (max(xs) - min(xs))


def _confidence(lines: list[OcrLine]) -> float:
    """Given OCR lines, return their confidence weighted by their length (0 without any)."""
    sizes = [max(1, len(line.text)) for line in lines]
    return sum(line.confidence * size for line, size in zip(lines, sizes, strict=True)) / max(
        1, sum(sizes)
    )


def upright(image: PageImage, threads: int = 1) -> tuple[PageImage, list[OcrLine]]:
    """Given a prepared page, return it stood upright and its OCR lines.

    A page whose text lines OCR finds mostly standing (taller than wide) was scanned
    sideways: it is turned a quarter each way and read again. A page read with less than
    ``UPRIGHT_CONFIDENCE`` may be upside down: it is read turned half round. The reading
    OCR is surest of is kept; an upright page costs no second reading.
    """
    lines = recognise(image.pixels, threads)
    if sum(map(_is_tall, lines)) > len(lines) / 2:
        candidates = [1, 3]
    elif _confidence(lines) < UPRIGHT_CONFIDENCE:
        candidates = [2]
    else:
        return image, lines
    best = (image, lines) if candidates == [2] else None
    for quarters in candidates:
        turned_image = turned(image, quarters)
        found = recognise(turned_image.pixels, threads)
        if best is None or _confidence(found) > _confidence(best[1]):
            best = (turned_image, found)
        if _confidence(found) >= UPRIGHT_CONFIDENCE:
            break
    return best  # type: ignore[return-value]


def read_page_image(image: PageImage, threads: int = 1) -> ScannedPage:
    """Given a prepared page image, return its words and rules as a scanned page."""
    started = time.monotonic()
    image, lines = upright(image, threads)
    rules = rules_of(image.pixels, image.dpi)
    vertical = [rule for rule in rules if not rule.horizontal]
    words: list[Word] = []
    dropped = 0
    for line in lines:
        if is_seal_lettering(line):
            dropped += 1
            continue
        words.extend(words_of_line(line, vertical, image.points_per_pixel, image.number))
    layout = PageLayout(image.number, image.width_points, image.height_points, words, rules)
    seconds = time.monotonic() - started
    return ScannedPage(
        layout, image.skew_degrees, image.seal_pixels, dropped, seconds, image.quarter_turns
    )


def _read_batch(data: bytes, numbers: list[int], dpi: int, threads: int) -> list[ScannedPage]:
    """Given a PDF's bytes and page numbers (1-based), return those pages read by OCR."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for number in numbers:
            started = time.monotonic()
            page = pdf[number - 1]
            try:
                image = prepare_page(page, number, dpi)
            finally:
                page.close()
            scanned = read_page_image(image, threads)  # seconds: rendering included
            pages.append(replace(scanned, seconds=time.monotonic() - started))
        return pages
    finally:
        pdf.close()


def _die_with_parent() -> None:
    """In a page worker: be killed when the process that started it dies (Linux), so a
    file stopped at its time limit leaves no worker behind."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown stops workers
        pass


def read_scanned_pages(
    data: bytes, numbers: list[int], dpi: int, workers: int
) -> list[ScannedPage]:
    """Given a PDF's bytes, the pages to OCR, the resolution and the number of worker
    processes, return the pages read by OCR in page order.

    With more than one worker and page, the pages are dealt round-robin into one batch per
    worker, each read in its own process (forked: the engine is loaded in the worker, never
    in the calling process).
    """
    if not numbers:
        return []
    workers = max(1, min(workers, len(numbers)))
    if workers == 1:
        return _read_batch(data, numbers, dpi, threads=1)
    batches = [numbers[start::workers] for start in range(workers)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_die_with_parent
    ) as pool:
        futures = [pool.submit(_read_batch, data, batch, dpi, 1) for batch in batches]
        pages = [page for future in futures for page in future.result()]
    return sorted(pages, key=lambda page: page.layout.number)
