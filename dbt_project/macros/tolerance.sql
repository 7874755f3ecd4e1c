{#
    The one tolerance of the arithmetic checks (docs/quality.md, "Tolerances").

    tolerance(kind, figure_count): how far printed figures may disagree, from the dbt
    vars tolerance_amount (万元 per printed amount), tolerance_score (points) and
    tolerance_rate (fraction); an amount comparison allows tolerance_amount per figure.

    excess_over_tolerance(difference, kind, figure_count): abs(difference) beyond that
    tolerance, 0 when within it, null when the difference is (not applicable); every
    int_check_* model's excess column, which the GX suites expect to be 0.
#}

{% macro tolerance(kind, figure_count=1) -%}
    round({{ var('tolerance_' ~ kind) }} * ({{ figure_count }}), 6)
{%- endmacro %}

{% macro excess_over_tolerance(difference, kind, figure_count=1) -%}
    {#- null when there is no difference (nothing to check): greatest skips nulls #}
    case
        when ({{ difference }}) is not null
            then greatest(
                round(abs({{ difference }}) - {{ tolerance(kind, figure_count) }}, 6),
                0
            )
    end
{%- endmacro %}

{#
    The final select of one kind of amount comparison (compared_amount against
    reference_amount, figure_count printed amounts) from the CTE `compared`: the shape
    every int_check_budget_* model ends with and int_check_budget_totals unions.
#}

{% macro amount_comparison_final(compared) -%}
    select

        ---------- ids
        sha256,
        comparison,
        measure,

        ---------- numerics
        {{ amount_comparison_columns() }}

    from {{ compared }}
{%- endmacro %}

{% macro amount_comparison_columns() -%}
        round(compared_amount, 6) as compared_amount,
        round(reference_amount, 6) as reference_amount,
        round(compared_amount - reference_amount, 6) as difference,
        cast(figure_count as integer) as figure_count,
        {{ tolerance('amount', 'figure_count') }} as tolerance,
        {{ excess_over_tolerance(
            'compared_amount - reference_amount', 'amount', 'figure_count'
        ) }} as excess_difference
{%- endmacro %}
