"""A parsed self-evaluation form into its schema-v1 record, with its checks and gaps flagged."""

from __future__ import annotations

from extract import issues as codes
from extract.checks import check_budget, check_leaf_sum, check_points, check_scores
from extract.forms import FormContent
from extract.issues import issue
from extract.metadata import admin_level_of
from extract.record import Record


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
    record["budget_lines"] = content.budget_lines
    record["indicators"] = content.indicators
    record["totals"] = {"total_score": content.total_score, "grade": None}
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
    found.extend(check_budget(content.budget_lines, name))
    found.extend(check_scores(content.indicators, name))
    found.extend(check_points(content.indicators, content.total_points, name))
    found.extend(check_leaf_sum(content.indicators, content.total_score, content.total_page, name))
    return record
