-- Every loaded submission with its grade recomputed from the printed 总分, beside the
-- printed 评价等级; checked by the GX suite `submissions` (printed_grade_matches_score).

with

submissions as (

    select * from {{ ref('stg_submissions') }}

),

grade_bands as (

    select * from {{ ref('grade_bands') }}

),

submissions_joined_to_grade_bands as (

    select
        submissions.sha256,
        submissions.department,
        submissions.fiscal_year,
        submissions.total_score,
        submissions.printed_grade,
        grade_bands.grade

    from submissions

    left join grade_bands
        on submissions.total_score >= coalesce(grade_bands.min_score, '-infinity'::double)
            and submissions.total_score
            < coalesce(grade_bands.max_score_exclusive, 'infinity'::double)

),

final as (

    select
        *,
        printed_grade is null or grade is null or printed_grade = grade
            as is_grade_consistent

    from submissions_joined_to_grade_bands

)

select * from final
