-- A line of a group dimension (资金结构 基本支出 / 项目支出 of a third-party report)
-- against the lines of its detail dimension (资金结构明细) printed before it and after
-- the previous group line, per measure (part of check budget_dimensions_agree).

with

line_amounts as (

    select * from {{ ref('int_budget_line_amounts') }}

),

details_per_group as (

    select
        sha256,
        group_dimension,
        group_number,
        measure,
        count(*) as part_count,
        sum(amount) as part_sum

    from line_amounts

    where group_dimension is not null and not is_group_line

    group by 1, 2, 3, 4

),

groups_compared as (

    select
        line_amounts.sha256,
        line_amounts.measure,
        details_per_group.part_sum as compared_amount,
        line_amounts.amount as reference_amount,
        details_per_group.part_count + 1 as figure_count,
        line_amounts.dimension || ' ' || line_amounts.item || ' (line '
        || line_amounts.line_number || ') = its 明细 lines' as comparison

    from line_amounts

    inner join details_per_group
        on
            line_amounts.sha256 = details_per_group.sha256
            and line_amounts.group_dimension = details_per_group.group_dimension
            and line_amounts.group_number = details_per_group.group_number
            and line_amounts.measure = details_per_group.measure

    where line_amounts.is_group_line

),

final as (

    {{ amount_comparison_final('groups_compared') }}

)

select * from final
