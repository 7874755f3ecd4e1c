-- Indicator labels not in the indicator_taxonomy seed, one row per label level
-- and printed label, counted over every loaded submission (not only the ones
-- used for department-years): the taxonomy's to-do list. The rows still load,
-- with the category of their known parent (see int_indicator_scores_mapped).

with

indicator_scores as (

    select * from {{ ref('int_indicator_scores_mapped') }}

),

submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

unmapped_rows as (

    select
        indicator_scores.unmapped_label_level,
        indicator_scores.unmapped_label,
        indicator_scores.level1_name,
        indicator_scores.category,
        indicator_scores.points,
        indicator_scores.sha256,
        submissions.department_key,
        submissions.fiscal_year

    from indicator_scores

    inner join submissions
        on indicator_scores.sha256 = submissions.sha256

    where indicator_scores.is_unmapped

),

unmapped_labels_grouped as (

    select
        unmapped_label_level,
        coalesce(unmapped_label, '(blank)') as printed_label,
        min(level1_name) as example_level1_name,
        min(category) as fallback_category,
        count(*) as row_count,
        count(distinct sha256) as submission_count,
        count(distinct department_key) as department_count,
        sum(points) as points_total,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year

    from unmapped_rows

    group by 1, 2

),

final as (

    select

        ---------- ids
        cast(unmapped_label_level || ':' || printed_label as varchar)
            as unmapped_label_id,

        ---------- strings
        cast(printed_label as varchar) as printed_label,
        cast(example_level1_name as varchar) as example_level1_name,
        cast(fallback_category as varchar) as fallback_category,

        ---------- numerics
        cast(unmapped_label_level as integer) as label_level,
        cast(row_count as integer) as row_count,
        cast(submission_count as integer) as submission_count,
        cast(department_count as integer) as department_count,
        cast(points_total as double) as points_total,
        cast(first_fiscal_year as integer) as first_fiscal_year,
        cast(last_fiscal_year as integer) as last_fiscal_year

    from unmapped_labels_grouped

)

select * from final
