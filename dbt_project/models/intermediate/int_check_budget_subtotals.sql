-- A 小计 line (item ending in 小计) against the parts printed since the previous
-- total line of its dimension, per measure (part of check budget_dimensions_agree).

with

line_amounts as (

    select * from {{ ref('int_budget_line_amounts') }}

),

parts_per_segment as (

    select
        sha256,
        dimension,
        segment_number,
        measure,
        count(*) as part_count,
        sum(amount) as part_sum

    from line_amounts

    where is_part

    group by 1, 2, 3, 4

),

subtotals_compared as (

    select
        line_amounts.sha256,
        line_amounts.measure,
        parts_per_segment.part_sum as compared_amount,
        line_amounts.amount as reference_amount,
        parts_per_segment.part_count + 1 as figure_count,
        line_amounts.dimension || ' 小计 (line ' || line_amounts.line_number
        || ') = its parts' as comparison

    from line_amounts

    inner join parts_per_segment
        on
            line_amounts.sha256 = parts_per_segment.sha256
            and line_amounts.dimension = parts_per_segment.dimension
            and line_amounts.segment_number = parts_per_segment.segment_number
            and line_amounts.measure = parts_per_segment.measure

    where line_amounts.line_kind = 'subtotal'

),

final as (

    {{ amount_comparison_final('subtotals_compared') }}

)

select * from final
