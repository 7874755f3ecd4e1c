-- Project rows (项目支出明细) of a submission beside the total they must add up to
-- (check projects_sum_to_total), one row per submission with projects and measure.
--
-- The total is the project table's own 合计 / 总计 row when it was extracted as a
-- project, else the budget line of project spending: a total line of a dimension
-- named like 项目 (e.g. 项目支出 小计 of a third-party report), else the item
-- 项目支出 (资金结构 of a self-evaluation form). No total printed: no row.
-- Measures: initial_budget (年初预算数), adjustment (调整金额), budget (调整后预算数),
-- actual (支出数). Tolerance: the amount tolerance per printed figure (macro
-- tolerance, dbt var tolerance_amount).
--
-- The extractor keeps a project table's printed 合计 row out of raw.projects and
-- reports a mismatch as an extraction issue (project_sum_mismatch) with typed
-- fields: finding_field projects.合计.<measure>, observed_value the printed 合计,
-- expected_value the projects' sum. Each such issue is a row too (it was judged
-- with the same tolerance when extracted); one without its numbers (a record older
-- than the typed fields) still fails: excess_difference = infinity. No message is
-- read.

with

projects as (

    select * from {{ ref('stg_projects') }}

),

budget_lines as (

    select * from {{ ref('stg_budget_lines') }}

),

extraction_issues as (

    select * from {{ ref('stg_extraction_issues') }}

),

projects_flagged as (

    select
        sha256,
        line_number,
        project_name,
        project_name like '%合计' or project_name like '%总计' as is_total_row,
        project_name like '%小计' as is_subtotal_row,
        initial_budget_amount as initial_budget,
        adjustment_amount as adjustment,
        adjusted_budget_amount as budget,
        actual_amount as actual

    from projects

),

project_amounts as (

    unpivot projects_flagged
    on initial_budget, adjustment, budget, actual
    into name measure value amount

),

projects_summed as (

    select
        sha256,
        measure,
        count(*) as project_count,
        sum(amount) as project_sum

    from project_amounts

    where not is_total_row and not is_subtotal_row

    group by 1, 2

),

project_total_rows as (

    select
        sha256,
        measure,
        arg_min(amount, line_number) as printed_total,
        'projects 合计 (line ' || min(line_number) || ')' as total_source,
        1 as source_rank

    from project_amounts

    where is_total_row

    group by 1, 2

),

budget_lines_ranked as (

    select
        sha256,
        line_number,
        dimension,
        item,
        case
            when
                dimension like '%项目%'
                and line_kind in ('subtotal', 'dimension_total')
                then 2
            when item = '项目支出' then 3
        end as source_rank,
        initial_budget_amount as initial_budget,
        adjustment_amount as adjustment,
        budget_amount as budget,
        actual_amount as actual

    from budget_lines

),

budget_line_amounts as (

    unpivot budget_lines_ranked
    on initial_budget, adjustment, budget, actual
    into name measure value amount

),

budget_line_totals as (

    select
        sha256,
        measure,
        arg_min(amount, [source_rank, line_number]) as printed_total,
        arg_min(
            'budget line ' || dimension || ' ' || item || ' (line ' || line_number
            || ')',
            [source_rank, line_number]
        ) as total_source,
        min(source_rank) as source_rank

    from budget_line_amounts

    where source_rank is not null

    group by 1, 2

),

total_candidates as (

    select * from project_total_rows

    union all

    select * from budget_line_totals

),

totals_ranked as (

    select
        *,
        row_number() over (
            partition by sha256, measure order by source_rank
        ) as total_order

    from total_candidates

),

projects_joined_to_totals as (

    select
        projects_summed.sha256,
        projects_summed.measure,
        projects_summed.project_count,
        projects_summed.project_sum,
        totals_ranked.printed_total,
        totals_ranked.total_source

    from projects_summed

    inner join totals_ranked
        on projects_summed.sha256 = totals_ranked.sha256
            and projects_summed.measure = totals_ranked.measure
            and totals_ranked.total_order = 1

),

sums_compared as (

    select
        sha256,
        total_source,
        measure,
        project_count,
        project_sum,
        printed_total,
        {{ tolerance('amount', 'project_count + 1') }} as tolerance,
        {{ excess_over_tolerance(
            'project_sum - printed_total', 'amount', 'project_count + 1'
        ) }} as excess_difference

    from projects_joined_to_totals

),

mismatches_reported as (

    select
        sha256,
        cast(null as bigint) as project_count,
        expected_value as project_sum,
        observed_value as printed_total,
        'extraction issue (line ' || line_number || ')' as total_source,
        coalesce(string_split(finding_field, '.')[-1], 'unknown') as measure

    from extraction_issues

    where issue_code = 'project_sum_mismatch'

),

mismatches_compared as (

    select
        sha256,
        total_source,
        measure,
        project_count,
        project_sum,
        printed_total,
        0 as tolerance,
        coalesce(
            round(abs(project_sum - printed_total), 6), cast('infinity' as double)
        ) as excess_difference

    from mismatches_reported

),

comparisons as (

    select * from sums_compared

    union all

    select * from mismatches_compared

),

final as (

    select

        ---------- ids
        sha256,
        total_source,
        measure,

        ---------- numerics
        cast(project_count as integer) as project_count,
        round(project_sum, 6) as project_sum,
        round(printed_total, 6) as printed_total,
        round(project_sum - printed_total, 6) as difference,
        tolerance,
        excess_difference

    from comparisons

)

select * from final
