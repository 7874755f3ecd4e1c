-- One row per district (市本级 for city departments) and fiscal year: how many departments
-- reported, their mean scores, and the spend-weighted execution rate
-- Σ actual / Σ budget (a budget-weighted mean of the departments' rates).

with

department_years as (

    select * from {{ ref('fct_department_year') }}

),

department_years_grouped as (

    select
        jurisdiction as district,
        fiscal_year,
        count(*) as department_count,
        count(total_score) as scored_department_count,
        avg(total_score) as mean_total_score,
        median(total_score) as median_total_score,
        min(total_score) as min_total_score,
        max(total_score) as max_total_score,
        avg(normalized_score) as mean_normalized_score,
        sum(budget_total) filter (
            where actual_total is not null
        ) as budget_total,
        sum(actual_total) filter (
            where budget_total is not null
        ) as actual_total,
        avg(execution_rate) as mean_execution_rate,
        count(*) filter (where grade = '优') as excellent_count,
        count(*) filter (where grade = '良') as good_count,
        count(*) filter (where grade = '中') as fair_count,
        count(*) filter (where grade = '差') as poor_count,
        count(*) filter (where quality_status = 'error') as quality_error_count

    from department_years

    group by 1, 2

),

final as (

    select

        ---------- ids
        cast(district as varchar) as district,

        ---------- numerics
        cast(fiscal_year as integer) as fiscal_year,
        cast(department_count as integer) as department_count,
        cast(scored_department_count as integer) as scored_department_count,
        cast(mean_total_score as double) as mean_total_score,
        cast(median_total_score as double) as median_total_score,
        cast(min_total_score as double) as min_total_score,
        cast(max_total_score as double) as max_total_score,
        cast(mean_normalized_score as double) as mean_normalized_score,
        cast(budget_total as double) as budget_total,
        cast(actual_total as double) as actual_total,
        cast(actual_total / nullif(budget_total, 0) as double)
            as weighted_execution_rate,
        cast(mean_execution_rate as double) as mean_execution_rate,
        cast(excellent_count as integer) as excellent_count,
        cast(good_count as integer) as good_count,
        cast(fair_count as integer) as fair_count,
        cast(poor_count as integer) as poor_count,
        cast(quality_error_count as integer) as quality_error_count

    from department_years_grouped

)

select * from final
