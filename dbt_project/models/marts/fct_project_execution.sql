-- One row per project (项目支出明细) of the submissions used for department-years
-- (third-party reports list them), with the execution rate recomputed against
-- the adjusted budget beside the printed rate.

with

projects as (

    select * from {{ ref('stg_projects') }}

),

department_year_attributes as (

    select * from {{ ref('int_department_years_attributed') }}

),

projects_joined_to_department_years as (

    select
        projects.*,
        coalesce(
            projects.adjusted_budget_amount,
            projects.initial_budget_amount + projects.adjustment_amount
        ) as budget_amount,
        department_year_attributes.* exclude (sha256)  -- noqa: RF02

    from projects

    inner join department_year_attributes
        on projects.sha256 = department_year_attributes.sha256

),

final as (

    select

        ---------- ids
        cast(sha256 || ':' || line_number as varchar) as project_id,
        cast(department_key as varchar) as department_key,
        cast(sha256 as varchar) as sha256,

        ---------- strings
        cast(department as varchar) as department,
        cast(district as varchar) as district,
        cast(jurisdiction as varchar) as jurisdiction,
        cast(family as varchar) as family,
        cast(project_name as varchar) as project_name,
        cast(quality_status as varchar) as quality_status,

        ---------- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(line_number as integer) as line_number,
        cast(initial_budget_amount as double) as initial_budget_amount,
        cast(adjustment_amount as double) as adjustment_amount,
        cast(budget_amount as double) as budget_amount,
        cast(actual_amount as double) as actual_amount,
        cast(actual_amount / nullif(budget_amount, 0) as double) as execution_rate,
        cast(printed_rate as double) as printed_rate,
        cast(actual_amount / nullif(budget_amount, 0) - printed_rate as double)
            as rate_difference,
        cast(page_number as integer) as page_number,

        ---------- booleans
        cast(source_ocr as boolean) as source_ocr

    from projects_joined_to_department_years

)

select * from final
