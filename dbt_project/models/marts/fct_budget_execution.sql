-- One row per budget line of the submissions used for department-years, with
-- the execution rate recomputed from its amounts beside the printed rate.

with

budget_lines as (

    select * from {{ ref('int_budget_lines_rated') }}

),

department_year_attributes as (

    select * from {{ ref('int_department_years_attributed') }}

),

budget_lines_joined_to_department_years as (

    select
        budget_lines.*,
        department_year_attributes.* exclude (sha256)  -- noqa: RF02

    from budget_lines

    inner join department_year_attributes
        on budget_lines.sha256 = department_year_attributes.sha256

),

final as (

    select

        ---------- ids
        cast(sha256 || ':' || line_number as varchar) as budget_line_id,
        cast(department_key as varchar) as department_key,
        cast(sha256 as varchar) as sha256,

        ---------- strings
        cast(department as varchar) as department,
        cast(district as varchar) as district,
        cast(jurisdiction as varchar) as jurisdiction,
        cast(admin_level as varchar) as admin_level,
        cast(family as varchar) as family,
        cast(dimension as varchar) as dimension,
        cast(item as varchar) as item,
        cast(budget_basis as varchar) as budget_basis,
        cast(quality_status as varchar) as quality_status,

        ---------- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(line_number as integer) as line_number,
        cast(initial_budget_amount as double) as initial_budget_amount,
        cast(adjustment_amount as double) as adjustment_amount,
        cast(adjustment_rate as double) as adjustment_rate,
        cast(budget_amount as double) as budget_amount,
        cast(actual_amount as double) as actual_amount,
        cast(execution_rate as double) as execution_rate,
        cast(printed_rate as double) as printed_rate,
        cast(rate_difference as double) as rate_difference,
        cast(page_number as integer) as page_number,

        ---------- booleans
        cast(is_total_line as boolean) as is_total_line,
        cast(is_subtotal_line as boolean) as is_subtotal_line,
        cast(source_ocr as boolean) as source_ocr

    from budget_lines_joined_to_department_years

)

select * from final
