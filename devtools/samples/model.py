"""One sample submission as data: printed strings for the renderer, exact values for the truth.

Everything random comes from ``random.Random(seed)`` seeded by year and department, so the
same sample is built on every run. Amounts, scores and rates are ``Decimal`` and printed
from those; the truth holds the floats of exactly what is printed.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao_devtools.samples.catalog import (
    BONUS_LEVEL2,
    BONUS_LEVEL3,
    BONUS_POINTS,
    MANAGEMENT,
    MISTAKE,
    Department,
)

CENT = Decimal("0.01")
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("按资金来源", "财政拨款", "其他资金"),
    ("按资金结构", "基本支出", "项目支出"),
    ("按预算级次", "{level}本级支出", "转移支付"),
)


@dataclass(frozen=True)
class Leaf:
    """One level-3 indicator row with its groups, as printed."""

    level1: str
    level1_points: int
    level2: str
    level2_points: int
    level3: str
    points: int
    score: Decimal | None
    explanation: str | None  # 管理效能 rows
    target: str | None  # 履职效能 rows
    actual: str | None
    basis: str


@dataclass(frozen=True)
class BudgetCell:
    """One item column of the budget table: dimension, item, printed values, exact values."""

    dimension: str
    item: str
    budget: Decimal
    actual: Decimal
    budget_text: str
    actual_text: str
    rate_text: str
    rate: Decimal


@dataclass(frozen=True)
class Variant:
    """How a form departs from the 2021 template the published seeds follow.

    ``template`` "2020": level-1 names 部门管理 45 / 履职效果 55 and no 加减分项 row;
    ``budget_only``: the budget table prints only 全年预算数, by other categories;
    ``borderless``: no ruling lines (tables cannot be found by their lines);
    ``dimension_mistake``: 项目支出 printed 100 above what makes the breakdowns agree.
    """

    template: str = "2021"
    budget_only: bool = False
    borderless: bool = False
    dimension_mistake: bool = False


DEFAULT_VARIANT = Variant()
LEVEL1_NAMES: dict[str, tuple[tuple[str, int], tuple[str, int]]] = {
    "2021": (("管理效能", 45), ("履职效能", 50)),
    "2020": (("部门管理", 45), ("履职效果", 55)),
}
EXTRA_DUTY: tuple[str, tuple[tuple[str, int, str, str], ...]] = (
    "（五）完成上级交办任务",
    (("1.交办任务按时办结率", 5, "100%", "100%"),),
)
BUDGET_ONLY_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("按资金来源", "财政拨款", "其他资金"),
    ("按支出类型", "人员支出", "公用及项目支出"),
    ("按预算级次", "{level}本级支出", "转移支付"),
)


@dataclass(frozen=True)
class Sample:
    """Everything needed to draw one self-evaluation form and to state its truth."""

    year: int
    slug: str
    department: Department
    unit_text: tuple[str, ...]  # ("单位数：7",) or ("单位数", "7个")
    annex_label: bool
    repeat_labels: bool
    points_style: str  # "plain" | "decimal"
    budget: tuple[BudgetCell, ...]
    management: tuple[Leaf, ...]
    duties: tuple[Leaf, ...]  # 履职效能 and 加减分项 rows
    total: Decimal
    variant: Variant = DEFAULT_VARIANT

    def points_text(self, points: int) -> str:
        """Given points, return them printed in this sample's style (``16`` or ``16.00``)."""
        return f"{points}.00" if self.points_style == "decimal" else str(points)


def seed_for(year: int, slug: str) -> int:
    """Given a year and a department slug, return a seed stable across runs and platforms."""
    return int.from_bytes(hashlib.sha256(f"{year}/{slug}".encode()).digest()[:8], "big")


def score_text(score: Decimal) -> str:
    """Given a score, return it as printed: ``2``, ``1.5``, ``1.97``."""
    return format(score.normalize(), "f")


def _amount(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(rng.uniform(low, high))).quantize(CENT)


def _amount_text(value: Decimal, style: str) -> str:
    if style == "grouped":
        return f"{value:,.2f}"
    if style == "trimmed":
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.2f}"


def _rate(rng: random.Random, budget: Decimal, actual: Decimal, digits: int) -> tuple[str, Decimal]:
    ratio = actual / budget
    if rng.random() < 0.2:
        fraction = ratio.quantize(Decimal("0.000000001"), rounding=ROUND_HALF_UP)
        return format(fraction, "f"), fraction
    percent = (ratio * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{percent}%", percent / 100


def _budget(
    rng: random.Random, level: str, variant: Variant = DEFAULT_VARIANT
) -> tuple[BudgetCell, ...]:
    city = level == "市"
    fiscal = _amount(rng, 40000, 480000) if city else _amount(rng, 3000, 130000)
    other = (fiscal * Decimal(str(rng.uniform(0.0, 0.1)))).quantize(CENT)
    total = fiscal + other
    basic = (total * Decimal(str(rng.uniform(0.03, 0.2)))).quantize(CENT)
    own = total * Decimal(str(rng.uniform(0.6, 0.9) if city else rng.uniform(0.9, 0.99)))
    own = own.quantize(CENT)
    budgets = (fiscal, other, basic, total - basic, own, total - own)
    if variant.dimension_mistake:
        budgets = (fiscal, other, basic, total - basic + 100, own, total - own)

    def spend(value: Decimal, low: float, high: float) -> Decimal:
        return (value * Decimal(str(rng.uniform(low, high)))).quantize(CENT)

    fiscal_actual = spend(fiscal, 0.93, 0.999)
    other_actual = spend(other, 0.95, 1.002)
    spent = fiscal_actual + other_actual
    basic_actual = spend(basic, 0.95, 0.995)
    transfer_actual = spend(total - own, 0.75, 0.999)
    actuals = (
        fiscal_actual,
        other_actual,
        basic_actual,
        spent - basic_actual,
        spent - transfer_actual,
        transfer_actual,
    )
    style = rng.choice(("grouped", "plain", "trimmed"))
    digits = rng.choice((1, 2))
    cells = []
    groups = BUDGET_ONLY_GROUPS if variant.budget_only else GROUPS
    for index, (budget, actual) in enumerate(zip(budgets, actuals, strict=True)):
        group = groups[index // 2]
        rate_text, rate = _rate(rng, budget, actual, digits)
        cells.append(
            BudgetCell(
                dimension=group[0].removeprefix("按"),
                item=group[1 + index % 2].format(level=level),
                budget=budget,
                actual=actual,
                budget_text=_amount_text(budget, style),
                actual_text=_amount_text(actual, style),
                rate_text=rate_text,
                rate=rate,
            )
        )
    return tuple(cells)


def _score(rng: random.Random, points: int, full_chance: float) -> Decimal:
    if rng.random() < full_chance:
        return Decimal(points)
    cut = Decimal(str(rng.uniform(0.03, 0.35 * points))).quantize(CENT)
    return Decimal(points) - cut


def _basis(score: Decimal | None, points: int) -> str:
    if score is None or score >= points:
        return ""
    return f"未完全达到目标，扣{score_text(Decimal(points) - score)}分，下一步加强跟踪管理。"


def _management(
    rng: random.Random, year: int, slug: str, variant: Variant = DEFAULT_VARIANT
) -> list[Leaf]:
    (level1, level1_points), _ = LEVEL1_NAMES[variant.template]
    leaves = []
    for level2, children in MANAGEMENT:
        level2_points = sum(points for _, points, _ in children)
        for level3, points, explanation in children:
            score = _score(rng, points, 0.65)
            if (year, slug, level3) == MISTAKE:
                score = Decimal(points + 1)  # the deliberate mistake: more than the points
            leaves.append(
                Leaf(
                    level1,
                    level1_points,
                    level2,
                    level2_points,
                    level3,
                    points,
                    score,
                    explanation,
                    None,
                    None,
                    _basis(score, points),
                )
            )
    return leaves


def _duties(
    rng: random.Random, department: Department, variant: Variant = DEFAULT_VARIANT
) -> list[Leaf]:
    _, (level1, level1_points) = LEVEL1_NAMES[variant.template]
    duties = department.duties + ((EXTRA_DUTY,) if variant.template == "2020" else ())
    leaves = []
    for level2, children in duties:
        level2_points = sum(points for _, points, _, _ in children)
        for level3, points, target, actual in children:
            score = _score(rng, points, 0.8)
            leaves.append(
                Leaf(
                    level1,
                    level1_points,
                    level2,
                    level2_points,
                    level3,
                    points,
                    score,
                    None,
                    target,
                    actual,
                    _basis(score, points),
                )
            )
    bonus = None if rng.random() < 0.3 else Decimal(rng.choice((0, 2.5, 5)))
    if variant.template == "2020":
        return leaves
    leaves.append(
        Leaf(
            "加减分项",
            BONUS_POINTS,
            BONUS_LEVEL2,
            BONUS_POINTS,
            BONUS_LEVEL3,
            BONUS_POINTS,
            bonus,
            None,
            "——",
            "——",
            "",
        )
    )
    return leaves


def build_sample(year: int, department: Department, variant: Variant = DEFAULT_VARIANT) -> Sample:
    """Given a fiscal year, a department and a template variant, return the sample."""
    rng = random.Random(seed_for(year, department.slug))
    level = "区" if department.district else "市"
    budget = _budget(rng, level, variant)
    management = _management(rng, year, department.slug, variant)
    duties = _duties(rng, department, variant)
    _, (duty_name, duty_points) = LEVEL1_NAMES[variant.template]
    if sum(leaf.points for leaf in duties if leaf.level1 == duty_name) != duty_points:
        raise ValueError(f"{department.slug}: duty points must add up to {duty_points}")
    total = sum((leaf.score for leaf in management + duties if leaf.score is not None), Decimal(0))
    unit_text = (
        (f"单位数：{department.units}",)
        if rng.random() < 0.5
        else ("单位数", f"{department.units}个")
    )
    return Sample(
        year=year,
        slug=department.slug,
        department=department,
        unit_text=unit_text,
        annex_label=rng.random() < 0.5,
        repeat_labels=rng.random() < 0.5,
        points_style="plain" if variant.borderless else rng.choice(("plain", "decimal")),
        budget=budget,
        management=tuple(management),
        duties=tuple(duties),
        total=total,
        variant=variant,
    )
