-- Leaf score sum vs the printed 总分 (total score) per loaded submission.
--
-- leaf_score_sum includes the 预算执行率 score that the national template prints in
-- its budget table (budget_execution_score), since its 总分 counts it beside the
-- indicator table's leaves; likewise leaf_points_sum and budget_execution_points.
--
-- score_difference = total_score - leaf_score_sum; it is null when either side
-- is missing (no indicator table, or no printed total). GX checks
-- score_difference_abs ≤ 0.01 (check leaf_scores_sum_to_total).

with

submissions as (

    select * from {{ ref('stg_submissions') }}

),

indicator_scores as (

    select * from {{ ref('stg_indicator_scores') }}

),

indicator_scores_summed as (

    select
        sha256,
        count(*) as indicator_count,
        count(score) as scored_indicator_count,
        count(*) filter (
            where not is_score_within_points
        ) as out_of_range_indicator_count,
        sum(score) as leaf_score_sum,
        sum(points) as leaf_points_sum

    from indicator_scores

    group by 1

),

submissions_joined_to_scores as (

    select
        submissions.sha256,
        submissions.department,
        submissions.family,
        submissions.fiscal_year,
        submissions.total_score,
        coalesce(indicator_scores_summed.indicator_count, 0) as indicator_count,
        coalesce(indicator_scores_summed.scored_indicator_count, 0)
            as scored_indicator_count,
        coalesce(indicator_scores_summed.out_of_range_indicator_count, 0)
            as out_of_range_indicator_count,
        round(
            indicator_scores_summed.leaf_score_sum
            + coalesce(submissions.budget_execution_score, 0),
            6
        ) as leaf_score_sum,
        round(
            indicator_scores_summed.leaf_points_sum
            + coalesce(submissions.budget_execution_points, 0),
            6
        ) as leaf_points_sum

    from submissions

    left join indicator_scores_summed
        on submissions.sha256 = indicator_scores_summed.sha256

),

final as (

    select

        ---------- ids
        sha256,

        ---------- strings
        department,
        family,

        ---------- numerics
        fiscal_year,
        total_score,
        leaf_score_sum,
        leaf_points_sum,
        round(total_score - leaf_score_sum, 6) as score_difference,
        round(abs(total_score - leaf_score_sum), 6) as score_difference_abs,
        cast(indicator_count as integer) as indicator_count,
        cast(scored_indicator_count as integer) as scored_indicator_count,
        cast(out_of_range_indicator_count as integer)
            as out_of_range_indicator_count,

        ---------- booleans
        scored_indicator_count > 0 as has_indicator_scores

    from submissions_joined_to_scores

)

select * from final
