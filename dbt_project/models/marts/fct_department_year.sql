-- One row per department and fiscal year, from the submission that
-- int_submissions_versioned picks (latest version of the preferred family).

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

submissions_quality as (

    select * from {{ ref('int_submissions_quality') }}

),

submissions_used as (

    select * from submissions where is_used_for_department_year

),

used_submissions_joined_to_figures as (

    select
        submissions_used.*,
        submissions_scored.leaf_score_sum,
        submissions_scored.score_difference,
        submissions_budgeted.budget_dimension,
        submissions_budgeted.budget_total,
        submissions_budgeted.actual_total,
        submissions_budgeted.execution_rate,
        submissions_budgeted.printed_execution_rate

    from submissions_used

    left join submissions_scored
        on submissions_used.sha256 = submissions_scored.sha256

    left join submissions_budgeted
        on submissions_used.sha256 = submissions_budgeted.sha256

),

grades_recomputed as (

    select
        used_submissions_joined_to_figures.*,
        submissions_graded.grade,
        submissions_graded.is_grade_consistent,
        coalesce(submissions_quality.quality_status, 'unchecked') as quality_status,
        coalesce(submissions_quality.failed_checks, []::varchar[]) as failed_checks

    from used_submissions_joined_to_figures

    left join submissions_graded
        on used_submissions_joined_to_figures.sha256 = submissions_graded.sha256

    left join submissions_quality
        on used_submissions_joined_to_figures.sha256 = submissions_quality.sha256

),

final as (

    select

        ---------- ids
        cast(sha256 as varchar) as sha256,

        ---------- strings
        cast(department as varchar) as department,
        cast(admin_level as varchar) as admin_level,
        cast(district as varchar) as district,
        cast(family as varchar) as family,
        cast(grade as varchar) as grade,
        cast(printed_grade as varchar) as printed_grade,
        cast(budget_dimension as varchar) as budget_dimension,
        cast(quality_status as varchar) as quality_status,
        cast(failed_checks as varchar[]) as failed_checks,

        ---------- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(total_score as double) as total_score,
        cast(leaf_score_sum as double) as leaf_score_sum,
        cast(score_difference as double) as score_difference,
        cast(budget_total as double) as budget_total,
        cast(actual_total as double) as actual_total,
        cast(execution_rate as double) as execution_rate,
        cast(printed_execution_rate as double) as printed_execution_rate,
        cast(department_year_submission_count as integer) as submission_count,
        cast(version_number as integer) as version_number,

        ---------- booleans
        cast(is_grade_consistent as boolean) as is_grade_consistent,

        ---------- timestamps
        cast(loaded_at as timestamp) as loaded_at

    from grades_recomputed

)

select * from final
