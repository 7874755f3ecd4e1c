"""Document metadata read from content: department, fiscal year, unit count, admin level."""

from __future__ import annotations

import re

from jixiao.extract.normalize import compact

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


GUANGZHOU = "广州市"
GUANGZHOU_DISTRICTS: tuple[str, ...] = (
    "越秀区",
    "海珠区",
    "荔湾区",
    "天河区",
    "白云区",
    "黄埔区",
    "花都区",
    "番禺区",
    "南沙区",
    "从化区",
    "增城区",
)
_TITLE = re.compile(
    r"([\u4e00-\u9fff()]{4,40}?)(?:\d{4})年度?(?:部门)?整体支出(?:绩效)?(?:自评|评价)报告"
)
_EVALUATED = re.compile(
    r"被评价(?:部门|单位):?([\u4e00-\u9fff()]{4,40}?(?:局|委员会|办公室|中心|院|馆|站|所|队|会))"
)


def canonical_department(name: str | None) -> str | None:
    """Given a printed department name, return it NFKC-compacted, with 广州市 before a district.

    ``荔湾区科技工业和信息化局`` → ``广州市荔湾区科技工业和信息化局``; other names unchanged.
    """
    flat = compact(name)
    if not flat:
        return None
    if flat.startswith(GUANGZHOU_DISTRICTS):
        return GUANGZHOU + flat
    return flat


def department_from_title(text: str) -> str | None:
    """Given a report's opening text, return the department named in its title, else None.

    ``广州市荔湾区科技工业和信息化局 2021年部门整体支出绩效评价报告`` → the department;
    failing a title, the name after ``被评价部门：`` or ``单位名称``.
    """
    flat = compact(text)
    match = _TITLE.search(flat) or _EVALUATED.search(flat)
    if match:
        return canonical_department(match.group(1))
    return canonical_department(department_from_text(text))


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


_TICKED_GRADE = re.compile(r"[☑√✓✔■☒▣]([优良中差])")
_PRINTED_GRADE = re.compile(r"等级:?([优良中差])(?![0-9□☐])")


def grade_from_text(text: str) -> str | None:
    """Given a form's text, return its 评价等级: ticked (``☑优 □良`` → ``优``) or printed
    alone (``自评等级 优`` → ``优``), else None."""
    flat = compact(text)
    if "等级" not in flat:
        return None
    match = _TICKED_GRADE.search(flat) or _PRINTED_GRADE.search(flat)
    return match.group(1) if match else None
