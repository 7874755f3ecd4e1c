-- Files that were not loaded as data (unknown family or an error-severity
-- extraction issue). Their reasons are in stg_extraction_issues.

with

source as (

    select * from {{ source('raw', 'submissions') }}

),

renamed as (

    select

        ---------- ids
        sha256,
        run_id,

        ---------- strings
        nullif(trim(department), '') as department,
        family,
        file_name,
        path as file_path,
        media_type,
        status,

        ---------- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(pages as integer) as page_count,
        cast(file_size as bigint) as file_size_bytes,

        ---------- timestamps
        cast(file_mtime as timestamp) as file_modified_at,
        cast(loaded_at as timestamp) as loaded_at

    from source

    where status = 'quarantined'

)

select * from renamed
