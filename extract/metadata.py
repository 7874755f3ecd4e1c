"""Document metadata read from content: department, fiscal year, unit count, admin level."""

from __future__ import annotations

import re

from extract.normalize import compact

# "广州市番禺区科技…局" or "番禺区科技…局": a 2-3 character district name right after the
# city (or at the start), ending in 区.
_DISTRICT = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}市)?([\u4e00-\u9fff]{2,3}区)")
_DEPARTMENT = re.compile(r"单位名称:?(.{2,60}?)单位数")
_DEPARTMENT_NO_COUNT = re.compile(
    r"单位名称:?([\u4e00-\u9fff()]{2,40}?(?:局|委员会|办公室|厅|院|中心|会|署|部|馆|站|所|队))"
)
_UNIT_COUNT = re.compile(r"单位数[:]?(\d+)")
_YEAR_IN_PARENS = re.compile(r"\((\d{4})年度?\)")
_YEAR_IN_TITLE = re.compile(r"(\d{4})年度?(?:部门|单位)")


def admin_level_of(department: str | None) -> tuple[str | None, str | None]:
    """Given a department name, return ``(admin_level, district)``.

    ``广州市番禺区科技工业商务和信息化局`` → ``("district", "番禺区")``;
    ``广州市发展和改革委员会`` → ``("city", None)``; no name → ``(None, None)``.
    """
    if not department:
        return None, None
    match = _DISTRICT.match(compact(department))
    if match:
        return "district", match.group(1)
    return "city", None


def department_from_text(text: str) -> str | None:
    """Given text holding ``单位名称 … 单位数``, return the department name between them."""
    flat = compact(text)
    match = _DEPARTMENT.search(flat) or _DEPARTMENT_NO_COUNT.search(flat)
    if not match:
        return None
    return match.group(1).strip(":") or None


def unit_count_from_text(text: str | None) -> int | None:
    """Given text such as ``单位数：6个`` (or just ``6个``), return the count 6, else None."""
    flat = compact(text)
    match = _UNIT_COUNT.search(flat) or re.fullmatch(r"(\d+)个?", flat)
    return int(match.group(1)) if match else None


def fiscal_year_from_text(text: str) -> int | None:
    """Given a document's opening text, return the fiscal year of ``（2021年度）`` or a title."""
    flat = compact(text)
    match = _YEAR_IN_PARENS.search(flat) or _YEAR_IN_TITLE.search(flat)
    return int(match.group(1)) if match else None
