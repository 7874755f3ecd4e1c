"""部门画像: one department over the years."""

import streamlit as st

from jixiao.dashboard import format as fmt
from jixiao.dashboard import queries, ui

ctx = ui.context()
st.header("部门画像")
choices = queries.departments(ctx.con, ctx.filters)
if choices.empty:
    st.info("没有符合筛选条件的部门。")
    st.stop()
labels = choices.department + "（" + choices.jurisdiction + "）"
names = dict(zip(choices.department_key, labels, strict=True))
key = st.selectbox(
    "部门", list(names), format_func=names.get, key="department", placeholder="选择部门"
)
ui.excluded_note(ctx)

trend = queries.department_trend(ctx.con, ctx.filters, key)
if not trend.empty:
    latest = trend.iloc[-1]
    cols = st.columns(4)
    cols[0].metric(
        f"{latest.fiscal_year} 标准化得分",
        fmt.score(latest.normalized_score),
        None
        if fmt._missing(latest.normalized_score_change)
        else fmt.score(latest.normalized_score_change),
    )
    cols[1].metric("评价等级", latest.grade or fmt.MISSING)
    cols[2].metric("年度得分百分位", fmt.pct(latest.score_percentile_in_year))
    cols[3].metric("执行率", fmt.pct(latest.execution_rate))

shown = fmt.present(trend)
left, right = st.columns(2)
with left:
    st.subheader("标准化得分")
    ui.line_chart(shown, "年度", "标准化得分")
with right:
    st.subheader("执行率（%）")
    ui.line_chart(shown, "年度", "执行率（%）")
ui.table(trend, "部门趋势", key="trend")

st.subheader("按指标类别的失分")
lost = queries.department_points_lost(ctx.con, ctx.filters, key)
ui.bar_chart(fmt.present(lost), "指标类别", "失分", color="年度:N")
ui.table(lost.drop(columns=["category"]), "部门失分", key="lost")

st.subheader("预算执行")
ui.table(queries.department_budget_lines(ctx.con, ctx.filters, key), "预算执行", key="budget")

st.subheader("项目（第三方评价报告）")
ui.table(
    queries.department_projects(ctx.con, ctx.filters, key),
    "项目",
    key="projects",
    empty="该部门没有第三方评价报告的项目表。",
)

st.subheader("未通过的检查")
ui.table(
    queries.department_failed_checks(ctx.con, key),
    "未通过的检查",
    key="checks",
    empty="该部门的提交全部通过检查。",
)
