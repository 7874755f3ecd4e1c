-- Budget lines and projects that print 年初预算数, 调整金额 and 调整后预算数
-- (third-party reports), with adjusted − (initial + adjustment)
-- (check adjusted_equals_initial_plus_adjustment).
-- Tolerance: the amount tolerance of three printed figures (macro tolerance, dbt var
-- tolerance_amount).
-- The adjusted budget is budget_amount of int_amount_rows_unioned.

with

amount_rows_unioned as (

    select * from {{ ref('int_amount_rows_unioned') }}

),

final as (

    select

        ---------- ids
        sha256,
        source_table,
        line_number,

        ---------- strings
        line_name,

        ---------- numerics
        initial_budget_amount,
        adjustment_amount,
        budget_amount as adjusted_budget_amount,
        round(
            budget_amount - initial_budget_amount - adjustment_amount, 6
        ) as adjustment_difference,
        {{ tolerance('amount', 3) }} as tolerance,
        {{ excess_over_tolerance(
            'budget_amount - initial_budget_amount - adjustment_amount', 'amount', 3
        ) }} as excess_difference

    from amount_rows_unioned

    where initial_budget_amount is not null
        and adjustment_amount is not null
        and budget_amount is not null

)

select * from final
