{#
    Window expressions that standardize a measure within a group of rows
    (e.g. all department-years of a fiscal year). Rows where the measure is null
    get null and are left out of the group's statistics.

    zscore_within:     (x − mean) / population standard deviation of the group;
                       null when the group has no spread (one row, or all equal).
                       Rounded to 6 decimals.
    percentile_within: percent_rank() of x in the group, 0 = lowest, 1 = highest
                       (the share of the group's other rows with a lower value),
                       rounded to 6 decimals.
    rank_within:       rank() of x in the group, 1 = highest (ties share a rank).
#}
{% macro zscore_within(column_name, partition_by) -%}
    round(case
        when {{ column_name }} is not null
            and stddev_pop({{ column_name }}) over (
                partition by {{ partition_by | join(', ') }}
            ) > 1e-9
            then (
                {{ column_name }}
                - avg({{ column_name }}) over (
                    partition by {{ partition_by | join(', ') }}
                )
            ) / stddev_pop({{ column_name }}) over (
                partition by {{ partition_by | join(', ') }}
            )
    end, 6)
{%- endmacro %}

{% macro percentile_within(column_name, partition_by) -%}
    round(case
        when {{ column_name }} is not null
            then percent_rank() over (
                partition by {{ partition_by | join(', ') }}, {{ column_name }} is null
                order by {{ column_name }}
            )
    end, 6)
{%- endmacro %}

{% macro rank_within(column_name, partition_by) -%}
    case
        when {{ column_name }} is not null
            then rank() over (
                partition by {{ partition_by | join(', ') }}, {{ column_name }} is null
                order by {{ column_name }} desc
            )
    end
{%- endmacro %}
