-- Loaded submissions with their version history.
--
-- A department can publish the same document more than once for a fiscal year
-- (re-submissions, each with its own sha256). Within one department (its
-- department_key: printed name variants resolved by int_departments_resolved),
-- fiscal year and family the latest version wins: greatest loaded_at, then
-- file_modified_at, then sha256 as the final tiebreak.
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

departments_resolved as (

    select * from {{ ref('int_departments_resolved') }}

),

submissions_joined_to_families as (

    select
        submissions.*,
        departments_resolved.department_key,
        departments_resolved.resolved_district,
        departments_resolved.resolved_admin_level,
        coalesce(document_families.department_year_priority, 99) as family_priority

    from submissions

    left join document_families
        on submissions.family = document_families.family

    left join departments_resolved
        on submissions.department = departments_resolved.department
            and submissions.district is not distinct from departments_resolved.district
            and submissions.admin_level
            is not distinct from departments_resolved.admin_level

),

submissions_ranked as (

    select
        *,

        row_number() over (
            partition by department_key, fiscal_year, family
            order by
                loaded_at desc,
                file_modified_at desc nulls last,
                sha256 desc
        ) as version_rank,

        count(*) over (
            partition by department_key, fiscal_year, family
        ) as version_count,

        row_number() over (
            partition by department_key, fiscal_year
            order by
                family_priority asc,
                loaded_at desc,
                file_modified_at desc nulls last,
                sha256 desc
        ) as department_year_rank,

        count(*) over (
            partition by department_key, fiscal_year
        ) as department_year_submission_count

    from submissions_joined_to_families

),

final as (

    select

        ---------- ids
        sha256,
        run_id,
        department_key,

        ---------- strings
        department,
        district,
        admin_level,
        resolved_district,
        resolved_admin_level,
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
        source_ocr,
        version_rank = 1 as is_latest_version,
        (
            department_year_rank = 1
            and department_key is not null
            and fiscal_year is not null
        ) as is_used_for_department_year,

        ---------- timestamps
        file_modified_at,
        loaded_at

    from submissions_ranked

)

select * from final
