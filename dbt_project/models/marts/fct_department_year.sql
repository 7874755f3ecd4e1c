-- One row per department and fiscal year: the figures of the submission that
-- int_submissions_versioned picks (latest version of the preferred family),
-- standardized within the year, with its quality status from the validation and its
-- OCR provenance (int_department_years_attributed).

with

department_years as (

    select * from {{ ref('int_department_years_standardized') }}

),

department_year_attributes as (

    select * from {{ ref('int_department_years_attributed') }}

),

department_years_joined_to_quality as (

    select
        department_years.*,
        department_year_attributes.quality_status,
        department_year_attributes.failed_checks,
        department_year_attributes.likely_misread

    from department_years

    inner join department_year_attributes
        on department_years.sha256 = department_year_attributes.sha256

),

final as (

    select

        ---------- ids
        cast(department_key as varchar) as department_key,
        cast(sha256 as varchar) as sha256,

        ---------- strings
        cast(department as varchar) as department,
        cast(admin_level as varchar) as admin_level,
        cast(district as varchar) as district,
        cast(jurisdiction as varchar) as jurisdiction,
        cast(family as varchar) as family,
        cast(grade as varchar) as grade,
        cast(printed_grade as varchar) as printed_grade,
        cast(budget_dimension as varchar) as budget_dimension,
        cast(quality_status as varchar) as quality_status,
        cast(failed_checks as varchar[]) as failed_checks,

        ---------- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(total_score as double) as total_score,
        cast(normalized_score as double) as normalized_score,
        cast(leaf_score_sum as double) as leaf_score_sum,
        cast(score_difference as double) as score_difference,
        cast(core_points as double) as core_points,
        cast(bonus_deduction_score as double) as bonus_deduction_score,
        cast(initial_budget_total as double) as initial_budget_total,
        cast(budget_total as double) as budget_total,
        cast(actual_total as double) as actual_total,
        cast(execution_rate as double) as execution_rate,
        cast(printed_execution_rate as double) as printed_execution_rate,
        cast(execution_rate_difference as double) as execution_rate_difference,
        cast(score_zscore_in_year as double) as score_zscore_in_year,
        cast(score_percentile_in_year as double) as score_percentile_in_year,
        cast(score_zscore_in_admin_level as double) as score_zscore_in_admin_level,
        cast(score_percentile_in_admin_level as double)
            as score_percentile_in_admin_level,
        cast(score_rank_in_district as integer) as score_rank_in_district,
        cast(execution_rate_zscore_in_year as double)
            as execution_rate_zscore_in_year,
        cast(execution_rate_percentile_in_year as double)
            as execution_rate_percentile_in_year,
        cast(execution_rate_zscore_in_admin_level as double)
            as execution_rate_zscore_in_admin_level,
        cast(execution_rate_percentile_in_admin_level as double)
            as execution_rate_percentile_in_admin_level,
        cast(execution_rate_rank_in_district as integer)
            as execution_rate_rank_in_district,
        cast(district_department_count as integer) as district_department_count,
        cast(unmapped_indicator_count as integer) as unmapped_indicator_count,
        cast(department_year_submission_count as integer) as submission_count,
        cast(version_number as integer) as version_number,

        ---------- booleans
        cast(is_grade_consistent as boolean) as is_grade_consistent,
        cast(source_ocr as boolean) as source_ocr,
        cast(likely_misread as boolean) as likely_misread,

        ---------- timestamps
        cast(loaded_at as timestamp) as loaded_at

    from department_years_joined_to_quality

)

select * from final
