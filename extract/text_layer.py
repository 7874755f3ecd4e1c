"""The self-evaluation form read from a flattened text layer (a ``.txt`` of the PDF's text).

A text layer has no cell borders: cells come out one after another, wrapped cell text is
split over lines, and each page repeats the table header. The parser therefore anchors on
the numbers. In the indicator table every name is followed by its points (一级 → 分值,
二级 → 分值, 三级 → 分值) and every leaf by its score; a group closes when its children's
points add up to its own. Labels repeated at the top of a page (same name, same points)
are skipped. Text between a score and the next points holds the previous row's 评分依据
and the next name: the name is what is printed on the points' own line, or else what
follows the last full stop.

Pages are separated by form feeds, or (when the text has none) by two or more blank
lines. Target and actual values (年度指标值, 实际完成指标值) are only filled when they can be
told apart (two values per line); otherwise they stay ``None``.

A text layer that prints one block per cell, out of reading order, is read by
``jixiao.extract.text_blocks`` instead (by what its cells are and what adds up); its parts replace
this reader's when they are whole and the text is laid out in blocks, or this reader's parts
are missing or do not add up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.extract.budget import BudgetRow, assign_dimensions, in_record_unit, lines_from_grid
from jixiao.extract.forms import FormContent
from jixiao.extract.metadata import department_from_text, unit_count_from_text
from jixiao.extract.normalize import (
    compact,
    is_number,
    is_placeholder,
    is_rate,
    join_fragments,
    nfkc,
    parse_number,
)
from jixiao.extract.record import BudgetLine, Indicator
from jixiao.extract.text_blocks import (
    adds_up,
    block_budget_units,
    cells_of,
    fill_from_blocks,
    is_block_layout,
    parse_blocks,
    take_indicators,
)
from jixiao.extract.text_lines import department_after_label, read_execution_table, read_flattened

_HEADER = re.compile(
    r"一级指标分值二级指标分值三级指标分值.*?(?:得分/?自评分|自评分|得分)"
    r"(?:评分依据)?(?:、?未达标原因)?(?:、?改进措施)?(?:备注)?"
    # the evaluation report's two-row header: 一级/二级/三级指标 over 名称 / 权重(%)
    r"|(?:评价指标)?一级指标二级指标三级指标(?:名称(?:权重|分值)(?:\(%\))?)+"
)
_TABLE_END = ("总分", "合计", "总计")
_SENTENCE_END = "。;；"
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Line:
    """One line of the text layer: its position, 1-based page and NFKC text."""

    index: int
    page: int
    text: str


@dataclass(frozen=True)
class Token:
    """A whitespace-separated piece of a line; ``value`` is set when it is a plain number."""

    text: str
    line: int
    page: int
    value: float | None


def split_lines(text: str) -> list[Line]:
    """Given a text layer, return its lines with page numbers.

    Form feeds separate pages; without any, a run of two or more blank lines does, and so
    does a line indented by one space (how extraction marks a page's first line).
    """
    lines: list[Line] = []
    use_form_feed = "\f" in text
    page, blanks = 1, 0
    for index, raw in enumerate(text.replace("\r\n", "\n").split("\n")):
        if use_form_feed:
            page += raw.count("\f")
        stripped = nfkc(raw.replace("\f", "")).strip()
        if not stripped:
            blanks += 1
        else:
            # without form feeds a page starts after 2+ blank lines, or where PDF text
            # extraction left the page's first line indented by one space
            indented = raw[:1] == " " and index > 0
            if not use_form_feed and (blanks >= 2 or indented) and lines:
                page += 1
            blanks = 0
        lines.append(Line(index, page, stripped))
    return lines


def _is_group_label(token: str) -> bool:
    return token.startswith("按") and 1 < len(token) <= 8


def find_budget(lines: list[Line]) -> list[BudgetLine] | None:
    """Given the lines, return the budget table's lines (None when there is none).

    The table is found by its group header (按资金来源 按资金结构 …, possibly after a
    wrapped row label on the same line); the first following line with an item per group
    holds the items, and each following line with one value per item is a row, labelled by the
    text gathered since the previous row (labels may wrap: 全年预 / 算数).
    """
    for position, line in enumerate(lines):
        groups = [token for token in line.text.split() if _is_group_label(token)]
        if len(groups) < 2 and not (groups and groups == line.text.split()):
            continue
        rest = [other for other in lines[position + 1 :] if other.text]
        # the items line names at least one item per group (a wrapped row label such as
        # 支出规模（万 may come first)
        start = next(
            (
                index
                for index, other in enumerate(rest[:4])
                if len([t for t in other.text.split() if not is_number(t)]) >= len(groups)
            ),
            None,
        )
        if start is None:
            return None
        items = [token for token in rest[start].text.split() if not is_number(token)]
        # a wrapped row label may open the items line (模（万元） 财政拨款 …): the items are
        # as many as the values of the first row below
        width = next(
            (
                count
                for other in rest[start + 1 : start + 4]
                if (count := sum(1 for t in other.text.split() if is_rate(t))) >= len(groups)
            ),
            len(items),
        )
        items = items[-width:] if width < len(items) else items
        grid: list[BudgetRow] = []
        label: list[str] = []
        for other in rest[start + 1 :]:
            if compact(other.text).startswith("一级") or len(grid) == 3:
                break
            tokens = other.text.split()
            values = [t for t in tokens if is_rate(t) or is_placeholder(t)]
            label.extend(t for t in tokens if t not in values)
            if values and len(values) == len(items):
                grid.append((join_fragments(label), list(values), other.page))
                label = []
            elif len(join_fragments(label)) > 12:
                break
        if not grid:
            return None
        return lines_from_grid(assign_dimensions(groups, items), items, grid)
    return None


def _tokens(lines: list[Line]) -> list[Token]:
    out = []
    for line in lines:
        for piece in line.text.split():
            value = parse_number(piece) if re.fullmatch(r"\d+(?:\.\d+)?", piece) else None
            out.append(Token(piece, line.index, line.page, value))
    return out


def _strip_header(chunk: list[Token]) -> tuple[list[Token], str | None]:
    """Given the text tokens between two numbers, drop any table header and what precedes it."""
    joined, owners = "", []
    for position, token in enumerate(chunk):
        joined += token.text
        owners.extend([position] * len(token.text))
    matches = list(_HEADER.finditer(joined))
    if not matches:
        return chunk, None
    end = matches[-1].end()
    first_kept = owners[end] if end < len(owners) else len(chunk)
    if end < len(owners) and end > 0 and owners[end - 1] == owners[end]:
        first_kept += 1  # a token straddling the header's end belongs to the header
    return chunk[first_kept:], matches[-1].group(0)


def _join(tokens: list[Token]) -> str:
    return join_fragments(token.text for token in tokens)


def _name_after_score(chunk: list[Token], anchor: Token, score_line: int | None) -> str:
    """Given the text between a score and the next points, return the next row's name.

    Text on the score's own line is the previous row's 评分依据. If the points' line has
    text before the number, the name is that text with the unbroken lines just above it;
    otherwise it is the text after the last full stop (or all of it).
    """
    chunk = [token for token in chunk if token.line != score_line]
    same_line = [token for token in chunk if token.line == anchor.line]
    if same_line:
        first_line = anchor.line
        by_line: dict[int, list[Token]] = {}
        for token in chunk:
            by_line.setdefault(token.line, []).append(token)
        while first_line - 1 in by_line:
            above = _join(by_line[first_line - 1])
            if not above or above[-1] in _SENTENCE_END:
                break
            first_line -= 1
        return _join([token for token in chunk if token.line >= first_line])
    text = _join(chunk)
    cut = max(text.rfind(mark) for mark in _SENTENCE_END)
    return text[cut + 1 :] or text


def _targets(middle: list[Token]) -> tuple[str | None, str | None]:
    """Given the text between points and score of a 履职 row, return (target, actual).

    Only when every line holds exactly two pieces can the two columns be told apart.
    """
    by_line: dict[int, list[str]] = {}
    for token in middle:
        by_line.setdefault(token.line, []).append(token.text)
    if not by_line or any(len(pieces) != 2 for pieces in by_line.values()):
        return None, None
    target = join_fragments(pieces[0] for pieces in by_line.values())
    actual = join_fragments(pieces[1] for pieces in by_line.values())
    return (None if is_placeholder(target) else target, None if is_placeholder(actual) else actual)


@dataclass
class _Level:
    name: str | None = None
    points: float = 0.0
    remaining: float = 0.0
    has_targets: bool = False


@dataclass
class _IndicatorReader:
    """The state of the indicator-table reader while it walks the numbers."""

    expect: str = "level1"  # level1 | level2 | leaf | score
    level1: _Level = field(default_factory=_Level)
    level2: _Level = field(default_factory=_Level)
    leaf: tuple[str, float, int] | None = None
    last_anchor: str | None = None  # points | score
    score_line: int | None = None
    header_targets: bool = False
    after_header: bool = False
    skipped_level1: bool = False
    rows: list[Indicator] = field(default_factory=list)

    def cap(self) -> float:
        """Return the largest number that can be points or a score here."""
        return 100.0 if self.expect == "level1" else max(self.level1.points, 1.0)

    def emit(self, score: float | None, middle: list[Token]) -> None:
        """Given the leaf's score and the text before it, append the indicator row."""
        assert self.leaf is not None
        name, points, page = self.leaf
        target = actual = None
        if self.header_targets or self.level1.has_targets:
            target, actual = _targets(middle)
        self.rows.append(
            {
                "level1": self.level1.name,
                "level1_points": self.level1.points,
                "level2": self.level2.name,
                "level2_points": self.level2.points if self.level2.name else None,
                "level3": name or None,
                "points": points,
                "score": score,
                "target": target,
                "actual": actual,
                "page": page,
            }
        )
        self.leaf = None
        self.level2.remaining -= points
        if self.level2.remaining > _TOLERANCE:
            self.expect = "leaf"
        elif self.level1.remaining > _TOLERANCE:
            self.expect = "level2"
        else:
            self.expect = "level1"

    def is_repeat(self, name: str, value: float) -> bool:
        """Given a label and its points, return True when it repeats an open group's label."""
        if self.level1.name and name.endswith(self.level1.name):
            if abs(value - self.level1.points) < _TOLERANCE and self.expect != "level1":
                self.skipped_level1 = True
                return True
        started = self.level2.remaining < self.level2.points - _TOLERANCE
        if (
            self.expect == "leaf"
            and started
            and (self.after_header or self.skipped_level1)
            and self.level2.name
            and name.endswith(self.level2.name)
            and abs(value - self.level2.points) < _TOLERANCE
        ):
            return True
        return False

    def points(self, name: str, anchor: Token) -> None:
        """Given a name and the points printed after it, open a group or a leaf."""
        value = anchor.value or 0.0
        if self.expect == "level1":
            self.level1 = _Level(name, value, value, self.header_targets)
            self.level2 = _Level()
            self.expect = "level2"
        elif self.expect == "level2":
            self.level2 = _Level(name, value, value)
            self.level1.remaining -= value
            self.expect = "leaf"
        else:
            self.leaf = (name, value, anchor.page)
            self.expect = "score"
        self.last_anchor = "points"


def _opens_indicators(text: str) -> bool:
    """Given a line, return True when it is (part of) the indicator table's header."""
    flat = compact(text)
    if any(mark in flat for mark in "，。；,;"):
        return False
    return flat.startswith("一级") or ("一级指标" in flat and "二级指标" in flat and len(flat) < 80)


def read_indicators(lines: list[Line], content: FormContent) -> None:
    """Given the lines, read the indicator rows and 总分 into ``content``."""
    start = next((pos for pos, line in enumerate(lines) if _opens_indicators(line.text)), None)
    if start is None:
        return
    end = next(
        (
            pos
            for pos in range(start, len(lines))
            if compact(lines[pos].text).startswith(_TABLE_END)
        ),
        len(lines),
    )
    reader = _IndicatorReader()
    chunk: list[Token] = []
    for token in _tokens(lines[start:end]):
        if token.value is None or token.value > reader.cap():
            chunk.append(token)
            continue
        text_tokens, header = _strip_header(chunk)
        chunk = []
        if header is not None:
            content.found_indicator_table = True
            reader.header_targets = "年度指标值" in header
            reader.after_header = True
        if reader.expect == "score":
            reader.emit(token.value, text_tokens)
            reader.last_anchor, reader.score_line = "score", token.line
            continue
        if reader.last_anchor == "score" and header is None:
            name = _name_after_score(text_tokens, token, reader.score_line)
        else:
            name = _join(text_tokens)
        if reader.is_repeat(name, token.value):
            continue
        reader.points(name, token)
        reader.after_header = reader.skipped_level1 = False
    if reader.expect == "score":
        reader.emit(None, chunk)
    content.indicators = reader.rows
    if end < len(lines):
        numbers = [t.value for t in _tokens(lines[end : end + 2]) if t.value is not None]
        if numbers:
            content.total_score = numbers[1] if len(numbers) > 1 else numbers[0]
            content.total_points = numbers[0] if len(numbers) > 1 else None
            content.total_page = lines[end].page


def parse_text(text: str) -> FormContent:
    """Given the text layer of a self-evaluation form, return what it holds."""
    lines = split_lines(text)
    content = FormContent()
    content.department = department_from_text(text)
    content.unit_count = unit_count_from_text(text)
    budget = find_budget(lines)
    if budget is not None:
        content.found_budget_table = True
        content.budget_lines = budget
    read_indicators(lines, content)
    content = fill_from_blocks(content, parse_blocks(lines), is_block_layout(lines))
    content.department = content.department or department_after_label(lines)
    if not content.budget_lines:
        execution = read_execution_table(lines)
        if execution is not None:
            content.found_budget_table = True
            content.budget_lines = execution.lines
            content.execution_points, content.execution_score = execution.points, execution.score
    if not adds_up(content):
        flattened = read_flattened(lines)
        if flattened is not None and _whole(flattened):
            take_indicators(content, flattened)
    if content.budget_lines:  # whichever reader found them, in 万元 (jixiao.extract.budget)
        units = block_budget_units(cells_of(lines))
        content.amount_unit, content.amount_units_seen = in_record_unit(content.budget_lines, units)
    return content


def _whole(content: FormContent) -> bool:
    """Given a reading, return True when every leaf has its levels, points and score."""
    return bool(content.indicators) and all(
        row["level1"] and row["level2"] and row["points"] is not None and row["score"] is not None
        for row in content.indicators
    )
