"""Every query the dashboard runs, as typed functions over a read-only serving copy.

Each function takes a DuckDB connection to the serving copy (``jixiao/serving.py``) and
plain values, and returns a pandas DataFrame (or a small dataclass) with the marts'
column names and units: amounts in 万元, rates as fractions. Filters reach SQL only as
bound parameters (``?``); the SQL text is fixed, never built from what a user typed.
Formulas follow the marts (``dbt_project/models/marts``): a district's execution rate is
spend-weighted, Σ actual / Σ budget over departments that print both.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

# quality_status of the marts; `unchecked` = built without a validation (a plain dbt build)
STATUSES = ("ok", "warning", "unchecked", "error")
DEFAULT_STATUSES = ("ok", "warning", "unchecked")  # `error` rows are left out until added


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects. ``None`` = no restriction on that column."""

    first_year: int | None = None
    last_year: int | None = None
    jurisdictions: tuple[str, ...] | None = None
    admin_levels: tuple[str, ...] | None = None
    families: tuple[str, ...] | None = None
    quality_statuses: tuple[str, ...] | None = DEFAULT_STATUSES


@dataclass(frozen=True)
class Where:
    """A fixed SQL condition and its bound parameters."""

    sql: str = "true"
    params: list[object] = field(default_factory=list)


# the filterable columns each mart has
_DEPARTMENT_YEAR = frozenset(
    {"fiscal_year", "jurisdiction", "admin_level", "family", "quality_status"}
)
_TREND = frozenset({"fiscal_year", "jurisdiction", "admin_level", "quality_status"})
_PROJECTS = frozenset({"fiscal_year", "jurisdiction", "family", "quality_status"})


def where(filters: Filters, columns: frozenset[str], alias: str = "") -> Where:
    """Given filters and the columns a table has, return its condition with parameters."""
    prefix = f"{alias}." if alias else ""
    parts: list[str] = []
    params: list[object] = []
    if "fiscal_year" in columns and filters.first_year is not None:
        parts.append(f"{prefix}fiscal_year >= ?")
        params.append(filters.first_year)
    if "fiscal_year" in columns and filters.last_year is not None:
        parts.append(f"{prefix}fiscal_year <= ?")
        params.append(filters.last_year)
    for column, values in (
        ("jurisdiction", filters.jurisdictions),
        ("admin_level", filters.admin_levels),
        ("family", filters.families),
        ("quality_status", filters.quality_statuses),
    ):
        if column in columns and values is not None:
            parts.append(f"list_contains(?::varchar[], {prefix}{column})")
            params.append(list(values))
    return Where(" and ".join(parts) or "true", params)


def _df(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> object:
    row = con.execute(sql, params or []).fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------- what is there


@dataclass(frozen=True)
class Published:
    """When the serving copy was published, from which run, and whether it holds data."""

    run_id: str | None
    published_at: object
    department_years: int


def published(con: duckdb.DuckDBPyConnection) -> Published:
    """Return the serving copy's publication record and how many department-years it has."""
    row = con.execute("select run_id, published_at from serving.published").fetchone()
    count = _scalar(con, "select count(*) from marts.fct_department_year")
    return Published(
        run_id=row[0] if row else None,
        published_at=row[1] if row else None,
        department_years=int(count or 0),
    )


@dataclass(frozen=True)
class Choices:
    """The values each sidebar filter offers, in the order users expect them."""

    years: list[int]
    jurisdictions: list[str]
    admin_levels: list[str]
    families: list[str]
    statuses: list[str]


def _column(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list:
    """Given a query of one column, return its values."""
    return [row[0] for row in con.execute(sql, params or []).fetchall()]


def choices(con: duckdb.DuckDBPyConnection) -> Choices:
    """Return the years, jurisdictions (districts in display order), levels and families."""
    years = [
        int(value)
        for value in _column(
            con, "select distinct fiscal_year from marts.fct_department_year order by 1"
        )
    ]
    jurisdictions = [
        str(value)
        for value in _column(
            con,
            """
            select department_years.jurisdiction
            from (select distinct jurisdiction from marts.fct_department_year) as department_years
            left join marts.dim_district as districts
                on department_years.jurisdiction = districts.district
            order by districts.display_order nulls last, department_years.jurisdiction
            """,
        )
    ]
    levels = [
        str(value)
        for value in _column(
            con,
            "select distinct admin_level from marts.fct_department_year "
            "where admin_level is not null order by 1",
        )
    ]
    families = [
        str(value)
        for value in _column(
            con, "select distinct family from marts.fct_department_year order by 1"
        )
    ]
    statuses = [
        str(value)
        for value in _column(
            con,
            "select distinct quality_status from marts.fct_department_year "
            "order by list_position(?::varchar[], quality_status) nulls last, 1",
            [list(STATUSES)],
        )
    ]
    return Choices(years, jurisdictions, levels, families, statuses)


def excluded_department_years(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return, per quality status, the department-years the status filter leaves out."""
    if filters.quality_statuses is None:
        return pd.DataFrame({"quality_status": [], "department_years": []})
    others = where(replace(filters, quality_statuses=None), _DEPARTMENT_YEAR)
    return _df(
        con,
        f"""
        select quality_status, count(*) as department_years
        from marts.fct_department_year
        where {others.sql} and not list_contains(?::varchar[], quality_status)
        group by 1 order by 1
        """,
        [*others.params, list(filters.quality_statuses)],
    )


# ---------------------------------------------------------------- 概览


@dataclass(frozen=True)
class Headline:
    """The overview's figures for one fiscal year."""

    departments: int
    mean_normalized_score: float | None
    weighted_execution_rate: float | None
    budget_total: float | None
    actual_total: float | None
    quarantined_files: int


def headline(con: duckdb.DuckDBPyConnection, filters: Filters, year: int) -> Headline:
    """Given filters and a fiscal year, return the overview's headline figures."""
    cond = where(filters, _DEPARTMENT_YEAR)
    row = con.execute(
        f"""
        select
            count(distinct department_key),
            avg(normalized_score),
            sum(budget_total) filter (where actual_total is not null),
            sum(actual_total) filter (where budget_total is not null)
        from marts.fct_department_year
        where fiscal_year = ? and {cond.sql}
        """,
        [year, *cond.params],
    ).fetchone()
    departments, mean_score, budget, actual = row if row else (0, None, None, None)
    quarantined = _scalar(
        con, "select count(*) from quality.quarantined_files where fiscal_year = ?", [year]
    )
    return Headline(
        departments=int(departments or 0),
        mean_normalized_score=mean_score,
        weighted_execution_rate=(actual / budget) if budget else None,
        budget_total=budget,
        actual_total=actual,
        quarantined_files=int(quarantined or 0),
    )


def department_years(con: duckdb.DuckDBPyConnection, filters: Filters, year: int) -> pd.DataFrame:
    """Return every department-year of a fiscal year (scores, grade, execution, status)."""
    cond = where(filters, _DEPARTMENT_YEAR)
    return _df(
        con,
        f"""
        select department, jurisdiction, admin_level, family, total_score, normalized_score,
            grade, score_percentile_in_year, budget_total, actual_total, execution_rate,
            printed_execution_rate, quality_status, array_to_string(failed_checks, ', ')
                as failed_checks
        from marts.fct_department_year
        where fiscal_year = ? and {cond.sql}
        order by normalized_score desc nulls last, department
        """,
        [year, *cond.params],
    )


def grade_counts(con: duckdb.DuckDBPyConnection, filters: Filters, year: int) -> pd.DataFrame:
    """Return how many department-years of the year have each grade (优 良 中 差, 无)."""
    cond = where(filters, _DEPARTMENT_YEAR)
    return _df(
        con,
        f"""
        select graded.grade, count(*) as department_years
        from (
            select coalesce(grade, '无评分') as grade
            from marts.fct_department_year
            where fiscal_year = ? and {cond.sql}
        ) as graded
        group by 1
        order by list_position(['优', '良', '中', '差', '无评分'], graded.grade)
        """,
        [year, *cond.params],
    )


def lowest_execution(
    con: duckdb.DuckDBPyConnection, filters: Filters, year: int, limit: int = 10
) -> pd.DataFrame:
    """Return the departments of the year that executed the smallest share of their budget."""
    cond = where(filters, _DEPARTMENT_YEAR)
    return _df(
        con,
        f"""
        select department, jurisdiction, budget_total, actual_total, execution_rate,
            printed_execution_rate, execution_rate_percentile_in_year, quality_status
        from marts.fct_department_year
        where fiscal_year = ? and execution_rate is not null and {cond.sql}
        order by execution_rate, department
        limit ?
        """,
        [year, *cond.params, limit],
    )


def status_counts(con: duckdb.DuckDBPyConnection, filters: Filters, year: int) -> pd.DataFrame:
    """Return department-years per quality status in the year (every status, to show exclusions)."""
    cond = where(replace(filters, quality_statuses=None), _DEPARTMENT_YEAR)
    return _df(
        con,
        f"""
        select quality_status, count(*) as department_years
        from marts.fct_department_year
        where fiscal_year = ? and {cond.sql}
        group by 1
        order by list_position(?::varchar[], quality_status) nulls last, 1
        """,
        [year, *cond.params, list(STATUSES)],
    )


# ---------------------------------------------------------------- 区县对比


def district_years(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return districts × years ranked by mean normalized score, with year-over-year changes.

    Computed from ``fct_department_year`` with ``mart_district_year``'s formulas, so the
    quality filter applies; with every status selected the figures equal that mart.
    """
    cond = where(filters, _DEPARTMENT_YEAR)
    return _df(
        con,
        f"""
        with grouped as (
            select
                jurisdiction as district,
                fiscal_year,
                count(*) as department_count,
                avg(normalized_score) as mean_normalized_score,
                avg(total_score) as mean_total_score,
                sum(budget_total) filter (where actual_total is not null) as budget_total,
                sum(actual_total) filter (where budget_total is not null) as actual_total,
                count(*) filter (where grade = '优') as excellent_count,
                count(*) filter (where quality_status = 'error') as quality_error_count
            from marts.fct_department_year
            where {cond.sql}
            group by 1, 2
        ),
        rated as (
            select *, actual_total / nullif(budget_total, 0) as weighted_execution_rate
            from grouped
        )
        select
            rated.*,
            rank() over (
                partition by fiscal_year order by mean_normalized_score desc nulls last
            ) as score_rank,
            mean_normalized_score - lag(mean_normalized_score) over by_district
                as mean_normalized_score_change,
            weighted_execution_rate - lag(weighted_execution_rate) over by_district
                as weighted_execution_rate_change,
            lag(fiscal_year) over by_district as previous_fiscal_year
        from rated
        window by_district as (partition by district order by fiscal_year)
        order by fiscal_year desc, score_rank, district
        """,
        cond.params,
    )


# ---------------------------------------------------------------- 部门画像


def _of_department(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    columns: frozenset[str],
    department_key: str,
    sql: str,
) -> pd.DataFrame:
    """Run a department's query: ``?`` = its key, ``{condition}`` = the filters."""
    cond = where(filters, columns)
    return _df(con, sql.format(condition=cond.sql), [department_key, *cond.params])


def departments(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return the departments the filters select: key, latest name, jurisdiction, years."""
    cond = where(filters, _DEPARTMENT_YEAR)
    return _df(
        con,
        f"""
        select department_key, arg_max(department, fiscal_year) as department,
            arg_max(jurisdiction, fiscal_year) as jurisdiction, count(*) as years
        from marts.fct_department_year
        where {cond.sql}
        group by 1
        order by jurisdiction, department
        """,
        cond.params,
    )


def department_trend(
    con: duckdb.DuckDBPyConnection, filters: Filters, department_key: str
) -> pd.DataFrame:
    """Return one department's years: score, percentile, execution rate and their changes."""
    return _of_department(
        con,
        filters,
        _TREND,
        department_key,
        """
        select fiscal_year, department, total_score, normalized_score, normalized_score_change,
            grade, score_percentile_in_year, score_percentile_change, execution_rate,
            execution_rate_change, quality_status, source_ocr, likely_misread
        from marts.mart_department_trend
        where department_key = ? and {condition}
        order by fiscal_year
        """,
    )


def department_points_lost(
    con: duckdb.DuckDBPyConnection, filters: Filters, department_key: str
) -> pd.DataFrame:
    """Return where a department lost points: per year and indicator category."""
    return _of_department(
        con,
        filters,
        _DEPARTMENT_YEAR,
        department_key,
        """
        select scores.fiscal_year, scores.category,
            coalesce(categories.category_chinese, scores.category) as category_name,
            sum(scores.points) as points, sum(scores.score) as score,
            sum(scores.points_lost) as points_lost
        from marts.fct_indicator_scores as scores
        left join lookup.indicator_categories as categories using (category)
        where scores.department_key = ? and not scores.is_bonus_deduction
            and scores.points > 0 and scores.score is not null and {condition}
        group by all
        order by scores.fiscal_year, points_lost desc
        """,
    )


def department_budget_lines(
    con: duckdb.DuckDBPyConnection, filters: Filters, department_key: str
) -> pd.DataFrame:
    """Return a department's budget lines (budget, actual, recomputed and printed rate)."""
    return _of_department(
        con,
        filters,
        _DEPARTMENT_YEAR,
        department_key,
        """
        select fiscal_year, dimension, item, budget_amount, actual_amount, execution_rate,
            printed_rate, rate_difference, page_number, quality_status
        from marts.fct_budget_execution
        where department_key = ? and {condition}
        order by fiscal_year, line_number
        """,
    )


def department_projects(
    con: duckdb.DuckDBPyConnection, filters: Filters, department_key: str
) -> pd.DataFrame:
    """Return the projects of a department's third-party reports."""
    return _of_department(
        con,
        filters,
        _PROJECTS,
        department_key,
        """
        select fiscal_year, project_name, initial_budget_amount, adjustment_amount,
            budget_amount, actual_amount, execution_rate, printed_rate, page_number
        from marts.fct_project_execution
        where department_key = ? and {condition}
        order by fiscal_year, line_number
        """,
    )


def department_failed_checks(con: duckdb.DuckDBPyConnection, department_key: str) -> pd.DataFrame:
    """Return the checks a department's submissions failed in their latest validation."""
    return _df(
        con,
        """
        select department_years.fiscal_year, checks.check_name, checks.severity,
            checks.observed, checks.expected
        from quality.latest_check_results as checks
        inner join marts.fct_department_year as department_years using (sha256)
        where department_years.department_key = ? and not checks.passed
        order by 1, 2
        """,
        [department_key],
    )


# ---------------------------------------------------------------- 指标分析


def category_points_lost(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return points lost and score rate per indicator category, district and year."""
    cond = where(filters, _DEPARTMENT_YEAR, "scores")
    return _df(
        con,
        f"""
        select scores.fiscal_year, scores.jurisdiction, scores.category,
            coalesce(categories.category_chinese, scores.category) as category_name,
            sum(scores.points_lost) as points_lost,
            sum(scores.score) / nullif(sum(scores.points), 0) as score_rate,
            count(distinct scores.department_key) as departments
        from marts.fct_indicator_scores as scores
        left join lookup.indicator_categories as categories using (category)
        where not scores.is_bonus_deduction and scores.points > 0
            and scores.score is not null and {cond.sql}
        group by all
        order by scores.fiscal_year desc, scores.jurisdiction, points_lost desc
        """,
        cond.params,
    )


def leaves_losing_most(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 20
) -> pd.DataFrame:
    """Return the leaf indicators that lose the most points over the selection."""
    cond = where(filters, _DEPARTMENT_YEAR, "scores")
    return _df(
        con,
        f"""
        select
            coalesce(categories.category_chinese, scores.category) as category_name,
            coalesce(scores.indicator_code, scores.indicator_name) as indicator,
            min(scores.indicator_name) as indicator_name,
            sum(scores.points_lost) as points_lost,
            sum(scores.score) / nullif(sum(scores.points), 0) as score_rate,
            count(*) as rows,
            count(distinct scores.department_key) as departments
        from marts.fct_indicator_scores as scores
        left join lookup.indicator_categories as categories using (category)
        where not scores.is_bonus_deduction and scores.points > 0
            and scores.score is not null and {cond.sql}
        group by 1, 2
        having sum(scores.points_lost) > 0
        order by points_lost desc, indicator
        limit ?
        """,
        [*cond.params, limit],
    )


# ---------------------------------------------------------------- 数据质量


def failed_checks(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return every failed check of the submissions in the marts: observed vs expected."""
    cond = where(filters, _DEPARTMENT_YEAR, "department_years")
    return _df(
        con,
        f"""
        select department_years.fiscal_year, department_years.department,
            department_years.jurisdiction, department_years.quality_status,
            checks.check_name, checks.severity, checks.observed, checks.expected
        from quality.latest_check_results as checks
        inner join marts.fct_department_year as department_years using (sha256)
        where not checks.passed and {cond.sql}
        order by 1 desc, 3, 2, 5
        """,
        cond.params,
    )


def quarantined_files(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return the files that could not be read, with their reasons (year filter only)."""
    first = filters.first_year
    last = filters.last_year
    return _df(
        con,
        """
        select fiscal_year, file_name, reason_codes, reasons, path, loaded_at
        from quality.quarantined_files
        where (? is null or fiscal_year is null or fiscal_year >= ?)
            and (? is null or fiscal_year is null or fiscal_year <= ?)
        order by fiscal_year desc nulls first, file_name
        """,
        [first, first, last, last],
    )


def partly_read(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return the submissions read only in part (``mart_partly_read_submissions``)."""
    cond = where(filters, frozenset({"fiscal_year", "family"}))
    return _df(
        con,
        f"""
        select fiscal_year, department, family, file_name, missing_parts, gap_messages,
            gap_count, first_page_number
        from marts.mart_partly_read_submissions
        where {cond.sql}
        order by fiscal_year desc, department, file_name
        """,
        cond.params,
    )


def ocr_read(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return the department-years read from scans by OCR (``mart_ocr_read_submissions``):
    likely misreads first, then the values OCR was least sure of. Not filtered by quality
    status: a likely misread fails a sum check, and this table is where it is reviewed."""
    cond = where(filters, frozenset({"fiscal_year", "jurisdiction", "family"}))
    return _df(
        con,
        f"""
        select fiscal_year, department, jurisdiction, family, file_name, likely_misread,
            low_confidence_count, low_confidence_values, first_page_number, quality_status
        from marts.mart_ocr_read_submissions
        where {cond.sql}
        order by likely_misread desc, fiscal_year desc, low_confidence_count desc, department
        """,
        cond.params,
    )


def unmapped_labels(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the indicator labels not in the taxonomy (the taxonomy's to-do list)."""
    return _df(
        con,
        """
        select printed_label, label_level, example_level1_name, fallback_category,
            row_count, submission_count, department_count, first_fiscal_year, last_fiscal_year
        from marts.mart_unmapped_indicator_labels
        order by row_count desc, printed_label
        """,
    )
