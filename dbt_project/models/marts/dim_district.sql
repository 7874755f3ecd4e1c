-- One row per district of Guangzhou plus 市本级 (city-level departments), from
-- the districts seed, and any other district the documents name (flagged).

with

districts as (

    select * from {{ ref('districts') }}

),

department_years as (

    select * from {{ ref('fct_department_year') }}

),

department_years_grouped as (

    select
        jurisdiction as district,
        count(distinct department_key) as department_count,
        count(*) as department_year_count,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year

    from department_years

    group by 1

),

districts_seen_but_not_listed as (

    select
        department_years_grouped.district,
        null as district_english,
        null as division_code,
        null as admin_level,
        99 as display_order,
        false as is_listed

    from department_years_grouped

    left join districts
        on department_years_grouped.district = districts.district

    where districts.district is null

),

districts_listed as (

    select
        district,
        district_english,
        cast(division_code as varchar) as division_code,
        admin_level,
        display_order,
        true as is_listed

    from districts

),

all_districts as (

    select * from districts_listed

    union all

    select * from districts_seen_but_not_listed

),

districts_joined_to_counts as (

    select
        all_districts.*,
        coalesce(department_years_grouped.department_count, 0) as department_count,
        coalesce(department_years_grouped.department_year_count, 0)
            as department_year_count,
        department_years_grouped.first_fiscal_year,
        department_years_grouped.last_fiscal_year

    from all_districts

    left join department_years_grouped
        on all_districts.district = department_years_grouped.district

),

final as (

    select

        ---------- ids
        cast(district as varchar) as district,
        cast(division_code as varchar) as division_code,

        ---------- strings
        cast(district_english as varchar) as district_english,
        cast(admin_level as varchar) as admin_level,

        ---------- numerics
        cast(display_order as integer) as display_order,
        cast(department_count as integer) as department_count,
        cast(department_year_count as integer) as department_year_count,
        cast(first_fiscal_year as integer) as first_fiscal_year,
        cast(last_fiscal_year as integer) as last_fiscal_year,

        ---------- booleans
        cast(is_listed as boolean) as is_listed

    from districts_joined_to_counts

)

select * from final
