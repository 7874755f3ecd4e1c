{{ config(tags=["after_checks"]) }}

-- The attributes of every department-year's submission that the fact marts copy
-- beside their rows, in one place: department, place, family and year, the quality
-- verdict of its latest validation, and where its figures came from (source_ocr).
-- likely_misread: a page was read by OCR and a sum check failed, so the parts that
-- do not add up are more likely a misread figure than the department's mistake
-- (issue 10, docs/quality.md). The marts join it once, by sha256.

with

department_years as (

    select * from {{ ref('int_department_years_standardized') }}

),

submissions_quality as (

    select * from {{ ref('int_submissions_quality') }}

),

department_years_joined_to_quality as (

    select
        department_years.sha256,
        department_years.department_key,
        department_years.department,
        department_years.district,
        department_years.jurisdiction,
        department_years.admin_level,
        department_years.family,
        department_years.fiscal_year,
        department_years.source_ocr,
        coalesce(submissions_quality.quality_status, 'unchecked')
            as quality_status,
        coalesce(submissions_quality.failed_checks, []::varchar[])
            as failed_checks,
        coalesce(submissions_quality.has_failed_sum_check, false)
            as has_failed_sum_check

    from department_years

    left join submissions_quality
        on department_years.sha256 = submissions_quality.sha256

),

final as (

    select

        ---------- ids
        sha256,
        department_key,

        ---------- strings
        department,
        district,
        jurisdiction,
        admin_level,
        family,
        quality_status,
        failed_checks,

        ---------- numerics
        fiscal_year,

        ---------- booleans
        source_ocr,
        has_failed_sum_check,
        source_ocr and has_failed_sum_check as likely_misread

    from department_years_joined_to_quality

)

select * from final
