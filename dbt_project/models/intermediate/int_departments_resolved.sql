-- Every printed department name variant → one department key.
--
-- Departments print their names differently between years and documents
-- (广州市番禺区科技工业商务和信息化局 / 番禺区科技工业商务和信息化局 /
-- 番禺区科技工业商务和信息化局(本级)). The key is "<district>/<core name>":
--   1. spaces removed (the extractor already NFKC-normalises names);
--   2. the 广州市 prefix, then a district prefix (from the districts seed), removed;
--   3. a trailing (本级) / (汇总) / (部门整体) / (本部) qualifier removed;
--   4. renames listed in the department_aliases seed mapped to their new name;
--   5. district = the printed one, else the one in the name, else 市本级 for
--      city departments (admin level city, or a 广州市… name without a district).

with

submissions as (

    select * from {{ ref('stg_submissions') }}

),

districts as (

    select * from {{ ref('districts') }}

),

department_aliases as (

    select * from {{ ref('department_aliases') }}

),

name_variants as (

    select distinct
        department,
        district,
        admin_level

    from submissions

    where department is not null

),

city_prefix_removed as (

    select
        *,
        regexp_replace(department, '\s+', '', 'g') as compact_name,
        regexp_replace(
            regexp_replace(department, '\s+', '', 'g'), '^广州市', ''
        ) as name_without_city

    from name_variants

),

district_prefix_found as (

    select
        city_prefix_removed.*,
        districts.district as name_district

    from city_prefix_removed

    left join districts
        on districts.admin_level = 'district'
            and starts_with(city_prefix_removed.name_without_city, districts.district)

),

core_names as (

    select
        *,
        coalesce(
            district,
            name_district,
            case
                when admin_level = 'city' or starts_with(compact_name, '广州市')
                    then '市本级'
            end
        ) as resolved_district,
        regexp_replace(
            case
                when name_district is not null
                    then substr(name_without_city, length(name_district) + 1)
                else name_without_city
            end,
            '[(（](本级|汇总|部门整体|本部)[)）]$',
            ''
        ) as core_name

    from district_prefix_found

),

aliases_applied as (

    select
        core_names.*,
        coalesce(department_aliases.canonical_name, core_names.core_name)
            as canonical_name,
        department_aliases.alias_name is not null as is_alias

    from core_names

    left join department_aliases
        on core_names.core_name = department_aliases.alias_name
            and core_names.resolved_district
            is not distinct from department_aliases.district

),

final as (

    select

        ---------- ids
        coalesce(resolved_district, '未知') || '/' || canonical_name
            as department_key,

        ---------- strings
        department,
        district,
        admin_level,
        resolved_district,
        case
            when admin_level is not null then admin_level
            when resolved_district = '市本级' then 'city'
            when resolved_district is not null then 'district'
        end as resolved_admin_level,
        core_name,
        canonical_name,

        ---------- booleans
        is_alias

    from aliases_applied

)

select * from final
