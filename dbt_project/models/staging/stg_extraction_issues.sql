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

        ---------- numerics
        cast(page as integer) as page_number,

        ---------- booleans
        severity = 'error' as is_error

    from source

)

select * from renamed
