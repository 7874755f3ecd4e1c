"""The OCR engine: RapidOCR (PP-OCR models on ONNX Runtime), whose wheel carries its models.

Nothing is downloaded: ``rapidocr`` 3.10 ships PP-OCRv6 detection and recognition models
inside the wheel and only checks their hashes at start (``docs/extraction.md`` has the
comparison with Debian's Tesseract that chose it). The engine is built once per process,
on first use, so importing extraction never loads a model.

The engine gives text lines with their four corners and, per character, a box and a
confidence; this module hands them on unchanged as ``OcrLine``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

ENGINE = "rapidocr 3.10 (PP-OCRv6 small, onnxruntime)"


@dataclass(frozen=True)
class OcrChar:
    """One recognised character (or run of Latin characters) with its box and confidence."""

    text: str
    confidence: float
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class OcrLine:
    """One detected text line: its corners (pixels), text, confidence and characters."""

    quad: list[list[float]]
    text: str
    confidence: float
    chars: tuple[OcrChar, ...]


@cache
def _engine(threads: int) -> Any:
    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    return RapidOCR(
        params={
            "Global.use_cls": False,  # pages are straightened first; no line is upside down
            "Global.return_word_box": True,
            "Global.log_level": "warning",
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def _box(corners: list[list[float]]) -> tuple[float, float, float, float]:
    xs = [float(point[0]) for point in corners]
    ys = [float(point[1]) for point in corners]
    return min(xs), max(xs), min(ys), max(ys)


def recognise(grey: np.ndarray, threads: int = 1) -> list[OcrLine]:
    """Given greyscale page pixels, return the text lines OCR finds on them."""
    rgb = np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    result = _engine(threads)(rgb)
    if result.txts is None or result.boxes is None:
        return []
    words = result.word_results or [()] * len(result.txts)
    lines: list[OcrLine] = []
    found = zip(result.boxes, result.txts, result.scores, words, strict=False)
    for quad, text, score, chars in found:
        pieces = []
        for piece in chars or ():
            piece_text, piece_score, corners = piece
            x0, x1, top, bottom = _box(corners)
            pieces.append(OcrChar(str(piece_text), float(piece_score), x0, x1, top, bottom))
        corners = [[float(x), float(y)] for x, y in quad]
        lines.append(OcrLine(corners, str(text), float(score), tuple(pieces)))
    return lines
