"""Crafted submissions for the quality-check tests (tests/test_quality_checks.py).

Three clean submissions whose every figure adds up — a self-evaluation form (CLEAN_FORM),
a third-party report with 小计/合计 lines, adjustments, projects and a 5-point bonus
section (CLEAN_REPORT), a narrative report with a printed total only (CLEAN_NARRATIVE) —
and, per check, copies of one of them with exactly one mistake (VIOLATIONS). Each
violation's mistake is chosen so that it breaks its own check and nothing else.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from jixiao.extract.raw_tables import classify_budget_lines

LOADED_AT = "2024-02-01 00:00:00"

Row = dict[str, Any]


@dataclass
class Submission:
    """One loaded submission as the extractor would record it."""

    sha256: str
    family: str
    department: str | None
    fiscal_year: int | None
    total_score: float | None
    printed_grade: str | None
    budget_lines: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    issues: list[Row] = field(default_factory=list)
    source_ocr: bool = False  # a page was read by OCR


def budget_line(
    dimension: str,
    item: str,
    budget: float,
    actual: float,
    rate: float | None,
    initial: float | None = None,
    adjustment: float | None = None,
) -> Row:
    return {
        "dimension": dimension,
        "item": item,
        "budget": budget,
        "actual": actual,
        "reported_rate": rate,
        "initial_budget": initial,
        "adjustment": adjustment,
    }


def indicator(
    level1: str,
    level1_points: float,
    level2: str,
    level2_points: float,
    level3: str,
    points: float,
    score: float | None,
) -> Row:
    return {
        "level1": level1,
        "level1_points": level1_points,
        "level2": level2,
        "level2_points": level2_points,
        "level3": level3,
        "points": points,
        "score": score,
    }


def project(
    name: str, initial: float, adjustment: float, adjusted: float, actual: float, rate: float
) -> Row:
    return {
        "name": name,
        "initial_budget": initial,
        "adjustment": adjustment,
        "adjusted_budget": adjusted,
        "actual": actual,
        "reported_rate": rate,
    }


CLEAN_FORM = Submission(
    sha256="clean_form",
    family="self_evaluation_form",
    department="甲局",
    fiscal_year=2021,
    total_score=93.0,
    printed_grade="优",
    budget_lines=[
        budget_line("资金来源", "财政拨款", 800.0, 720.0, 0.9),
        budget_line("资金来源", "其他资金", 200.0, 180.0, 0.9),
        budget_line("资金结构", "基本支出", 300.0, 290.0, 0.9667),
        budget_line("资金结构", "项目支出", 700.0, 610.0, 0.8714),
        budget_line("预算级次", "区本级支出", 900.0, 820.0, 0.9111),
        budget_line("预算级次", "转移支付", 100.0, 80.0, 0.8),
    ],
    indicators=[
        indicator("管理效能", 45, "资金管理", 20, "预算完成率", 10, 9.0),
        indicator("管理效能", 45, "资金管理", 20, "预算调整率", 10, 10.0),
        indicator("管理效能", 45, "绩效管理", 25, "绩效目标合理性", 25, 24.0),
        indicator("履职效能", 50, "产出", 50, "重点工作完成率", 50, 45.0),
        indicator("加减分项", 5, "工作表现加减分", 5, "工作受表彰或批评", 5, 5.0),
    ],
)

# As the extractor records a third-party report's execution table: the groups 基本支出
# and 项目支出 under dimension 资金结构, each printed after its details (资金结构明细), the
# grand total under dimension 合计; the project table's own 合计 row is not a project.
# Indicators: 100 points plus a 5-point bonus section (the total may reach 105).
CLEAN_REPORT = Submission(
    sha256="clean_report",
    family="evaluation_report",
    department="乙局",
    fiscal_year=2021,
    total_score=95.0,
    printed_grade="优",
    budget_lines=[
        budget_line("资金结构明细", "人员经费", 320.0, 310.0, 0.9688, 350.0, -30.0),
        budget_line("资金结构明细", "日常公用经费", 40.0, 36.0, 0.9, 50.0, -10.0),
        budget_line("资金结构", "基本支出", 360.0, 346.0, 0.9611, 400.0, -40.0),
        budget_line("资金结构明细", "行政事业类项目", 500.0, 450.0, 0.9, 600.0, -100.0),
        budget_line("资金结构", "项目支出", 500.0, 450.0, 0.9, 600.0, -100.0),
        budget_line("合计", "合计", 860.0, 796.0, 0.9256, 1000.0, -140.0),
    ],
    indicators=[
        indicator("财政管理", 50, "预算资金管理", 50, "预算编制合理性", 30, 28.0),
        indicator("财政管理", 50, "预算资金管理", 50, "预算完成率", 20, 18.0),
        indicator("部门履职", 50, "产出", 50, "重点工作完成率", 50, 45.0),
        indicator("加分项", 5, "工作表彰", 5, "受上级表彰", 5, 4.0),
    ],
    projects=[
        project("项目甲", 400.0, -50.0, 350.0, 330.0, 0.9429),
        project("项目乙", 200.0, -50.0, 150.0, 120.0, 0.8),
    ],
)

CLEAN_NARRATIVE = Submission(
    sha256="clean_narrative",
    family="self_evaluation_report",
    department="丙局",
    fiscal_year=2022,
    total_score=88.0,
    printed_grade="良",
)

CLEAN: tuple[Submission, ...] = (CLEAN_FORM, CLEAN_REPORT, CLEAN_NARRATIVE)


def variant(base: Submission, sha256: str, change: Callable[[Submission], None]) -> Submission:
    """Given a clean submission, return a copy with its own sha256 and department, changed."""
    copied = copy.deepcopy(base)
    copied.sha256 = sha256
    copied.department = f"{base.department}·{sha256}"
    change(copied)
    return copied


def set_fields(**changes: Any) -> Callable[[Submission], None]:
    def change(submission: Submission) -> None:
        for name, value in changes.items():
            setattr(submission, name, value)

    return change


def set_row(table: str, index: int, **changes: Any) -> Callable[[Submission], None]:
    def change(submission: Submission) -> None:
        getattr(submission, table)[index].update(changes)

    return change


def both(*changes: Callable[[Submission], None]) -> Callable[[Submission], None]:
    def change(submission: Submission) -> None:
        for one in changes:
            one(submission)

    return change


def negative_points(submission: Submission) -> None:
    """Split the bonus leaf into +7 and -2 points: sums still hold, one points value < 0."""
    submission.indicators[4].update(points=7)
    submission.indicators.append(
        indicator("加减分项", 5, "工作表现加减分", 5, "受批评扣分", -2, None)
    )


def project_sum_issue(submission: Submission) -> None:
    """Add the issue the extractor reports when a project table's 合计 row is off: its typed
    fields carry the numbers; the message holds none (no model may read it)."""
    submission.issues.append(
        {
            "path": f"inbox/{submission.fiscal_year}/{submission.sha256}.pdf",
            "severity": "warning",
            "code": "project_sum_mismatch",
            "message": "the project table's 合计 row disagrees with its rows (any wording)",
            "field": "projects.合计.actual",
            "observed": 460.0,
            "expected": 450.0,
        }
    )


def ocr_doubts(submission: Submission) -> None:
    """Add the warnings OCR gives a scan's values read with low confidence: a number (its
    cell and the value as read) and a name (no number)."""
    path = f"inbox/{submission.fiscal_year}/{submission.sha256}.pdf"
    for cell, observed in (("budget_lines.资金来源.财政拨款.budget", 110.0), ("department", None)):
        submission.issues.append(
            {
                "path": path,
                "severity": "warning",
                "code": "ocr_low_confidence",
                "message": "OCR read this with low confidence (any wording)",
                "field": cell,
                "observed": observed,
            }
        )


def read_in_part(code: str) -> Callable[[Submission], None]:
    """Add the warning the extractor gives a document it read only in part (``code``)."""

    def change(submission: Submission) -> None:
        submission.issues.append(
            {
                "path": f"inbox/{submission.fiscal_year}/{submission.sha256}.pdf",
                "severity": "warning",
                "code": code,
                "message": f"not all of it was read ({code}, any wording)",
            }
        )

    return change


@dataclass(frozen=True)
class Violation:
    """A crafted submission that must fail ``check`` with ``severity``, and nothing else."""

    check: str
    severity: str
    submission: Submission

    @property
    def id(self) -> str:
        return self.submission.sha256


VIOLATIONS: tuple[Violation, ...] = (
    Violation(
        "score_within_points",
        "error",
        variant(
            CLEAN_FORM,
            "over_points",
            both(set_row("indicators", 1, score=11.0), set_fields(total_score=94.0)),
        ),
    ),
    Violation(
        "points_non_negative", "error", variant(CLEAN_FORM, "negative_points", negative_points)
    ),
    Violation(
        "total_score_in_range",
        "error",
        variant(
            CLEAN_NARRATIVE, "total_over_105", set_fields(total_score=106.0, printed_grade="优")
        ),
    ),
    Violation(
        "execution_rate_plausible",
        "error",
        variant(
            CLEAN_FORM,
            "rate_over_150",
            set_fields(budget_lines=[budget_line("资金来源", "财政拨款", 100.0, 160.0, 1.6)]),
        ),
    ),
    Violation(
        "execution_rate_plausible",
        "warning",
        variant(
            CLEAN_FORM,
            "rate_over_100",
            set_fields(budget_lines=[budget_line("资金来源", "财政拨款", 100.0, 120.0, 1.2)]),
        ),
    ),
    Violation(
        "amounts_non_negative",
        "error",
        variant(
            CLEAN_FORM,
            "negative_amount",
            both(
                set_row("budget_lines", 0, budget=1010.0, actual=900.0, reported_rate=0.8911),
                set_row("budget_lines", 1, budget=-10.0, actual=0.0, reported_rate=None),
            ),
        ),
    ),
    Violation(
        "fiscal_year_plausible",
        "error",
        variant(CLEAN_FORM, "future_year", set_fields(fiscal_year=2031)),
    ),
    Violation(
        "grade_valid",
        "warning",
        variant(CLEAN_FORM, "unknown_grade", set_fields(printed_grade="良好")),
    ),
    Violation(
        "leaf_scores_sum_to_total",
        "error",
        variant(CLEAN_FORM, "leaves_off_total", set_fields(total_score=93.5)),
    ),
    Violation(
        "level2_points_sum",
        "warning",
        variant(
            CLEAN_FORM,
            "level2_off",
            both(
                set_row("indicators", 0, level2_points=25),
                set_row("indicators", 1, level2_points=25),
            ),
        ),
    ),
    Violation(
        "points_sum_to_100",
        "error",
        variant(
            CLEAN_FORM,
            "points_103",
            set_row("indicators", 2, points=28, level2_points=28),
        ),
    ),
    Violation(
        "budget_dimensions_agree",
        "error",
        variant(
            CLEAN_FORM,
            "dimensions_disagree",
            both(
                set_row("budget_lines", 5, budget=110.0, reported_rate=0.7273),
                read_in_part("amount_unit_unclear"),  # two units stated: maybe why
                read_in_part("missing_total_score"),
            ),
        ),
    ),
    Violation(  # the same mistake in a scan: a likely misread (fct_department_year)
        "budget_dimensions_agree",
        "error",
        variant(
            CLEAN_FORM,
            "dimensions_disagree_in_scan",
            both(
                set_row("budget_lines", 5, budget=110.0, reported_rate=0.7273),
                set_fields(source_ocr=True),
                ocr_doubts,
            ),
        ),
    ),
    Violation(
        "budget_dimensions_agree",
        "error",
        variant(
            CLEAN_REPORT,
            "details_off_group",
            set_row("budget_lines", 0, actual=320.0, reported_rate=1.0),
        ),
    ),
    Violation(
        "projects_sum_to_total",
        "warning",
        variant(
            CLEAN_REPORT,
            "projects_off_budget_line",
            set_row("projects", 1, actual=130.0, reported_rate=0.8667),
        ),
    ),
    Violation(
        "projects_sum_to_total",
        "warning",
        # the project table's printed 合计 disagrees with its rows: only the extractor saw
        # it, and reported it as an issue
        variant(CLEAN_REPORT, "project_total_misprinted", project_sum_issue),
    ),
    Violation(
        "adjusted_equals_initial_plus_adjustment",
        "warning",
        variant(
            CLEAN_REPORT,
            "adjustment_off",
            both(
                set_row("budget_lines", 0, adjustment=-25.0),
                set_row("budget_lines", 2, adjustment=-35.0),
                set_row("budget_lines", 5, adjustment=-135.0),
            ),
        ),
    ),
    Violation(
        "printed_rate_matches",
        "warning",
        variant(CLEAN_FORM, "rate_misprinted", set_row("budget_lines", 0, reported_rate=0.92)),
    ),
    Violation(
        "printed_grade_matches_score",
        "warning",
        variant(CLEAN_FORM, "grade_off", set_fields(printed_grade="良")),
    ),
    Violation(
        "submission_identified",
        "error",
        variant(CLEAN_FORM, "no_department", set_fields(department=None)),
    ),
)


def raw_rows(submissions: tuple[Submission, ...] | list[Submission]) -> dict[str, list[Row]]:
    """Given submissions, return their rows per raw table (line numbers from 1)."""
    tables: dict[str, list[Row]] = {
        "raw.submissions": [],
        "raw.budget_lines": [],
        "raw.indicator_scores": [],
        "raw.projects": [],
        "raw.extraction_issues": [],
    }
    for sub in submissions:
        tables["raw.submissions"].append(
            {
                "sha256": sub.sha256,
                "path": f"inbox/{sub.fiscal_year}/{sub.sha256}.pdf",
                "file_name": f"{sub.sha256}.pdf",
                "media_type": "application/pdf",
                "pages": 9,
                "file_size": 1000,
                "family": sub.family,
                "department": sub.department,
                "fiscal_year": sub.fiscal_year,
                "total_score": sub.total_score,
                "printed_grade": sub.printed_grade,
                "status": "loaded",
                "schema_version": 1,
                "run_id": "quality-fixture",
                "loaded_at": LOADED_AT,
                "source_ocr": sub.source_ocr,
            }
        )
        for table, rows in (
            ("raw.budget_lines", sub.budget_lines),
            ("raw.indicator_scores", sub.indicators),
            ("raw.projects", sub.projects),
            ("raw.extraction_issues", sub.issues),
        ):
            for number, row in enumerate(rows, start=1):
                tables[table].append(
                    {"sha256": sub.sha256, "line_number": number, "page": 2, **row}
                )
    return tables


def insert_raw_rows(
    con: duckdb.DuckDBPyConnection, submissions: tuple[Submission, ...] | list[Submission]
) -> None:
    """Insert the submissions' rows into schema raw (created by jixiao.extract.raw_tables.RAW_DDL);
    budget lines get their kind as the loader gives it (jixiao.extract.raw_tables)."""
    for table, rows in raw_rows(submissions).items():
        if not rows:
            continue
        columns = list(dict.fromkeys(column for row in rows for column in row))  # every key
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(
            f"insert into {table} ({', '.join(columns)}) values ({placeholders})",
            [[row.get(column) for column in columns] for row in rows],
        )
    classify_budget_lines(con)
