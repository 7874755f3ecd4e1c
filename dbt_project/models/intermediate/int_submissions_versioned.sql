-- Loaded submissions with their version history.
--
-- A department can publish the same document more than once for a fiscal year
-- (re-submissions, each with its own sha256). Within one department, fiscal year
-- and family the latest version wins: greatest loaded_at, then file_modified_at,
-- then sha256 as the final tiebreak.
--
-- A department-year can also hold documents of different families (its own form,
-- a narrative report, a third-party report). fct_department_year uses one
-- submission: the latest version of the family with the best
-- department_year_priority in the document_families seed.

with

submissions as (

    select * from {{ ref('stg_submissions') }}

),

document_families as (

    select * from {{ ref('document_families') }}

),

submissions_joined_to_families as (

    select
        submissions.*,
        coalesce(document_families.department_year_priority, 99) as family_priority

    from submissions

    left join document_families
        on submissions.family = document_families.family

),

submissions_ranked as (

    select
        *,

        row_number() over (
            partition by department, fiscal_year, family
            order by
                loaded_at desc,
                file_modified_at desc nulls last,
                sha256 desc
        ) as version_rank,

        count(*) over (
            partition by department, fiscal_year, family
        ) as version_count,

        row_number() over (
            partition by department, fiscal_year
            order by
                family_priority asc,
                loaded_at desc,
                file_modified_at desc nulls last,
                sha256 desc
        ) as department_year_rank,

        count(*) over (
            partition by department, fiscal_year
        ) as department_year_submission_count

    from submissions_joined_to_families

),

final as (

    select

        ---------- ids
        sha256,
        run_id,

        ---------- strings
        department,
        district,
        admin_level,
        family,
        printed_grade,
        file_name,
        file_path,

        ---------- numerics
        fiscal_year,
        total_score,
        family_priority,
        cast(version_count - version_rank + 1 as integer) as version_number,
        cast(version_count as integer) as version_count,
        cast(department_year_submission_count as integer)
            as department_year_submission_count,

        ---------- booleans
        version_rank = 1 as is_latest_version,
        (
            department_year_rank = 1
            and department is not null
            and fiscal_year is not null
        ) as is_used_for_department_year,

        ---------- timestamps
        file_modified_at,
        loaded_at

    from submissions_ranked

)

select * from final
