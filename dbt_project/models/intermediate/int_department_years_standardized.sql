-- One row per department-year (the submission int_submissions_versioned uses),
-- with its figures and their standardized forms, before the quality checks:
--   * z-score and percentile of total_score and execution_rate within the
--     fiscal year, over all departments and within the admin level;
--   * rank of total_score and execution_rate within the jurisdiction's fiscal
--     year (1 = best). jurisdiction = the district, or 市本级 for city
--     departments (district stays null for them, as printed), or 未知.
-- fct_department_year adds the quality status to these rows.

with

submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

submissions_scored as (

    select * from {{ ref('int_submissions_scored') }}

),

submissions_budgeted as (

    select * from {{ ref('int_submissions_budgeted') }}

),

submissions_graded as (

    select * from {{ ref('int_submissions_graded') }}

),

submissions_normalized as (

    select * from {{ ref('int_submissions_normalized') }}

),

submissions_used as (

    select * from submissions
    where is_used_for_department_year

),

used_submissions_joined_to_figures as (

    select
        submissions_used.sha256,
        submissions_used.department_key,
        submissions_used.department,
        coalesce(submissions_used.resolved_admin_level, '未知') as admin_level,
        case
            when submissions_used.resolved_district <> '市本级'
                then submissions_used.resolved_district
        end as district,
        coalesce(submissions_used.resolved_district, '未知') as jurisdiction,
        submissions_used.family,
        submissions_used.fiscal_year,
        submissions_used.total_score,
        submissions_used.printed_grade,
        submissions_used.department_year_submission_count,
        submissions_used.version_number,
        submissions_used.loaded_at,
        submissions_used.source_ocr,
        submissions_scored.leaf_score_sum,
        submissions_scored.score_difference,
        submissions_normalized.normalized_score,
        submissions_normalized.core_points,
        submissions_normalized.bonus_deduction_score,
        submissions_normalized.unmapped_indicator_count,
        submissions_graded.grade,
        submissions_graded.is_grade_consistent,
        submissions_budgeted.budget_dimension,
        submissions_budgeted.initial_budget_total,
        submissions_budgeted.budget_total,
        submissions_budgeted.actual_total,
        submissions_budgeted.execution_rate,
        submissions_budgeted.printed_execution_rate,
        submissions_budgeted.execution_rate_difference

    from submissions_used

    left join submissions_scored
        on submissions_used.sha256 = submissions_scored.sha256

    left join submissions_normalized
        on submissions_used.sha256 = submissions_normalized.sha256

    left join submissions_graded
        on submissions_used.sha256 = submissions_graded.sha256

    left join submissions_budgeted
        on submissions_used.sha256 = submissions_budgeted.sha256

),

figures_standardized as (

    select
        *,

        {{ zscore_within('total_score', ['fiscal_year']) }}
            as score_zscore_in_year,
        {{ percentile_within('total_score', ['fiscal_year']) }}
            as score_percentile_in_year,
        {{ zscore_within('total_score', ['fiscal_year', 'admin_level']) }}
            as score_zscore_in_admin_level,
        {{ percentile_within('total_score', ['fiscal_year', 'admin_level']) }}
            as score_percentile_in_admin_level,
        {{ rank_within('total_score', ['fiscal_year', 'jurisdiction']) }}
            as score_rank_in_district,

        {{ zscore_within('execution_rate', ['fiscal_year']) }}
            as execution_rate_zscore_in_year,
        {{ percentile_within('execution_rate', ['fiscal_year']) }}
            as execution_rate_percentile_in_year,
        {{ zscore_within('execution_rate', ['fiscal_year', 'admin_level']) }}
            as execution_rate_zscore_in_admin_level,
        {{ percentile_within('execution_rate', ['fiscal_year', 'admin_level']) }}
            as execution_rate_percentile_in_admin_level,
        {{ rank_within('execution_rate', ['fiscal_year', 'jurisdiction']) }}
            as execution_rate_rank_in_district,

        count(*) over (partition by fiscal_year, jurisdiction)
            as district_department_count

    from used_submissions_joined_to_figures

)

select * from figures_standardized
