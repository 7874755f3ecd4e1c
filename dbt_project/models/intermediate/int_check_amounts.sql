-- Every printed amount (万元) of the budget lines and projects, one row per line
-- and measure (check amounts_non_negative). 调整金额 (adjustment) is left out: a
-- budget cut is printed as a negative adjustment.

with

amount_rows_unioned as (

    select * from {{ ref('int_amount_rows_unioned') }}

),

amounts_named as (

    select
        sha256,
        source_table,
        line_number,
        line_name,
        initial_budget_amount as initial_budget,
        budget_amount as budget,
        actual_amount as actual

    from amount_rows_unioned

),

amounts as (

    unpivot amounts_named
    on initial_budget, budget, actual
    into name measure value amount

),

final as (

    select

        ---------- ids
        sha256,
        source_table,
        cast(line_number as integer) as line_number,
        measure,

        ---------- strings
        line_name,

        ---------- numerics
        amount

    from amounts

)

select * from final
