-- Budget totals and execution rate per loaded submission.
--
-- execution_rate = actual_total / budget_total, taken from the 资金来源
-- (funding source) dimension; when a document has no 资金来源 lines the next
-- dimension by dimension_priority is used (the breakdowns sum to the same total).
-- budget_total_spread shows how far the dimensions' totals disagree.

with

submissions as (

    select * from {{ ref('stg_submissions') }}

),

budget_dimensions as (

    select * from {{ ref('int_budget_dimensions_summed') }}

),

dimensions_ranked as (

    select
        *,
        row_number() over (
            partition by sha256
            order by dimension_priority, dimension
        ) as dimension_rank

    from budget_dimensions

    where budget_total is not null

),

chosen_dimensions as (

    select * from dimensions_ranked
    where dimension_rank = 1

),

dimensions_compared as (

    select
        sha256,
        count(*) as dimension_count,
        max(budget_total) - min(budget_total) as budget_total_spread,
        max(actual_total) - min(actual_total) as actual_total_spread,
        arg_min(printed_execution_rate, dimension_priority) filter (
            where printed_execution_rate is not null
        ) as first_printed_execution_rate

    from budget_dimensions

    group by 1

),

submissions_joined_to_budgets as (

    select
        submissions.sha256,
        submissions.department,
        submissions.fiscal_year,
        chosen_dimensions.dimension as budget_dimension,
        chosen_dimensions.budget_total,
        chosen_dimensions.actual_total,
        chosen_dimensions.initial_budget_total,
        chosen_dimensions.adjustment_total,
        chosen_dimensions.actual_total
        / nullif(chosen_dimensions.budget_total, 0) as execution_rate,
        coalesce(
            chosen_dimensions.printed_execution_rate,
            dimensions_compared.first_printed_execution_rate
        ) as printed_execution_rate,
        coalesce(dimensions_compared.dimension_count, 0) as dimension_count,
        dimensions_compared.budget_total_spread,
        dimensions_compared.actual_total_spread

    from submissions

    left join chosen_dimensions
        on submissions.sha256 = chosen_dimensions.sha256

    left join dimensions_compared
        on submissions.sha256 = dimensions_compared.sha256

),

final as (

    select

        ---------- ids
        sha256,

        ---------- strings
        department,
        budget_dimension,

        ---------- numerics
        fiscal_year,
        budget_total,
        actual_total,
        initial_budget_total,
        adjustment_total,
        execution_rate,
        printed_execution_rate,
        execution_rate - printed_execution_rate as execution_rate_difference,
        cast(dimension_count as integer) as dimension_count,
        round(budget_total_spread, 6) as budget_total_spread,
        round(actual_total_spread, 6) as actual_total_spread,

        ---------- booleans
        dimension_count > 0 as has_budget_lines

    from submissions_joined_to_budgets

)

select * from final
