-- Budget lines and projects in one shape, one row per line or project, with every
-- printed amount (万元) and rate: what the line-level checks read
-- (int_check_adjustments, int_check_printed_rates, int_check_amounts).
-- budget_amount is a budget line's 全年预算数 / 调整后预算数 and a project's 调整后预算数.

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
        budget_amount,
        actual_amount,
        printed_rate

    from budget_lines

    union all

    select
        sha256,
        'projects' as source_table,
        line_number,
        project_name as line_name,
        initial_budget_amount,
        adjustment_amount,
        adjusted_budget_amount as budget_amount,
        actual_amount,
        printed_rate

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
        budget_amount,
        actual_amount,
        printed_rate

    from lines_and_projects

)

select * from final
