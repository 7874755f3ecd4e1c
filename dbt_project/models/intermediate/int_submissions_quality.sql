{{ config(tags=["after_checks"]) }}

-- Quality status of every submission version, from its most recent validation run,
-- and whether it failed a sum check (check_kind 'sum': parts that do not add up).

with check_results as (
    select * from {{ ref('stg_check_results') }}
),

latest_run_per_submission as (
    select
        sha256,
        arg_max(run_id, checked_at) as run_id
    from check_results
    group by 1
),

latest_results as (
    select check_results.*
    from check_results
    inner join latest_run_per_submission
        on check_results.sha256 = latest_run_per_submission.sha256
            and check_results.run_id = latest_run_per_submission.run_id
),

summarised as (
    select
        sha256,
        any_value(run_id) as checked_run_id,
        count(*) filter (where not passed and severity = 'error') as error_count,
        count(*) filter (where not passed and severity = 'warning') as warning_count,
        list(distinct check_name order by check_name) filter (where not passed)
            as failed_checks,
        count(*) filter (where not passed and check_kind = 'sum') as failed_sum_check_count,
        max(checked_at) as checked_at
    from latest_results
    group by 1
),

final as (
    select
        sha256,
        checked_run_id,
        case
            when error_count > 0 then 'error'
            when warning_count > 0 then 'warning'
            else 'ok'
        end as quality_status,
        coalesce(failed_checks, []::varchar[]) as failed_checks,
        error_count,
        warning_count,
        failed_sum_check_count > 0 as has_failed_sum_check,
        checked_at
    from summarised
)

select * from final
