-- Loaded submissions only: one row per file version (sha256).
-- Quarantined files are in stg_quarantined_submissions.

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
        nullif(trim(district), '') as district,
        nullif(trim(admin_level), '') as admin_level,
        family,
        nullif(trim(printed_grade), '') as printed_grade,
        file_name,
        path as file_path,
        media_type,
        status,

        ---------- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(total_score as double) as total_score,
        cast(budget_execution_points as double) as budget_execution_points,
        cast(budget_execution_score as double) as budget_execution_score,
        cast(pages as integer) as page_count,
        cast(unit_count as integer) as unit_count,
        cast(file_size as bigint) as file_size_bytes,
        cast(schema_version as integer) as schema_version,

        ---------- booleans
        -- a page was read by OCR (null in rows loaded before OCR existed: text only)
        coalesce(source_ocr, false) as source_ocr,

        ---------- timestamps
        cast(file_mtime as timestamp) as file_modified_at,
        cast(loaded_at as timestamp) as loaded_at

    from source

    where status = 'loaded'

)

select * from renamed
