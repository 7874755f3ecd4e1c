"""Narrative self-evaluation report samples (部门整体支出绩效自评报告): model, PDF and truth.

Prose only: the budget figures (年初预算数, 调整后预算数, 执行数, 执行率), the unit count,
自评得分 and 评价等级 are stated in sentences, as in the published reports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from jixiao.extract.record import totals
from jixiao_devtools.samples.catalog import Department
from jixiao_devtools.samples.model import CENT, seed_for
from jixiao_devtools.samples.paged import draw_heading, draw_paragraph
from jixiao_devtools.samples.render import _Pages, register_font
from jixiao_devtools.samples.truth import record_head

FILLER: tuple[str, ...] = (
    "本部门认真贯彻落实上级决策部署，围绕年度重点工作任务，统筹安排财政资金，"
    "强化预算执行管理和绩效目标管理，推动各项工作取得积极成效。",
    "在预算编制环节，严格按照零基预算原则编制部门预算，项目入库前开展事前绩效评估，"
    "确保预算安排与部门职责、年度工作任务相匹配。",
    "在预算执行环节，建立支出进度月通报制度，对执行进度滞后的项目及时督促整改，"
    "加强政府采购和合同管理，规范资金支付审批流程。",
    "在绩效管理环节，按要求开展绩效运行监控和绩效自评，将评价结果作为改进管理和"
    "安排下一年度预算的重要依据。",
    "存在问题：个别项目前期论证不够充分，实施进度受外部因素影响有所滞后；"
    "部分绩效指标设置的可衡量性有待提高。",
    "改进措施：进一步加强项目储备和前期论证，细化量化绩效指标，强化绩效结果应用，"
    "不断提高财政资金使用效益。",
)


def grade_for(score: Decimal) -> str:
    """Given a total score, return its 评价等级: 优 ≥90, 良 ≥80, 中 ≥60, else 差."""
    if score >= 90:
        return "优"
    if score >= 80:
        return "良"
    return "中" if score >= 60 else "差"


@dataclass(frozen=True)
class NarrativeSample:
    """One narrative report: department, year, stated figures and score."""

    year: int
    department: Department
    initial: Decimal
    budget: Decimal
    actual: Decimal
    rate: Decimal  # as printed, a fraction
    score: Decimal
    filler: tuple[str, ...]


def build_narrative(year: int, department: Department) -> NarrativeSample:
    """Given a year and a department, return a narrative report sample."""
    rng = random.Random(seed_for(year, "narrative/" + department.slug))
    initial = Decimal(str(rng.uniform(2000, 90000))).quantize(CENT)
    budget = (initial * Decimal(str(rng.uniform(0.85, 1.15)))).quantize(CENT)
    actual = (budget * Decimal(str(rng.uniform(0.85, 0.999)))).quantize(CENT)
    percent = (actual / budget * 100).quantize(CENT, rounding=ROUND_HALF_UP)
    score = Decimal(str(rng.uniform(82, 98))).quantize(CENT)
    filler = tuple(rng.sample(FILLER, rng.randint(3, len(FILLER))))
    return NarrativeSample(year, department, initial, budget, actual, percent / 100, score, filler)


def render_narrative(sample: NarrativeSample, path: Path) -> dict[str, int]:
    """Given a narrative sample and a PDF path, draw it; return its pages and the figures' page."""
    register_font()
    pages = _Pages(path)
    dept = sample.department
    pages.canvas.setTitle(f"{dept.name}{sample.year}年度部门整体支出绩效自评报告")
    draw_heading(pages, dept.name)
    draw_heading(pages, f"{sample.year}年度部门整体支出绩效自评报告")
    draw_heading(pages, "一、部门基本情况", 12, centred=False)
    draw_paragraph(
        pages,
        f"{dept.name}是主管本领域工作的政府工作部门，部门预算编制范围包括本级及所属单位共"
        f"{dept.units}个。{dept.goal}",
    )
    for text in sample.filler[:2]:
        draw_paragraph(pages, text)
    draw_heading(pages, "二、预算执行情况", 12, centred=False)
    figures_page = draw_paragraph(
        pages,
        f"{sample.year}年度，本部门年初预算数为{sample.initial:,.2f}万元，调整后预算数为"
        f"{sample.budget:,.2f}万元，执行数为{sample.actual:,.2f}万元，执行率为"
        f"{sample.rate * 100:.2f}%。",
    )
    for text in sample.filler[2:]:
        draw_paragraph(pages, text)
    draw_heading(pages, "三、自评结论", 12, centred=False)
    draw_paragraph(
        pages,
        f"经自评，本部门{sample.year}年度部门整体支出绩效自评得分{sample.score}分，"
        f"评价等级为“{grade_for(sample.score)}”。",
    )
    return {"pages": pages.finish(), "figures": figures_page}


def narrative_truth(sample: NarrativeSample, drawn: dict[str, int]) -> dict[str, Any]:
    """Given a narrative sample and what ``render_narrative`` returned, return its truth."""
    dept = sample.department
    return {
        **record_head("self_evaluation_report", dept, sample.year, drawn["pages"], dept.units),
        "budget_lines": [
            {
                "dimension": "合计",
                "item": "合计",
                "budget": float(sample.budget),
                "actual": float(sample.actual),
                "reported_rate": float(sample.rate),
                "initial_budget": float(sample.initial),
                "adjustment": None,
                "page": drawn["figures"],
                "kind": "total",
            }
        ],
        "indicators": [],
        "projects": [],
        "totals": totals(float(sample.score), grade_for(sample.score)),
        "issues": [],
    }
