"""Pages as words and ruling lines: the one shape every table reader starts from.

A PDF page gives its words (pdfplumber, in the order the content stream draws them, so
two strings printed over each other stay apart) and its ruling lines (vector lines and
the edges of thin rectangles). A layout-preserving text layer gives the same shape: each
run of characters separated by two or more spaces is a word, its column is its x and its
line number its y. Readers downstream never ask where a page came from.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from jixiao.extract.normalize import nfkc

RULE_THICKNESS = 2.0  # points: a rectangle thinner than this is a ruling line
LINE_TOLERANCE = 0.45  # share of a word's height two words may differ by to share a line
TEXT_GAP = re.compile(r"\S+")  # a layout text word: a run without spaces


@dataclass(frozen=True)
class Word:
    """A run of characters on one page, with its box (top < bottom, in page units)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    confidence: float | None = None  # OCR's confidence in the word (None: a text layer)

    @property
    def middle(self) -> float:
        """Return the vertical centre of the word."""
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        """Return the horizontal centre of the word."""
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        """Return the word's height."""
        return self.bottom - self.top


@dataclass(frozen=True)
class Rule:
    """A ruling line: horizontal (``y0 == y1``) or vertical (``x0 == x1``)."""

    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def horizontal(self) -> bool:
        """Return True for a horizontal rule."""
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass
class PageLayout:
    """One page: its number (1-based), size, words and ruling lines."""

    number: int
    width: float
    height: float
    words: list[Word]
    rules: list[Rule] = field(default_factory=list)

    def horizontal_rules(self) -> list[Rule]:
        """Return the page's horizontal rules."""
        return [rule for rule in self.rules if rule.horizontal]

    def vertical_rules(self) -> list[Rule]:
        """Return the page's vertical rules."""
        return [rule for rule in self.rules if not rule.horizontal]


@dataclass(frozen=True)
class Line:
    """Words sharing a baseline band on one page, left to right."""

    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


def lines_of(words: Iterable[Word]) -> list[Line]:
    """Given words, return them grouped into lines (top to bottom, each left to right)."""
    ordered = sorted(words, key=lambda word: (word.page, word.middle, word.x0))
    lines: list[list[Word]] = []
    for word in ordered:
        if lines:
            last = lines[-1]
            band = median(w.height for w in last) * LINE_TOLERANCE
            anchor = median(w.middle for w in last)
            if last[0].page == word.page and abs(word.middle - anchor) <= band:
                last.append(word)
                continue
        lines.append([word])
    return [Line(tuple(sorted(line, key=lambda word: word.x0))) for line in lines]


_PAGE_NUMBER = re.compile(
    r"^(?:[-—–]+\d{1,4}[-—–]+|第\d{1,4}页(?:[,，]?共\d{1,4}页)?|\d{1,4}/\d{1,4}|-\s?\d{1,4}\s?-)$"
)


def is_page_number(line: Line) -> bool:
    """Given a line, return True when it is only a page number (``— 2 —``, ``第2页``, ``2/5``)."""
    return bool(_PAGE_NUMBER.match("".join(word.text for word in line.words).replace(" ", "")))


def _rules_of(page: Any) -> list[Rule]:
    rules: list[Rule] = []
    for line in page.lines:
        rules.append(Rule(line["x0"], line["x1"], line["top"], line["bottom"]))
    for rect in page.rects:
        width, height = rect["x1"] - rect["x0"], rect["bottom"] - rect["top"]
        if height <= RULE_THICKNESS or width <= RULE_THICKNESS:
            middle_y, middle_x = (rect["top"] + rect["bottom"]) / 2, (rect["x0"] + rect["x1"]) / 2
            if height <= RULE_THICKNESS:
                rules.append(Rule(rect["x0"], rect["x1"], middle_y, middle_y))
            else:
                rules.append(Rule(middle_x, middle_x, rect["top"], rect["bottom"]))
        else:  # a cell drawn as a rectangle: its four edges
            rules.extend(
                (
                    Rule(rect["x0"], rect["x1"], rect["top"], rect["top"]),
                    Rule(rect["x0"], rect["x1"], rect["bottom"], rect["bottom"]),
                    Rule(rect["x0"], rect["x0"], rect["top"], rect["bottom"]),
                    Rule(rect["x1"], rect["x1"], rect["top"], rect["bottom"]),
                )
            )
    return rules


def text_turn(chars: Sequence[dict[str, Any]]) -> int:
    """Given a page's characters, return how far most of its text is turned as displayed:
    0, 90, 180 or 270 degrees counter-clockwise (a table printed sideways on its page, or
    a page displayed turned by its /Rotate), from the characters' text matrices."""
    turns = Counter(
        round(math.degrees(math.atan2(char["matrix"][1], char["matrix"][0])) / 90) % 4 * 90
        for char in chars
    )
    return turns.most_common(1)[0][0] if turns else 0


def layout_of_pdf_page(page: Any, number: int) -> PageLayout:
    """Given a pdfplumber page and its 1-based number, return its words and rules."""
    words = [
        Word(nfkc(word["text"]), word["x0"], word["x1"], word["top"], word["bottom"], number)
        for word in page.extract_words(use_text_flow=True, keep_blank_chars=False)
        if word["text"].strip()
    ]
    return PageLayout(number, float(page.width), float(page.height), words, _rules_of(page))


def split_pages(text: str) -> list[str]:
    """Given a text layer, return its pages (form feeds, else the whole text as one page)."""
    pages = text.split("\f")
    return [page for page in pages if page.strip()] or [text]


def layouts_of_text(text: str) -> list[PageLayout]:
    """Given a layout-preserving text layer, return one layout per page.

    Each run of characters separated by two or more spaces is a word; x is the character
    column, y the line number (one unit per line).
    """
    layouts: list[PageLayout] = []
    for number, page_text in enumerate(split_pages(text), start=1):
        words: list[Word] = []
        rows = page_text.splitlines()
        for row_number, row in enumerate(rows):
            for match in TEXT_GAP.finditer(row):
                words.append(
                    Word(
                        nfkc(match.group()),
                        float(match.start()),
                        float(match.end()),
                        float(row_number),
                        float(row_number) + 0.8,
                        number,
                    )
                )
        width = float(max((len(row) for row in rows), default=0))
        layouts.append(PageLayout(number, width, float(len(rows)), words))
    return layouts


def is_layout_text(text: str) -> bool:
    """Given a text layer, return True when it keeps the page layout (columns by spaces).

    Layout-preserving extraction pads cells with runs of spaces; a reading-order text
    has none (or only a few). The rule: at least a third of the non-empty lines hold a
    run of three or more spaces between two characters.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    padded = sum(1 for line in lines if re.search(r"\S {3,}\S", line))
    return padded * 3 >= len(lines)


def words_text(words: Sequence[Word]) -> str:
    """Given words of one cell (any order), return their text top to bottom, joined."""
    from jixiao.extract.normalize import join_fragments

    ordered = [line.words for line in lines_of(words)]
    return join_fragments(" ".join(word.text for word in line) for line in ordered)
