{{ config(tags=["after_checks"]) }}
-- depends_on: {{ source('quality', 'check_results') }}

-- The Great Expectations results of every validation (quality.check_results).
-- quality.check_results is created by the first validation; before that (a fresh
-- warehouse built by a plain `dbt build`) this model is empty rather than an error.
{%- set results_relation = adapter.get_relation(
    database=target.database, schema='quality', identifier='check_results'
) if execute else none %}

with

source as (

    {% if results_relation is not none %}
        select * from {{ source('quality', 'check_results') }}
    {% else %}
        select
            null::varchar as run_id,
            null::varchar as check_name,
            null::varchar as severity,
            null::varchar as sha256,
            null::varchar as department,
            null::integer as fiscal_year,
            null::varchar as observed,
            null::varchar as expected,
            null::boolean as passed,
            null::timestamp as checked_at,
            null::varchar as check_kind
        where false
    {% endif %}

),

renamed as (

    select

        ---------- ids
        run_id,
        sha256,

        ---------- strings
        check_name,
        severity,
        -- range | sum | identity; null in results written before it was stored
        check_kind,
        observed,
        expected,

        ---------- booleans
        passed,

        ---------- timestamps
        checked_at

    from source

)

select * from renamed
