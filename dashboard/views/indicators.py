"""指标分析: indicator categories and the leaves that lose most points."""

import streamlit as st

from jixiao.dashboard import format as fmt
from jixiao.dashboard import queries, ui

ctx = ui.context()
st.header("指标分析")
ui.excluded_note(ctx)
st.caption("失分 = 分值 − 得分，只计有分值的指标，不含加减分项。")
categories = queries.category_points_lost(ctx.con, ctx.filters)
totals = (
    categories.groupby("category_name", as_index=False)["points_lost"]
    .sum()
    .sort_values("points_lost", ascending=False)
)
st.subheader("各类别失分合计")
ui.bar_chart(fmt.present(totals), "指标类别", "失分")

st.subheader("类别 × 区县 × 年度")
ui.table(categories.drop(columns=["category"]), "指标类别失分", key="categories")

st.subheader("失分最多的末级指标")
ui.table(queries.leaves_losing_most(ctx.con, ctx.filters), "失分最多的指标", key="leaves")
