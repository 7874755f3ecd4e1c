"""The third-party evaluation report (部门整体支出绩效评价报告) into its parts.

``text layer | table rows → budget-execution table, project table, indicator table,
综合评分 → ReportContent``. The execution tables are found by their header (年初预算数 …),
the indicator table by 一级/二级/三级指标 over 名称/权重; 综合评分 by the table's 合计 row,
cross-checked with the sentence ``综合评分为 88.48分``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.extract import issues as codes
from jixiao.extract.budget import stated_unit, unit_issues
from jixiao.extract.execution import budget_from_rows, projects_from_rows
from jixiao.extract.execution_rows import find_row_tables
from jixiao.extract.execution_text import PROJECTS, TextTable, find_tables
from jixiao.extract.forms import FormContent, find_indicators
from jixiao.extract.issues import issue, where
from jixiao.extract.metadata import department_from_title, unit_count_from_text
from jixiao.extract.normalize import compact
from jixiao.extract.pdf_tables import TableRow
from jixiao.extract.record import BudgetLine, Issue, Project
from jixiao.extract.text_layer import Line, read_indicators, split_lines
from jixiao.extract.tolerances import tolerances

_SCORE_SENTENCE = re.compile(r"综合(?:评分|得分)(?:为|是|:)?(\d{1,3}(?:\.\d+)?)分")


@dataclass
class ReportContent:
    """What a report parser read: the form-like parts plus budget lines, projects, issues."""

    form: FormContent = field(default_factory=FormContent)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    found_budget_table: bool = False
    found_project_table: bool = False
    issues: list[Issue] = field(default_factory=list)


def _stated_score(lines: list[Line]) -> tuple[float | None, int | None]:
    for position, line in enumerate(lines):
        window = compact(" ".join(other.text for other in lines[position : position + 3]))
        if "综合" not in compact(line.text):
            continue
        match = _SCORE_SENTENCE.search(window)
        if match:
            return float(match.group(1)), line.page
    return None, None


def _apply_tables(content: ReportContent, tables: list[TextTable], name: str) -> None:
    for table in tables:
        unit, seen, factor = stated_unit(table.units)
        if table.kind == PROJECTS and not content.found_project_table:
            content.projects, found = projects_from_rows(table.rows, table.keys, name, factor)
            content.found_project_table = True
            found = unit_issues(unit, seen, "project table", table.page, name) + found
        elif table.kind != PROJECTS and not content.found_budget_table:
            content.budget_lines, found = budget_from_rows(table.rows, table.keys, name, factor)
            content.found_budget_table = True
            found = unit_issues(unit, seen, "budget execution table", table.page, name) + found
        else:
            continue
        content.issues.extend(found)


def _settle_total(content: ReportContent, lines: list[Line], name: str) -> None:
    """Given the parsed content, take 综合评分 from the table or the sentence; flag a clash."""
    stated, page = _stated_score(lines)
    form = content.form
    if form.total_score is None:
        form.total_score, form.total_page = stated, page
        return
    if stated is not None and abs(stated - form.total_score) > tolerances().score:
        content.issues.append(
            issue(
                "warning",
                codes.TOTAL_SCORE_MISMATCH,
                f"{where(name, page)}: the text states 综合评分 {stated:g} but the indicator "
                f"table's total is {form.total_score:g}; expected them equal; the table's "
                "total is kept",
                page,
                field="totals.total_score",
                observed=stated,
                expected=form.total_score,
            )
        )


def parse_report_text(text: str, name: str) -> ReportContent:
    """Given an evaluation report's text layer and file name, return what it holds."""
    lines = split_lines(text)
    content = ReportContent()
    content.form.department = department_from_title(text[:3000])
    content.form.unit_count = unit_count_from_text(text[:3000])
    _apply_tables(content, find_tables(lines), name)
    read_indicators(lines, content.form)
    _settle_total(content, lines, name)
    return content


def parse_report_rows(rows: list[TableRow], text: str, name: str) -> ReportContent:
    """Given a report PDF's table rows, its text and file name, return what they hold."""
    lines = split_lines(text)
    content = ReportContent()
    content.form.department = department_from_title(text[:3000])
    content.form.unit_count = unit_count_from_text(text[:3000])
    _apply_tables(content, find_row_tables(rows), name)
    find_indicators(rows, content.form)
    _settle_total(content, lines, name)
    return content
