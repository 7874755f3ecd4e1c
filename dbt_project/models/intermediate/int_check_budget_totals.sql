-- Every "these amounts must add up" comparison of a submission's budget table, one
-- row per comparison and measure (check budget_dimensions_agree, GX suite
-- budget_totals): the union of one model per kind of comparison,
--
--   * int_check_budget_subtotals: a 小计 line = the parts since the previous total
--     line of its dimension;
--   * int_check_budget_dimension_totals: a 合计 / 总计 line inside a dimension = all
--     the parts of that dimension;
--   * int_check_budget_groups: a group line (资金结构 基本支出 of a third-party report)
--     = its 资金结构明细 lines;
--   * int_check_budget_breakdowns: each breakdown (资金来源, 资金结构, 预算级次) = the
--     grand total line, else the first breakdown;
--   * int_check_budget_sub_groups: the dimensions made of sub-groups together = the
--     grand total line.
--
-- Each allows the amount tolerance per printed figure (macro tolerance, dbt var
-- tolerance_amount); excess_difference is what is left beyond it (GX expects 0).

with

subtotals as (

    select * from {{ ref('int_check_budget_subtotals') }}

),

dimension_totals as (

    select * from {{ ref('int_check_budget_dimension_totals') }}

),

group_lines as (

    select * from {{ ref('int_check_budget_groups') }}

),

breakdowns as (

    select * from {{ ref('int_check_budget_breakdowns') }}

),

sub_groups as (

    select * from {{ ref('int_check_budget_sub_groups') }}

),

comparisons as (

    select * from subtotals
    union all
    select * from dimension_totals
    union all
    select * from group_lines
    union all
    select * from breakdowns
    union all
    select * from sub_groups

)

select * from comparisons
