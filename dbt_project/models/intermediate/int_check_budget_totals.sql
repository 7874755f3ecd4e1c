-- Every "these amounts must add up" comparison of a submission's budget table
-- (check budget_dimensions_agree), one row per comparison and measure:
--
--   * a 小计 line (item ending in 小计) = the parts printed since the previous total
--     line of its dimension;
--   * a 合计 / 总计 line (item ending in 合计 / 总计) inside a dimension = all parts
--     of that dimension;
--   * a line of a group dimension (资金结构 of a third-party report: 基本支出,
--     项目支出) = the lines of its detail dimension (资金结构明细: 人员经费, 日常公用经费 …)
--     printed since the previous line of the group dimension;
--   * each breakdown (资金来源, 资金结构, 预算级次) = the reference total: the grand
--     total line (dimension 合计 / 总计) when printed, else the first breakdown
--     present in that order;
--   * the dimensions made of sub-groups (other dimensions with 小计 lines, e.g. 基本支出
--     and 项目支出 of a third-party report) together = the grand total line.
--
-- Measures: budget (全年预算数 / 调整后预算数), actual, initial_budget (年初预算数),
-- adjustment (调整金额), each compared only where both sides are printed.
-- Every printed amount is rounded to 0.01 万元, so each figure in a comparison may
-- be off by 0.005: tolerance = 0.005 × figure_count; excess_difference is what is
-- left beyond it (GX expects 0).

with

budget_lines as (

    select * from {{ ref('stg_budget_lines') }}

),

lines_classified as (

    select
        sha256,
        line_number,
        dimension,
        item,
        budget_amount as budget,
        actual_amount as actual,
        initial_budget_amount as initial_budget,
        adjustment_amount as adjustment,
        -- items such as 小计 / 基本支出小计 close a sub-group, 合计 / 项目支出合计 a dimension
        case
            when dimension in ('合计', '总计') then 'grand_total'
            when item like '%小计' then 'subtotal'
            when item like '%合计' or item like '%总计' then 'dimension_total'
            else 'part'
        end as line_kind,
        -- 资金结构明细 details the lines of 资金结构
        case
            when dimension like '%明细' then left(dimension, length(dimension) - 2)
        end as detail_of

    from budget_lines

),

detailed_dimensions as (

    select distinct
        sha256,
        detail_of as group_dimension

    from lines_classified

    where detail_of is not null

),

group_and_detail_lines as (

    -- details printed before a group line (and after the previous one) are its parts
    select
        lines_classified.sha256,
        lines_classified.line_number,
        detailed_dimensions.group_dimension,
        lines_classified.detail_of is null as is_group_line,
        coalesce(
            sum(case when lines_classified.detail_of is null then 1 else 0 end) over (
                partition by lines_classified.sha256, detailed_dimensions.group_dimension
                order by lines_classified.line_number
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as group_number

    from lines_classified

    inner join detailed_dimensions
        on lines_classified.sha256 = detailed_dimensions.sha256
        and coalesce(lines_classified.detail_of, lines_classified.dimension)
            = detailed_dimensions.group_dimension

    where lines_classified.line_kind = 'part'

),

lines_segmented as (

    select
        lines_classified.*,
        group_and_detail_lines.group_dimension,
        group_and_detail_lines.group_number,
        coalesce(group_and_detail_lines.is_group_line, false) as is_group_line,
        -- parts between two total lines of a dimension share a segment
        coalesce(
            sum(case when lines_classified.line_kind = 'part' then 0 else 1 end) over (
                partition by lines_classified.sha256, lines_classified.dimension
                order by lines_classified.line_number
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as segment_number

    from lines_classified

    left join group_and_detail_lines
        on lines_classified.sha256 = group_and_detail_lines.sha256
        and lines_classified.line_number = group_and_detail_lines.line_number

),

line_amounts as (

    unpivot lines_segmented
    on budget, actual, initial_budget, adjustment
    into name measure value amount

),

parts_per_segment as (

    select
        sha256,
        dimension,
        segment_number,
        measure,
        count(*) as part_count,
        sum(amount) as part_sum

    from line_amounts

    where line_kind = 'part'

    group by 1, 2, 3, 4

),

parts_per_dimension as (

    select
        sha256,
        dimension,
        measure,
        count(*) as part_count,
        sum(amount) as part_sum

    from line_amounts

    where line_kind = 'part'

    group by 1, 2, 3

),

subtotals_compared as (

    select
        line_amounts.sha256,
        line_amounts.dimension || ' 小计 (line ' || line_amounts.line_number
            || ') = its parts' as comparison,
        line_amounts.measure,
        parts_per_segment.part_sum as compared_amount,
        line_amounts.amount as reference_amount,
        parts_per_segment.part_count + 1 as figure_count

    from line_amounts

    inner join parts_per_segment
        on line_amounts.sha256 = parts_per_segment.sha256
        and line_amounts.dimension = parts_per_segment.dimension
        and line_amounts.segment_number = parts_per_segment.segment_number
        and line_amounts.measure = parts_per_segment.measure

    where line_amounts.line_kind = 'subtotal'

),

dimension_totals_compared as (

    select
        line_amounts.sha256,
        line_amounts.dimension || ' ' || line_amounts.item || ' (line '
            || line_amounts.line_number || ') = its parts' as comparison,
        line_amounts.measure,
        parts_per_dimension.part_sum as compared_amount,
        line_amounts.amount as reference_amount,
        parts_per_dimension.part_count + 1 as figure_count

    from line_amounts

    inner join parts_per_dimension
        on line_amounts.sha256 = parts_per_dimension.sha256
        and line_amounts.dimension = parts_per_dimension.dimension
        and line_amounts.measure = parts_per_dimension.measure

    where line_amounts.line_kind = 'dimension_total'

),

details_per_group as (

    select
        sha256,
        group_dimension,
        group_number,
        measure,
        count(*) as part_count,
        sum(amount) as part_sum

    from line_amounts

    where group_dimension is not null and not is_group_line

    group by 1, 2, 3, 4

),

groups_compared as (

    select
        line_amounts.sha256,
        line_amounts.dimension || ' ' || line_amounts.item || ' (line '
            || line_amounts.line_number || ') = its 明细 lines' as comparison,
        line_amounts.measure,
        details_per_group.part_sum as compared_amount,
        line_amounts.amount as reference_amount,
        details_per_group.part_count + 1 as figure_count

    from line_amounts

    inner join details_per_group
        on line_amounts.sha256 = details_per_group.sha256
        and line_amounts.group_dimension = details_per_group.group_dimension
        and line_amounts.group_number = details_per_group.group_number
        and line_amounts.measure = details_per_group.measure

    where line_amounts.is_group_line

),

dimension_kinds as (

    select
        sha256,
        dimension,
        case dimension
            when '资金来源' then 1
            when '资金结构' then 2
            when '预算级次' then 3
        end as breakdown_priority,
        bool_or(line_kind = 'subtotal') as has_subtotal

    from lines_classified

    where line_kind <> 'grand_total' and detail_of is null

    group by 1, 2

),

dimension_totals as (

    -- a dimension's total: the sum of its parts, or its printed total line alone
    select
        dimension_kinds.sha256,
        dimension_kinds.dimension,
        dimension_kinds.breakdown_priority,
        dimension_kinds.has_subtotal,
        line_amounts.measure,
        coalesce(
            sum(line_amounts.amount) filter (where line_amounts.line_kind = 'part'),
            arg_min(line_amounts.amount, line_amounts.line_number) filter (
                where line_amounts.line_kind = 'dimension_total'
            )
        ) as total_amount,
        greatest(count(*) filter (where line_amounts.line_kind = 'part'), 1)
            as figure_count

    from dimension_kinds

    inner join line_amounts
        on dimension_kinds.sha256 = line_amounts.sha256
        and dimension_kinds.dimension = line_amounts.dimension

    group by 1, 2, 3, 4, 5

),

grand_totals as (

    select
        sha256,
        measure,
        arg_min(dimension, line_number) as dimension,
        arg_min(amount, line_number) as total_amount,
        1 as figure_count,
        0 as reference_rank

    from line_amounts

    where line_kind = 'grand_total'

    group by 1, 2

),

reference_candidates as (

    select
        sha256,
        measure,
        dimension,
        total_amount,
        figure_count,
        reference_rank

    from grand_totals

    union all

    select
        sha256,
        measure,
        dimension,
        total_amount,
        figure_count,
        breakdown_priority as reference_rank

    from dimension_totals

    where breakdown_priority is not null and total_amount is not null

),

references_ranked as (

    select
        *,
        row_number() over (
            partition by sha256, measure order by reference_rank
        ) as reference_order

    from reference_candidates

),

reference_totals as (

    select * from references_ranked where reference_order = 1

),

breakdowns_compared as (

    select
        dimension_totals.sha256,
        dimension_totals.dimension || ' = ' || reference_totals.dimension
            as comparison,
        dimension_totals.measure,
        dimension_totals.total_amount as compared_amount,
        reference_totals.total_amount as reference_amount,
        dimension_totals.figure_count + reference_totals.figure_count
            as figure_count

    from dimension_totals

    inner join reference_totals
        on dimension_totals.sha256 = reference_totals.sha256
        and dimension_totals.measure = reference_totals.measure

    where dimension_totals.breakdown_priority is not null
        and dimension_totals.dimension <> reference_totals.dimension

),

sub_groups_summed as (

    select
        sha256,
        measure,
        string_agg(dimension, ' + ' order by dimension) as dimensions,
        sum(total_amount) as total_amount,
        sum(figure_count) as figure_count

    from dimension_totals

    where breakdown_priority is null and has_subtotal

    group by 1, 2

),

sub_groups_compared as (

    select
        sub_groups_summed.sha256,
        sub_groups_summed.dimensions || ' = ' || grand_totals.dimension
            as comparison,
        sub_groups_summed.measure,
        sub_groups_summed.total_amount as compared_amount,
        grand_totals.total_amount as reference_amount,
        sub_groups_summed.figure_count + 1 as figure_count

    from sub_groups_summed

    inner join grand_totals
        on sub_groups_summed.sha256 = grand_totals.sha256
        and sub_groups_summed.measure = grand_totals.measure

),

comparisons as (

    select * from subtotals_compared
    union all
    select * from dimension_totals_compared
    union all
    select * from groups_compared
    union all
    select * from breakdowns_compared
    union all
    select * from sub_groups_compared

),

final as (

    select

        ---------- ids
        sha256,
        comparison,
        measure,

        ---------- numerics
        round(compared_amount, 6) as compared_amount,
        round(reference_amount, 6) as reference_amount,
        round(compared_amount - reference_amount, 6) as difference,
        cast(figure_count as integer) as figure_count,
        round(0.005 * figure_count, 6) as tolerance,
        greatest(
            round(abs(compared_amount - reference_amount) - 0.005 * figure_count, 6),
            0
        ) as excess_difference

    from comparisons

)

select * from final
