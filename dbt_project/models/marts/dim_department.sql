-- One row per department across fiscal years: every printed name variant
-- resolved to one department_key (see int_departments_resolved).

with

departments_resolved as (

    select * from {{ ref('int_departments_resolved') }}

),

department_years as (

    select * from {{ ref('fct_department_year') }}

),

name_variants_grouped as (

    select
        department_key,
        list(distinct department order by department) as name_variants,
        any_value(canonical_name) as canonical_name,
        bool_or(is_alias) as has_alias

    from departments_resolved

    group by 1

),

department_years_grouped as (

    select
        department_key,
        arg_max(department, fiscal_year) as latest_department_name,
        arg_max(district, fiscal_year) as district,
        arg_max(jurisdiction, fiscal_year) as jurisdiction,
        arg_max(admin_level, fiscal_year) as admin_level,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year,
        count(*) as fiscal_year_count

    from department_years

    group by 1

),

department_years_joined_to_names as (

    select
        department_years_grouped.*,
        name_variants_grouped.canonical_name,
        name_variants_grouped.name_variants,
        coalesce(name_variants_grouped.has_alias, false) as has_alias

    from department_years_grouped

    left join name_variants_grouped
        on department_years_grouped.department_key
            = name_variants_grouped.department_key

),

final as (

    select

        ---------- ids
        cast(department_key as varchar) as department_key,

        ---------- strings
        cast(latest_department_name as varchar) as department_name,
        cast(canonical_name as varchar) as canonical_name,
        cast(district as varchar) as district,
        cast(jurisdiction as varchar) as jurisdiction,
        cast(admin_level as varchar) as admin_level,
        cast(name_variants as varchar[]) as name_variants,

        ---------- numerics
        cast(len(name_variants) as integer) as name_variant_count,
        cast(first_fiscal_year as integer) as first_fiscal_year,
        cast(last_fiscal_year as integer) as last_fiscal_year,
        cast(fiscal_year_count as integer) as fiscal_year_count,

        ---------- booleans
        cast(has_alias as boolean) as has_alias

    from department_years_joined_to_names

)

select * from final
