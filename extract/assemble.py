"""Parsed documents into their schema-v1 records, with their checks and gaps flagged."""

from __future__ import annotations

from jixiao.extract import issues as codes
from jixiao.extract.budget import unit_issues
from jixiao.extract.checks import (
    check_budget,
    check_gaps,
    check_leaf_sum,
    check_points,
    check_scores,
)
from jixiao.extract.forms import FormContent
from jixiao.extract.issues import issue
from jixiao.extract.metadata import admin_level_of
from jixiao.extract.narrative import NarrativeContent
from jixiao.extract.record import BudgetLine, Document, Indicator, Issue, Record, totals
from jixiao.extract.reports import ReportContent
from jixiao.extract.vocabulary import (
    budget_line_kind,
    strip_list_numbers,
)


def named_leaves(indicators: list[Indicator]) -> list[Indicator]:
    """Given indicators, return them with leaf names free of list numbers (``1.预算…``)."""
    names = strip_list_numbers([row["level3"] for row in indicators])
    return [{**row, "level3": name} for row, name in zip(indicators, names, strict=True)]


def classified(lines: list[BudgetLine]) -> list[BudgetLine]:
    """Given budget lines, return them with their ``kind`` (total, subtotal, item …): the
    one classification the warehouse reads (raw.budget_lines.kind)."""
    return [{**line, "kind": budget_line_kind(line["dimension"], line["item"])} for line in lines]


def fill_form_record(
    record: Record, content: FormContent, fiscal_year: int | None, name: str
) -> Record:
    """Given an empty record, a parsed form, its fiscal year and file name, return the record.

    Missing parts become issues: no indicator table is an error (nothing to load), a
    missing budget table, 总分, department or fiscal year a warning.
    """
    admin_level, district = admin_level_of(content.department)
    record["document"] = {
        "family": "self_evaluation_form",
        "department": content.department,
        "fiscal_year": fiscal_year,
        "admin_level": admin_level,
        "district": district,
        "unit_count": content.unit_count,
    }
    record["budget_lines"] = classified(content.budget_lines)
    record["indicators"] = named_leaves(content.indicators)
    record["totals"] = totals(
        content.total_score, None, content.execution_points, content.execution_score
    )
    found = record["issues"]
    if content.department is None:
        found.append(
            issue(
                "warning",
                codes.MISSING_DEPARTMENT,
                f"{name}: no department found; expected it beside 单位名称",
            )
        )
    if fiscal_year is None:
        found.append(
            issue(
                "warning",
                codes.MISSING_FISCAL_YEAR,
                f"{name}: no fiscal year found; expected （YYYY年度） under the title",
            )
        )
    if not content.found_budget_table:
        found.append(
            issue(
                "warning",
                codes.MISSING_BUDGET_TABLE,
                f"{name}: no budget table found; expected 年度部门整体支出规模 with "
                "按资金来源/按资金结构/按预算级次 columns",
            )
        )
    if not content.indicators:
        found.append(
            issue(
                "error",
                codes.MISSING_INDICATOR_TABLE,
                f"{name}: no indicator rows found; expected a table headed 一级指标 / 分值 / "
                "二级指标 / 分值 / 三级指标 / 分值 / 得分",
            )
        )
    if content.indicators and content.total_score is None:
        found.append(
            issue(
                "warning",
                codes.MISSING_TOTAL_SCORE,
                f"{name}: no 总分 row found; expected 总分 with the total score "
                "after the indicators",
            )
        )
    if content.skipped_pages:
        pages = sorted(set(content.skipped_pages))
        found.append(
            issue(
                "warning",
                codes.TABLE_ROWS_SKIPPED,
                f"{name} p.{pages[0]}: {len(content.skipped_pages)} table row(s) with numbers "
                f"on page(s) {', '.join(map(str, pages))} do not fit the indicator header's "
                "columns and were not read; expected every indicator row under a header",
                pages[0],
            )
        )
    page = content.budget_lines[0]["page"] if content.budget_lines else None
    units = (content.amount_unit, content.amount_units_seen)
    found.extend(unit_issues(*units, "budget table", page, name))
    found.extend(check_budget(content.budget_lines, name))
    found.extend(check_gaps(content.indicators, content.budget_lines, name))
    found.extend(check_scores(content.indicators, name))
    found.extend(
        check_points(content.indicators, content.total_points, name, content.execution_points)
    )
    found.extend(
        check_leaf_sum(
            content.indicators,
            content.total_score,
            content.total_page,
            name,
            content.execution_score,
        )
    )
    return record


def _document(
    family: str, department: str | None, fiscal_year: int | None, units: int | None
) -> Document:
    admin_level, district = admin_level_of(department)
    return {
        "family": family,
        "department": department,
        "fiscal_year": fiscal_year,
        "admin_level": admin_level,
        "district": district,
        "unit_count": units,
    }


def _metadata_issues(department: str | None, fiscal_year: int | None, name: str) -> list[Issue]:
    found = []
    if department is None:
        found.append(
            issue(
                "warning",
                codes.MISSING_DEPARTMENT,
                f"{name}: no department found; expected it in the title "
                "(…局2021年部门整体支出绩效评价报告) or beside 单位名称/被评价部门",
            )
        )
    if fiscal_year is None:
        found.append(
            issue(
                "warning",
                codes.MISSING_FISCAL_YEAR,
                f"{name}: no fiscal year found; expected YYYY年 in the title",
            )
        )
    return found


def fill_report_record(
    record: Record, content: ReportContent, fiscal_year: int | None, name: str
) -> Record:
    """Given an empty record, a parsed evaluation report, its year and file name, return it.

    No indicator table is an error (nothing to score); a missing budget or project
    table, 综合评分, department or year is a warning.
    """
    form = content.form
    record["document"] = _document(
        "evaluation_report", form.department, fiscal_year, form.unit_count
    )
    record["budget_lines"] = classified(content.budget_lines)
    record["indicators"] = named_leaves(form.indicators)
    record["projects"] = content.projects
    record["totals"] = totals(form.total_score)
    found = record["issues"]
    found.extend(_metadata_issues(form.department, fiscal_year, name))
    if not content.found_budget_table:
        found.append(
            issue(
                "warning",
                codes.MISSING_BUDGET_TABLE,
                f"{name}: no budget execution table found; expected a table headed 年初预算数 / "
                "调整金额 / 调整后预算数 / 支出金额 / 支出率",
            )
        )
    if not content.found_project_table:
        found.append(
            issue(
                "warning",
                codes.MISSING_PROJECT_TABLE,
                f"{name}: no project table found; expected a table headed 项目名称 / 年初预算数 …",
            )
        )
    if not form.indicators:
        found.append(
            issue(
                "error",
                codes.MISSING_INDICATOR_TABLE,
                f"{name}: no indicator rows found; expected a table headed 一级指标 / 二级指标 / "
                "三级指标 over 名称 / 权重, with 评分",
            )
        )
    elif form.total_score is None:
        found.append(
            issue(
                "warning",
                codes.MISSING_TOTAL_SCORE,
                f"{name}: no 综合评分 found; expected a 合计 row under the indicator table "
                "or a sentence 综合评分为 … 分",
            )
        )
    found.extend(content.issues)
    found.extend(check_budget(content.budget_lines, name))
    found.extend(check_scores(form.indicators, name))
    found.extend(check_points(form.indicators, None, name))
    found.extend(check_leaf_sum(form.indicators, form.total_score, form.total_page, name))
    return record


def fill_narrative_record(
    record: Record, content: NarrativeContent, fiscal_year: int | None, name: str
) -> Record:
    """Given an empty record, a parsed narrative report, its year and file name, return it.

    No budget figure in the prose is a warning (``missing_budget_figures``).
    """
    record["document"] = _document(
        "self_evaluation_report", content.department, fiscal_year, content.unit_count
    )
    record["budget_lines"] = classified(content.budget_lines)
    record["totals"] = totals(content.total_score, content.grade)
    found = record["issues"]
    found.extend(_metadata_issues(content.department, fiscal_year, name))
    page = content.budget_lines[0]["page"] if content.budget_lines else None
    for unit in dict.fromkeys(content.amount_units):  # each figure says its own unit
        found.extend(unit_issues(unit, [unit], "text", page, name))
    if not content.budget_lines:
        found.append(
            issue(
                "warning",
                codes.MISSING_BUDGET_FIGURES,
                f"{name}: no budget figures found in the text; expected sentences such as "
                "调整后预算数为 … 万元，执行数为 … 万元，执行率为 …%",
            )
        )
    found.extend(check_budget(content.budget_lines, name))
    return record
