"""Third-party evaluation report samples (部门整体支出绩效评价报告): model, PDF and truth.

Laid out like the published reports: a title, prose, the budget execution table
(年初预算数 / 调整金额 / 调整率 / 调整后预算数 / 支出金额 / 支出率 under two header rows,
基本支出 and 项目支出 merged over their rows, 小计 and 合计 rows), the project table (a 合计
row first, then every project, continued over pages under a repeated header), the
indicator table (一级/二级/三级指标 over 名称 | 权重(%), with 评分) and 综合评分.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from jixiao.extract.record import totals
from jixiao.extract.vocabulary import strip_enumerator
from jixiao_devtools.samples.catalog import Department
from jixiao_devtools.samples.model import CENT, seed_for
from jixiao_devtools.samples.narrative import FILLER
from jixiao_devtools.samples.paged import draw_heading, draw_paged_table, draw_paragraph
from jixiao_devtools.samples.render import _Pages, register_font
from jixiao_devtools.samples.truth import nfkc_text, record_head

PROJECT_NAMES: tuple[str, ...] = (
    "部门日常运转专项经费",
    "信息化系统运行维护项目",
    "行业安全生产监督检查工作经费",
    "重点产业发展扶持资金",
    "春运及节假日运输保障工作经费",
    "政策宣传及培训服务购买项目",
    "科技创新战略专项资金（基础与应用基础研究项目）",
    "中小企业公共服务平台运营补助",
    "统计调查及经济运行监测经费",
    "物业管理及安全保卫服务经费",
    "应急物资储备及演练专项经费",
    "第三方专业机构技术服务采购项目",
    "产业园区整治提升服务外包项目经费",
    "创新创业大赛承办等活动及政策宣传费用",
    "档案数字化及保密室建设经费",
    "疫情防控补助经费",
    "年度绩效评价及审计服务费",
    "专项资金项目评审及验收经费",
    "公共停车设施建设补助资金",
    "数字经济发展专项资金（第二批）",
)

# (level-1 name, [(level-2 name, [(level-3 name, weight)])])
Template = tuple[tuple[str, tuple[tuple[str, tuple[tuple[str, int], ...]], ...]], ...]
TEMPLATES: tuple[Template, ...] = (
    (
        (
            "财政管理情况评价",
            (
                (
                    "预算资金管理",
                    (
                        ("预算编制合理性", 4),
                        ("预算完成率", 8),
                        ("预算调整率", 3),
                        ("部门预算资金支出均衡性", 3),
                        ("政府采购执行率", 1),
                        ("公用经费控制率", 2),
                        ("财务合规性", 7),
                        ("管理制度健全及执行有效性", 4),
                    ),
                ),
                (
                    "绩效管理情况",
                    (
                        ("绩效目标明确性", 4),
                        ("绩效指标有效性", 4),
                        ("部门绩效运行监控开展情况", 4),
                        ("部门整体绩效自评情况", 3),
                    ),
                ),
                ("资产管理", (("资产管理安全性", 2), ("固定资产利用率", 1))),
            ),
        ),
        (
            "履职情况评价",
            (
                (
                    "产出",
                    (
                        ("年度目标完成情况", 9),
                        ("重点任务完成率", 8),
                        ("安全生产监管工作完成率", 8),
                    ),
                ),
                (
                    "效益",
                    (
                        ("社会效益", 10),
                        ("企业安全生产意识和应对突发生产安全事故的能力", 8),
                        ("服务对象满意度", 7),
                    ),
                ),
            ),
        ),
    ),
    (
        (
            "投入",
            (
                ("预算配置", (("预算编制科学性", 5), ("在职人员控制率", 5))),
                ("资金管理", (("资金使用合规性", 10),)),
            ),
        ),
        (
            "过程",
            (
                ("预算执行", (("预算执行率", 10), ("结转结余控制", 5), ("三公经费控制", 5))),
                ("管理制度", (("内控制度有效性", 10),)),
            ),
        ),
        ("产出", (("履职产出", (("重点工作完成率", 15), ("工作完成及时性", 15))),)),
        ("效益", (("履职效益", (("社会效益", 10), ("可持续影响", 5), ("满意度", 5))),)),
    ),
)


@dataclass(frozen=True)
class ExecFigures:
    """One printed row of an execution table: exact values and the texts printed."""

    label: str
    initial: Decimal
    adjustment: Decimal
    budget: Decimal
    actual: Decimal

    @property
    def rate(self) -> Decimal:
        """Return 支出率 as printed (2 decimals of a percent), as a fraction."""
        if not self.budget:
            return Decimal(0)
        percent = (self.actual / self.budget * 100).quantize(CENT, rounding=ROUND_HALF_UP)
        return percent / 100

    def cells(self) -> list[str]:
        """Return the six printed value cells."""
        change_rate = (
            "——"
            if not self.initial
            else f"{(abs(self.adjustment) / self.initial * 100).quantize(CENT)}%"
        )
        return [
            f"{self.initial:,.2f}",
            f"{self.adjustment:,.2f}",
            change_rate,
            f"{self.budget:,.2f}",
            f"{self.actual:,.2f}",
            f"{self.rate * 100:.2f}%",
        ]


@dataclass(frozen=True)
class ReportSample:
    """Everything needed to draw one evaluation report and state its truth."""

    year: int
    department: Department
    basic: tuple[ExecFigures, ...]  # 人员经费, 日常公用经费
    project_kinds: tuple[ExecFigures, ...]  # 基本建设类项目, 行政事业类项目
    projects: tuple[ExecFigures, ...]
    project_total_actual: Decimal  # as printed on the project table's 合计 row
    leaves: tuple[tuple[str, int, str, int, str, int, Decimal], ...]
    total: Decimal


def _sum(rows: tuple[ExecFigures, ...], label: str) -> ExecFigures:
    return ExecFigures(
        label,
        sum((r.initial for r in rows), Decimal(0)),
        sum((r.adjustment for r in rows), Decimal(0)),
        sum((r.budget for r in rows), Decimal(0)),
        sum((r.actual for r in rows), Decimal(0)),
    )


def _figures(rng: random.Random, label: str, low: float, high: float) -> ExecFigures:
    initial = (
        Decimal(str(rng.uniform(low, high))).quantize(CENT) if rng.random() > 0.15 else Decimal(0)
    )
    change = Decimal(str(rng.uniform(-0.4, 0.3))) * (initial or Decimal(50))
    change = change.quantize(CENT)
    budget = initial + change
    if budget < 0:
        change, budget = -initial, Decimal(0)
    actual = (budget * Decimal(str(rng.uniform(0.3, 1.0)))).quantize(CENT)
    return ExecFigures(label, initial, change, budget, actual)


def build_report(year: int, department: Department, mistake: bool = False) -> ReportSample:
    """Given a year and a department, return an evaluation report sample.

    With ``mistake`` the project table's 合计 prints an actual 10.00 above the projects' sum.
    """
    rng = random.Random(seed_for(year, "report/" + department.slug))
    count = rng.randint(8, 16)
    names = rng.sample(PROJECT_NAMES, count)
    projects = tuple(_figures(rng, name, 5, 400) for name in names)
    admin = _sum(projects[: count // 3 * 2 + 1], "行政事业类项目")
    build = _sum(projects[count // 3 * 2 + 1 :], "基本建设类项目")
    basic = (
        _figures(rng, "人员经费", 800, 5000),
        _figures(rng, "日常公用经费", 50, 400),
    )
    template = TEMPLATES[rng.randrange(len(TEMPLATES))]
    leaves = []
    for level1, groups in template:
        level1_points = sum(w for _, leaves3 in groups for _, w in leaves3)
        for level2, leaves3 in groups:
            level2_points = sum(w for _, w in leaves3)
            for level3, weight in leaves3:
                cut = Decimal(str(rng.uniform(0, 0.4 * weight))).quantize(CENT)
                score = Decimal(weight) - (cut if rng.random() < 0.5 else Decimal(0))
                leaves.append((level1, level1_points, level2, level2_points, level3, weight, score))
    total = sum((leaf[6] for leaf in leaves), Decimal(0))
    project_sum = sum((p.actual for p in projects), Decimal(0))
    return ReportSample(
        year=year,
        department=department,
        basic=basic,
        project_kinds=(build, admin),
        projects=projects,
        project_total_actual=project_sum + (Decimal(10) if mistake else Decimal(0)),
        leaves=tuple(leaves),
        total=total,
    )


BUDGET_WIDTHS = (40.0, 88.0, 66.0, 62.0, 52.0, 66.0, 66.0, 53.0)
BUDGET_HEADER = [
    ["财政拨款支出", "", "年初预算数", "预算调整", "", "", "实际支出", ""],
    ["", "", "", "调整金额", "调整率", "调整后预算数", "支出金额", "支出率"],
]
BUDGET_HEADER_SPANS = [((0, 0), (1, 1)), ((2, 0), (2, 1)), ((3, 0), (5, 0)), ((6, 0), (7, 0))]
PROJECT_WIDTHS = (28.0, 150.0, 62.0, 58.0, 50.0, 62.0, 60.0, 53.0)
PROJECT_HEADER = [
    ["序号", "项目名称", "年初预算数", "预算调整", "", "调整后预算数", "实际支出", ""],
    ["", "", "", "调整金额", "调整率", "", "支出数", "执行率"],
]
PROJECT_HEADER_SPANS = [
    ((0, 0), (0, 1)),
    ((1, 0), (1, 1)),
    ((2, 0), (2, 1)),
    ((3, 0), (4, 0)),
    ((5, 0), (5, 1)),
    ((6, 0), (7, 0)),
]
INDICATOR_WIDTHS = (52.0, 36.0, 60.0, 36.0, 96.0, 36.0, 115.0, 36.0, 56.0)
INDICATOR_HEADER = [
    ["一级指标", "", "二级指标", "", "三级指标", "", "指标说明", "评分", "评分依据"],
    ["名称", "权重(%)", "名称", "权重(%)", "名称", "权重(%)", "", "", ""],
]
INDICATOR_HEADER_SPANS = [
    ((0, 0), (1, 0)),
    ((2, 0), (3, 0)),
    ((4, 0), (5, 0)),
    ((6, 0), (6, 1)),
    ((7, 0), (7, 1)),
    ((8, 0), (8, 1)),
]


def _budget_rows(sample: ReportSample) -> list[tuple[str, str, ExecFigures]]:
    basic_total = _sum(sample.basic, "小计")
    project_total = _sum(sample.project_kinds, "小计")
    rows = [("基本支出", f.label, f) for f in (*sample.basic, basic_total)]
    rows += [("项目支出", f.label, f) for f in (*sample.project_kinds, project_total)]
    rows.append(("合计", "", _sum((basic_total, project_total), "合计")))
    return rows


def render_report(sample: ReportSample, path: Path) -> dict[str, Any]:
    """Given a report sample and a PDF path, draw it; return the pages of its parts."""
    register_font()
    pages = _Pages(path)
    dept = sample.department
    pages.canvas.setTitle(f"{dept.name}{sample.year}年部门整体支出绩效评价报告")
    draw_heading(pages, dept.name)
    draw_heading(pages, f"{sample.year}年部门整体支出绩效评价报告")
    budget_rows = _budget_rows(sample)
    total = budget_rows[-1][2]
    draw_paragraph(
        pages,
        f"{dept.name}{sample.year}年度部门整体支出绩效评价纳入部门全过程预算绩效管理工作范围，"
        "绩效评价的资金范围包括本机关及纳入该部门预算的直属单位的所有财政性资金。"
        f"该部门整体支出年初预算安排合共{total.initial:,.2f}万元；经年中预算调整，"
        f"预算总额调整为{total.budget:,.2f}万元；年终决算部门整体实际支出"
        f"{total.actual:,.2f}万元，支出率为{total.rate * 100:.2f}%。",
    )
    draw_heading(pages, f"表1-5 {sample.year}年部门整体支出资金执行情况", 10.5)
    draw_paragraph(pages, "单位：万元", 9, indent=False)
    body = [[group, item, *figures.cells()] for group, item, figures in budget_rows]
    spans = {len(body) - 1: [(0, 1)]}
    budget_pages = draw_paged_table(
        pages, BUDGET_WIDTHS, BUDGET_HEADER, BUDGET_HEADER_SPANS, body, [(0,)], spans
    )
    for text in FILLER:
        draw_paragraph(pages, text)
    draw_paragraph(
        pages,
        f"本年度共有{len(sample.projects)}个预算项目，各项目主要支出情况详见下表：",
    )
    draw_heading(pages, f"表1-6 {sample.year}年部门项目支出资金执行情况", 10.5)
    draw_paragraph(pages, "单位：万元", 9, indent=False)
    project_total = _sum(sample.projects, "合计")
    total_cells = project_total.cells()
    total_cells[4] = f"{sample.project_total_actual:,.2f}"
    body = [["", "合计", *total_cells]]
    body += [[str(n), p.label, *p.cells()] for n, p in enumerate(sample.projects, start=1)]
    project_pages = draw_paged_table(
        pages, PROJECT_WIDTHS, PROJECT_HEADER, PROJECT_HEADER_SPANS, body
    )
    draw_paragraph(
        pages,
        f"经第三方机构综合分析与评价，该部门{sample.year}年度部门整体支出绩效评价总体综合评分"
        f"为{sample.total:.2f}分（百分制）。（详见附件1：部门整体支出绩效评价指标体系及评分结果）",
    )
    pages.next()
    draw_heading(pages, "附件1：部门整体绩效评价表", 12, centred=False)
    draw_paragraph(pages, f"被评价部门：{dept.name}", 10, indent=False)
    body = [
        [
            l1,
            str(p1),
            l2,
            str(p2),
            l3,
            f"{w:.2f}",
            f"考核{l3}的实际情况。",
            f"{s:.2f}",
            "依据评分标准评分。",
        ]
        for l1, p1, l2, p2, l3, w, s in sample.leaves
    ]
    body.append(["合计", "", "", "", "", "", "", f"{sample.total:.2f}", "——"])
    spans = {len(body) - 1: [(0, 6)]}
    indicator_pages = draw_paged_table(
        pages,
        INDICATOR_WIDTHS,
        INDICATOR_HEADER,
        INDICATOR_HEADER_SPANS,
        body,
        [(0, 1), (2, 3)],
        spans,
    )
    return {
        "pages": pages.finish(),
        "budget": budget_pages,
        "projects": project_pages,
        "indicators": indicator_pages,
    }


def _float(value: Decimal) -> float:
    return float(value)


def report_truth(sample: ReportSample, drawn: dict[str, Any], file_name: str) -> dict[str, Any]:
    """Given a report sample, what ``render_report`` drew and its file name, return its truth."""
    dept = sample.department
    lines = []
    for (group, item, figures), page in zip(_budget_rows(sample), drawn["budget"], strict=True):
        if group == "合计":
            dimension, item, kind = "合计", "合计", "total"
        elif item == "小计":
            dimension, item, kind = "资金结构", group, "item"
        else:
            dimension, kind = "资金结构明细", "detail"
        lines.append(
            {
                "dimension": dimension,
                "item": item,
                "budget": _float(figures.budget),
                "actual": _float(figures.actual),
                "reported_rate": _float(figures.rate),
                "initial_budget": _float(figures.initial),
                "adjustment": _float(figures.adjustment),
                "page": page,
                "kind": kind,
            }
        )
    projects = [
        {
            "name": nfkc_text(p.label),
            "initial_budget": _float(p.initial),
            "adjusted_budget": _float(p.budget),
            "adjustment": _float(p.adjustment),
            "actual": _float(p.actual),
            "reported_rate": _float(p.rate),
            "page": page,
        }
        for p, page in zip(sample.projects, drawn["projects"][1:], strict=True)
    ]
    indicators = [
        {
            "level1": l1,
            "level1_points": float(p1),
            "level2": l2,
            "level2_points": float(p2),
            "level3": strip_enumerator(l3),
            "points": float(w),
            "score": float(s),
            "target": None,
            "actual": None,
            "page": page,
        }
        for (l1, p1, l2, p2, l3, w, s), page in zip(
            sample.leaves, drawn["indicators"], strict=False
        )
    ]
    issues = []
    project_sum = sum((p.actual for p in sample.projects), Decimal(0))
    if sample.project_total_actual != project_sum:
        page = drawn["projects"][0]
        issues.append(
            {
                "severity": "warning",
                "code": "project_sum_mismatch",
                "message": f"{file_name} p.{page}: the projects' 支出数 add up to {project_sum} "
                f"but the 合计 row prints {sample.project_total_actual} (deliberate)",
                "page": page,
            }
        )
    return {
        **record_head("evaluation_report", dept, sample.year, drawn["pages"], None),
        "budget_lines": lines,
        "indicators": indicators,
        "projects": projects,
        "totals": totals(float(sample.total)),
        "issues": issues,
    }
