-- Every leaf indicator row mapped to the canonical indicator taxonomy.
--
-- Each printed label (level 1, 2, 3; spaces removed) is looked up in the
-- indicator_taxonomy seed. The row takes the category of its most specific
-- known label: the leaf's own, else its level-2 parent's, else its level-1
-- section's. The leaf has a canonical indicator_code only when its own label is
-- known. Labels below a taxonomy entry with has_free_text_children (履职效能:
-- each department's own duty targets) are free text and never unmapped. A row
-- is unmapped when a label that should be in the taxonomy is not:
-- unmapped_label_level says which (1, 2 or 3); it still loads with the
-- category of its known parent, or 'unmapped' when even level 1 is unknown.

with

indicator_scores as (

    select * from {{ ref('stg_indicator_scores') }}

),

indicator_taxonomy as (

    select * from {{ ref('indicator_taxonomy') }}

),

indicator_categories as (

    select * from {{ ref('indicator_categories') }}

),

labels_compacted as (

    select
        *,
        nullif(regexp_replace(level1_name, '\s+', '', 'g'), '') as level1_label,
        nullif(regexp_replace(level2_name, '\s+', '', 'g'), '') as level2_label,
        nullif(regexp_replace(indicator_name, '\s+', '', 'g'), '') as level3_label

    from indicator_scores

),

labels_looked_up as (

    select
        labels_compacted.*,
        level1_taxonomy.category as level1_category,
        level2_taxonomy.category as level2_category,
        level3_taxonomy.category as level3_category,
        level3_taxonomy.indicator_code,
        level1_taxonomy.printed_label is not null as is_level1_known,
        level2_taxonomy.printed_label is not null as is_level2_known,
        level3_taxonomy.printed_label is not null as is_level3_known,
        coalesce(level1_taxonomy.has_free_text_children, false)
            as is_level2_free_text,
        coalesce(level1_taxonomy.has_free_text_children, false)
        or coalesce(level2_taxonomy.has_free_text_children, false)
            as is_level3_free_text

    from labels_compacted

    left join indicator_taxonomy as level1_taxonomy
        on level1_taxonomy.label_level = 1
            and labels_compacted.level1_label = level1_taxonomy.printed_label

    left join indicator_taxonomy as level2_taxonomy
        on level2_taxonomy.label_level = 2
            and labels_compacted.level2_label = level2_taxonomy.printed_label

    left join indicator_taxonomy as level3_taxonomy
        on level3_taxonomy.label_level = 3
            and labels_compacted.level3_label = level3_taxonomy.printed_label

),

labels_mapped as (

    select
        *,
        coalesce(level3_category, level2_category, level1_category) as category,
        case
            when is_level3_known then 3
            when is_level2_known then 2
            when is_level1_known then 1
        end as mapped_label_level,
        case
            when not is_level1_known then 1
            when level2_label is not null
                and not is_level2_known
                and not is_level2_free_text
                then 2
            when not is_level3_known and not is_level3_free_text then 3
        end as unmapped_label_level

    from labels_looked_up

),

labels_joined_to_categories as (

    select
        labels_mapped.*,
        indicator_categories.section

    from labels_mapped

    left join indicator_categories
        on labels_mapped.category = indicator_categories.category

),

final as (

    select

        ---------- ids
        sha256,
        line_number,
        indicator_code,

        ---------- strings
        level1_name,
        level2_name,
        indicator_name,
        coalesce(section, 'unmapped') as section,
        coalesce(category, 'unmapped') as category,
        case
            when unmapped_label_level is not null then 'unmapped'
            when is_level3_known then 'indicator'
            when mapped_label_level = 2 then 'level2_parent'
            else 'level1_section'
        end as mapping_status,
        case unmapped_label_level
            when 1 then level1_name
            when 2 then level2_name
            when 3 then indicator_name
        end as unmapped_label,

        ---------- numerics
        cast(mapped_label_level as integer) as mapped_label_level,
        cast(unmapped_label_level as integer) as unmapped_label_level,
        points,
        score,
        score / nullif(points, 0) as score_rate,
        points - score as points_lost,
        page_number,

        ---------- booleans
        unmapped_label_level is not null as is_unmapped,
        coalesce(section = 'bonus_deduction', false) as is_bonus_deduction,
        is_score_within_points

    from labels_joined_to_categories

)

select * from final
