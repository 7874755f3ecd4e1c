-- Project table of third-party evaluation reports (项目支出明细, 万元).

with

source as (

    select * from {{ source('raw', 'projects') }}

),

renamed as (

    select

        ---------- ids
        sha256,
        cast(line_number as integer) as line_number,

        ---------- strings
        trim(name) as project_name,

        ---------- numerics
        cast(initial_budget as double) as initial_budget_amount,
        cast(adjustment as double) as adjustment_amount,
        cast(adjusted_budget as double) as adjusted_budget_amount,
        cast(actual as double) as actual_amount,
        cast(reported_rate as double) as printed_rate,
        cast(page as integer) as page_number

    from source

)

select * from renamed
