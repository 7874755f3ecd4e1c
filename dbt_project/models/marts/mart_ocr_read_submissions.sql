-- 扫描件 OCR 读取的部门年度报送 (department-years read by OCR): every department-year
-- whose submission had a page that was a scan, read by OCR (source_ocr), with the values
-- OCR was least sure of — its ocr_low_confidence findings, each kept as read and named by
-- its cell and page — and likely_misread (int_department_years_attributed: a sum check
-- failed too). What a reader should check against the scan before trusting a figure.

with

department_years as (

    select * from {{ ref('int_department_years_attributed') }}

),

submissions as (

    select * from {{ ref('stg_submissions') }}

),

extraction_issues as (

    select * from {{ ref('stg_extraction_issues') }}

),

doubtful_values as (

    select
        sha256,
        count(*) as low_confidence_count,
        count(observed_value) as low_confidence_number_count,
        -- 字段 = 读到的值 (第N页); a name OCR doubted has no number
        string_agg(
            finding_field
            || coalesce(' = ' || cast(observed_value as varchar), '')
            || coalesce(' (第' || cast(page_number as varchar) || '页)', ''),
            '; '
            order by page_number, line_number
        ) as low_confidence_values,
        min(page_number) as first_page_number

    from extraction_issues

    where issue_code = 'ocr_low_confidence'

    group by 1

),

final as (

    select

        ---------- ids
        department_years.sha256,
        department_years.department_key,

        ---------- strings
        department_years.department,
        department_years.jurisdiction,
        department_years.family,
        department_years.quality_status,
        submissions.file_name,
        doubtful_values.low_confidence_values,

        ---------- numerics
        department_years.fiscal_year,
        cast(coalesce(doubtful_values.low_confidence_count, 0) as integer)
            as low_confidence_count,
        cast(coalesce(doubtful_values.low_confidence_number_count, 0) as integer)
            as low_confidence_number_count,
        cast(doubtful_values.first_page_number as integer) as first_page_number,

        ---------- booleans
        cast(department_years.likely_misread as boolean) as likely_misread

    from department_years

    inner join submissions
        on department_years.sha256 = submissions.sha256

    left join doubtful_values
        on department_years.sha256 = doubtful_values.sha256

    where department_years.source_ocr

)

select * from final
