-- Problems the extractor reported, for loaded and quarantined files alike.

with

source as (

    select * from {{ source('raw', 'extraction_issues') }}

),

renamed as (

    select

        ---------- ids
        sha256,
        cast(line_number as integer) as line_number,

        ---------- strings
        severity,
        code as issue_code,
        message,
        path as file_path,
        -- what a numeric finding concerns: projects.合计.actual, budget_lines.资金来源.budget,
        -- an indicator, an OCR cell
        field as finding_field,

        ---------- numerics
        cast(page as integer) as page_number,
        -- a numeric finding's value as printed (or as OCR read it) and the value expected
        cast(observed as double) as observed_value,
        cast(expected as double) as expected_value,

        ---------- booleans
        severity = 'error' as is_error

    from source

)

select * from renamed
