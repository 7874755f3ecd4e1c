"""The self-evaluation form read from a line-flattened text layer of a spreadsheet export.

In such a text (``page.extract_text()`` of an exported PDF) each visual line's words are
joined by single spaces, so one line mixes the cells of several columns: a merged level
name and its points are printed once, at the vertical middle (or top, or bottom) of the
rows it spans, and land on a leaf's line or on a line of their own; wrapped names are
split over the lines above and below their figures. The rules:

- the indicator table runs from its header (a line naming 一级指标 and at least two other
  columns, read with ``indicator_field``) to 总分/合计; repeated headers, the header's
  wrapped fragments and page marks (第 1 页，共 3 页) are dropped;
- a **leaf line** holds a leaf's figures in header order: points then score (a Guangzhou
  form, points before its explanation or target/actual values), or target, actual, points,
  score (the national form). Numbers before a leaf's points on its line are level points,
  each after its level's name;
- a level name with its points printed twice (a merged cell repeated on the next page) is
  one level; a line with a single number holds a level's points;
- a name printed without text on its figures' line is wrapped around it: its pieces are
  the name-like fragments on the lines just above and below; a piece as wide as the
  column's widest piece goes on with the fragment on the next line;
- levels are assigned to runs of consecutive leaves: where levels print points, level-2
  points are the numbers the leaves add up to in printed order and level-1 points those
  the level-2 groups add up to (``text_blocks``); where they print none (national form),
  a level name stands where its merged cell's middle falls, so each name takes the run of
  leaves whose middle is nearest its printed position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from jixiao.extract.forms import FormContent
from jixiao.extract.normalize import (
    compact,
    is_placeholder,
    is_rate,
    join_fragments,
    parse_number,
    parse_rate,
)
from jixiao.extract.record import BudgetLine, Indicator
from jixiao.extract.text_blocks import _solve_levels
from jixiao.extract.vocabulary import (
    ACTUAL,
    ACTUAL_AMOUNT,
    BUDGET,
    DEPARTMENT_LABELS,
    INITIAL_BUDGET,
    LEVEL,
    POINTS,
    RATE,
    SCORE,
    TARGET,
    TOTAL_LABELS,
    budget_measure,
    dimension_of,
    indicator_field,
    strip_list_numbers,
    strip_prefix,
)

if TYPE_CHECKING:  # text_layer imports this module
    from jixiao.extract.text_layer import Line

_PAGE_MARK = re.compile(r"第\s*\d+\s*页\s*[,，]?\s*(?:共\s*\d+\s*页)?|-\s*\d+\s*-$")
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SENTENCE_MARKS = "，。；;,:：！!？?"
# a target or actual value: a comparison or a number with a short unit (≥85, 30座, ≤12/10万)
_VALUE = re.compile(r"[≥≤<>=＞＜~约±]+.*|\d[\d.,/]*%?[^\d\s]{0,4}")
_ENUMERATED = re.compile(r"\(?\d{1,2}[.、)）]\D")
_GLUED = re.compile(r"(\d+(?:\.\d+)?)(\D.*)")
_NAME_MAX = 24  # a name fragment is shorter than a sentence
_TOLERANCE = 1e-6


@dataclass
class _Piece:
    """A token of a table line."""

    text: str
    value: float | None


@dataclass
class _Row:
    """A line of the indicator table."""

    index: int
    page: int
    pieces: list[_Piece]

    def numbers(self) -> list[int]:
        return [pos for pos, piece in enumerate(self.pieces) if piece.value is not None]


@dataclass
class _Mention:
    """A level's name (possibly empty, to be found around it) and points, where printed."""

    row: int  # position in the table's rows
    order: float  # printed order: row plus the piece's position
    name: str
    points: float | None


@dataclass
class _Leaf:
    row: int
    name: str
    points: float
    score: float | None
    page: int
    first: int = 0  # position of the name's first piece on its line


@dataclass
class _Table:
    rows: list[_Row] = field(default_factory=list)
    fields: list[tuple[str, int]] = field(default_factory=list)
    total_points: float | None = None
    total_score: float | None = None
    total_page: int | None = None


def _width(text: str) -> float:
    return sum(0.5 if char.isascii() else 1.0 for char in text)


def _is_value(text: str) -> bool:
    """Given a piece, return True when it reads as a target or actual value."""
    return bool(_VALUE.fullmatch(text)) and not _ENUMERATED.match(text)


def _is_name_like(text: str) -> bool:
    """Given a fragment, return True when it can be (part of) a name."""
    if not text or _width(text) > _NAME_MAX or _is_value(text):
        return False
    return not any(mark in text for mark in _SENTENCE_MARKS)


def _header_fields(text: str) -> list[tuple[str, int]]:
    found = []
    for token in text.split():
        mapped = indicator_field(token)
        if mapped is not None:
            found.append(mapped)
    return found


def _is_header(text: str) -> bool:
    fields = _header_fields(text)
    kinds = {kind for kind, _ in fields}
    return LEVEL in kinds and len(kinds) >= 2 and len(fields) >= 3


def _is_header_fragment(text: str) -> bool:
    tokens = text.split()
    return bool(tokens) and all(
        indicator_field(token) is not None or len(token) <= 3 for token in tokens
    )


def _header_start(text: str) -> int:
    """Given a header line, return where its header words start (a level may come first)."""
    found = re.search(r"一级", text)
    return found.start() if found else 0


def _pieces(text: str) -> list[_Piece]:
    out = []
    for token in text.split():
        value = parse_number(token) if _PLAIN_NUMBER.fullmatch(token) else None
        out.append(_Piece(token, value))
    return out


def _table(lines: list[Line]) -> _Table | None:
    """Given the text layer's lines, return the indicator table's lines and header fields."""
    table = _Table()
    started = False
    texts = [_PAGE_MARK.sub(" ", line.text).strip() for line in lines]
    skip: set[int] = set()
    for position, line in enumerate(lines):
        text = texts[position]
        if position in skip or not text:
            continue
        if _is_header(text):
            if not started:
                started = True
            table.fields = table.fields or _header_fields(text)
            if len(_header_fields(text)) > len(table.fields):
                table.fields = _header_fields(text)
            # the header's wrapped words on the lines around it
            for step in (-1, 1, 2):
                near = position + step
                if 0 <= near < len(lines) and _is_header_fragment(texts[near]):
                    if not any(piece.value is not None for piece in _pieces(texts[near])):
                        skip.add(near)
                        if step < 0 and table.rows and table.rows[-1].index == lines[near].index:
                            table.rows.pop()
            before = text[: _header_start(text)].strip()
            if before and started:
                table.rows.append(_Row(line.index, line.page, _pieces(before)))
            continue
        if not started:
            continue
        flat = compact(text)
        if flat.startswith(TOTAL_LABELS):
            numbers = [p.value for p in _pieces(text) if p.value is not None]
            if numbers:
                table.total_score = numbers[-1]
                table.total_points = numbers[0] if len(numbers) > 1 else None
            table.total_page = line.page
            break
        table.rows.append(_Row(line.index, line.page, _pieces(text)))
    return table if started else None


def _has_level_points(fields: list[tuple[str, int]]) -> bool:
    """Return True when the header gives level columns their own points (分值 after 一级指标)."""
    kinds = [kind for kind, _ in fields]
    if LEVEL not in kinds or POINTS not in kinds:
        return False
    return kinds.index(POINTS) < len(kinds) - 1 - kinds[::-1].index(LEVEL)


def _values_before_points(fields: list[tuple[str, int]]) -> int:
    """Return how many value columns (target, actual) the header prints before the points."""
    kinds = [kind for kind, _ in fields]
    if POINTS not in kinds:
        return 0
    last_points = len(kinds) - 1 - kinds[::-1].index(POINTS)
    return sum(1 for kind in kinds[:last_points] if kind in (TARGET, ACTUAL))


def _name_of(pieces: list[_Piece]) -> str:
    """Given the text pieces before a number, return the name they end with."""
    text = join_fragments(piece.text for piece in pieces)
    cut = max(text.rfind(mark) for mark in "。；;")
    return text[cut + 1 :]


@dataclass
class _Reading:
    leaves: list[_Leaf] = field(default_factory=list)
    mentions: list[_Mention] = field(default_factory=list)
    claimed: dict[int, set[int]] = field(default_factory=dict)  # row → claimed piece positions

    def claim(self, row: int, *positions: int) -> None:
        self.claimed.setdefault(row, set()).update(positions)


def _leaf_points(pieces: list[_Piece], numbers: list[int]) -> int:
    """Given a line's numbers (the last is the score), return the position of the points.

    The points are the rightmost number not below the score: a number between them is a
    target or actual value (孕产妇死亡率 10 ≤12/10万 0 10).
    """
    score = pieces[numbers[-1]].value or 0.0
    for position in reversed(numbers[:-1]):
        if position and _is_value(pieces[position - 1].text) and pieces[position - 1].value is None:
            continue  # an actual value after its target
        if (pieces[position].value or 0.0) >= score - _TOLERANCE:
            return position
    return numbers[-2]


def _level_pairs(table: _Table) -> dict[tuple[str, float], int]:
    """Return how often each name is printed just before each number."""
    pairs: dict[tuple[str, float], int] = {}
    for row in table.rows:
        for position in row.numbers():
            name = _name_of(row.pieces[:position][-1:]) if position else ""
            value = row.pieces[position].value or 0.0
            if _is_name_like(name) and row.pieces[position - 1].value is None:
                pairs[(name, value)] = pairs.get((name, value), 0) + 1
    return pairs


def _read_level_points(table: _Table) -> _Reading:
    """Read leaves and level mentions of a table whose levels print their points."""
    reading = _Reading()
    pairs = _level_pairs(table)
    # a score printed against a repeated level name: 1管理效能 45
    for row in table.rows:
        for position in reversed(row.numbers()):
            glued = _GLUED.fullmatch(row.pieces[position - 1].text) if position else None
            if glued and pairs.get((glued.group(2), row.pieces[position].value or 0.0), 0):
                row.pieces[position - 1 : position] = _pieces(" ".join(glued.groups()))
    pairs = _level_pairs(table)
    seen: set[tuple[str, float]] = set()
    for number, row in enumerate(table.rows):
        numbers = row.numbers()
        kept = []
        for position in numbers:
            name = _name_of(row.pieces[:position][-1:]) if position else ""
            key = (name, row.pieces[position].value or 0.0)
            if _is_name_like(name) and pairs.get(key, 0) > 1:
                reading.claim(number, position - 1, position)
                if key not in seen:
                    seen.add(key)
                    reading.mentions.append(_Mention(number, number + position / 100, name, key[1]))
                continue
            kept.append(position)
        if not kept:
            continue
        if len(kept) == 1:
            position = kept[0]
            start = _previous_number(row, position) + 1
            name = _name_of(row.pieces[start:position])
            reading.claim(number, *range(start, position + 1))
            reading.mentions.append(
                _Mention(number, number + position / 100, name, _value(row, position))
            )
            continue
        points_at = _leaf_points(row.pieces, kept)
        levels = [position for position in kept if position < points_at]
        for position in levels:
            start = _previous_number(row, position) + 1
            reading.claim(number, *range(start, position + 1))
            name = _name_of(row.pieces[start:position])
            reading.mentions.append(
                _Mention(number, number + position / 100, name, _value(row, position))
            )
        # a level name's piece may come before the leaf's name: the name is the last piece
        start = max(_previous_number(row, points_at) + 1, points_at - 1)
        reading.claim(number, *range(start, points_at + 1), kept[-1])
        reading.leaves.append(
            _Leaf(
                number,
                join_fragments(p.text for p in row.pieces[start:points_at]),
                _value(row, points_at) or 0.0,
                _value(row, kept[-1]),
                row.page,
                start,
            )
        )
    return reading


def _value(row: _Row, position: int) -> float | None:
    return row.pieces[position].value


def _previous_number(row: _Row, position: int) -> int:
    return next((p for p in range(position - 1, -1, -1) if row.pieces[p].value is not None), -1)


def _label_pieces(table: _Table) -> set[int]:
    """Return the lines that open with a piece of a wrapped row label (绩效指 / 标).

    A label column left of the levels is narrower than any name: a single character opening
    a line, and the short piece opening the line above it, are its wrapped text.
    """
    out: set[int] = set()
    for number, row in enumerate(table.rows):
        first = row.pieces[0].text if row.pieces else ""
        if (
            row.pieces
            and row.pieces[0].value is None
            and _width(first) <= 1
            and len(row.pieces) > 1
        ):
            out.add(number)
            above = table.rows[number - 1].pieces if number else []
            if above and above[0].value is None and _width(above[0].text) <= 3 and len(above) > 1:
                out.add(number - 1)
    return out


def _read_national(table: _Table) -> _Reading:
    """Read leaves and level mentions of a table whose levels print no points."""
    reading = _Reading()
    values = _values_before_points(table.fields)
    labels = _label_pieces(table)
    for number, row in enumerate(table.rows):
        numbers = row.numbers()
        if number in labels:
            reading.claim(number, 0)

        def is_name(position: int, number: int = number, row: _Row = row) -> bool:
            return _is_name_like(row.pieces[position].text) and not (
                position == 0 and number in labels
            )

        if len(numbers) < 2:
            continue
        points_at, score_at = numbers[-2], numbers[-1]
        before = list(range(points_at))
        # target and actual values just before the points
        dropped = 0
        while before and dropped < values and not _is_name_like(row.pieces[before[-1]].text):
            before.pop()
            dropped += 1
        while before and dropped < values and row.pieces[before[-1]].value is not None:
            before.pop()
            dropped += 1
        names = [p for p in before if is_name(p)]
        if not names:
            name = ""
        else:
            name = row.pieces[names[-1]].text
        for position in names[:-1]:
            reading.mentions.append(
                _Mention(number, number + position / 100, row.pieces[position].text, None)
            )
        reading.claim(number, *before, points_at, score_at)
        reading.leaves.append(
            _Leaf(
                number,
                name,
                _value(row, points_at) or 0.0,
                _value(row, score_at),
                row.page,
                names[-1] if names else 0,
            )
        )
    return reading


def _fragment(
    table: _Table, reading: _Reading, number: int, last: bool = False
) -> tuple[int, str] | None:
    """Return the first unclaimed piece of a line when it is name-like, else None.

    With ``last``, return the last of the name-like pieces that open the line's unclaimed
    text instead (a leaf's column stands right of the level columns).
    """
    if not 0 <= number < len(table.rows):
        return None
    row = table.rows[number]
    claimed = reading.claimed.get(number, set())
    found = None
    for position, piece in enumerate(row.pieces):
        if position in claimed:
            if found is not None:
                break
            continue
        if piece.value is None and _is_name_like(piece.text):
            found = position, piece.text
            if not last:
                return found
            continue
        break
    return found


def _leading_leaf(reading: _Reading, number: int) -> _Leaf | None:
    """Return the leaf of a line whose name opens the line (nothing printed before it)."""
    for leaf in reading.leaves:
        if leaf.row == number and leaf.name and leaf.first == 0:
            return leaf
    return None


def _take(table: _Table, reading: _Reading, number: int, last: bool = False) -> str | None:
    found = _fragment(table, reading, number, last)
    if found is None:
        return None
    reading.claim(number, found[0])
    return found[1]


def _complete_names(table: _Table, reading: _Reading, extend: bool) -> None:
    """Give names printed apart from their figures the fragments around them.

    A level's points printed without a name take the name-like pieces just above and below
    (a leaf's name opening the line above or below gives way when the other side has a
    piece too: the level's name is centred on its points). A leaf printed without a name
    then does the same. Where levels print points (so a line of its own is never a level
    name), a leaf name as wide as the widest goes on with the piece below.
    """
    widest = max((_width(leaf.name) for leaf in reading.leaves), default=0.0)
    leaf_rows = {leaf.row for leaf in reading.leaves}
    for mention in reading.mentions:
        # a level's piece left before a leaf's name on the line above or below
        for step in (-1, 1):
            near = mention.row + step
            found = _fragment(table, reading, near) if near in leaf_rows else None
            if found is not None and found[0] == 0:
                reading.claim(near, found[0])
                mention.name = found[1] + mention.name if step < 0 else mention.name + found[1]
    for mention in reading.mentions:
        if mention.name:
            continue
        above = _fragment(table, reading, mention.row - 1)
        below = _fragment(table, reading, mention.row + 1)
        leaf_above = _leading_leaf(reading, mention.row - 1)
        leaf_below = _leading_leaf(reading, mention.row + 1)
        parts = []
        if above is not None:
            parts.append(_take(table, reading, mention.row - 1))
        elif leaf_above is not None and (below is not None or leaf_below is not None):
            parts.append(leaf_above.name)
            leaf_above.name = ""
        if below is not None:
            parts.append(_take(table, reading, mention.row + 1))
        elif leaf_below is not None and parts:
            parts.append(leaf_below.name)
            leaf_below.name = ""
        mention.name = join_fragments(part for part in parts if part)
    wrapped: set[int] = set()
    for leaf in reading.leaves:
        if leaf.name:
            continue
        wrapped.add(leaf.row)
        parts = [
            _take(table, reading, leaf.row - 1, last=True),
            _take(table, reading, leaf.row + 1, last=True),
        ]
        leaf.name = join_fragments(part for part in parts if part)
    for leaf in reading.leaves:
        if extend and leaf.row not in wrapped and widest and _width(leaf.name) >= widest - 0.5:
            below = _take(table, reading, leaf.row + 1, last=True)
            if below:
                leaf.name += below


def _fragment_mentions(table: _Table, reading: _Reading) -> None:
    """Add the level names printed on lines of their own (national form), in printed order.

    A name as wide as the widest level name goes on with a level name opening the next line.
    """
    leaf_rows = {leaf.row for leaf in reading.leaves}
    # leaves whose reason is printed after their score: its wrapped lines are near them
    reasons = {
        leaf.row
        for leaf in reading.leaves
        if len(table.rows[leaf.row].pieces) > table.rows[leaf.row].numbers()[-1] + 1
    }
    for number, row in enumerate(table.rows):
        if number in leaf_rows or row.numbers():
            continue
        claimed = reading.claimed.get(number, set())
        names = []
        for position, piece in enumerate(row.pieces):
            if position in claimed:
                continue
            if not _is_name_like(piece.text):
                break
            names.append(position)
        if len(names) > 1 and any(abs(number - other) <= 2 for other in reasons):
            names.pop()  # the last piece is the reason's wrapped text
        for position in names:
            reading.claim(number, position)
            text = row.pieces[position].text
            reading.mentions.append(_Mention(number, number + position / 100, text, None))
    reading.mentions.sort(key=lambda mention: mention.order)
    widest = max((_width(mention.name) for mention in reading.mentions), default=0.0)
    merged: list[_Mention] = []
    for mention in reading.mentions:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.row == mention.row - 1
            and _width(previous.name) >= widest - 0.5
            and mention.order == mention.row
        ):
            previous.name += mention.name
            continue
        merged.append(mention)
    reading.mentions = merged


def _groups_by_points(
    leaves: list[_Leaf], mentions: list[_Mention]
) -> tuple[list[int], list[int], list[str], list[str]] | None:
    """Return level-2 group ends, level-1 group ends (in level-2 groups) and their names."""
    # on one line the level-2 name stands right of the level-1 name: offer it first
    mentions = sorted(
        (m for m in mentions if m.points is not None), key=lambda m: (m.row, -m.order)
    )
    solved = _solve_levels([leaf.points for leaf in leaves], [m.points or 0.0 for m in mentions])
    if solved is None:
        return None
    level2, level1 = solved
    names2 = [mentions[index].name for _, index in level2]
    names1 = [mentions[index].name for _, index in level1]
    return [end for end, _ in level2], [end for end, _ in level1], names1, names2


def _centres(leaves: list[_Leaf]) -> list[float]:
    return [float(leaf.row) for leaf in leaves]


def _position(leaves: list[_Leaf], order: float) -> float:
    """Given a printed position, return it in leaf units (leaf i at i)."""
    rows = _centres(leaves)
    if order <= rows[0]:
        return 0.0
    for index in range(len(rows) - 1):
        low, high = rows[index], rows[index + 1]
        if low <= order <= high:
            return index + (order - low) / (high - low)
    return float(len(rows) - 1)


def _groups_by_position(
    leaves: list[_Leaf], mentions: list[_Mention]
) -> tuple[list[int], list[int], list[str], list[str]] | None:
    """Assign each level name a run of leaves whose middle falls where it is printed.

    Every name is level 1, level 2 or not a level name (a label column's fragment); the
    choice costs the distance of each run's middle from its name, plus one per name left
    out, and level-1 runs must end where level-2 runs do.
    """
    count = len(leaves)
    places = [_position(leaves, mention.row) for mention in mentions]
    mentions_count = len(mentions)

    @cache
    def best(
        index: int,
        start2: int,
        start1: int,
        ends2: frozenset[int],
        ends1: frozenset[int],
        row2: int,
    ) -> tuple[float, tuple]:
        if index == mentions_count:
            if start2 == count and start1 == count and ends1 <= ends2:
                return 0.0, ()
            return float("inf"), ()
        mention = mentions[index]
        place = places[index]
        options: list[tuple[float, tuple]] = []
        skip_cost, skip_path = best(index + 1, start2, start1, ends2, ends1, row2)
        options.append((skip_cost + 1.0, (("skip",), *skip_path)))
        for end in _ends(start2, place, count):
            if start1 < end and start1 > start2:
                continue  # a level-2 run crosses a level-1 boundary
            cost, path = best(index + 1, end, start1, ends2 | {end}, ends1, mention.row)
            middle = (start2 + end - 1) / 2
            options.append((cost + abs(middle - place), (("2", end), *path)))
        if row2 != mention.row:  # on one line a level-1 name stands left of a level-2 name
            for end in _ends(start1, place, count):
                if start1 not in ends2 and start1 != 0:
                    continue
                cost, path = best(index + 1, start2, end, ends2, ends1 | {end}, row2)
                middle = (start1 + end - 1) / 2
                options.append((cost + abs(middle - place), (("1", end), *path)))
        return min(options, key=lambda option: option[0])

    cost, path = best(0, 0, 0, frozenset(), frozenset(), -1)
    if cost == float("inf"):
        return None
    ends2, ends1, names1, names2 = [], [], [], []
    for mention, step in zip(mentions, path, strict=False):
        if step[0] == "2":
            ends2.append(step[1])
            names2.append(mention.name)
        elif step[0] == "1":
            ends1.append(step[1])
            names1.append(mention.name)
    level1_ends = [ends2.index(end) + 1 for end in ends1 if end in ends2]
    if len(level1_ends) != len(ends1):
        return None
    return ends2, level1_ends, names1, names2


def _ends(start: int, place: float, count: int) -> list[int]:
    """Return the run ends (exclusive) from ``start`` whose middle is nearest ``place``."""
    exact = 2 * place - start + 1
    candidates = {int(exact), int(exact) + 1}
    return sorted(end for end in candidates if start < end <= count)


def _rows(
    leaves: list[_Leaf], ends2: list[int], ends1: list[int], names1: list[str], names2: list[str]
) -> list[Indicator]:
    rows: list[Indicator] = []
    starts2 = [0, *ends2]
    owner: list[int] = []
    for group1, end in enumerate(ends1):
        owner.extend([group1] * (end - len(owner)))
    leaf_names = strip_list_numbers([leaf.name for leaf in leaves])
    sums2 = [
        sum(leaf.points for leaf in leaves[a:b]) for a, b in zip(starts2, starts2[1:], strict=False)
    ]
    for group2 in range(len(ends2)):
        group1 = owner[group2] if group2 < len(owner) else None
        sum1 = (
            sum(sums2[g] for g in range(len(sums2)) if g < len(owner) and owner[g] == group1)
            if group1 is not None
            else None
        )
        for index in range(starts2[group2], starts2[group2 + 1]):
            leaf = leaves[index]
            rows.append(
                {
                    "level1": names1[group1]
                    if group1 is not None and group1 < len(names1)
                    else None,
                    "level1_points": sum1,
                    "level2": names2[group2] if group2 < len(names2) else None,
                    "level2_points": sums2[group2],
                    "level3": leaf_names[index] or None,
                    "points": leaf.points,
                    "score": leaf.score,
                    "target": None,
                    "actual": None,
                    "page": leaf.page,
                }
            )
    return rows


def read_flattened(lines: list[Line]) -> FormContent | None:
    """Given a text layer's lines, return the indicator table read line by line, or None."""
    table = _table(lines)
    if table is None or not table.rows:
        return None
    level_points = _has_level_points(table.fields)
    reading = _read_level_points(table) if level_points else _read_national(table)
    if not reading.leaves:
        return None
    _complete_names(table, reading, extend=level_points)
    if not level_points:
        _fragment_mentions(table, reading)
    if level_points:
        groups = _groups_by_points(reading.leaves, reading.mentions)
    else:
        groups = _groups_by_position(reading.leaves, reading.mentions)
    if groups is None:
        return None
    content = FormContent()
    content.found_indicator_table = True
    content.indicators = _rows(reading.leaves, *groups)
    content.total_points = table.total_points
    content.total_score = table.total_score
    content.total_page = table.total_page
    return content


def department_after_label(lines: list[Line]) -> str | None:
    """Given the lines, return the name printed after a department label on its line."""
    for line in lines:
        flat = compact(line.text)
        label = next((word for word in DEPARTMENT_LABELS if flat.startswith(compact(word))), None)
        if label is None:
            continue
        rest = flat[len(compact(label)) :].lstrip(":")
        if rest and not any(char.isdigit() for char in rest):
            return rest
    return None


@dataclass
class ExecutionTable:
    """The national form's 年度预算执行情况: its budget lines and the points of 预算执行率."""

    lines: list[BudgetLine]
    points: float | None = None
    score: float | None = None


def read_execution_table(lines: list[Line]) -> ExecutionTable | None:
    """Given the lines, return the budget-execution table whose header names its measures.

    The header is a line of measure words (年初预算数 全年预算数 全年执行数 分值 执行率 得分,
    read by ``budget_measure``); each following line ending in one value per measure is a
    row, labelled by its last word before the values (a wrapped label column's pieces come
    first). The first row is the total; its 分值 and 得分 are the points of 预算执行率.
    """
    for position, line in enumerate(lines):
        measures = [budget_measure(token) for token in line.text.split()]
        known = [measure for measure in measures if measure is not None]
        if len(known) < 3 or ACTUAL_AMOUNT not in known:
            continue
        out = ExecutionTable([])
        for other in lines[position + 1 : position + 12]:
            tokens = other.text.split()
            if len(tokens) <= len(known):
                continue
            values, labels = tokens[-len(known) :], tokens[: -len(known)]
            if not all(is_rate(value) or is_placeholder(value) for value in values):
                if out.lines:
                    break
                continue
            item = strip_prefix(labels[-1])
            row = dict(zip(known, values, strict=True))
            out.lines.append(
                {
                    "dimension": dimension_of(None, item),
                    "item": item,
                    "budget": parse_number(row.get(BUDGET)),
                    "actual": parse_number(row.get(ACTUAL_AMOUNT)),
                    "reported_rate": parse_rate(row.get(RATE)),
                    "initial_budget": parse_number(row.get(INITIAL_BUDGET)),
                    "adjustment": None,
                    "page": other.page,
                }
            )
            if len(out.lines) == 1:
                out.points, out.score = parse_number(row.get(POINTS)), parse_number(row.get(SCORE))
        return out if out.lines else None
    return None
