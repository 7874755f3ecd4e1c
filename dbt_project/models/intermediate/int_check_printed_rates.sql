-- Every printed execution rate (完成率 / 支出率 / 执行率) of the budget lines and
-- projects beside the rate recomputed from the printed amounts, actual / budget
-- (check printed_rate_matches: within the rate tolerance, dbt var tolerance_rate).
-- A zero budget has no rate to recompute: computed_rate is null and nothing is checked.

with

amount_rows_unioned as (

    select * from {{ ref('int_amount_rows_unioned') }}

),

rates_recomputed as (

    select
        *,
        actual_amount / nullif(budget_amount, 0) as computed_rate

    from amount_rows_unioned

    where printed_rate is not null

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
        budget_amount,
        actual_amount,
        printed_rate,
        round(computed_rate, 6) as computed_rate,
        round(abs(printed_rate - computed_rate) * 100, 6)
            as rate_difference_percentage_points,
        {{ tolerance('rate') }} as tolerance,
        {{ excess_over_tolerance('printed_rate - computed_rate', 'rate') }}
            as excess_difference

    from rates_recomputed

)

select * from final
