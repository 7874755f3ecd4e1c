"""概览: one fiscal year at a glance."""

import streamlit as st

from jixiao.dashboard import format as fmt
from jixiao.dashboard import queries, ui

ctx = ui.context()
st.header("概览")
years = [y for y in ctx.choices.years if ctx.filters.first_year <= y <= ctx.filters.last_year]
year = st.selectbox("年度", years[::-1], key=f"overview-year-{years}", placeholder="选择年度")
ui.excluded_note(ctx)

head = queries.headline(ctx.con, ctx.filters, year)
cols = st.columns(5)
cols[0].metric("已加载部门", head.departments)
cols[1].metric("平均标准化得分", fmt.score(head.mean_normalized_score))
cols[2].metric("支出加权执行率", fmt.pct(head.weighted_execution_rate))
cols[3].metric("预算数合计（万元）", fmt.amount(head.budget_total))
cols[4].metric("隔离文件", head.quarantined_files, help="无法读取的文件，见“数据质量”页")

left, right = st.columns(2)
with left:
    st.subheader("评价等级")
    grades = queries.grade_counts(ctx.con, ctx.filters, year)
    ui.bar_chart(fmt.present(grades), "评价等级", "部门年度数")
    ui.table(grades, f"评价等级-{year}", key="grades")
with right:
    st.subheader("质量状态")
    statuses = queries.status_counts(ctx.con, ctx.filters, year)
    ui.table(statuses, f"质量状态-{year}", key="statuses")
    st.caption("此表列出全部质量状态（含被排除的），其余图表按侧栏筛选。")

st.subheader("得分分布")
rows = queries.department_years(ctx.con, ctx.filters, year)
scores = fmt.present(rows[["normalized_score"]].dropna())
if not scores.empty:
    import altair as alt

    chart = (
        alt.Chart(scores)
        .mark_bar()
        .encode(
            x=alt.X("标准化得分:Q", bin=alt.Bin(step=2), title="标准化得分"),
            y=alt.Y("count():Q", title="部门数"),
        )
    )
    st.altair_chart(chart, width="stretch")

st.subheader("执行率最低的部门")
ui.table(queries.lowest_execution(ctx.con, ctx.filters, year), f"执行率最低-{year}", key="lowest")

st.subheader("全部部门")
ui.table(rows, f"部门年度-{year}", key="department-years")
