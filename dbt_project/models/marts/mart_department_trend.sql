-- One row per department-year with the department's previous reported year
-- beside it: year-over-year changes of score, normalized score, execution rate
-- and standing in the year. The first year of a department has no previous
-- year (changes null); a gap (e.g. 2019 → 2021) is flagged.

with

department_years as (

    select * from {{ ref('fct_department_year') }}

),

previous_years_added as (

    select
        *,
        lag(fiscal_year) over by_department as previous_fiscal_year,
        lag(total_score) over by_department as previous_total_score,
        lag(normalized_score) over by_department as previous_normalized_score,
        lag(execution_rate) over by_department as previous_execution_rate,
        lag(score_percentile_in_year) over by_department
            as previous_score_percentile_in_year,
        lag(grade) over by_department as previous_grade

    from department_years

    window by_department as (partition by department_key order by fiscal_year)

),

final as (

    select

        ---------- ids
        cast(department_key as varchar) as department_key,

        ---------- strings
        cast(department as varchar) as department,
        cast(district as varchar) as district,
        cast(jurisdiction as varchar) as jurisdiction,
        cast(admin_level as varchar) as admin_level,
        cast(grade as varchar) as grade,
        cast(previous_grade as varchar) as previous_grade,
        cast(quality_status as varchar) as quality_status,

        ---------- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(previous_fiscal_year as integer) as previous_fiscal_year,
        cast(total_score as double) as total_score,
        cast(previous_total_score as double) as previous_total_score,
        cast(total_score - previous_total_score as double) as total_score_change,
        cast(normalized_score as double) as normalized_score,
        cast(previous_normalized_score as double) as previous_normalized_score,
        cast(normalized_score - previous_normalized_score as double)
            as normalized_score_change,
        cast(execution_rate as double) as execution_rate,
        cast(previous_execution_rate as double) as previous_execution_rate,
        cast(execution_rate - previous_execution_rate as double)
            as execution_rate_change,
        cast(score_percentile_in_year as double) as score_percentile_in_year,
        cast(score_percentile_in_year - previous_score_percentile_in_year as double)
            as score_percentile_change,

        ---------- booleans
        cast(source_ocr as boolean) as source_ocr,
        cast(likely_misread as boolean) as likely_misread,
        cast(previous_fiscal_year is not null as boolean) as has_previous_year,
        cast(
            previous_fiscal_year is not null
            and fiscal_year - previous_fiscal_year > 1 as boolean
        ) as is_after_gap,
        cast(
            grade is distinct from previous_grade
            and previous_fiscal_year is not null as boolean
        ) as is_grade_changed

    from previous_years_added

)

select * from final
