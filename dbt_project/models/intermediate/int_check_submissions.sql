-- One row per loaded submission with the figures its submission-level checks read
-- (GX suite expectations/suites/submissions.json):
--   submission_identified, fiscal_year_plausible, total_score_in_range,
--   leaf_scores_sum_to_total, points_sum_to_100, execution_rate_plausible,
--   grade_valid, printed_grade_matches_score.
--
-- comparable_printed_grade is the printed grade when it is one of the grade_bands
-- (优/良/中/差), so a misprinted grade fails grade_valid only.
--
-- points_sum_difference: leaf points (with the national template's 预算执行率 points
-- of the budget table) minus 100, or minus (100 + bonus points) when
-- the template adds a bonus section (加减分项 / 加分项 …) on top of 100 points;
-- whichever is closer to zero. Null without an indicator table.
--
-- The *_excess_difference columns are the differences beyond the score tolerance
-- (macro tolerance, dbt var tolerance_score); GX expects 0.

with

submissions as (

    select * from {{ ref('stg_submissions') }}

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

indicator_scores as (

    select * from {{ ref('stg_indicator_scores') }}

),

grade_bands as (

    select * from {{ ref('grade_bands') }}

),

indicator_points_split as (

    select
        sha256,
        sum(points) as indicator_points_sum,
        coalesce(
            sum(points) filter (
                where regexp_matches(coalesce(level1_name, ''), '加分|减分|扣分|附加')
            ),
            0
        ) as bonus_points_sum

    from indicator_scores

    group by 1

),

submissions_joined_to_figures as (

    select
        submissions.sha256,
        submissions.department,
        submissions.family,
        submissions.fiscal_year,
        cast(year(submissions.loaded_at) as integer) as loaded_year,
        submissions.total_score,
        submissions_scored.leaf_score_sum,
        submissions_scored.score_difference,
        submissions_scored.score_difference_abs,
        indicator_points_split.indicator_points_sum
        + coalesce(submissions.budget_execution_points, 0) as leaf_points_sum,
        indicator_points_split.bonus_points_sum,
        submissions_budgeted.budget_total,
        submissions_budgeted.actual_total,
        submissions_budgeted.execution_rate,
        submissions_graded.printed_grade,
        submissions_graded.grade,
        -- a printed grade outside the bands is grade_valid's finding, not a mismatch
        case
            when submissions_graded.printed_grade in (select grade_bands.grade from grade_bands)
                then submissions_graded.printed_grade
        end as comparable_printed_grade

    from submissions

    left join submissions_scored
        on submissions.sha256 = submissions_scored.sha256

    left join indicator_points_split
        on submissions.sha256 = indicator_points_split.sha256

    left join submissions_budgeted
        on submissions.sha256 = submissions_budgeted.sha256

    left join submissions_graded
        on submissions.sha256 = submissions_graded.sha256

),

points_compared_to_100 as (

    select
        *,
        case
            when abs(leaf_points_sum - 100)
                <= abs(leaf_points_sum - bonus_points_sum - 100)
                then leaf_points_sum - 100
            else leaf_points_sum - bonus_points_sum - 100
        end as points_sum_difference

    from submissions_joined_to_figures

),

final as (

    select

        ---------- ids
        sha256,

        ---------- strings
        department,
        family,
        printed_grade,
        comparable_printed_grade,
        grade,

        ---------- numerics
        fiscal_year,
        loaded_year,
        total_score,
        leaf_score_sum,
        score_difference,
        score_difference_abs,
        {{ excess_over_tolerance('score_difference', 'score') }}
            as score_excess_difference,
        leaf_points_sum,
        bonus_points_sum,
        round(points_sum_difference, 6) as points_sum_difference,
        round(abs(points_sum_difference), 6) as points_sum_difference_abs,
        {{ excess_over_tolerance('points_sum_difference', 'score') }}
            as points_sum_excess_difference,
        budget_total,
        actual_total,
        execution_rate

    from points_compared_to_100

)

select * from final
