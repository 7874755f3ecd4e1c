-- Budget lines and projects that print 年初预算数, 调整金额 and 调整后预算数
-- (third-party reports), with adjusted − (initial + adjustment)
-- (check adjusted_equals_initial_plus_adjustment).
-- Tolerance: three printed figures, each rounded to 0.01 万元 → 0.015.

with

budget_lines as (

    select * from {{ ref('stg_budget_lines') }}

),

projects as (

    select * from {{ ref('stg_projects') }}

),

lines_and_projects as (

    select
        sha256,
        'budget_lines' as source_table,
        line_number,
        dimension || ' ' || item as line_name,
        initial_budget_amount,
        adjustment_amount,
        budget_amount as adjusted_budget_amount

    from budget_lines

    union all

    select
        sha256,
        'projects' as source_table,
        line_number,
        project_name as line_name,
        initial_budget_amount,
        adjustment_amount,
        adjusted_budget_amount

    from projects

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
        adjusted_budget_amount,
        round(
            adjusted_budget_amount - initial_budget_amount - adjustment_amount, 6
        ) as adjustment_difference,
        0.015 as tolerance,
        greatest(
            round(
                abs(adjusted_budget_amount - initial_budget_amount - adjustment_amount)
                - 0.015,
                6
            ),
            0
        ) as excess_difference

    from lines_and_projects

    where initial_budget_amount is not null
        and adjustment_amount is not null
        and adjusted_budget_amount is not null

)

select * from final
