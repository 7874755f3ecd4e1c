-- Every budget line with its execution rate recomputed from its amounts.
--
-- budget_amount is the budget the rate is measured against: the printed
-- 调整后预算数 (adjusted budget) or 全年预算数 (full-year budget) as extracted; when a
-- document prints only 年初预算数 (initial budget) and 调整金额 (adjustment), their
-- sum. execution_rate = actual_amount / budget_amount, as the forms' own 完成率;
-- rate_difference = execution_rate − printed_rate shows the printed rounding
-- (or a printing mistake).

with

budget_lines as (

    select * from {{ ref('stg_budget_lines') }}

),

budgets_resolved as (

    select
        *,
        coalesce(
            budget_amount, initial_budget_amount + adjustment_amount
        ) as resolved_budget_amount,
        case
            when budget_amount is not null
                and (
                    initial_budget_amount is not null
                    or adjustment_amount is not null
                )
                then 'adjusted'
            when budget_amount is not null then 'full_year'
            when initial_budget_amount is not null
                and adjustment_amount is not null
                then 'initial_plus_adjustment'
        end as budget_basis

    from budget_lines

),

final as (

    select

        ---------- ids
        sha256,
        line_number,

        ---------- strings
        dimension,
        item,
        budget_basis,

        ---------- numerics
        initial_budget_amount,
        adjustment_amount,
        budget_amount as printed_budget_amount,
        resolved_budget_amount as budget_amount,
        actual_amount,
        actual_amount / nullif(resolved_budget_amount, 0) as execution_rate,
        printed_rate,
        actual_amount / nullif(resolved_budget_amount, 0) - printed_rate
            as rate_difference,
        adjustment_amount / nullif(initial_budget_amount, 0) as adjustment_rate,
        page_number,

        ---------- booleans
        is_total_line,
        is_subtotal_line

    from budgets_resolved

)

select * from final
