"""Normalisation of printed text and numbers, shared by the PDF and the text-layer paths.

Text is NFKC-normalised (full-width digits, letters and punctuation become ASCII).
Wrapped lines are joined without a space, except between two ASCII letters or digits.
Amounts stay as printed (万元), thousands separators removed; ``98.3%`` becomes 0.983 and a
bare fraction such as ``0.997635217`` is kept; ``——`` and blanks become ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

PLACEHOLDERS: frozenset[str] = frozenset({"", "—", "——", "———", "-", "--", "/", "－", "...", "…"})
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_WHITESPACE = re.compile(r"\s+")


def nfkc(text: str) -> str:
    """Given printed text, return its NFKC form (full-width forms become ASCII)."""
    return unicodedata.normalize("NFKC", text)


def compact(text: str | None) -> str:
    """Given text, return it NFKC-normalised with every whitespace character removed."""
    if text is None:
        return ""
    return _WHITESPACE.sub("", nfkc(text))


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def join_fragments(parts: Iterable[str]) -> str:
    """Given the pieces of one wrapped value, return them joined on one line.

    Pieces are stripped and joined without a space (Chinese text wraps anywhere), except
    that two ASCII letters or digits meeting at a join get one space between them.
    """
    out = ""
    for raw in parts:
        piece = raw.strip()
        if not piece:
            continue
        if out and _is_ascii_word_char(out[-1]) and _is_ascii_word_char(piece[0]):
            out += " "
        out += piece
    return out


def join_lines(text: str | None) -> str | None:
    """Given a cell's text (wrapped lines separated by ``\\n``), return one NFKC line or None."""
    if text is None:
        return None
    joined = join_fragments(nfkc(text).splitlines())
    joined = _WHITESPACE.sub(" ", joined).strip()
    return joined or None


def is_placeholder(text: str | None) -> bool:
    """Given a printed value, return True when it stands for "no value" (blank, ``——``)."""
    return compact(text) in PLACEHOLDERS


def _decimal(text: str | None) -> Decimal | None:
    value = compact(text)
    if value in PLACEHOLDERS:
        return None
    if _GROUPED.match(value):
        value = value.replace(",", "")
    if not _NUMBER.match(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - guarded by the pattern
        return None


def is_number(text: str | None) -> bool:
    """Given a printed value, return True when it is a plain number (separators allowed)."""
    return _decimal(text) is not None


def parse_number(text: str | None) -> float | None:
    """Given a printed amount or score, return it as a float, or None when absent or not a number.

    ``466,677.75`` → 466677.75; ``１２`` → 12.0; ``——`` → None.
    """
    value = _decimal(text)
    return None if value is None else float(value)


def parse_rate(text: str | None) -> float | None:
    """Given a printed rate, return it as a fraction: ``98.3%`` → 0.983, ``0.9976`` → 0.9976."""
    value = compact(text)
    if value.endswith("%"):
        number = _decimal(value[:-1])
        return None if number is None else float(number / 100)
    return parse_number(value)


def is_rate(text: str | None) -> bool:
    """Given a printed value, return True when it reads as a rate (percent or bare number)."""
    return parse_rate(text) is not None


def clean_text(text: str | None) -> str | None:
    """Given a printed text value, return it joined and normalised, or None for placeholders."""
    if is_placeholder(text):
        return None
    return join_lines(text)
