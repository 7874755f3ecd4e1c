"""Columns of a table from its header: ruled (vertical rules) or rebuilt from alignment.

A header line names the columns; each header cell becomes a column whose left and right
bounds come from the vertical rules crossing the header, or, on a page without them, from
how the words below align: the boundary between two header cells is the position in the
gap between them that the fewest body words cross (a gutter), so centred, left- and
right-aligned cells and long wrapped text all fall in the right column without assuming
one generator's spacing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from statistics import median

from jixiao.extract.normalize import is_number
from jixiao.extract.page_words import Line, PageLayout, Rule, Word, lines_of
from jixiao.extract.vocabulary import split_overprint

STEP = 0.5  # resolution of the gutter search, in page units
NEAR_LINES = 1.7  # header parts may sit this many line heights above or below the main line


@dataclass(frozen=True)
class Column:
    """One column: the field its header names, the level for level columns, its bounds."""

    field: str
    level: int
    header: str
    x0: float
    x1: float

    def holds(self, word: Word) -> bool:
        """Return True when the word's centre lies inside the column."""
        return self.x0 <= word.centre < self.x1


@dataclass(frozen=True)
class Header:
    """A header found on a page: its line, the columns it maps, the words it leaves unmapped."""

    page: int
    top: float
    bottom: float
    columns: tuple[Column, ...]
    unmapped: tuple[str, ...]
    ruled: bool
    words: tuple[Word, ...] = ()  # the words the mapped header cells are made of

    def column(self, word: Word) -> Column | None:
        """Return the column holding the word, else None."""
        return next((column for column in self.columns if column.holds(word)), None)


Classifier = Callable[[str], "tuple[str, int] | None"]


def _separated(rules: Sequence[Rule], word: Word, line: Line) -> bool:
    """Return True when a horizontal rule runs between the word and the header line."""
    low, high = sorted((word.middle, line.middle))
    return any(
        rule.x0 <= word.centre <= rule.x1 and low < rule.y0 < high
        for rule in rules
        if rule.horizontal
    )


def _header_part(word: Word, classify: Classifier) -> Word:
    """Given a header-line word, return it, or its header half when a name was printed
    over a header word and read interleaved with it (a text layer's overprint)."""
    if classify(word.text) is not None:
        return word
    parts = split_overprint(word.text)
    if parts is None or classify(parts[0]) is None:
        return word
    return Word(parts[0], word.x0, word.x1, word.top, word.bottom, word.page)


def _stacks(words: Sequence[Word]) -> list[list[Word]]:
    """Given header words, return them stacked by horizontal overlap (a wrapped cell)."""
    stacks: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.x0):
        for stack in stacks:
            overlap = min(word.x1, max(w.x1 for w in stack)) - max(
                word.x0, min(w.x0 for w in stack)
            )
            narrow = min(word.x1 - word.x0, max(w.x1 for w in stack) - min(w.x0 for w in stack))
            same_line = any(abs(w.middle - word.middle) < 0.5 * w.height for w in stack)
            if overlap > 0.3 * narrow and not same_line:  # overprinted words stay apart
                stack.append(word)
                break
        else:
            stacks.append([word])
    return stacks


def _header_cells(
    page: PageLayout, line: Line, near: Sequence[Line], classify: Classifier
) -> tuple[list[tuple[Word, str, int]], list[str], list[Word]]:
    """Given a header line and the lines around it, return its mapped cells and unmapped text.

    A header cell may wrap above and below the line (一级指 / 标 in a narrow column): words
    of nearby lines that hold no figure and no rule apart from the line are stacked with
    the words they overlap, and each stack is read top to bottom.
    """
    words = [_header_part(word, classify) for word in line.words]
    for other in near:
        if any(is_number(word.text.rstrip("%")) for word in other.words):
            # a row of figures is data, but a header word printed on it (a garbled text
            # layer puts 二级指标 beside a level's points) still names its column
            words.extend(
                word
                for word in other.words
                if classify(word.text) is not None
                and not any(w.x0 < word.x1 and word.x0 < w.x1 for w in line.words)
            )
            continue
        words.extend(
            word
            for word in other.words
            if not is_number(word.text.rstrip("%")) and not _separated(page.rules, word, line)
        )
    cells: list[tuple[Word, str, int]] = []
    unmapped: list[str] = []
    used: list[Word] = []
    for stack in _stacks(words):
        on_line = [w for w in stack if w in line.words]
        ordered = sorted(stack, key=lambda w: (w.top, w.x0))
        text = "".join(w.text for w in ordered)
        found = classify(text)
        if found is None:
            # words of other cells garbled into one stack: a word that names a field on
            # its own is still a cell
            alone = [(w, f) for w in stack if (f := classify(w.text)) is not None]
            if len(alone) == 1:
                (word, found), stack, text = alone[0], [alone[0][0]], alone[0][0].text
                unmapped.extend(w.text for w in on_line if w is not word)
            else:
                unmapped.extend(w.text for w in on_line)
                continue
        used.extend(stack)
        box = Word(
            text,
            min(w.x0 for w in stack),
            max(w.x1 for w in stack),
            min(w.top for w in stack),
            max(w.bottom for w in stack),
            line.page,
        )
        cells.append((box, *found))
    cells.sort(key=lambda cell: cell[0].x0)
    return cells, unmapped, used


def _coverage_gutter(words: Sequence[Word], left: float, right: float) -> float:
    """Given body words and an interval, return the x in it that the fewest words cross."""
    if right <= left:
        return (left + right) / 2
    words = [word for word in words if word.x0 < right and word.x1 > left]
    best: list[float] = []
    best_count = None
    x = left
    while x <= right:
        count = sum(1 for word in words if word.x0 < x < word.x1)
        if best_count is None or count < best_count:
            best_count, best = count, [x]
        elif count == best_count:
            best.append(x)
        x += STEP
    # the middle of the longest run of least-covered positions
    runs: list[list[float]] = []
    for x in best:
        if runs and x - runs[-1][-1] <= STEP * 1.01:
            runs[-1].append(x)
        else:
            runs.append([x])
    longest = max(runs, key=len)
    return (longest[0] + longest[-1]) / 2


def _ruled_bounds(page: PageLayout, line: Line, centre: float) -> tuple[float, float] | None:
    crossing = sorted(
        rule.x0
        for rule in page.vertical_rules()
        if min(rule.y0, rule.y1) <= line.middle <= max(rule.y0, rule.y1)
    )
    left = [x for x in crossing if x <= centre]
    right = [x for x in crossing if x > centre]
    if not left or not right:
        return None
    return left[-1], right[0]


def find_headers(page: PageLayout, classify: Classifier, is_header: Callable) -> list[Header]:
    """Given a page, a header-word classifier and a test of the mapped fields, return headers.

    Every line holding a header word is read with the lines around it (cells wrap above and
    below); ``is_header`` receives the ``(field, level)`` of the cells found and says whether
    they make a header of the wanted table.
    """
    lines = lines_of(page.words)
    found: list[tuple[int, list, list[str], list[Word], float, float]] = []
    for index, line in enumerate(lines):
        if not any(classify(word.text) is not None for word in line.words):
            continue
        height = median(word.height for word in line.words)
        near = [
            other
            for other in lines[max(0, index - 4) : index + 5]
            if other is not line and abs(other.middle - line.middle) <= NEAR_LINES * height
        ]
        cells, unmapped, used = _header_cells(page, line, near, classify)
        if not is_header([(name, level) for _, name, level in cells]):
            continue
        top = min(line.top, *(word.top for word, _, _ in cells))
        bottom = max(line.bottom, *(word.bottom for word, _, _ in cells))
        if found and top < found[-1][5]:  # the same header read from another of its lines
            kept = found[-1]
            words = list(dict.fromkeys(kept[3] + used))
            if (len(cells), len(used)) > (len(kept[1]), len(kept[3])):
                kept = (index, cells, unmapped, used, top, bottom)
            found[-1] = (kept[0], kept[1], kept[2], words, kept[4], max(bottom, found[-1][5]))
            continue
        found.append((index, cells, unmapped, used, top, bottom))
    headers = []
    for index, cells, unmapped, used, _, bottom in found:
        header = _columns(page, lines[index], cells, unmapped, lines[index + 1 :])
        headers.append(replace(header, words=tuple(used), bottom=max(header.bottom, bottom)))
    return headers


def _columns(
    page: PageLayout,
    line: Line,
    cells: list[tuple[Word, str, int]],
    unmapped: list[str],
    below: Sequence[Line],
) -> Header:
    body = [word for other in below[:60] for word in other.words]
    ruled = [_ruled_bounds(page, line, word.centre) for word, _, _ in cells]
    columns: list[Column] = []
    bottom = max(line.bottom, *(word.bottom for word, _, _ in cells))
    top = min(line.top, *(word.top for word, _, _ in cells))
    if all(bounds is not None for bounds in ruled) and ruled:
        for (word, field, level), bounds in zip(cells, ruled, strict=True):
            assert bounds is not None
            columns.append(Column(field, level, word.text, bounds[0], bounds[1]))
        return Header(page.number, top, bottom, tuple(columns), tuple(unmapped), True)
    gaps = [cells[i + 1][0].x0 - cells[i][0].x1 for i in range(len(cells) - 1)]
    typical_gap = median(gaps) if gaps else 10.0
    bounds = [_coverage_gutter(body, cells[0][0].x0 - typical_gap, cells[0][0].x0)]
    for (left, _, _), (right, _, _) in zip(cells, cells[1:], strict=False):
        if right.x0 <= left.x1:
            bounds.append((left.x1 + right.x0) / 2)
        else:
            bounds.append(_coverage_gutter(body, left.x1, right.x0))
    bounds.append(max(page.width, cells[-1][0].x1 + 1))
    for index, (word, field, level) in enumerate(cells):
        columns.append(Column(field, level, word.text, bounds[index], bounds[index + 1]))
    return Header(page.number, top, bottom, tuple(columns), tuple(unmapped), False)
