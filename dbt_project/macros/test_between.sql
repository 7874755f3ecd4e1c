{#
    Generic test: every value of the column lies within [min_value, max_value]
    (either bound may be omitted; nulls pass).

    usage:
      data_tests:
        - between:
            arguments:
              min_value: 0
              max_value: 1
#}
{% test between(model, column_name, min_value=none, max_value=none) %}

select {{ column_name }}
from {{ model }}
where
    {% if min_value is not none %}{{ column_name }} < {{ min_value }}{% else %}false{% endif %}
    or {% if max_value is not none %}{{ column_name }} > {{ max_value }}{% else %}false{% endif %}

{% endtest %}
