-- 部分读取的报送 (submissions read only in part): every loaded submission whose
-- extraction record says a part of the document was not read — issue codes
-- partly_read, missing_* and amount_unit_unclear (a budget table stating two units: its
-- amounts' unit was not read; see extract/issues.py) — with what was missing.
-- A thinner record is never silently complete: this is where it shows.

with

submissions as (

    select * from {{ ref('stg_submissions') }}

),

extraction_issues as (

    select * from {{ ref('stg_extraction_issues') }}

),

gaps_per_submission as (

    select
        sha256,
        string_agg(distinct issue_code, ', ' order by issue_code) as missing_parts,
        string_agg(message, ' | ' order by line_number) as gap_messages,
        count(*) as gap_count,
        min(page_number) as first_page_number

    from extraction_issues

    where
        issue_code in ('partly_read', 'amount_unit_unclear')
        or starts_with(issue_code, 'missing_')

    group by 1

),

final as (

    select

        ---------- ids
        submissions.sha256,

        ---------- strings
        submissions.file_name,
        submissions.department,
        submissions.family,
        gaps_per_submission.missing_parts,
        gaps_per_submission.gap_messages,

        ---------- numerics
        submissions.fiscal_year,
        cast(gaps_per_submission.gap_count as integer) as gap_count,
        cast(gaps_per_submission.first_page_number as integer) as first_page_number

    from submissions

    inner join gaps_per_submission
        on submissions.sha256 = gaps_per_submission.sha256

)

select * from final
