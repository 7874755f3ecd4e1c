"""区县对比: districts compared across years, ranked, with the year-over-year change."""

import streamlit as st

from jixiao.dashboard import format as fmt
from jixiao.dashboard import queries, ui

ctx = ui.context()
st.header("区县对比")
ui.excluded_note(ctx)
rows = queries.district_years(ctx.con, ctx.filters)
st.caption(
    "平均标准化得分（百分制，不含加减分项）与支出加权执行率（Σ执行数 ÷ Σ预算数）；"
    "排名按当年平均标准化得分，同比变化对比该区县上一个有数据的年度。"
)
shown = fmt.present(rows)
left, right = st.columns(2)
with left:
    st.subheader("平均标准化得分")
    ui.line_chart(shown, "年度", "平均标准化得分", color="区县")
with right:
    st.subheader("支出加权执行率（%）")
    ui.line_chart(shown, "年度", "支出加权执行率（%）", color="区县")

st.subheader("区县 × 年度")
columns = [
    "fiscal_year",
    "score_rank",
    "district",
    "department_count",
    "mean_normalized_score",
    "mean_normalized_score_change",
    "weighted_execution_rate",
    "weighted_execution_rate_change",
    "budget_total",
    "actual_total",
    "mean_total_score",
    "excellent_count",
    "quality_error_count",
]
ui.table(rows[columns], "区县对比", key="districts")
