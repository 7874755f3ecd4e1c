-- A mart that lost rows is a pipeline error, not a finding: this test fails the
-- dbt build of the marts (tag after_checks). Every loaded submission naming its
-- department and fiscal year belongs to one department-year, and every
-- department-year has exactly one row in fct_department_year, from the submission
-- int_submissions_versioned uses for it. So:
--   * the mart holds exactly the submissions marked is_used_for_department_year;
--   * the department-years of the mart cover every identified loaded submission
--     (sum of department_year_submission_count = their number).
-- Returns one row per violation.

with

submissions as (

    select * from {{ ref('stg_submissions') }}

),

submissions_versioned as (

    select * from {{ ref('int_submissions_versioned') }}

),

department_years as (

    select * from {{ ref('fct_department_year') }}

),

used_submissions as (

    select * from submissions_versioned where is_used_for_department_year

),

used_but_missing_from_mart as (

    select
        used_submissions.sha256,
        'used for a department-year but missing from fct_department_year' as problem

    from used_submissions

    left join department_years
        on used_submissions.sha256 = department_years.sha256

    where department_years.sha256 is null

),

in_mart_but_not_used as (

    select
        department_years.sha256,
        'in fct_department_year but not a used loaded submission' as problem

    from department_years

    left join used_submissions
        on department_years.sha256 = used_submissions.sha256

    where used_submissions.sha256 is null

),

identified_submission_count as (

    select count(*) as submission_count

    from submissions

    where department is not null and fiscal_year is not null

),

covered_submission_count as (

    select coalesce(sum(submissions_versioned.department_year_submission_count), 0)
        as submission_count

    from department_years

    inner join submissions_versioned
        on department_years.sha256 = submissions_versioned.sha256

),

uncovered_submissions as (

    select
        null as sha256,
        identified_submission_count.submission_count || ' identified loaded submissions, '
        || covered_submission_count.submission_count
        || ' covered by the department-years of fct_department_year' as problem

    from identified_submission_count

    cross join covered_submission_count

    where identified_submission_count.submission_count
        <> covered_submission_count.submission_count

),

violations as (

    select * from used_but_missing_from_mart

    union all

    select * from in_mart_but_not_used

    union all

    select * from uncovered_submissions

)

select * from violations
