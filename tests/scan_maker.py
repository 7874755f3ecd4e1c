"""Scanned copies of text PDFs, made at test time (no scan is committed).

A scan here is what an office scanner gives for a printed, signed and sealed form: every
page rendered to pixels at 150–200 dpi, a red round seal (ring, star, curved lettering)
stamped over part of the table, the page fed slightly turned, blur and sensor noise, then
saved as an image-only PDF in greyscale (the seal then prints as grey) or in colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEAL_RED = (205, 35, 40)
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


@dataclass(frozen=True)
class ScanStyle:
    """How a copy is scanned."""

    dpi: int = 200
    degrees: float = 0.6  # the page fed turned (counter-clockwise when positive)
    colour: bool = False  # greyscale unless True
    seal: bool = True
    seal_at: tuple[float, float] = (0.62, 0.45)  # seal centre as shares of width, height
    seal_text: str = "广州市某某区财政局绩效评价专用章"
    blur: float = 0.6  # Gaussian radius in pixels
    noise: float = 6.0  # standard deviation of grey levels added
    seed: int = 0
    quarter_turns: tuple[int, ...] = ()  # per page: fed sideways (1, 3) or upside down (2)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def _stamp(page: Image.Image, style: ScanStyle) -> Image.Image:
    """Return the page with a red seal multiplied over it (ink darkens, never lightens)."""
    radius = round(0.8 * style.dpi)  # a 4 cm seal
    size = 2 * radius + 8
    seal = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(seal)
    centre = size / 2
    ring = max(3, round(0.035 * style.dpi))
    draw.ellipse(
        (centre - radius, centre - radius, centre + radius, centre + radius),
        outline=SEAL_RED,
        width=ring,
    )
    star = [
        (
            centre + (0.28 if i % 2 == 0 else 0.11) * radius * math.sin(math.pi * i / 5),
            centre - (0.28 if i % 2 == 0 else 0.11) * radius * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=SEAL_RED)
    font = _font(round(0.22 * radius))
    letters = style.seal_text
    spread = math.radians(250)
    for i, letter in enumerate(letters):
        angle = -spread / 2 + spread * i / max(1, len(letters) - 1)
        glyph = Image.new("L", (round(0.3 * radius), round(0.3 * radius)), 0)
        ImageDraw.Draw(glyph).text((0, 0), letter, fill=255, font=font)
        glyph = glyph.rotate(-math.degrees(angle), expand=True)
        x = centre + 0.72 * radius * math.sin(angle) - glyph.width / 2
        y = centre - 0.72 * radius * math.cos(angle) - glyph.height / 2
        seal.paste(Image.new("RGB", glyph.size, SEAL_RED), (round(x), round(y)), glyph)
    left = round(style.seal_at[0] * page.width - size / 2)
    top = round(style.seal_at[1] * page.height - size / 2)
    box = (left, top, left + size, top + size)
    under = np.asarray(page.crop(box), dtype=np.uint16)
    ink = np.asarray(seal, dtype=np.uint16)
    page.paste(Image.fromarray((under * ink // 255).astype(np.uint8)), box)
    return page


def scan_page(page: Image.Image, style: ScanStyle, number: int) -> Image.Image:
    """Given a rendered RGB page, return it as scanned (seal on page 1 only)."""
    if style.seal and number == 1:
        page = _stamp(page, style)
    page = page.rotate(style.degrees, resample=Image.BICUBIC, fillcolor="white")
    quarters = style.quarter_turns[number - 1] if number <= len(style.quarter_turns) else 0
    if quarters:
        page = page.rotate(90 * quarters, expand=True)
    if style.blur:
        page = page.filter(ImageFilter.GaussianBlur(style.blur))
    if not style.colour:
        page = page.convert("L")
    pixels = np.asarray(page, dtype=np.float32)
    rng = np.random.default_rng(style.seed + number)
    pixels = pixels + rng.normal(0.0, style.noise, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def scan_pdf(source: Path, target: Path, style: ScanStyle = ScanStyle()) -> Path:
    """Given a text PDF, write its scanned copy (image-only PDF) to ``target``."""
    pdf = pypdfium2.PdfDocument(str(source))
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                bitmap = page.render(scale=style.dpi / 72.0)
                image = bitmap.to_pil().convert("RGB")
                bitmap.close()
            finally:
                page.close()
            pages.append(scan_page(image, style, index + 1))
    finally:
        pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(
        target, "PDF", resolution=float(style.dpi), save_all=True, append_images=pages[1:]
    )
    return target
