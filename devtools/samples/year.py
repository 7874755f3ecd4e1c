"""Synthetic departments for a city-scale year of submissions (benchmarks)."""

from __future__ import annotations

from jixiao_devtools.samples.catalog import (
    FGW_DUTIES,
    HAIZHU_DUTIES,
    KJJ_DUTIES,
    PANYU_DUTIES,
    SWJ_DUTIES,
    TIANHE_DUTIES,
    YUEXIU_DUTIES,
    Department,
)

DISTRICTS: tuple[tuple[str, str], ...] = (
    ("yuexiu", "越秀区"),
    ("haizhu", "海珠区"),
    ("liwan", "荔湾区"),
    ("tianhe", "天河区"),
    ("baiyun", "白云区"),
    ("huangpu", "黄埔区"),
    ("huadu", "花都区"),
    ("panyu", "番禺区"),
    ("nansha", "南沙区"),
    ("conghua", "从化区"),
    ("zengcheng", "增城区"),
)
BUREAUS: tuple[tuple[str, str], ...] = (
    ("jyj", "教育局"),
    ("wjj", "卫生健康局"),
    ("jtj", "交通运输局"),
    ("mzj", "民政局"),
    ("sfj", "司法局"),
    ("czj", "财政局"),
    ("rsj", "人力资源和社会保障局"),
    ("zjj", "住房和城乡建设局"),
    ("slj", "水务局"),
    ("nyj", "农业农村局"),
    ("swj", "商务局"),
    ("wglj", "文化广电旅游体育局"),
    ("yjj", "应急管理局"),
    ("scj", "市场监督管理局"),
    ("tjj", "统计局"),
    ("cgj", "城市管理和综合执法局"),
    ("gxj", "工业和信息化局"),
    ("kjj", "科学技术局"),
    ("fgj", "发展和改革局"),
    ("xfj", "信访局"),
    ("tyjrj", "退役军人事务局"),
    ("ylbzj", "医疗保障局"),
    ("zsj", "政务服务数据管理局"),
    ("lyj", "林业和园林局"),
    ("ghj", "规划和自然资源分局"),
    ("sjj", "审计局"),
    ("mzzj", "民族宗教事务局"),
    ("qlj", "侨务局"),
    ("jgswj", "机关事务管理局"),
    ("dag", "档案馆"),
)
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("swzx", "事务中心"),
    ("fwzx", "服务中心"),
    ("glzx", "管理中心"),
    ("fzzx", "发展中心"),
    ("bzzx", "保障中心"),
)
DUTY_SETS = (FGW_DUTIES, KJJ_DUTIES, SWJ_DUTIES, PANYU_DUTIES, TIANHE_DUTIES, YUEXIU_DUTIES)
GOAL = "围绕年度重点工作任务，落实部门职责，提高财政资金使用效益，完成年度绩效目标。"


def synthetic_departments(count: int) -> list[Department]:
    """Given a count, return that many distinct departments (city first, then districts).

    Beyond the 360 bureaus, further departments are their centres (…事务中心, …服务中心 …),
    up to 2,010 in all.
    """
    names: list[tuple[str, str, str | None]] = []
    for code, bureau in BUREAUS:
        names.append((f"gz-{code}", f"广州市{bureau}", None))
    for slug, district in DISTRICTS:
        for code, bureau in BUREAUS:
            names.append((f"{slug}-{code}", f"广州市{district}{bureau}", district))
    for suffix_code, suffix in SUFFIXES:
        for slug, district in DISTRICTS:
            for code, bureau in BUREAUS:
                if len(names) >= count:
                    break
                stem = bureau.removesuffix("局").removesuffix("馆")
                names.append(
                    (f"{slug}-{code}-{suffix_code}", f"广州市{district}{stem}{suffix}", district)
                )
    departments = []
    for index, (slug, name, district) in enumerate(names[:count]):
        duties = DUTY_SETS[index % len(DUTY_SETS)] if index % 9 else HAIZHU_DUTIES
        departments.append(Department(slug, name, district, 1 + index % 12, GOAL, duties))
    return departments
