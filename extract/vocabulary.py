"""Header vocabulary: the words real templates print, mapped to the record's fields.

One home for every synonym. Tables are found and their columns mapped from these words,
in any column order; a new template's new word is added here (with a test), never as a
special case in a reader.
"""

from __future__ import annotations

import re

from jixiao.extract.normalize import compact

# ---------- indicator table columns
LEVEL_NAMES: dict[str, int] = {"一级指标": 1, "二级指标": 2, "三级指标": 3, "四级指标": 4}
LEVEL_SHORT: dict[str, int] = {"一级": 1, "二级": 2, "三级": 3}
POINTS_WORDS: tuple[str, ...] = ("指标分值", "标准分值", "标准分", "分值", "权重", "满分")
SCORE_WORDS: tuple[str, ...] = (
    "得分/自评分",
    "自评得分",
    "实际得分",
    "考核得分",
    "评价得分",
    "自评分",
    "得分",
    "评分",
)
REASON_WORDS: tuple[str, ...] = (
    "评分依据",
    "未达标原因",
    "改进措施",
    "偏差原因",
    "扣分原因",
    "备注",
    "说明",
)
TARGET_WORDS: tuple[str, ...] = ("年度指标值", "预期目标值", "预期目标", "目标值", "指标值")
ACTUAL_WORDS: tuple[str, ...] = (
    "实际完成指标值",
    "实际完成值",
    "实际完成情况",
    "实际完成",
    "完成值",
    "实际值",
)
EXPLANATION_WORDS: tuple[str, ...] = ("指标解释", "指标说明", "评分标准", "指标内容")

# Field names of indicator columns.
LEVEL = "level"  # a level-name column; its depth is kept beside it
POINTS = "points"
SCORE = "score"
TARGET = "target"
ACTUAL = "actual"
REASON = "reason"
EXPLANATION = "explanation"


def indicator_field(header: str | None) -> tuple[str, int] | None:
    """Given a header cell's text, return ``(field, level)`` (level 0 when not a level).

    ``二级指标`` → ``("level", 2)``; ``得分/自评分`` → ``("score", 0)``; ``评分依据、未达标原因``
    → ``("reason", 0)``; text that names no indicator column → None. Longer, more specific
    words are tried first (实际完成指标值 is an actual, not a target; 评分依据 a reason, not a
    score).
    """
    text = compact(header)
    if not text:
        return None
    for word, depth in LEVEL_NAMES.items():
        if text.startswith(word) or text == word:
            return LEVEL, depth
    if text in LEVEL_SHORT:
        return LEVEL, LEVEL_SHORT[text]
    if any(word in text for word in ACTUAL_WORDS):
        return ACTUAL, 0
    if any(word in text for word in REASON_WORDS):
        return REASON, 0
    if any(word in text for word in EXPLANATION_WORDS):
        return EXPLANATION, 0
    if any(word in text for word in TARGET_WORDS):
        return TARGET, 0
    if any(text.startswith(word) or text == word for word in SCORE_WORDS):
        return SCORE, 0
    if any(text.startswith(word) for word in POINTS_WORDS):
        return POINTS, 0
    return None


def split_overprint(text: str) -> tuple[str, str] | None:
    """Given a word, return ``(header word, other text)`` when it is a header word and a
    name printed over each other and read character by character (``二资级产指管标理`` →
    ``("二级指标", "资产管理")``), else None. Text layers interleave overprinted cells so."""
    flat = compact(text)
    if len(flat) < 3:
        return None
    first, second = flat[0::2], flat[1::2]
    for header, other in ((first, second), (second, first)):
        if indicator_field(header) is not None and indicator_field(other) is None:
            if header in LEVEL_NAMES or header in POINTS_WORDS or header in SCORE_WORDS:
                return header, other
    return None


# ---------- budget tables
INITIAL_BUDGET = "initial_budget"
BUDGET = "budget"
ACTUAL_AMOUNT = "actual"
RATE = "rate"


# Units amounts are printed in, and what one printed unit is in 万元 (the record's unit).
AMOUNT_UNITS: dict[str, float] = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "亿元": 10000.0}
RECORD_UNIT = "万元"
_UNITS = "|".join(sorted(AMOUNT_UNITS, key=len, reverse=True))
# a unit alone in brackets closing a label or header (规模（万元）, 全年预算数（元）), or a
# stated unit (单位：元, 金额单位：万元); NFKC has made the brackets and colon half-width
_UNIT_IN_BRACKETS = re.compile(rf"\(({_UNITS})\)$")
_UNIT_STATED = re.compile(rf"单位:({_UNITS})(?![\u4e00-\u9fff/])")  # not 单位:元/人
_TRAILING_UNIT = re.compile(rf"(?:\((?:{_UNITS}|%)\)|%)$")  # 全年预算数(万元), 执行率%


def amount_unit_in(text: str | None) -> str | None:
    """Given a label, header or note, return the amount unit it states (``元`` for
    ``全年预算数（元）`` or ``单位：元``), else None. A bracket holding a figure
    (``（1.5亿元）``) states no unit."""
    flat = compact(text)
    found = _UNIT_STATED.search(flat) or _UNIT_IN_BRACKETS.search(flat)
    return found.group(1) if found else None


def unit_statement_in(text: str | None) -> str | None:
    """Given a line or note, return the amount unit it states in words (``金额单位：元`` →
    ``元``), else None: a line away from a table counts only when it says 单位."""
    found = _UNIT_STATED.search(compact(text))
    return found.group(1) if found else None


def amount_units_in(pieces: list[str]) -> list[str]:
    """Given the labels of a flattened table in printed order, return every amount unit they
    state: a unit in brackets, read across pieces (规模（万 / 元）), or a statement
    (金额单位：元) within one piece."""
    flats = [compact(piece) for piece in pieces]
    units = [m.group(1) for m in re.finditer(rf"\(({_UNITS})\)", "".join(flats))]
    return units + [m.group(1) for flat in flats for m in _UNIT_STATED.finditer(flat)]


def without_unit(label: str) -> str:
    """Given a compact header, return it without a closing unit (``全年预算数(万元)`` →
    ``全年预算数``, ``执行率(%)`` → ``执行率``)."""
    return _TRAILING_UNIT.sub("", label)


def budget_measure(label: str | None) -> str | None:
    """Given a budget row or column label, return the measure it holds, else None.

    ``年初预算数`` → initial_budget; ``全年预算数``/``调整后预算数`` → budget; ``全年执行数``/
    ``支出数``/``决算数`` → actual; ``执行率``/``完成率`` → rate; ``分值`` → points; ``得分`` →
    score.
    """
    text = without_unit(compact(label))
    if not text:
        return None
    if text in POINTS_WORDS:
        return POINTS
    if text in SCORE_WORDS:
        return SCORE
    if text.endswith("率"):
        is_rate = len(text) <= 6 and any(word in text for word in ("执行", "完成", "支出"))
        return RATE if is_rate else None
    if not text.endswith(("数", "额")) or len(text) > 8:
        return None  # amounts are 数/额 headings: 全年预算数, 支出金额
    if text.startswith("年初"):
        return INITIAL_BUDGET
    if any(word in text for word in ("执行", "支出", "决算", "完成", "实际")):
        return ACTUAL_AMOUNT
    if "预算" in text:
        return BUDGET
    return None


# Printed group headers and the dimension they name (synonyms across templates).
DIMENSION_SYNONYMS: dict[str, str] = {
    "按资金来源": "资金来源",
    "按收入性质分": "资金来源",
    "按收入性质": "资金来源",
    "按资金结构": "资金结构",
    "按支出性质分": "资金结构",
    "按支出性质": "资金结构",
    "按支出结构": "资金结构",
    "按预算级次": "预算级次",
}
# Items whose dimension is known when no group header names it.
ITEM_DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("财政拨款", "资金来源"),
    ("其他资金", "资金来源"),
    ("上年结转", "资金来源"),
    # the sources the national and provincial templates list under 资金来源 / 收入
    ("一般公共预算", "资金来源"),
    ("政府性基金", "资金来源"),
    ("国有资本经营", "资金来源"),
    ("财政专户", "资金来源"),
    ("单位资金", "资金来源"),
    ("事业收入", "资金来源"),
    ("经营收入", "资金来源"),
    ("其他收入", "资金来源"),
    ("基本支出", "资金结构"),
    ("项目支出", "资金结构"),
    ("本级支出", "预算级次"),
    ("转移支付", "预算级次"),
)
TOTAL_ITEM_WORDS: tuple[str, ...] = ("资金总额", "合计", "总计", "支出规模")
TOTAL_DIMENSION = "合计"
TOTAL_WORDS: tuple[str, ...] = ("合计", "总计")  # a total line's label, or a total dimension
SUBTOTAL_WORDS: tuple[str, ...] = ("小计",)
DETAIL_SUFFIX = "明细"  # 资金结构明细 details the lines of 资金结构

# Kinds of budget lines: classified here once, stored as raw.budget_lines.kind, read by
# every model (a total is never added to its parts).
GRAND_TOTAL = "total"  # the grand total (dimension 合计 / 总计)
DIMENSION_TOTAL = "dimension_total"  # a 合计 / 总计 line inside a dimension: all its parts
SUBTOTAL = "subtotal"  # a 小计 line (基本支出小计): the parts since the previous total line
DETAIL = "detail"  # a line of a 明细 dimension: a part of the group line printed after it
ITEM = "item"  # a part of its dimension
BUDGET_LINE_KINDS: tuple[str, ...] = (GRAND_TOTAL, DIMENSION_TOTAL, SUBTOTAL, DETAIL, ITEM)


def budget_line_kind(dimension: str | None, item: str | None) -> str:
    """Given a budget line's dimension and item, return its kind (``BUDGET_LINE_KINDS``).

    ``合计 / 合计`` → total; ``资金结构 / 基本支出小计`` → subtotal; ``资金来源 / 合计`` →
    dimension_total; ``资金结构明细 / 人员经费`` → detail; ``资金来源 / 财政拨款`` → item.
    """
    dimension_text, item_text = compact(dimension), compact(item)
    if dimension_text in TOTAL_WORDS:
        return GRAND_TOTAL
    if item_text.endswith(SUBTOTAL_WORDS):
        return SUBTOTAL
    if item_text.endswith(TOTAL_WORDS):
        return DIMENSION_TOTAL
    if dimension_text.endswith(DETAIL_SUFFIX):
        return DETAIL
    return ITEM


def is_group_header(text: str | None) -> bool:
    """Given a cell's text, return True for a budget group header such as ``按资金来源``."""
    flat = compact(text)
    return flat.startswith("按") and 2 < len(flat) <= 8


def dimension_of(group: str | None, item: str) -> str:
    """Given an item's group header (or None) and its name, return its dimension."""
    flat = compact(group)
    if flat:
        return DIMENSION_SYNONYMS.get(flat, flat.removeprefix("按").removesuffix("分"))
    if any(word in item for word in TOTAL_ITEM_WORDS):
        return TOTAL_DIMENSION
    return next((dim for word, dim in ITEM_DIMENSIONS if word in item), "")


# ---------- labels and names
DEPARTMENT_LABELS: tuple[str, ...] = (
    "部门（单位）名称",
    "部门(单位)名称",
    "单位（部门）名称",
    "单位(部门)名称",
    "部门名称",
    "单位名称",
    "预算部门",
    "被评价部门",
    "被评价单位",
)
SUPERVISOR_LABELS: tuple[str, ...] = ("主管部门",)
# Phrases every kind of submission prints (titles, section headings): with the header
# words and labels above they are the terms OCR is corrected toward (extract/ocr_lexicon.py).
DOCUMENT_PHRASES: tuple[str, ...] = (
    "部门整体支出绩效自评表",
    "部门整体支出绩效自评报告",
    "部门整体支出绩效评价报告",
    "整体支出绩效",
    "部门基本情况",
    "单位基本情况",
    "年度部门整体支出规模",
    "年度整体绩效目标",
    "整体绩效目标完成情况",
    "预算执行情况",
)
TOTAL_LABELS: tuple[str, ...] = ("总分", "合计", "总计", "综合得分", "自评总分")
# A list number before a name: ``1.``, ``2、``, ``(3)``, ``4)``. Chinese-numbered headings
# (（一）, 二、) are kept: templates print them as part of a duty's name.
_ENUMERATOR = re.compile(r"^(?:\(?[0-9]{1,2}[.、)）](?![0-9]))")
_AMBIGUOUS_NUMBER = re.compile(r"^([0-9]{1,2})[.、](?=[0-9])")  # 2.12345热线… : 2. or 2.1?
_LIST_NUMBER = re.compile(r"^\(?([0-9]{1,2})[.、)）]")
_PREFIXES: tuple[str, ...] = ("其中:", "其中：", "其中")


def strip_enumerator(name: str | None) -> str | None:
    """Given a printed name, return it without a list number (``1.生活垃圾…`` → ``生活垃圾…``)."""
    if not name:
        return name
    stripped = _ENUMERATOR.sub("", name, count=1).strip()
    return stripped or name


def strip_list_numbers(names: list[str | None]) -> list[str | None]:
    """Given leaf names in printed order, return them without their list numbers.

    ``1.预算完成率`` loses ``1.`` always. ``2.12345热线…`` is ambiguous (item 2, or a name
    starting 2.1…): its number goes only when a neighbour is numbered one before or after.
    """
    numbers = []
    for name in names:
        match = _LIST_NUMBER.match(name or "")
        numbers.append(int(match.group(1)) if match else None)
    out: list[str | None] = []
    for index, name in enumerate(names):
        ambiguous = _AMBIGUOUS_NUMBER.match(name or "")
        if name and ambiguous:
            number = int(ambiguous.group(1))
            before = numbers[index - 1] if index else None
            after = numbers[index + 1] if index + 1 < len(numbers) else None
            if before == number - 1 or after == number + 1:
                out.append(name[ambiguous.end() :])
                continue
        out.append(strip_enumerator(name))
    return out


def strip_prefix(name: str) -> str:
    """Given a budget item such as ``其中：财政拨款``, return ``财政拨款``."""
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name
