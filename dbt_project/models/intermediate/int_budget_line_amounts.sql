-- The printed amounts of every budget line, one row per line and measure (budget,
-- actual, initial_budget, adjustment; unprinted ones left out), placed for the
-- adding-up comparisons of the int_check_budget_* models:
--
--   * segment_number: the parts between two total lines of a dimension share one
--     (a 小计 closes the parts since the previous total line);
--   * group_dimension, group_number, is_group_line: a line of a group dimension
--     (资金结构 of a third-party report: 基本支出, 项目支出) and the lines of its detail
--     dimension (资金结构明细) printed since the previous group line share a group.
--
-- line_kind is the extractor's classification (stg_budget_lines).

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
        line_kind,
        budget_amount as budget,
        actual_amount as actual,
        initial_budget_amount as initial_budget,
        adjustment_amount as adjustment,
        -- 资金结构明细 details the lines of 资金结构
        case
            when line_kind = 'detail'
                then left(dimension, length(dimension) - length('明细'))
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
                partition by
                    lines_classified.sha256, detailed_dimensions.group_dimension
                order by lines_classified.line_number
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as group_number

    from lines_classified

    inner join detailed_dimensions
        on
            lines_classified.sha256 = detailed_dimensions.sha256
            and coalesce(lines_classified.detail_of, lines_classified.dimension)
            = detailed_dimensions.group_dimension

    where lines_classified.line_kind in ('item', 'detail')

),

lines_segmented as (

    select
        lines_classified.*,
        group_and_detail_lines.group_dimension,
        group_and_detail_lines.group_number,
        coalesce(group_and_detail_lines.is_group_line, false) as is_group_line,
        -- parts between two total lines of a dimension share a segment
        coalesce(
            sum(
                case
                    when lines_classified.line_kind in ('item', 'detail') then 0
                    else 1
                end
            ) over (
                partition by lines_classified.sha256, lines_classified.dimension
                order by lines_classified.line_number
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as segment_number

    from lines_classified

    left join group_and_detail_lines
        on
            lines_classified.sha256 = group_and_detail_lines.sha256
            and lines_classified.line_number = group_and_detail_lines.line_number

),

line_amounts as (

    unpivot lines_segmented
    on budget, actual, initial_budget, adjustment
    into name measure value amount

),

final as (

    select

        ---------- ids
        sha256,
        cast(line_number as integer) as line_number,

        ---------- strings
        dimension,
        item,
        line_kind,
        detail_of,
        group_dimension,
        measure,

        ---------- numerics
        cast(group_number as integer) as group_number,
        cast(segment_number as integer) as segment_number,
        amount,

        ---------- booleans
        is_group_line,
        line_kind in ('item', 'detail') as is_part

    from line_amounts

)

select * from final
