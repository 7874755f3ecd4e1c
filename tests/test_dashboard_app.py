"""The dashboard as Streamlit's AppTest runs it: every page, against the real sample warehouse.

The figures a page shows are compared with the marts, queried here independently.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from jixiao.dashboard import format as fmt
from tests.dashboard_warehouse import demo_build

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
PAGES = [
    "views/overview.py",
    "views/districts.py",
    "views/department.py",
    "views/indicators.py",
    "views/quality.py",
]


def _start(monkeypatch: pytest.MonkeyPatch, home: Path, serving: Path | None = None) -> AppTest:
    monkeypatch.setenv("JIXIAO_HOME", str(home))
    monkeypatch.delenv("JIXIAO_WAREHOUSE", raising=False)
    if serving is None:
        monkeypatch.delenv("JIXIAO_SERVING", raising=False)
    else:
        monkeypatch.setenv("JIXIAO_SERVING", str(serving))
    return AppTest.from_file(str(APP), default_timeout=60).run()


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return _start(monkeypatch, demo_build()["home"])


def _marts(sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(demo_build()["warehouse"]), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _shown(value: float | None, scale: int = 1) -> float:
    """A mart's value as a table shows it: scaled, two decimals, NaN for null."""
    return math.nan if value is None else round(value * scale, 2)


def _statuses(at: AppTest):  # noqa: ANN202 - the sidebar's 质量状态 multiselect
    return next(m for m in at.sidebar.multiselect if m.label == "质量状态")


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_every_page_renders_and_every_table_downloads_as_csv(app: AppTest) -> None:
    for page in PAGES:
        app.switch_page(page).run()
        _ok(app)
        assert len(app.dataframe) >= 1, page
        assert [b.label for b in app.download_button] == ["下载 CSV"] * len(app.dataframe), page


def test_overview_figures_equal_the_marts(app: AppTest) -> None:
    _ok(app)
    year = app.selectbox(key=f"overview-year-{[2020, 2021, 2022]}").value
    assert year == 2022  # the latest year first
    departments, mean_score, budget, actual = _marts(
        "select count(distinct department_key), avg(normalized_score), "
        "sum(budget_total) filter (where actual_total is not null), "
        "sum(actual_total) filter (where budget_total is not null) "
        "from marts.fct_department_year where fiscal_year = ? and quality_status <> 'error'",
        [year],
    )[0]
    shown = {m.label: m.value for m in app.metric}
    assert shown["已加载部门"] == str(departments)
    assert shown["平均标准化得分"] == f"{mean_score:.2f}"
    assert shown["支出加权执行率"] == f"{actual / budget * 100:.2f}%"
    assert shown["预算数合计（万元）"] == f"{budget:.2f}"


def test_error_rows_are_excluded_by_default_and_shown_as_excluded(app: AppTest) -> None:
    errors = _marts("select count(*) from marts.fct_department_year where quality_status = 'error'")
    assert errors[0][0] > 0  # the samples plant mistakes that fail error-severity checks
    assert any(f"错误 {errors[0][0]} 条" in c.value for c in app.caption)
    app.switch_page("views/districts.py").run()
    table = app.dataframe[0].value
    assert table["质量错误数"].sum() == 0
    _statuses(app).set_value(["ok", "warning", "error"]).run()
    _ok(app)
    assert app.dataframe[0].value["质量错误数"].sum() == errors[0][0]
    assert not any("已排除" in c.value for c in app.caption)


def test_districts_with_every_status_equal_mart_district_year(app: AppTest) -> None:
    app.switch_page("views/districts.py").run()
    _statuses(app).set_value(["ok", "warning", "error"]).run()
    shown = app.dataframe[0].value
    rows = _marts(
        "select district, fiscal_year, department_count, mean_normalized_score, "
        "weighted_execution_rate from marts.mart_district_year"
    )
    assert len(shown) == len(rows)
    by_key = {(r["区县"], r["年度"]): r for r in shown.to_dict("records")}
    for district, year, count, mean_score, rate in rows:
        row = by_key[(district, year)]
        assert row["部门数"] == count
        assert row["平均标准化得分"] == pytest.approx(_shown(mean_score), nan_ok=True)
        assert row["支出加权执行率（%）"] == pytest.approx(_shown(rate, 100), nan_ok=True)


def test_department_page_shows_the_trend_of_the_chosen_department(app: AppTest) -> None:
    app.switch_page("views/department.py").run()
    ((key,),) = _marts(  # the department with the most years, then the first by key
        "select department_key from marts.fct_department_year "
        "group by 1 order by count(*) desc, 1 limit 1"
    )
    app.selectbox(key="department").set_value(key).run()
    _ok(app)
    expected = _marts(
        "select fiscal_year, round(normalized_score, 2) from marts.mart_department_trend "
        "where department_key = ? and quality_status <> 'error' order by 1",
        [key],
    )
    trend = app.dataframe[0].value
    assert len(expected) >= 2
    assert trend["年度"].tolist() == [year for year, _ in expected]
    assert trend["标准化得分"].tolist() == pytest.approx([score for _, score in expected])


def test_every_page_says_nothing_is_loaded_yet(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty_copy = tmp_path / "empty.duckdb"
    shutil.copy(demo_build()["serving"], empty_copy)
    with duckdb.connect(str(empty_copy)) as con:
        for (table,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall():
            con.execute(f"delete from marts.{table}")
    for serving in (None, empty_copy):  # no serving copy at all; a copy of empty marts
        at = _start(monkeypatch, tmp_path / "home", serving)
        for page in PAGES:
            at.switch_page(page).run()
            _ok(at)
            assert any("尚未加载任何数据" in i.value for i in at.info), (serving, page)


def test_quality_page_lists_scans_with_what_ocr_doubted_errors_included(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A department-year read by OCR (the sample inbox has no scan: one is added to a copy)
    is listed with the values OCR doubted, even when its quality status is 错误, which the
    other tables leave out by default."""
    copy = tmp_path / "with-scan.duckdb"
    shutil.copy(demo_build()["serving"], copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("delete from marts.mart_ocr_read_submissions")
        con.execute(
            "insert into marts.mart_ocr_read_submissions (sha256, department_key, department, "
            "jurisdiction, family, quality_status, file_name, low_confidence_values, "
            "fiscal_year, low_confidence_count, low_confidence_number_count, "
            "first_page_number, likely_misread) "
            "select sha256, department_key, department, jurisdiction, family, 'error', "
            "'scan.pdf', 'budget_lines.资金来源.财政拨款.budget = 110.0 (第2页)', fiscal_year, "
            "1, 1, 2, true from marts.fct_department_year order by sha256 limit 1"
        )
        (department,) = con.execute(
            "select department from marts.mart_ocr_read_submissions"
        ).fetchone()
    at = _start(monkeypatch, tmp_path / "home", copy)
    at.switch_page("views/quality.py").run()
    _ok(at)
    (table,) = [
        frame.value
        for frame in at.dataframe
        if fmt.label("low_confidence_values") in frame.value.columns
    ]
    assert table[fmt.label("department")].tolist() == [department]
    assert table[fmt.label("likely_misread")].tolist() == ["是"]
    assert table[fmt.label("low_confidence_values")].tolist() == [
        "budget_lines.资金来源.财政拨款.budget = 110.0 (第2页)"
    ]
    assert table[fmt.label("quality_status")].tolist() == ["错误"]


def test_tables_print_units_as_the_documents_do() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {"budget_total": [127208.534], "execution_rate": [0.98571], "quality_status": ["error"]}
    )
    shown = fmt.present(frame)
    assert list(shown.columns) == ["预算数（万元）", "执行率（%）", "质量状态"]
    assert shown.iloc[0].tolist() == [127208.53, 98.57, "错误"]
    assert fmt.csv_bytes(shown).decode("utf-8-sig").splitlines()[1] == "127208.53,98.57,错误"
    assert (fmt.pct(0.98571), fmt.wan(127208.534), fmt.pct(None)) == (
        "98.57%",
        "127208.53 万元",
        "—",
    )
