"""The indicator table (绩效指标): leaves anchored on their numbers, levels from merged cells.

``pages → headers → sections → leaves → level groups → indicators``:

- **Headers** are lines whose words name levels and points or scores
  (``jixiao.extract.vocabulary``),
  in any order; each maps its columns (``jixiao.extract.columns``).
- **Sections** are the body under a header, up to the next header or the 总分 row; a table
  that runs off a page without a 总分 continues at the top of the next page, with or
  without a repeated header. All sections of a document form one virtual column of rows.
- **Leaves** are anchored on the numbers of the leaf points and score columns: each row
  prints them once, whatever its height. The texts of the leaf, target and actual columns
  are cut into blocks (by rules, else by the blank space between rows) and each block goes
  to the nearest anchor.
- **Levels**: a merged level cell prints its name once, at the top, middle or bottom of the
  rows it spans, possibly on another page, possibly twice (once per page it touches). The
  leaves are split into consecutive groups, one per printed name, by dynamic programming:
  the cost of a group is how far its name sits from where its alignment puts it, plus a
  penalty when the level's printed points are not the sum of its leaves' points, plus a
  penalty for every horizontal rule the grouping contradicts. The alignment (top, centre,
  bottom) with the least total cost wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from statistics import median

from jixiao.extract.columns import Column, Header, find_headers
from jixiao.extract.normalize import clean_text, compact, is_number, join_fragments, parse_number
from jixiao.extract.page_words import Line, PageLayout, Rule, Word, is_page_number, lines_of
from jixiao.extract.record import Indicator
from jixiao.extract.vocabulary import (
    ACTUAL,
    LEVEL,
    POINTS,
    SCORE,
    TARGET,
    TOTAL_LABELS,
    indicator_field,
    split_overprint,
    strip_enumerator,
)

BLOCK_GAP = 0.5  # share of a line height: a larger blank between lines starts a new block
SUM_PENALTY = 3.0  # cost (in row heights) of a group whose points do not add up
RULE_PENALTY = 20.0  # cost of a grouping that contradicts a horizontal rule
NEST_PENALTY = 1.5  # cost of a group that ends inside a group of the level below
SUM_TOLERANCE = 0.011
ORPHAN_ROWS = 0.6  # a name farther than this many row pitches from any figure is a row
LIST_START = re.compile(r"^(?:\(?[0-9]{1,2}[.、)）]|[（(][一二三四五六七八九十]{1,3}[)）])")
FULL_LINE = 0.75  # share of the column's widest line a line must fill to wrap onto the next
FRAGMENT_LINES = 3.5  # line heights a name's wrapped part may stand from the rest
ALIGNMENTS: tuple[str, ...] = ("centre", "top", "bottom")


def is_indicator_header(fields: Sequence[tuple[str, int]]) -> bool:
    """Given the fields a line's words name, return True for an indicator-table header."""
    names = [name for name, _ in fields]
    return LEVEL in names and (POINTS in names or SCORE in names) and len(fields) >= 3


@dataclass
class Section:
    """Body rows of the indicator table under one header (or continued from a page before)."""

    header: Header
    page: int
    top: float
    bottom: float
    lines: list[Line]
    above: list[Word] = field(default_factory=list)  # level names printed above the header
    total: Line | None = None
    offset: float = 0.0
    rows_top: float | None = None  # extent of the leaf rows on this page
    rows_bottom: float | None = None

    def among_rows(self, top: float, bottom: float) -> bool:
        """Return True when a printed name lies among this section's leaf rows."""
        if self.rows_top is None or self.rows_bottom is None:
            return False
        middle = (top + bottom) / 2
        return self.rows_top <= middle <= self.rows_bottom

    def virtual(self, y: float) -> float:
        """Return a page y of this section in the document's one virtual column."""
        return self.offset + (y - self.top)


@dataclass
class Leaf:
    """One leaf row: its anchor numbers and the words of its text columns."""

    section: Section
    middle: float
    points: float | None
    score: float | None
    words: dict[str, list[Word]] = field(default_factory=dict)
    top: float = 0.0
    bottom: float = 0.0
    band_top: float = 0.0
    band_bottom: float = 0.0

    def text(self, field_name: str) -> str | None:
        parts = self.words.get(field_name, [])
        if not parts:
            return None
        return join_fragments(line.text for line in lines_of(parts)) or None

    @property
    def vtop(self) -> float:
        return self.section.virtual(self.top)

    @property
    def vbottom(self) -> float:
        return self.section.virtual(self.bottom)


@dataclass
class Label:
    """A printed level name: its text, extent (virtual), page and the points beside it."""

    text: str
    top: float
    bottom: float
    page: int
    points: float | None
    inside: bool  # printed among the rows (not above a repeated header)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class IndicatorTable:
    """What was read: indicators, the 总分 row, and the evidence ``jixiao inspect`` shows."""

    indicators: list[Indicator]
    total_score: float | None
    total_points: float | None
    total_page: int | None
    headers: list[Header]
    alignments: dict[int, str]
    notes: list[str]


def _is_total(line: Line) -> bool:
    first = compact(line.words[0].text)
    return any(first.startswith(label) for label in TOTAL_LABELS)


def _roles(header: Header) -> dict[str, Column]:
    """Given a header, return its columns by role: leaf, points, score, target, actual, level N."""
    roles: dict[str, Column] = {}
    levels = [column for column in header.columns if column.field == LEVEL]
    deepest = max((column.level for column in levels), default=0)
    previous: Column | None = None
    for column in header.columns:
        if column.field == LEVEL:
            role = "leaf" if column.level == deepest else f"level{column.level}"
            roles.setdefault(role, column)
        elif column.field == POINTS:
            if previous is not None and previous.field == LEVEL and previous.level != deepest:
                roles.setdefault(f"level{previous.level}_points", column)
            else:
                roles.setdefault("points", column)
        elif column.field in (SCORE, TARGET, ACTUAL):
            roles.setdefault(column.field, column)
        previous = column
    return roles


def _sections(layouts: Sequence[PageLayout]) -> list[Section]:
    sections: list[Section] = []
    for page in layouts:
        headers = find_headers(page, indicator_field, is_indicator_header)
        lines = lines_of(page.words)
        open_section = sections[-1] if sections and sections[-1].total is None else None
        if open_section is not None and open_section.page != page.number - 1:
            open_section = None
        first_header_top = headers[0].top if headers else None
        repeated = False
        if open_section is not None:
            before = [
                line
                for line in lines
                if first_header_top is None or line.bottom <= first_header_top
            ]
            roles = _roles(open_section.header)
            continued = any(
                _number(word) is not None
                and any(
                    c is not None and c.holds(word)
                    for c in (roles.get("points"), roles.get("score"))
                )
                for line in before
                for word in line.words
            )
            if headers and not continued:  # a repeated header: names above it are copies
                repeated = True
                over = [line for line in lines if line.middle <= headers[0].bottom]
                sections.append(
                    Section(
                        _repeated(headers[0], open_section.header),
                        page.number,
                        headers[0].bottom,
                        0.0,
                        [],
                        _words(over),
                    )
                )
                sections[-1].lines = _body(lines, headers[0], headers[1:], sections[-1])
            elif before:  # the table continues without a header
                top = min(line.top for line in before)
                section = Section(open_section.header, page.number, top, 0.0, [])
                section.lines = _body(before, None, [], section)
                sections.append(section)
        for index, header in enumerate(headers):
            if repeated and index == 0:
                continue
            section = Section(header, page.number, header.bottom, 0.0, [])
            section.lines = _body(lines, header, headers[index + 1 :], section)
            sections.append(section)
    offset = 0.0
    for section in sections:
        words = [word for line in section.lines for word in line.words]
        section.bottom = max((word.bottom for word in words), default=section.top)
        heights = [word.height for word in words] or [1.0]
        section.offset = offset
        offset += section.bottom - section.top + median(heights)
    return sections


def _repeated(header: Header, previous: Header) -> Header:
    """Given a header repeated over a continued table, return the columns to read it by.

    A repeated header is the table's own: when it maps fewer columns than the header it
    repeats (printed over by a merged name, or garbled in a text layer), the columns of
    the first are kept, with the repeat's position and words.
    """
    fields = [(column.field, column.level) for column in header.columns]
    before = [(column.field, column.level) for column in previous.columns]
    if len(fields) >= len(before) or not set(fields) <= set(before):
        return header
    return replace(header, columns=previous.columns, ruled=previous.ruled)


def _words(lines: Sequence[Line]) -> list[Word]:
    return [word for line in lines for word in line.words]


def _body(
    lines: Sequence[Line], header: Header | None, later: Sequence[Header], section: Section
) -> list[Line]:
    """Given a page's lines, return the body under a header (all lines when None)."""
    stop = later[0].top if later else None
    body: list[Line] = []
    for line in lines:
        if header is not None and line.middle <= header.bottom:
            continue
        if is_page_number(line):
            continue
        if stop is not None and line.bottom > stop:
            break
        if _is_total(line):
            section.total = line
            break
        body.append(line)
    return body


def _number(word: Word) -> float | None:
    return parse_number(word.text) if is_number(word.text) else None


def _figures(words: Sequence[Word]) -> list[tuple[Word, float]]:
    """Given one column's words, return its figures, a number wrapped after its point
    (``50.`` over ``00``) joined back into one."""
    ordered = sorted(words, key=lambda word: (word.middle, word.x0))
    out: list[tuple[Word, float]] = []
    skip: set[int] = set()
    for index, word in enumerate(ordered):
        if index in skip:
            continue
        text = word.text
        if text.endswith((".", ",")) and index + 1 < len(ordered):
            following = ordered[index + 1]
            if following.top - word.bottom < word.height * BLOCK_GAP and following.text.isdigit():
                text += following.text
                skip.add(index + 1)
                word = Word(text, word.x0, word.x1, word.top, following.bottom, word.page)
        text = text.removesuffix("分")  # 5分: points printed with their unit
        if is_number(text):
            value = parse_number(text)
            if value is not None:
                out.append((word, value))
    return out


def _anchors(section: Section, roles: dict[str, Column]) -> list[Leaf]:
    """Given a section and its column roles, return one leaf per row of leaf numbers."""
    found: list[tuple[float, str, float, float]] = []  # middle, role, value, height
    words = [word for line in section.lines for word in line.words]
    for role in ("points", "score"):
        column = roles.get(role)
        if column is None:
            continue
        for word, value in _figures([w for w in words if column.holds(w)]):
            found.append((word.middle, role, value, word.height))
    found.sort()
    leaves: list[Leaf] = []
    for middle, role, value, height in found:
        last = leaves[-1] if leaves else None
        if last is not None and abs(middle - last.middle) <= height * 0.5:
            if getattr(last, role) is None:
                setattr(last, role, value)
            continue
        leaf = Leaf(
            section, middle, None, None, top=middle - height / 2, bottom=middle + height / 2
        )
        setattr(leaf, role, value)
        leaves.append(leaf)
    return leaves


def _crossed(rules: Sequence[Rule], x: float, low: float, high: float) -> bool:
    return any(rule.x0 - 1 <= x <= rule.x1 + 1 and low < rule.y0 < high for rule in rules)


def _width(line: Line) -> float:
    return max(word.x1 for word in line.words) - min(word.x0 for word in line.words)


def _blocks(words: Sequence[Word], rules: Sequence[Rule], x: float) -> list[list[Line]]:
    """Given a column's words, return them cut into blocks (one cell's wrapped lines each).

    A line continues the block above when nothing but a line's worth of space separates
    them, no rule runs between them, and the line above is full (text wraps only when the
    cell is full; two short lines are two cells printed without space between them).
    """
    lines = lines_of(words)
    widest = max((_width(line) for line in lines), default=0.0)
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks:
            last = blocks[-1][-1]
            gap = line.top - last.bottom
            limit = BLOCK_GAP * median(word.height for word in last.words)
            full = _width(last) >= FULL_LINE * widest
            numbered = bool(LIST_START.match(line.words[0].text))  # 2.… starts a new cell
            if (
                gap <= limit
                and full
                and not numbered
                and not _crossed(rules, x, last.middle, line.middle)
            ):
                blocks[-1].append(line)
                continue
        blocks.append([line])
    return blocks


def _distance(middle: float, top: float, bottom: float) -> float:
    if top <= middle <= bottom:
        return 0.0
    return min(abs(middle - top), abs(middle - bottom))


def _assign_texts(
    section: Section, leaves: list[Leaf], roles: dict[str, Column], rules: Sequence[Rule]
) -> None:
    """Give each leaf the blocks of its leaf, target and actual columns nearest to it."""
    if not leaves:
        return
    for role in ("leaf", TARGET, ACTUAL):
        column = roles.get(role)
        if column is None:
            continue
        words = [w for line in section.lines for w in line.words if column.holds(w)]
        later: list[list[Line]] = []
        for block in _blocks(words, rules, (column.x0 + column.x1) / 2):
            top, bottom = block[0].top, block[-1].bottom
            inside = [leaf for leaf in leaves if top <= leaf.middle <= bottom]
            if len(inside) > 1:  # rows printed without space between them: split by line
                for line in block:
                    nearest = min(inside, key=lambda leaf: abs(leaf.middle - line.middle))
                    nearest.words.setdefault(role, []).extend(line.words)
            elif inside:
                inside[0].words.setdefault(role, []).extend(w for ln in block for w in ln.words)
            else:
                later.append(block)
        middles = sorted(leaf.middle for leaf in leaves)
        gaps = [b - a for a, b in zip(middles, middles[1:], strict=False)]
        pitch = median(gaps) if gaps else 2 * median(leaf.bottom - leaf.top for leaf in leaves)
        for block in later:  # text beside no figure: the nearest row, an empty one on a tie
            top, bottom = block[0].top, block[-1].bottom
            nearest = min(
                leaves,
                key=lambda leaf: (_distance(leaf.middle, top, bottom), role in leaf.words),
            )
            far = _distance(nearest.middle, top, bottom) > ORPHAN_ROWS * pitch
            if role == "leaf" and far and "leaf" in nearest.words:
                # a row of its own whose figures were not read: kept, without figures, so
                # the record says so (partly_read) instead of joining it to a neighbour
                middle = (top + bottom) / 2
                orphan = Leaf(section, middle, None, None, top=top, bottom=bottom)
                orphan.words["leaf"] = [w for line in block for w in line.words]
                leaves.append(orphan)
                continue
            nearest.words.setdefault(role, []).extend(w for line in block for w in line.words)
        leaves.sort(key=lambda leaf: leaf.middle)
    for leaf in leaves:
        parts = [w for words in leaf.words.values() for w in words]
        if parts:
            leaf.top = min(leaf.top, *(w.top for w in parts))
            leaf.bottom = max(leaf.bottom, *(w.bottom for w in parts))


def _bands(leaves: list[Leaf]) -> None:
    """Give every leaf the band of its row: halfway to its neighbours in the same section."""
    for index, leaf in enumerate(leaves):
        previous = leaves[index - 1] if index else None
        following = leaves[index + 1] if index + 1 < len(leaves) else None
        half = (leaf.bottom - leaf.top) * 0.15
        if previous is not None and previous.section is leaf.section:
            leaf.band_top = (previous.bottom + leaf.top) / 2
        else:
            leaf.band_top = leaf.top - half
        if following is not None and following.section is leaf.section:
            leaf.band_bottom = (leaf.bottom + following.top) / 2
        else:
            leaf.band_bottom = leaf.bottom + half


def _labels(
    sections: Sequence[Section], role: str, points_role: str, rules_of: dict[int, list[Rule]]
) -> list[Label]:
    """Given the sections, return the printed names of one level column, in virtual order."""
    labels: list[Label] = []
    for section in sections:
        roles = _roles(section.header)
        column, points = roles.get(role), roles.get(points_role)
        if column is None:
            continue
        body = [w for line in section.lines for w in line.words]
        header_words = set(section.header.words)
        header_line = [
            _name_part(w)
            for w in section.above
            if w not in header_words
            and column.holds(w)
            and not _number(w)
            and indicator_field(w.text) is None
        ]
        words = [
            w for w in body if column.holds(w) and indicator_field(w.text) is None
        ] + header_line
        numbers = _figures(
            [_name_part(w) for w in body + section.above if points is not None and points.holds(w)]
        )
        x = (column.x0 + column.x1) / 2
        found: list[list] = []  # [text, top, bottom, value]
        for block in _blocks(words, rules_of.get(section.page, []), x):
            text = join_fragments(line.text.replace(" ", "") for line in block)
            top, bottom = block[0].top, block[-1].bottom
            height = median(w.height for line in block for w in line.words)
            near = [(w, v) for w, v in numbers if top - height <= w.middle <= bottom + height]
            value = figure = None
            if near:
                middle = (top + bottom) / 2
                figure, value = min(near, key=lambda pair: abs(pair[0].middle - middle))
            found.append([text, top, bottom, value, height, figure])
        for text, top, bottom, value, _, _ in _joined_fragments(found):
            labels.append(
                Label(
                    strip_enumerator(text) or text,
                    section.virtual(top),
                    section.virtual(bottom),
                    section.page,
                    value,
                    section.among_rows(top, bottom),
                )
            )
    labels.sort(key=lambda label: label.middle)
    merged: list[Label] = []
    for label in labels:  # a name printed on both pages of a split merged cell is one name
        if merged and merged[-1].text == label.text:
            kept = merged[-1]
            if label.inside and not kept.inside:
                merged[-1] = label
            if kept.points is None:
                merged[-1].points = label.points
            continue
        merged.append(label)
    return merged


def _name_part(word: Word) -> Word:
    """Given a word printed on a header line, return the name in it (a text layer reads a
    name printed over a header word interleaved with it)."""
    parts = split_overprint(word.text)
    if parts is None:
        return word
    return Word(parts[1], word.x0, word.x1, word.top, word.bottom, word.page)


def _joined_fragments(found: list[list]) -> list[list]:
    """Given a column's name blocks ``[text, top, bottom, points, height, figure]``, return
    them with blocks beside the same figure joined, and every block without points joined
    to the nearest one with points when the column's names carry points (a wrapped name
    split around its rows in a text layer)."""
    out: list[list] = []
    for block in found:  # two blocks beside the same figure are one wrapped name
        if out and block[5] is not None and out[-1][5] is block[5]:
            out[-1][0] += block[0]
            out[-1][2] = block[2]
            continue
        out.append(list(block))
    if all(block[3] is None for block in out):
        return out  # the column's names carry no points: nothing tells fragments apart
    index = 0
    while index < len(out):
        block = out[index]
        if block[3] is not None:
            index += 1
            continue
        reach = FRAGMENT_LINES * block[4]
        after = out[index + 1] if index + 1 < len(out) else None
        before = out[index - 1] if index else None
        numbered = after is not None and LIST_START.match(after[0])  # a name starts there
        if (
            after is not None
            and after[3] is not None
            and not numbered
            and after[1] - block[2] <= reach
        ):
            after[0], after[1] = block[0] + after[0], block[1]
            del out[index]
            continue
        if before is not None and before[3] is not None and block[1] - before[2] <= reach:
            before[0], before[2] = before[0] + block[0], block[2]
            del out[index]
            continue
        index += 1
    return out


def _evidence(
    leaves: list[Leaf], column_x: float, leaf_x: float, rules_of: dict[int, list[Rule]]
) -> list[bool | None]:
    """For each gap between two leaves: True/False when rules say the level cell ends there."""
    out: list[bool | None] = []
    for leaf, following in zip(leaves, leaves[1:], strict=False):
        if leaf.section.page != following.section.page:
            out.append(None)
            continue
        rules = rules_of.get(leaf.section.page, [])
        low, high = leaf.middle, following.middle
        if not _crossed(rules, leaf_x, low, high):
            out.append(None)
        else:
            out.append(_crossed(rules, column_x, low, high))
    return out


def _group(
    leaves: list[Leaf],
    labels: list[Label],
    evidence: list[bool | None],
    nested: list[bool],
    alignment: str,
) -> tuple[float, list[int]]:
    """Split leaves into one consecutive group per label; return the cost and each leaf's label."""
    n, k = len(leaves), len(labels)
    unit = median(leaf.band_bottom - leaf.band_top for leaf in leaves) or 1.0
    band_top = [leaf.section.virtual(leaf.band_top) for leaf in leaves]
    band_bottom = [leaf.section.virtual(leaf.band_bottom) for leaf in leaves]
    prefix = [0.0]
    known = [0]
    for leaf in leaves:
        prefix.append(prefix[-1] + (leaf.points or 0.0))
        known.append(known[-1] + (leaf.points is not None))
    bad_inside = [0]
    for flag in evidence:
        bad_inside.append(bad_inside[-1] + (flag is True))

    def cost(label: Label, first: int, last: int) -> float:
        if alignment == "top":
            miss = abs(label.top - leaves[first].vtop)
        elif alignment == "bottom":
            miss = abs(label.bottom - leaves[last].vbottom)
        else:
            miss = abs(label.middle - (band_top[first] + band_bottom[last]) / 2)
        total = miss / unit
        if label.points is not None and known[last + 1] - known[first] == last + 1 - first:
            if abs(prefix[last + 1] - prefix[first] - label.points) > SUM_TOLERANCE:
                total += SUM_PENALTY
        total += RULE_PENALTY * (bad_inside[last] - bad_inside[first])
        if last + 1 < n and evidence[last] is False:
            total += RULE_PENALTY
        if last + 1 < n and nested[last]:
            total += NEST_PENALTY
        return total

    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    choice = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for i in range(1, k + 1):
        for j in range(i, n - (k - i) + 1):
            for start in range(i - 1, j):
                if best[i - 1][start] == inf:
                    continue
                value = best[i - 1][start] + cost(labels[i - 1], start, j - 1)
                if value < best[i][j]:
                    best[i][j], choice[i][j] = value, start
    owner = [0] * n
    j = n
    for i in range(k, 0, -1):
        start = choice[i][j]
        for index in range(start, j):
            owner[index] = i - 1
        j = start
    return best[k][n], owner


def read_indicator_table(layouts: Sequence[PageLayout]) -> IndicatorTable | None:
    """Given a document's pages, return its indicator table, or None when it has none."""
    sections = _sections(layouts)
    if not sections:
        return None
    rules_of = {page.number: page.horizontal_rules() for page in layouts}
    leaves: list[Leaf] = []
    for section in sections:
        roles = _roles(section.header)
        found = _anchors(section, roles)
        _assign_texts(section, found, roles, rules_of.get(section.page, []))
        if found:
            section.rows_top = min(leaf.top for leaf in found)
            section.rows_bottom = max(leaf.bottom for leaf in found)
        leaves.extend(found)
    notes: list[str] = []
    if not leaves:
        return IndicatorTable([], None, None, None, [s.header for s in sections], {}, notes)
    _bands(leaves)
    depth_roles = sorted(
        {role for s in sections for role in _roles(s.header) if role.startswith("level")}
        - {role for s in sections for role in _roles(s.header) if role.endswith("_points")}
    )
    names: dict[str, list[str | None]] = {}
    points: dict[str, list[float | None]] = {}
    alignments: dict[int, str] = {}
    deeper: list[int] | None = None  # the groups of the level below, once read
    for role in sorted(depth_roles, reverse=True):  # deepest level first: groups nest
        labels = _labels(sections, role, f"{role}_points", rules_of)
        if not labels:
            continue
        first_roles = _roles(sections[0].header)
        column = first_roles.get(role) or _roles(
            next(s.header for s in sections if role in _roles(s.header))
        ).get(role)
        leaf_column = first_roles.get("leaf")
        assert column is not None
        leaf_x = (leaf_column.x0 + leaf_column.x1) / 2 if leaf_column else column.x1
        evidence = _evidence(leaves, (column.x0 + column.x1) / 2, leaf_x, rules_of)
        # a group rarely ends inside a group of the level below
        nested = [deeper is not None and deeper[i] == deeper[i + 1] for i in range(len(leaves) - 1)]
        usable = labels[: len(leaves)]
        if len(usable) < len(labels):
            notes.append(f"{role}: {len(labels) - len(usable)} name(s) more than rows; dropped")
        results = {a: _group(leaves, usable, evidence, nested, a) for a in ALIGNMENTS}
        alignment = min(results, key=lambda a: results[a][0])
        owner = results[alignment][1]
        deeper = owner
        alignments[int(role.removeprefix("level"))] = alignment
        names[role] = [usable[index].text for index in owner]
        points[role] = [usable[index].points for index in owner]
    indicators: list[Indicator] = []
    for index, leaf in enumerate(leaves):
        level1 = names.get("level1", [None] * len(leaves))[index]
        level2 = names.get("level2", [None] * len(leaves))[index]
        name = leaf.text("leaf")
        indicators.append(
            {
                "level1": level1,
                "level1_points": points.get("level1", [None] * len(leaves))[index],
                "level2": level2,
                "level2_points": points.get("level2", [None] * len(leaves))[index],
                "level3": name.replace(" ", "") if name else None,
                "points": leaf.points,
                "score": leaf.score,
                "target": clean_text(leaf.text(TARGET)),
                "actual": clean_text(leaf.text(ACTUAL)),
                "page": leaf.section.page,
            }
        )
    total_score = total_points = None
    total_page = None
    for section in sections:
        if section.total is None:
            continue
        roles = _roles(section.header)
        numbers = [w for w in section.total.words if _number(w) is not None]
        score_col, points_col = roles.get("score"), roles.get("points")
        in_score = [w for w in numbers if score_col is not None and score_col.holds(w)]
        in_points = [w for w in numbers if points_col is not None and points_col.holds(w)]
        if in_score:
            total_score = _number(in_score[0])
        elif numbers:
            total_score = _number(numbers[-1])
        if in_points:
            total_points = _number(in_points[0])
        total_page = section.page
    return IndicatorTable(
        indicators,
        total_score,
        total_points,
        total_page,
        [section.header for section in sections],
        alignments,
        notes,
    )
