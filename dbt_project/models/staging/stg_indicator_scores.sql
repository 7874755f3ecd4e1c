-- Leaf rows of the indicator table (三级指标 with 分值 and 得分) of every submission.

with

source as (

    select * from {{ source('raw', 'indicator_scores') }}

),

renamed as (

    select

        ---------- ids
        sha256,
        cast(line_number as integer) as line_number,

        ---------- strings
        level1 as level1_name,
        level2 as level2_name,
        level3 as indicator_name,
        target as target_value,
        actual as actual_value,

        ---------- numerics
        cast(level1_points as double) as level1_points,
        cast(level2_points as double) as level2_points,
        cast(points as double) as points,
        cast(score as double) as score,
        cast(page as integer) as page_number,

        ---------- booleans
        case
            when score is null or points is null then null
            else score >= 0 and score <= points
        end as is_score_within_points

    from source

)

select * from renamed
