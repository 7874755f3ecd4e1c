-- Budget table lines (年度部门整体支出规模, 万元) of every submission.

with

source as (

    select * from {{ source('raw', 'budget_lines') }}

),

renamed as (

    select

        ---------- ids
        sha256,
        cast(line_number as integer) as line_number,

        ---------- strings
        trim(dimension) as dimension,
        trim(item) as item,
        -- total | dimension_total | subtotal | detail | item, classified once by the
        -- extractor (extract/vocabulary.py budget_line_kind)
        kind as line_kind,

        ---------- numerics
        cast(budget as double) as budget_amount,
        cast(actual as double) as actual_amount,
        cast(reported_rate as double) as printed_rate,
        cast(initial_budget as double) as initial_budget_amount,
        cast(adjustment as double) as adjustment_amount,
        cast(page as integer) as page_number,

        ---------- booleans
        kind in ('total', 'dimension_total', 'subtotal') as is_total_line,
        kind = 'subtotal' as is_subtotal_line

    from source

)

select * from renamed
