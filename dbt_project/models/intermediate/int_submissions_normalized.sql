-- Per loaded submission: the score normalized to a 100-point scale without the
-- bonus/deduction items (加减分项), so that templates weighting their sections
-- differently (45 + 50 + 5, 50 + 50, …) compare on one scale.
--
-- normalized_score = 100 × Σ score / Σ points over the leaf indicators that are
-- not bonus/deduction items and have both a score and points, plus the 预算执行率
-- points and score the national template prints in its budget table; null when
-- there are no leaves (e.g. a narrative report without an indicator table).

with

indicator_scores as (

    select * from {{ ref('int_indicator_scores_mapped') }}

),

submissions as (

    select * from {{ ref('stg_submissions') }}

),

indicator_scores_summed as (

    select
        sha256,
        sum(points) filter (
            where not is_bonus_deduction
            and score is not null
            and points is not null
        ) as core_points,
        sum(score) filter (
            where not is_bonus_deduction
            and score is not null
            and points is not null
        ) as core_score,
        sum(score) filter (where is_bonus_deduction) as bonus_deduction_score,
        count(*) filter (where is_unmapped) as unmapped_indicator_count

    from indicator_scores

    group by 1

),

submissions_joined_to_sums as (

    select
        submissions.sha256,
        submissions.total_score,
        indicator_scores_summed.core_points
        + coalesce(submissions.budget_execution_points, 0) as core_points,
        indicator_scores_summed.core_score
        + coalesce(submissions.budget_execution_score, 0) as core_score,
        indicator_scores_summed.bonus_deduction_score,
        coalesce(indicator_scores_summed.unmapped_indicator_count, 0)
            as unmapped_indicator_count

    from submissions

    left join indicator_scores_summed
        on submissions.sha256 = indicator_scores_summed.sha256

),

final as (

    select

        ---------- ids
        sha256,

        ---------- numerics
        total_score,
        round(core_points, 6) as core_points,
        round(core_score, 6) as core_score,
        round(bonus_deduction_score, 6) as bonus_deduction_score,
        round(100 * core_score / nullif(core_points, 0), 6) as normalized_score,
        cast(unmapped_indicator_count as integer) as unmapped_indicator_count

    from submissions_joined_to_sums

)

select * from final
