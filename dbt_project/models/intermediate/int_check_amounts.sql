-- Every printed amount (万元) of the budget lines and projects, one row per line
-- and measure (check amounts_non_negative). 调整金额 (adjustment) is left out: a
-- budget cut is printed as a negative adjustment.

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
        initial_budget_amount as initial_budget,
        budget_amount as budget,
        actual_amount as actual

    from budget_lines

    union all

    select
        sha256,
        'projects' as source_table,
        line_number,
        project_name as line_name,
        initial_budget_amount as initial_budget,
        adjusted_budget_amount as budget,
        actual_amount as actual

    from projects

),

amounts as (

    unpivot lines_and_projects
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
