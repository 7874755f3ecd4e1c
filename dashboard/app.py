"""Entry point of the dashboard: ``streamlit run dashboard/app.py`` (``make dashboard``).

Opens the serving copy, draws the sidebar filters, then runs the page the user chose.
Pages live in ``dashboard/views/``; queries in ``dashboard/queries.py``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from jixiao.dashboard import ui

# not "pages/": Streamlit would also list that folder's files as pages of their own
PAGES = Path(__file__).resolve().parent / "views"

# a favicon drawn here: a Material icon or an emoji favicon would be fetched from the internet
st.set_page_config(page_title="绩效评价数据看板", page_icon=ui.favicon(), layout="wide")

page = st.navigation(
    [
        st.Page(PAGES / "overview.py", title="概览", icon=":material/dashboard:", default=True),
        st.Page(PAGES / "districts.py", title="区县对比", icon=":material/compare_arrows:"),
        st.Page(PAGES / "department.py", title="部门画像", icon=":material/account_balance:"),
        st.Page(PAGES / "indicators.py", title="指标分析", icon=":material/leaderboard:"),
        st.Page(PAGES / "quality.py", title="数据质量", icon=":material/fact_check:"),
    ]
)

ui.set_context(ui.build_context())
try:
    page.run()
finally:
    ui.clear_context()
