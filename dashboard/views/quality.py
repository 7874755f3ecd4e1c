"""数据质量: failed checks, quarantined files, partial reads, scans read by OCR, unmapped labels,
and the docs."""

import streamlit as st

from jixiao.dashboard import queries, ui

ctx = ui.context()
st.header("数据质量")

st.subheader("未通过的检查")
st.caption("每份提交最近一次校验的结果；“实际情况”与“应满足”来自 Great Expectations。")
ui.table(queries.failed_checks(ctx.con, ctx.filters), "未通过的检查", key="failed")
ui.excluded_note(ctx)

st.subheader("隔离的文件")
ui.table(
    queries.quarantined_files(ctx.con, ctx.filters),
    "隔离的文件",
    key="quarantined",
    empty="没有被隔离的文件。",
)

st.subheader("只读取了一部分的提交")
st.caption(
    "抽取记录写明有部分内容未能读取（如缺少预算表、总分，或指标行缺名称、分值）。按年度和文档类别筛选。"
)
ui.table(
    queries.partly_read(ctx.con, ctx.filters),
    "部分读取的提交",
    key="partial",
    empty="没有只读取了一部分的提交。",
)

st.subheader("扫描件（OCR 读取）")
st.caption(
    "这些部门年度的提交含扫描页，由 OCR 读取。“OCR 存疑的值”按读到的保留，请对照扫描件核对；"
    "“可能误读”= 扫描件且有加总检查未通过，更可能是识别错误而非原文错误。"
)
ui.table(
    queries.ocr_read(ctx.con, ctx.filters),
    "OCR 读取的提交",
    key="ocr",
    empty="没有由 OCR 读取的提交。",
)

st.subheader("未映射的指标标签")
ui.table(
    queries.unmapped_labels(ctx.con),
    "未映射的指标标签",
    key="unmapped",
    empty="所有指标标签均已映射到指标分类。",
)

st.subheader("报告")
ui.docs_links()
