-- One row per leaf indicator of the submissions used for department-years,
-- mapped to the canonical taxonomy, with its score rate and the score rate of
-- its canonical category within the department-year.

with

indicator_scores as (

    select * from {{ ref('int_indicator_scores_mapped') }}

),

department_year_attributes as (

    select * from {{ ref('int_department_years_attributed') }}

),

indicator_scores_joined_to_department_years as (

    select
        indicator_scores.*,
        department_year_attributes.* exclude (sha256)  -- noqa: RF02

    from indicator_scores

    inner join department_year_attributes
        on indicator_scores.sha256 = department_year_attributes.sha256

),

category_scores_added as (

    select
        *,
        sum(points) over (partition by sha256, category) as category_points,
        sum(score) over (partition by sha256, category) as category_score

    from indicator_scores_joined_to_department_years

),

final as (

    select

        ---------- ids
        cast(sha256 || ':' || line_number as varchar) as indicator_score_id,
        cast(department_key as varchar) as department_key,
        cast(sha256 as varchar) as sha256,
        cast(indicator_code as varchar) as indicator_code,

        ---------- strings
        cast(department as varchar) as department,
        cast(district as varchar) as district,
        cast(jurisdiction as varchar) as jurisdiction,
        cast(admin_level as varchar) as admin_level,
        cast(family as varchar) as family,
        cast(level1_name as varchar) as level1_name,
        cast(level2_name as varchar) as level2_name,
        cast(indicator_name as varchar) as indicator_name,
        cast(section as varchar) as section,
        cast(category as varchar) as category,
        cast(mapping_status as varchar) as mapping_status,
        cast(quality_status as varchar) as quality_status,

        ---------- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(line_number as integer) as line_number,
        cast(points as double) as points,
        cast(score as double) as score,
        cast(score_rate as double) as score_rate,
        cast(points_lost as double) as points_lost,
        cast(round(category_points, 6) as double) as category_points,
        cast(round(category_score, 6) as double) as category_score,
        cast(category_score / nullif(category_points, 0) as double)
            as category_score_rate,
        cast(page_number as integer) as page_number,

        ---------- booleans
        cast(is_unmapped as boolean) as is_unmapped,
        cast(is_bonus_deduction as boolean) as is_bonus_deduction,
        cast(is_score_within_points as boolean) as is_score_within_points,
        cast(source_ocr as boolean) as source_ocr

    from category_scores_added

)

select * from final
