{#
    Generic test: the combination of the given columns is unique in the model.
    dbt_utils is not installed (no `dbt deps` offline), so this is our own.

    usage:
      data_tests:
        - unique_combination_of_columns:
            arguments:
              combination_of_columns: [department, fiscal_year]
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with grouped as (

    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as row_count

    from {{ model }}
    group by all

)

select * from grouped
where row_count > 1

{% endtest %}
