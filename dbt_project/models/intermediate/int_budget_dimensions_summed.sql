-- Budget totals per submission and dimension (资金来源, 资金结构, 预算级次, 合计 …).
--
-- The parts of a dimension are summed; printed total lines (合计 / 总计 / 小计)
-- are kept apart so they are not counted twice; only 合计 / 总计 lines give the
-- printed total (a 小计 subtotal covers part of a dimension only). A dimension
-- made of a total line only (e.g. the 合计 row of a third-party report) takes
-- that line. Amounts come from int_budget_lines_rated (budget = 调整后预算数
-- when the document gives one).

with

budget_lines as (

    select * from {{ ref('int_budget_lines_rated') }}

),

dimensions_summed as (

    select
        sha256,
        dimension,

        count(*) filter (where not is_total_line) as part_count,
        round(sum(budget_amount) filter (where not is_total_line), 6)
            as part_budget_sum,
        round(sum(actual_amount) filter (where not is_total_line), 6)
            as part_actual_sum,
        round(sum(initial_budget_amount) filter (where not is_total_line), 6)
            as part_initial_budget_sum,
        round(sum(adjustment_amount) filter (where not is_total_line), 6)
            as part_adjustment_sum,
        arg_min(printed_rate, line_number) filter (
            where not is_total_line
        ) as first_part_printed_rate,

        count(*) filter (
            where is_total_line and not is_subtotal_line
        ) as total_line_count,
        arg_min(budget_amount, line_number) filter (
            where is_total_line and not is_subtotal_line
        ) as printed_budget_total,
        arg_min(actual_amount, line_number) filter (
            where is_total_line and not is_subtotal_line
        ) as printed_actual_total,
        arg_min(initial_budget_amount, line_number) filter (
            where is_total_line and not is_subtotal_line
        ) as printed_initial_budget_total,
        arg_min(adjustment_amount, line_number) filter (
            where is_total_line and not is_subtotal_line
        ) as printed_adjustment_total,
        arg_min(printed_rate, line_number) filter (
            where is_total_line and not is_subtotal_line
        ) as total_line_printed_rate

    from budget_lines

    group by 1, 2

),

final as (

    select

        ---------- ids
        sha256,

        ---------- strings
        dimension,

        ---------- numerics
        case dimension
            when '资金来源' then 1
            when '合计' then 2
            when '总计' then 2
            when '资金结构' then 3
            when '预算级次' then 4
            else 5
        end as dimension_priority,
        cast(part_count as integer) as part_count,
        coalesce(part_budget_sum, printed_budget_total) as budget_total,
        coalesce(part_actual_sum, printed_actual_total) as actual_total,
        coalesce(part_initial_budget_sum, printed_initial_budget_total)
            as initial_budget_total,
        coalesce(part_adjustment_sum, printed_adjustment_total)
            as adjustment_total,
        printed_budget_total,
        printed_actual_total,
        round(part_budget_sum - printed_budget_total, 6)
            as budget_total_line_difference,
        coalesce(
            total_line_printed_rate,
            case when part_count = 1 then first_part_printed_rate end
        ) as printed_execution_rate,

        ---------- booleans
        total_line_count > 0 as has_total_line

    from dimensions_summed

)

select * from final
