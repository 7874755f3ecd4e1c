-- Each breakdown (资金来源, 资金结构, 预算级次) against the reference total, per
-- measure: the grand total line when printed, else the first breakdown present in
-- that order (part of check budget_dimensions_agree).

with

breakdown_totals as (

    select * from {{ ref('int_budget_breakdown_totals') }}

),

references_ranked as (

    select
        sha256,
        measure,
        dimension,
        total_amount,
        figure_count,
        row_number() over (
            partition by sha256, measure order by breakdown_priority
        ) as reference_order

    from breakdown_totals

    where breakdown_priority is not null and total_amount is not null

),

reference_totals as (

    select * from references_ranked
    where reference_order = 1

),

breakdowns_compared as (

    select
        breakdown_totals.sha256,
        breakdown_totals.measure,
        breakdown_totals.total_amount as compared_amount,
        reference_totals.total_amount as reference_amount,
        breakdown_totals.figure_count + reference_totals.figure_count
            as figure_count,
        breakdown_totals.dimension || ' = ' || reference_totals.dimension
            as comparison

    from breakdown_totals

    inner join reference_totals
        on
            breakdown_totals.sha256 = reference_totals.sha256
            and breakdown_totals.measure = reference_totals.measure

    where
        breakdown_totals.breakdown_priority > 0
        and breakdown_totals.dimension <> reference_totals.dimension

),

final as (

    {{ amount_comparison_final('breakdowns_compared') }}

)

select * from final
