-- The dimensions made of sub-groups (dimensions other than 资金来源 / 资金结构 /
-- 预算级次 that print 小计 lines, e.g. 基本支出 and 项目支出 of a third-party report)
-- together against the grand total line, per measure (part of check
-- budget_dimensions_agree).

with

breakdown_totals as (

    select * from {{ ref('int_budget_breakdown_totals') }}

),

sub_groups_summed as (

    select
        sha256,
        measure,
        string_agg(dimension, ' + ' order by dimension) as dimensions,
        sum(total_amount) as total_amount,
        sum(figure_count) as figure_count

    from breakdown_totals

    where breakdown_priority is null and has_subtotal

    group by 1, 2

),

grand_totals as (

    select * from breakdown_totals
    where is_grand_total

),

sub_groups_compared as (

    select
        sub_groups_summed.sha256,
        sub_groups_summed.measure,
        sub_groups_summed.total_amount as compared_amount,
        grand_totals.total_amount as reference_amount,
        sub_groups_summed.figure_count + 1 as figure_count,
        sub_groups_summed.dimensions || ' = ' || grand_totals.dimension
            as comparison

    from sub_groups_summed

    inner join grand_totals
        on
            sub_groups_summed.sha256 = grand_totals.sha256
            and sub_groups_summed.measure = grand_totals.measure

),

final as (

    {{ amount_comparison_final('sub_groups_compared') }}

)

select * from final
