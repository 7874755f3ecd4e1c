"""How the dashboard prints things: Chinese labels, and numbers as the documents print them.

Amounts stay in 万元 with two decimals (``127208.53``); rates, stored as fractions in the
marts, print as percentages with two decimals (``98.57%``); scores with two decimals.
``present()`` turns a query's DataFrame into the table a user sees and downloads: Chinese
headers that carry the unit, rates multiplied by 100, codes replaced by their names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

MISSING = "—"

ADMIN_LEVELS = {"city": "市级", "district": "区级"}
FAMILIES = {
    "self_evaluation_form": "自评表",
    "evaluation_report": "第三方评价报告",
    "self_evaluation_report": "自评报告",
    "unknown": "未识别",
}
STATUSES = {"ok": "通过", "warning": "警告", "unchecked": "未校验", "error": "错误"}
SEVERITIES = {"error": "错误", "warning": "警告", "info": "提示"}

# column → (header, kind); kinds: text, int, year, score, wan (万元), pct (a rate, shown as
# a percentage), pp (a difference of rates, in percentage points), bool, and codes
COLUMNS: dict[str, tuple[str, str]] = {
    "fiscal_year": ("年度", "year"),
    "previous_fiscal_year": ("上一年度", "year"),
    "department": ("单位名称", "text"),
    "department_key": ("单位标识", "text"),
    "district": ("区县", "text"),
    "jurisdiction": ("区县", "text"),
    "admin_level": ("行政级别", "admin_level"),
    "family": ("文档类别", "family"),
    "total_score": ("总分", "score"),
    "normalized_score": ("标准化得分", "score"),
    "normalized_score_change": ("标准化得分同比变化", "score"),
    "mean_normalized_score": ("平均标准化得分", "score"),
    "mean_normalized_score_change": ("平均标准化得分同比变化", "score"),
    "mean_total_score": ("平均总分", "score"),
    "grade": ("评价等级", "text"),
    "score_percentile_in_year": ("年度得分百分位（%）", "pct"),
    "score_percentile_change": ("百分位同比变化（百分点）", "pp"),
    "execution_rate_percentile_in_year": ("执行率年度百分位（%）", "pct"),
    "budget_total": ("预算数（万元）", "wan"),
    "actual_total": ("执行数（万元）", "wan"),
    "initial_budget_amount": ("年初预算数（万元）", "wan"),
    "adjustment_amount": ("调整金额（万元）", "wan"),
    "budget_amount": ("预算数（万元）", "wan"),
    "actual_amount": ("执行数（万元）", "wan"),
    "execution_rate": ("执行率（%）", "pct"),
    "execution_rate_change": ("执行率同比变化（百分点）", "pp"),
    "weighted_execution_rate": ("支出加权执行率（%）", "pct"),
    "weighted_execution_rate_change": ("加权执行率同比变化（百分点）", "pp"),
    "printed_execution_rate": ("印刷执行率（%）", "pct"),
    "printed_rate": ("印刷完成率（%）", "pct"),
    "rate_difference": ("重算与印刷之差（百分点）", "pp"),
    "score_rate": ("得分率（%）", "pct"),
    "department_count": ("部门数", "int"),
    "department_years": ("部门年度数", "int"),
    "departments": ("部门数", "int"),
    "excellent_count": ("优秀数", "int"),
    "quality_error_count": ("质量错误数", "int"),
    "score_rank": ("排名", "int"),
    "quality_status": ("质量状态", "status"),
    "failed_checks": ("未通过的检查", "text"),
    "dimension": ("口径", "text"),
    "item": ("项目", "text"),
    "page_number": ("页码", "int"),
    "project_name": ("项目名称", "text"),
    "category": ("指标类别代码", "text"),
    "category_name": ("指标类别", "text"),
    "indicator": ("指标", "text"),
    "indicator_name": ("指标名称", "text"),
    "points": ("分值", "score"),
    "score": ("得分", "score"),
    "points_lost": ("失分", "score"),
    "rows": ("行数", "int"),
    "check_name": ("检查", "text"),
    "severity": ("严重程度", "severity"),
    "observed": ("实际情况", "text"),
    "expected": ("应满足", "text"),
    "file_name": ("文件", "text"),
    "path": ("路径", "text"),
    "reason_codes": ("原因代码", "text"),
    "reasons": ("原因", "text"),
    "loaded_at": ("读取时间", "text"),
    "missing_parts": ("缺少的部分", "text"),
    "gap_messages": ("未读取的内容", "text"),
    "gap_count": ("缺失项数", "int"),
    "first_page_number": ("首个页码", "int"),
    "source_ocr": ("扫描件（OCR 读取）", "bool"),
    "likely_misread": ("可能误读", "bool"),
    "low_confidence_count": ("OCR 存疑数", "int"),
    "low_confidence_values": ("OCR 存疑的值（按读到的保留）", "text"),
    "printed_label": ("印刷标签", "text"),
    "label_level": ("标签层级", "int"),
    "example_level1_name": ("所属一级指标（示例）", "text"),
    "fallback_category": ("归入类别", "text"),
    "row_count": ("行数", "int"),
    "submission_count": ("提交数", "int"),
    "first_fiscal_year": ("首个年度", "year"),
    "last_fiscal_year": ("最近年度", "year"),
    "years": ("年度数", "int"),
}

_CODES: dict[str, Mapping[str, str]] = {
    "admin_level": ADMIN_LEVELS,
    "family": FAMILIES,
    "status": STATUSES,
    "severity": SEVERITIES,
}


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def wan(value: object) -> str:
    """Given an amount in 万元, return it as printed: ``127208.53 万元``."""
    return MISSING if _missing(value) else f"{float(value):.2f} 万元"  # type: ignore[arg-type]


def amount(value: object) -> str:
    """Given an amount in 万元, return the number as printed: ``127208.53``."""
    return MISSING if _missing(value) else f"{float(value):.2f}"  # type: ignore[arg-type]


def pct(value: object) -> str:
    """Given a fraction, return it as a percentage with two decimals: ``98.57%``."""
    return MISSING if _missing(value) else f"{float(value) * 100:.2f}%"  # type: ignore[arg-type]


def score(value: object) -> str:
    """Given a score, return it with two decimals: ``95.77``."""
    return MISSING if _missing(value) else f"{float(value):.2f}"  # type: ignore[arg-type]


def label(column: str) -> str:
    """Given a column name, return its Chinese header (the name itself when unknown)."""
    return COLUMNS.get(column, (column, "text"))[0]


def kind(column: str) -> str:
    """Given a column name, return how its values print (text, wan, pct, score …)."""
    return COLUMNS.get(column, (column, "text"))[1]


def present(frame: pd.DataFrame) -> pd.DataFrame:
    """Given a query's DataFrame, return the table a user sees and downloads.

    Headers become Chinese with their unit; rates are multiplied by 100 (percent, or
    percentage points for differences); amounts and scores are rounded to two decimals as
    printed; codes (admin level, family, status) become their Chinese names.
    """
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        how = kind(column)
        if how in ("pct", "pp"):
            values = (pd.to_numeric(values, errors="coerce") * 100).round(2)
        elif how in ("wan", "score"):
            values = pd.to_numeric(values, errors="coerce").round(2)
        elif how in _CODES:
            names = _CODES[how]
            values = values.map(lambda v, names=names: names.get(v, v) if isinstance(v, str) else v)
        elif how == "bool":
            values = values.map(lambda v: MISSING if _missing(v) else ("是" if v else "否"))
        shown[label(column)] = values
    return shown.reset_index(drop=True)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Given a presented table, return it as CSV that Excel opens in Chinese (UTF-8 with BOM)."""
    return frame.to_csv(index=False).encode("utf-8-sig")
