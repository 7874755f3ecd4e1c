"""Benchmark: `dbt build` (seeds, every model, data test and unit test) on a generated
warehouse of 10 fiscal years × 600 department-years.

The raw rows are generated directly in DuckDB (no PDFs, no extraction): per
department-year a 自评表 with 6 budget lines (资金来源 / 资金结构 / 预算级次, rates printed
rounded to 0.1 %), the 22 管理效能 leaves of the 2021 template, 15 履职效能 duty
targets and the 加减分项 item, 总分 = the sum of its leaves. On top: 5 % of
department-years also have a third-party report (合计 / 小计 budget lines with
年初预算数 / 调整金额, projects, a 50 + 50 indicator table), 3 % a re-submitted
form, and one department in ten drops the 广州市 prefix in odd years (a name variant
the warehouse must resolve).

    .venv/bin/python benchmarks/dbt_build.py [--years 10] [--per-year 600] [--keep DIR]

Prints the row counts and the wall time of the build. Target: under 60 s on the
2-core machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jixiao.extract.raw_tables import RAW_DDL, classify_budget_lines  # noqa: E402
from jixiao.stages import transform  # noqa: E402
from jixiao_devtools.samples.catalog import BONUS_LEVEL2, BONUS_LEVEL3, BONUS_POINTS, MANAGEMENT  # noqa: E402

DISTRICTS = (
    "荔湾区",
    "越秀区",
    "海珠区",
    "天河区",
    "白云区",
    "黄埔区",
    "番禺区",
    "花都区",
    "南沙区",
    "从化区",
    "增城区",
)
CITY_DEPARTMENTS = 60
FIRST_YEAR = 2015
DUTY_INDICATORS = 15  # 履职效能 50 points: 10 × 3 + 5 × 4


def template_rows() -> list[tuple]:
    """Return the indicator template: (line, level1, l1 points, level2, l2 points, leaf, points)."""
    rows: list[tuple] = []
    for level2, leaves in MANAGEMENT:
        level2_points = sum(points for _, points, _ in leaves)
        for leaf, points, _ in leaves:
            rows.append(("管理效能", 45, level2, level2_points, leaf, points))
    for number in range(DUTY_INDICATORS):
        points = 3 if number < 10 else 4
        rows.append(
            ("履职效能", 50, f"（{number // 5 + 1}）重点任务", 0, f"{number + 1}.任务指标", points)
        )
    rows.append(("加减分项", BONUS_POINTS, BONUS_LEVEL2, BONUS_POINTS, BONUS_LEVEL3, BONUS_POINTS))
    return [(line, *row) for line, row in enumerate(rows, start=1)]


REPORT_TEMPLATE = (
    (1, "财政管理情况评价", 50, "预算资金管理", 32, "预算编制合理性", 4),
    (2, "财政管理情况评价", 50, "预算资金管理", 32, "预算完成率", 8),
    (3, "财政管理情况评价", 50, "预算资金管理", 32, "财务合规性", 20),
    (4, "财政管理情况评价", 50, "绩效管理情况", 15, "绩效目标明确性", 15),
    (5, "财政管理情况评价", 50, "资产管理", 3, "资产管理安全性", 3),
    (6, "部门履职情况", 50, "产出", 25, "产出指标", 25),
    (7, "部门履职情况", 50, "效益", 25, "效益指标", 25),
)


def generate(con: duckdb.DuckDBPyConnection, years: int, per_year: int) -> None:
    """Create schema raw and fill it with years × per_year department-years."""
    for statement in RAW_DDL:
        con.execute(statement)
    con.execute(
        "create temp table form_template (line_number integer, level1 varchar, "
        "level1_points double, level2 varchar, level2_points double, level3 varchar, "
        "points double)"
    )
    con.executemany("insert into form_template values (?, ?, ?, ?, ?, ?, ?)", template_rows())
    con.execute("create temp table report_template as select * from form_template limit 0")
    con.executemany("insert into report_template values (?, ?, ?, ?, ?, ?, ?)", REPORT_TEMPLATE)
    district_list = ", ".join(f"'{district}'" for district in DISTRICTS)
    per_district = (per_year - CITY_DEPARTMENTS) // len(DISTRICTS)
    con.execute(
        f"""
        create temp table departments as
        select
            number,
            case when number < {CITY_DEPARTMENTS} then null
                else list_extract([{district_list}],
                    least((number - {CITY_DEPARTMENTS}) // {per_district} + 1, {len(DISTRICTS)}))
            end as district
        from range({per_year}) as numbers(number)
        """
    )
    # one form per department-year, + re-submissions (3 %) and reports (5 %)
    con.execute(
        f"""
        create temp table generated as
        with department_years as (
            select
                departments.number,
                coalesce(departments.district, '番禺区') as name_district,
                departments.district,
                years.fiscal_year,
                hash(departments.number, years.fiscal_year) as seed
            from departments
            cross join (
                select {FIRST_YEAR} + offset_year as fiscal_year
                from range({years}) as offsets(offset_year)
            ) as years
        ),
        versions as (
            select *, 'self_evaluation_form' as family, 1 as version from department_years
            union all
            select *, 'self_evaluation_form', 2 from department_years where seed % 100 < 3
            union all
            select *, 'evaluation_report', 1 from department_years where seed % 100 >= 95
        )
        select
            sha256(number || '-' || fiscal_year || '-' || family || '-' || version) as sha256,
            number,
            district,
            fiscal_year,
            family,
            version,
            seed,
            case
                when district is null then
                    '广州市第' || number || '委员会'
                when number % 10 = 0 and fiscal_year % 2 = 1 then
                    district || '第' || number || '局'
                else '广州市' || district || '第' || number || '局'
            end as department,
            case when district is null then 'city' else 'district' end as admin_level,
            -- budget in 万元 and a spending share between 0.55 and 1.05
            round(500 + (seed % 200000) / 10.0, 2) as budget,
            0.55 + ((seed // 7) % 500) / 1000.0 as spent_share
        from versions
        """
    )
    con.execute(
        """
        insert into raw.submissions
        select
            sha256,
            'inbox/' || fiscal_year || '/' || sha256 || '.pdf',
            sha256 || '.pdf',
            'application/pdf',
            case when family = 'evaluation_report' then 40 else 9 end,
            100000,
            make_timestamp(fiscal_year + 1, 3, 1, 10, 0, 0) + to_days(version),
            family,
            department,
            fiscal_year,
            admin_level,
            district,
            1 + seed % 12,
            null,
            null,
            'loaded',
            1,
            'benchmark',
            make_timestamp(fiscal_year + 2, 1, 1, 0, 0, 0) + to_days(version),
            null,
            null
        from generated
        """
    )
    con.execute(
        """
        insert into raw.budget_lines
        with amounts as (
            select
                sha256,
                budget,
                round(budget * spent_share, 2) as actual,
                0.7 + (seed % 29) / 100.0 as first_share
            from generated
            where family = 'self_evaluation_form'
        ),
        parts as (
            select sha256, 1 as line_number, '资金来源' as dimension, '财政拨款' as item,
                round(budget * first_share, 2) as budget,
                round(actual * first_share, 2) as actual
            from amounts
            union all
            select sha256, 2, '资金来源', '其他资金',
                budget - round(budget * first_share, 2), actual - round(actual * first_share, 2)
            from amounts
            union all
            select sha256, 3, '资金结构', '基本支出', round(budget * 0.2, 2), round(actual * 0.2, 2)
            from amounts
            union all
            select sha256, 4, '资金结构', '项目支出',
                budget - round(budget * 0.2, 2), actual - round(actual * 0.2, 2)
            from amounts
            union all
            select sha256, 5, '预算级次', '区本级支出',
                round(budget * 0.9, 2), round(actual * 0.9, 2)
            from amounts
            union all
            select sha256, 6, '预算级次', '转移支付',
                budget - round(budget * 0.9, 2), actual - round(actual * 0.9, 2)
            from amounts
        )
        select
            sha256, line_number, dimension, item, budget, actual,
            round(actual / nullif(budget, 0), 3), null, null, 2
        from parts
        """
    )
    con.execute(
        """
        insert into raw.budget_lines
        with amounts as (
            select
                sha256,
                round(budget * 1.2, 2) as initial_budget,
                budget,
                round(budget * spent_share, 2) as actual
            from generated
            where family = 'evaluation_report'
        ),
        lines as (
            select sha256, 1 as line_number, '基本支出' as dimension, '人员经费' as item,
                round(initial_budget * 0.3, 2) as initial_budget,
                round(budget * 0.3, 2) as budget, round(actual * 0.3, 2) as actual
            from amounts
            union all
            select sha256, 2, '基本支出', '小计', round(initial_budget * 0.3, 2),
                round(budget * 0.3, 2), round(actual * 0.3, 2)
            from amounts
            union all
            select sha256, 3, '项目支出', '行政事业类项目',
                initial_budget - round(initial_budget * 0.3, 2),
                budget - round(budget * 0.3, 2), actual - round(actual * 0.3, 2)
            from amounts
            union all
            select sha256, 4, '项目支出', '小计',
                initial_budget - round(initial_budget * 0.3, 2),
                budget - round(budget * 0.3, 2), actual - round(actual * 0.3, 2)
            from amounts
            union all
            select sha256, 5, '合计', '合计', initial_budget, budget, actual
            from amounts
        )
        select
            sha256, line_number, dimension, item, budget, actual,
            round(actual / nullif(budget, 0), 4), initial_budget,
            round(budget - initial_budget, 2), 9
        from lines
        """
    )
    con.execute(
        """
        insert into raw.projects
        select
            sha256, project, '项目' || project,
            round(budget * 0.2, 2), round(-budget * 0.02, 2), round(budget * 0.18, 2),
            round(budget * 0.18 * spent_share, 2), round(spent_share, 4), 10
        from generated
        cross join range(1, 4) as projects(project)
        where family = 'evaluation_report'
        """
    )
    con.execute(
        """
        insert into raw.indicator_scores
        select
            generated.sha256,
            template.line_number,
            template.level1,
            template.level1_points,
            template.level2,
            nullif(template.level2_points, 0),
            template.level3,
            template.points,
            -- a score between 60 % and 100 % of the points, to 0.01
            round(
                template.points
                * (0.6 + (hash(generated.seed, template.line_number) % 401) / 1000.0),
                2
            ),
            null,
            null,
            2 + template.line_number // 12
        from generated
        inner join form_template as template
            on generated.family = 'self_evaluation_form'
        union all
        select
            generated.sha256,
            template.line_number,
            template.level1,
            template.level1_points,
            template.level2,
            template.level2_points,
            template.level3,
            template.points,
            round(
                template.points
                * (0.5 + (hash(generated.seed, template.line_number) % 501) / 1000.0),
                2
            ),
            null,
            null,
            20
        from generated
        inner join report_template as template
            on generated.family = 'evaluation_report'
        """
    )
    con.execute(
        """
        update raw.submissions
        set total_score = totals.total_score
        from (
            select sha256, round(sum(score), 2) as total_score
            from raw.indicator_scores
            group by 1
        ) as totals
        where raw.submissions.sha256 = totals.sha256
        """
    )
    classify_budget_lines(con)  # the extractor's kind of each line, as the loader sets it


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=600)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)

    folder = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    warehouse = folder / "warehouse.duckdb"
    warehouse.unlink(missing_ok=True)
    os.environ.setdefault(transform.DBT_TARGET_DIR_ENV, str(folder / "dbt"))

    started = time.perf_counter()
    with duckdb.connect(str(warehouse)) as con:
        generate(con, args.years, args.per_year)
        counts = {
            table: con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            for table in ("submissions", "budget_lines", "indicator_scores", "projects")
        }
    generated = time.perf_counter() - started
    print(f"generated {args.years} years × {args.per_year} department-years in {generated:.1f} s")
    for table, count in counts.items():
        print(f"  raw.{table:<18} {count:>9,} rows")

    started = time.perf_counter()
    transform.dbt_build(warehouse)
    wall = time.perf_counter() - started

    with duckdb.connect(str(warehouse), read_only=True) as con:
        department_years = con.execute("select count(*) from marts.fct_department_year").fetchone()
        indicators = con.execute("select count(*) from marts.fct_indicator_scores").fetchone()
    print(f"marts.fct_department_year   {department_years[0]:>9,} rows")
    print(f"marts.fct_indicator_scores  {indicators[0]:>9,} rows")
    print(f"dbt build wall time: {wall:.1f} s (target < 60 s)")
    print(f"warehouse: {warehouse}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
