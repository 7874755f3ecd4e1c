-- A 合计 / 总计 line inside a dimension (item ending in 合计 / 总计) against all
-- the parts of that dimension, per measure (part of check budget_dimensions_agree).

with

line_amounts as (

    select * from {{ ref('int_budget_line_amounts') }}

),

parts_per_dimension as (

    select
        sha256,
        dimension,
        measure,
        count(*) as part_count,
        sum(amount) as part_sum

    from line_amounts

    where is_part

    group by 1, 2, 3

),

dimension_totals_compared as (

    select
        line_amounts.sha256,
        line_amounts.measure,
        parts_per_dimension.part_sum as compared_amount,
        line_amounts.amount as reference_amount,
        parts_per_dimension.part_count + 1 as figure_count,
        line_amounts.dimension || ' ' || line_amounts.item || ' (line '
        || line_amounts.line_number || ') = its parts' as comparison

    from line_amounts

    inner join parts_per_dimension
        on
            line_amounts.sha256 = parts_per_dimension.sha256
            and line_amounts.dimension = parts_per_dimension.dimension
            and line_amounts.measure = parts_per_dimension.measure

    where line_amounts.line_kind = 'dimension_total'

),

final as (

    {{ amount_comparison_final('dimension_totals_compared') }}

)

select * from final
