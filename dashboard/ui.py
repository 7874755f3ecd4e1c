"""The Streamlit parts every page shares: the serving copy's connection, the sidebar
filters, tables with a CSV download, and the note on what the filters leave out.

The dashboard reads only the serving copy (``jixiao/serving.py``), never the warehouse,
so an open dashboard never holds the lock a load needs. On every script run it looks at
the copy's version (inode, mtime): a new copy published by a run gets a new connection
at once, and a fragment polling every few seconds reruns open pages when one appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd
import streamlit as st
from PIL import Image, ImageDraw

from jixiao import serving
from jixiao import settings as settings_module
from jixiao.dashboard import format as fmt
from jixiao.dashboard import queries

CONTEXT_KEY = "jixiao_context"
POLL_SECONDS = 3
NUMBER_FORMATS = {
    "wan": "%.2f",
    "score": "%.2f",
    "pct": "%.2f%%",
    "pp": "%+.2f",
    "int": "%d",
    "year": "%d",
}


@dataclass(frozen=True)
class Context:
    """What a page needs: a cursor on the serving copy, the filters and the choices."""

    con: duckdb.DuckDBPyConnection
    filters: queries.Filters
    choices: queries.Choices
    published: queries.Published


@st.cache_resource(show_spinner=False)
def favicon() -> Image.Image:
    """Return the tab icon: three bars, drawn here so that nothing is fetched."""
    icon = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    draw = ImageDraw.Draw(icon)
    for left, top in ((3, 18), (13, 8), (23, 13)):
        draw.rectangle((left, top, left + 6, 29), fill=(196, 30, 58, 255))
    return icon


def serving_file() -> Path:
    """Return the serving copy the dashboard reads (beside ``JIXIAO_WAREHOUSE``)."""
    return serving.serving_path(settings_module.resolve().warehouse)


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(path: str, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    return serving.open_reader(Path(path))


def cursor() -> tuple[duckdb.DuckDBPyConnection | None, tuple[int, int] | None]:
    """Return a cursor on the current serving copy and its version (``None`` when absent)."""
    path = serving_file()
    version = serving.version(path)
    if version is None:
        return None, None
    return serving.reader_cursor(_open(str(path), version)), version


def nothing_loaded(path: Path) -> None:
    """Say clearly that there is nothing to show yet, and how to get something."""
    st.info(
        "尚未加载任何数据（nothing loaded yet）。运行 `make demo` 或 "
        "`jixiao run --inbox 收件箱目录` 后，本看板会自动显示发布的数据。\n\n"
        f"看板读取的服务副本：`{path}`"
    )


def sidebar_filters(choices: queries.Choices) -> queries.Filters:
    """Draw the sidebar filters; return what they select.

    Widgets are keyed by their options, so when a run publishes a new year or district
    the selection grows with it instead of keeping yesterday's range.
    """
    sidebar = st.sidebar
    sidebar.subheader("筛选")
    years = choices.years
    if len(years) > 1:
        first, last = sidebar.select_slider(
            "年度",
            options=years,
            value=(years[0], years[-1]),
            key=f"years-{years}",
        )
    else:
        first = last = years[0] if years else None
        sidebar.caption(f"年度：{first}")
    picked: dict[str, tuple[str, ...] | None] = {}
    for name, title, options, names, everything in (
        ("jurisdictions", "区县（含市本级）", choices.jurisdictions, {}, "全部区县"),
        ("admin_levels", "行政级别", choices.admin_levels, fmt.ADMIN_LEVELS, "全部级别"),
        ("families", "文档类别", choices.families, fmt.FAMILIES, "全部类别"),
    ):
        chosen = sidebar.multiselect(
            title,
            options,
            format_func=lambda v, names=names: names.get(v, v),
            key=f"{name}-{options}",
            placeholder=everything,
        )
        picked[name] = tuple(chosen) or None  # nothing chosen = every value
    statuses = sidebar.multiselect(
        "质量状态",
        choices.statuses,
        default=[s for s in choices.statuses if s in queries.DEFAULT_STATUSES],
        format_func=lambda v: fmt.STATUSES.get(v, v),
        key=f"statuses-{choices.statuses}",
        help="默认排除质量状态为“错误”的记录（未通过严重级别为 error 的检查），加入后才显示。",
    )
    return queries.Filters(
        first_year=first,
        last_year=last,
        jurisdictions=picked["jurisdictions"],
        admin_levels=picked["admin_levels"],
        families=picked["families"],
        quality_statuses=tuple(statuses),
    )


def watch_for_new_copy(version: tuple[int, int] | None) -> None:
    """Rerun the open page when the pipeline publishes a new serving copy."""

    @st.fragment(run_every=POLL_SECONDS)
    def _watch() -> None:
        if serving.version(serving_file()) != version:
            st.rerun(scope="app")

    _watch()


def build_context() -> Context:
    """Open the current serving copy and draw the sidebar; return what the pages need.

    Stops the script run with a clear "nothing loaded yet" when there is no data.
    """
    st.sidebar.title("绩效评价数据看板")
    con, version = cursor()
    watch_for_new_copy(version)
    if con is None:
        nothing_loaded(serving_file())
        st.stop()
    published = queries.published(con)
    if published.department_years == 0:
        nothing_loaded(serving_file())
        st.stop()
    choices = queries.choices(con)
    filters = sidebar_filters(choices)
    when = f"{published.published_at:%Y-%m-%d %H:%M}" if published.published_at else "—"
    st.sidebar.caption(
        f"数据发布于 {when}（UTC）· 运行 {published.run_id or '—'}\n\n新数据发布后本页自动刷新。"
    )
    return Context(con, filters, choices, published)


def set_context(context: Context) -> None:
    """Hand the entry point's context to the page it runs next."""
    st.session_state[CONTEXT_KEY] = context


def clear_context() -> None:
    st.session_state.pop(CONTEXT_KEY, None)


def context() -> Context:
    """Return this run's context: the entry point's, or built here when a page runs alone.

    ``AppTest.switch_page`` runs a page file without the entry point; building the
    context in the page then gives the same sidebar and the same filters.
    """
    found = st.session_state.get(CONTEXT_KEY)
    return found if found is not None else build_context()


def excluded_note(ctx: Context) -> None:
    """Say which department-years the quality filter leaves out (shown as excluded)."""
    left_out = queries.excluded_department_years(ctx.con, ctx.filters)
    if left_out.empty:
        return
    parts = "，".join(
        f"{fmt.STATUSES.get(row.quality_status, row.quality_status)} {row.department_years} 条"
        for row in left_out.itertuples()
    )
    st.caption(
        f"已排除（按质量状态）：{parts}。在侧栏“质量状态”中加入即可显示。",
        help="质量状态“错误”= 未通过严重级别为 error 的检查，数字不可直接采信。",
    )


def table(frame: pd.DataFrame, name: str, *, key: str, empty: str = "没有符合条件的记录。") -> None:
    """Show a query's rows as a table in Chinese with a CSV download button."""
    shown = fmt.present(frame)
    if shown.empty:
        st.caption(empty)
        return
    config = {
        fmt.label(column): st.column_config.NumberColumn(format=NUMBER_FORMATS[fmt.kind(column)])
        for column in frame.columns
        if fmt.kind(column) in NUMBER_FORMATS
    }
    st.dataframe(
        shown, hide_index=True, column_config=config, key=f"table-{key}", placeholder=fmt.MISSING
    )
    st.download_button(
        "下载 CSV",
        fmt.csv_bytes(shown),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        icon=":material/download:",
    )


def bar_chart(frame: pd.DataFrame, x: str, y: str, *, color: str | None = None) -> None:
    """Draw a bar chart with Streamlit's bundled Vega-Lite (no fonts or tiles fetched)."""
    if frame.empty:
        return
    encoding = {
        "x": alt.X(x, sort=None, title=None, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(y, title=None),
        "tooltip": list(frame.columns),
    }
    if color:
        encoding["color"] = alt.Color(color, title=None)
    st.altair_chart(alt.Chart(frame).mark_bar().encode(**encoding), width="stretch")


def line_chart(frame: pd.DataFrame, x: str, y: str, *, color: str | None = None) -> None:
    """Draw a line chart over years (integer axis)."""
    if frame.empty:
        return
    encoding = {
        "x": alt.X(f"{x}:O", title=None, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{y}:Q", title=None, scale=alt.Scale(zero=False)),
        "tooltip": list(frame.columns),
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=None)
    st.altair_chart(alt.Chart(frame).mark_line(point=True).encode(**encoding), width="stretch")


def docs_links() -> None:
    """Link the Great Expectations Data Docs and the dbt docs the build generated."""
    cfg = settings_module.resolve()
    reports = [
        ("Great Expectations Data Docs（检查报告）", cfg.data_docs_dir / "index.html"),
        ("dbt docs（模型与字段说明）", dbt_docs_file()),
    ]
    for title, path in reports:
        if path.is_file():
            st.markdown(f"- [{title}]({path.as_uri()})：`{path}`")
        else:
            st.markdown(f"- {title}：尚未生成（`{path}`）")
    st.caption(
        "报告是本机文件：点击链接，或把路径复制到浏览器地址栏打开。"
        "dbt docs 随每次构建生成（`make dashboard` 也会生成）。"
    )


def dbt_docs_file() -> Path:
    """Return the dbt docs site every build writes beside the Data Docs (one file)."""
    from jixiao.stages.transform import dbt_docs_dir

    return dbt_docs_dir() / "index.html"
