-- Level-2 indicator groups (二级指标) of every submission: the printed level-2
-- points beside the sum of their leaves' points (check level2_points_sum).
--
-- A group is a run of consecutive leaf rows (by line_number) with the same level-1
-- and level-2 names, so a name used twice in one table makes two groups.
-- level2_points_difference is null when the level-2 points were not printed;
-- level2_points_excess_difference is its part beyond the score tolerance (macro
-- tolerance, dbt var tolerance_score; GX expects 0).

with

indicator_scores as (

    select * from {{ ref('stg_indicator_scores') }}

),

previous_rows_added as (

    select
        *,
        lag(line_number) over same_table as previous_line_number,
        lag(level1_name) over same_table as previous_level1_name,
        lag(level2_name) over same_table as previous_level2_name

    from indicator_scores

    window same_table as (partition by sha256 order by line_number)

),

group_starts_flagged as (

    select
        *,
        cast(
            (
                previous_line_number is null
                or previous_level1_name is distinct from level1_name
                or previous_level2_name is distinct from level2_name
            ) as integer
        ) as starts_group

    from previous_rows_added

),

groups_numbered as (

    select
        *,
        sum(starts_group) over (
            partition by sha256
            order by line_number
            rows between unbounded preceding and current row
        ) as group_number

    from group_starts_flagged

),

groups_summed as (

    select
        sha256,
        group_number,
        min(line_number) as first_line_number,
        any_value(level1_name) as level1_name,
        any_value(level2_name) as level2_name,
        count(*) as leaf_count,
        min(level2_points) as min_printed_level2_points,
        max(level2_points) as max_printed_level2_points,
        sum(points) as leaf_points_sum

    from groups_numbered

    group by 1, 2

),

final as (

    select

        ---------- ids
        sha256,
        cast(first_line_number as integer) as first_line_number,

        ---------- strings
        level1_name,
        level2_name,

        ---------- numerics
        cast(group_number as integer) as group_number,
        cast(leaf_count as integer) as leaf_count,
        max_printed_level2_points as printed_level2_points,
        round(leaf_points_sum, 6) as leaf_points_sum,
        -- the worse side when the group's rows print different level-2 points
        round(
            case
                when abs(max_printed_level2_points - leaf_points_sum)
                    >= abs(min_printed_level2_points - leaf_points_sum)
                    then max_printed_level2_points - leaf_points_sum
                else min_printed_level2_points - leaf_points_sum
            end,
            6
        ) as level2_points_difference,
        round(
            greatest(
                abs(max_printed_level2_points - leaf_points_sum),
                abs(min_printed_level2_points - leaf_points_sum)
            ),
            6
        ) as level2_points_difference_abs,
        {{ excess_over_tolerance(
            'greatest(abs(max_printed_level2_points - leaf_points_sum), '
            ~ 'abs(min_printed_level2_points - leaf_points_sum))',
            'score'
        ) }} as level2_points_excess_difference

    from groups_summed

)

select * from final
