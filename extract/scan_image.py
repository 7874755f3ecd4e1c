"""Scanned pages as clean greyscale images: rendered, seal ink removed, deskewed, ruled.

A scanned PDF page is one picture. Before OCR reads it, this module

- renders it (pypdfium2) at the OCR resolution, in colour so seal ink can be told apart;
- removes red ink (a seal stamped over a table is red: its pixels become paper) and
  scanner specks (a 3 × 3 median);
- measures the skew from the page's long strokes (table rules, text baselines) and turns
  the page straight (scanners feed pages up to a degree or two off);
- finds the ruling lines from the pixels (long thin runs of dark pixels), which the table
  readers use exactly as they use a text PDF's vector lines.

Coordinates leave this module in PDF points (1/72 inch), like a text PDF's words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from jixiao.extract.page_words import Rule

MAX_SKEW_DEGREES = 5.0  # a page fed further off than this is not straightened
SKEW_STEP_DEGREES = 0.05
RULE_MIN_INCHES = 0.5  # a dark run at least this long (and thin) is a ruling line
RULE_MAX_THICKNESS_INCHES = 0.03
SEAL_RED_MARGIN = 50  # a pixel this much redder than its green and blue …
SEAL_MIN_RED = 140  # … and this bright in red is seal ink (text under a seal stays dark)


@dataclass(frozen=True)
class PageImage:
    """One scanned page, straightened: greyscale pixels and how they map to PDF points."""

    number: int
    pixels: np.ndarray  # uint8, 0 black … 255 paper
    dpi: float
    width_points: float
    height_points: float
    skew_degrees: float  # how far the page was turned to straighten it
    seal_pixels: int  # red pixels removed as seal ink
    quarter_turns: int = 0  # quarter turns (counter-clockwise) that stood the page upright

    @property
    def points_per_pixel(self) -> float:
        """Return the size of one pixel in PDF points."""
        return 72.0 / self.dpi


def render_page(page: object, dpi: float) -> np.ndarray:
    """Given a pypdfium2 page and a resolution, return its RGB pixels (uint8, H × W × 3)."""
    bitmap = page.render(scale=dpi / 72.0)  # type: ignore[attr-defined]
    try:
        image = bitmap.to_numpy()
        mode = bitmap.mode
    finally:
        bitmap.close()
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=2)
    if mode.startswith("BGR"):
        image = image[:, :, 2::-1] if image.shape[2] >= 3 else image
    return np.ascontiguousarray(image[:, :, :3])


def drop_seal_ink(rgb: np.ndarray) -> tuple[np.ndarray, int]:
    """Given RGB pixels, return greyscale pixels with red ink turned to paper, and how many
    pixels were red. A greyscale scan has no red: its pixels pass unchanged."""
    signed = rgb.astype(np.int16)
    red, green, blue = signed[:, :, 0], signed[:, :, 1], signed[:, :, 2]
    seal = ((red - np.maximum(green, blue)) > SEAL_RED_MARGIN) & (red > SEAL_MIN_RED)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    count = int(seal.sum())
    if count:
        grey = grey.copy()
        grey[seal] = 255
    return grey, count


def ink(grey: np.ndarray) -> np.ndarray:
    """Given greyscale pixels, return the ink mask (255 where ink) by Otsu's threshold."""
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def skew_of(grey: np.ndarray) -> float:
    """Given greyscale pixels, return the page's skew in degrees (positive: turned
    counter-clockwise), found as the angle at which rows of ink line up best (the variance
    of the row sums of a reduced ink mask peaks when rules and baselines are level)."""
    mask = ink(grey)
    scale = min(1.0, 1200.0 / max(mask.shape))
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = small.shape
    centre = (width / 2.0, height / 2.0)

    def sharpness(angle: float) -> float:
        turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, turn, (width, height), flags=cv2.INTER_NEAREST)
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 0.25)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, SKEW_STEP_DEGREES)
    return float(max(fine, key=sharpness))


def straighten(grey: np.ndarray, angle: float) -> np.ndarray:
    """Given greyscale pixels and a skew angle, return the pixels turned level (the corners
    uncovered by the turn are paper)."""
    if abs(angle) < SKEW_STEP_DEGREES / 2:
        return grey
    height, width = grey.shape
    turn = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)
    return cv2.warpAffine(grey, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255,))


def _runs(mask: np.ndarray, horizontal: bool, length: int) -> list[tuple[int, int, int, int]]:
    """Given an ink mask, return the boxes (x, y, w, h) of straight dark runs at least
    ``length`` pixels long in one direction."""
    size = (length, 1) if horizontal else (1, length)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
    lines = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    # a broken rule (scan noise, a light stroke) is bridged over a few pixels
    bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1) if horizontal else (1, 9))
    lines = cv2.morphologyEx(lines, cv2.MORPH_CLOSE, bridge)
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    return [tuple(int(v) for v in stats[i][:4]) for i in range(1, count)]  # type: ignore[misc]


def rules_of(grey: np.ndarray, dpi: float) -> list[Rule]:
    """Given straightened greyscale pixels and their resolution, return the ruling lines
    in PDF points: dark runs at least ``RULE_MIN_INCHES`` long and at most
    ``RULE_MAX_THICKNESS_INCHES`` thick (a filled block or a bold heading is not a rule)."""
    mask = ink(grey)
    length = max(8, round(RULE_MIN_INCHES * dpi))
    thickest = max(2, round(RULE_MAX_THICKNESS_INCHES * dpi))
    scale = 72.0 / dpi
    rules: list[Rule] = []
    for x, y, w, h in _runs(mask, True, length):
        if h <= thickest:
            middle = (y + h / 2.0) * scale
            rules.append(Rule(x * scale, (x + w) * scale, middle, middle))
    for x, y, w, h in _runs(mask, False, length):
        if w <= thickest:
            middle = (x + w / 2.0) * scale
            rules.append(Rule(middle, middle, y * scale, (y + h) * scale))
    return rules


def prepare_page(page: object, number: int, dpi: float) -> PageImage:
    """Given a pypdfium2 page, its 1-based number and the OCR resolution, return it
    rendered, without seal ink, and straightened."""
    width, height = page.get_size()  # type: ignore[attr-defined]
    grey, seal = drop_seal_ink(render_page(page, dpi))
    grey = cv2.medianBlur(grey, 3)  # scanner noise: specks OCR would read as strokes
    angle = skew_of(grey)
    return PageImage(number, straighten(grey, angle), dpi, width, height, angle, seal)


def turned(image: PageImage, quarters: int) -> PageImage:
    """Given a straightened page and a number of quarter turns (counter-clockwise), return
    the page turned by them: a page scanned sideways (1 or 3) is straightened again, its
    lines now across; width and height swap with it."""
    pixels = np.ascontiguousarray(np.rot90(image.pixels, quarters))
    width, height = image.width_points, image.height_points
    angle = image.skew_degrees
    if quarters % 2:
        width, height = height, width
        angle = skew_of(pixels)
        pixels = straighten(pixels, angle)
    return PageImage(
        image.number,
        pixels,
        image.dpi,
        width,
        height,
        angle,
        image.seal_pixels,
        (image.quarter_turns + quarters) % 4,
    )


def turned_degrees(quad: list[list[float]]) -> float:
    """Given an OCR box (four corners, clockwise from top left), return how far its top edge
    is turned from level, in degrees (0 for a line of a straight page)."""
    (x0, y0), (x1, y1) = quad[0], quad[1]
    return abs(math.degrees(math.atan2(y1 - y0, x1 - x0)))
