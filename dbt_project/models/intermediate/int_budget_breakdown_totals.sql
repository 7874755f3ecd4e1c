-- The total of every breakdown of a budget table, per measure, as the breakdown
-- comparisons read it (int_check_budget_breakdowns, int_check_budget_sub_groups):
--
--   * a dimension (not the grand total, not a 明细 dimension): the sum of its parts,
--     or its printed total line alone when it has no parts; breakdown_priority 1, 2, 3
--     for 资金来源, 资金结构, 预算级次 (null for other dimensions), has_subtotal when
--     it prints 小计 lines (a dimension made of sub-groups);
--   * the grand total line (line_kind total): is_grand_total, breakdown_priority 0.

with

budget_lines as (

    select * from {{ ref('stg_budget_lines') }}

),

line_amounts as (

    select * from {{ ref('int_budget_line_amounts') }}

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

    from budget_lines

    where line_kind not in ('total', 'detail')

    group by 1, 2

),

dimension_totals as (

    -- a dimension's total: the sum of its parts, or its printed total line alone
    select
        dimension_kinds.sha256,
        dimension_kinds.dimension,
        line_amounts.measure,
        dimension_kinds.breakdown_priority,
        dimension_kinds.has_subtotal,
        false as is_grand_total,
        coalesce(
            sum(line_amounts.amount) filter (where line_amounts.is_part),
            arg_min(line_amounts.amount, line_amounts.line_number) filter (
                where line_amounts.line_kind = 'dimension_total'
            )
        ) as total_amount,
        greatest(count(*) filter (where line_amounts.is_part), 1) as figure_count

    from dimension_kinds

    inner join line_amounts
        on
            dimension_kinds.sha256 = line_amounts.sha256
            and dimension_kinds.dimension = line_amounts.dimension

    group by 1, 2, 3, 4, 5

),

grand_totals as (

    select
        sha256,
        measure,
        0 as breakdown_priority,
        false as has_subtotal,
        true as is_grand_total,
        arg_min(dimension, line_number) as dimension,
        arg_min(amount, line_number) as total_amount,
        1 as figure_count

    from line_amounts

    where line_kind = 'total'

    group by 1, 2

),

totals_unioned as (

    select * from dimension_totals

    union all by name

    select * from grand_totals

),

final as (

    select

        ---------- ids
        sha256,
        dimension,
        measure,

        ---------- numerics
        breakdown_priority,
        total_amount,
        cast(figure_count as integer) as figure_count,

        ---------- booleans
        has_subtotal,
        is_grand_total

    from totals_unioned

)

select * from final
