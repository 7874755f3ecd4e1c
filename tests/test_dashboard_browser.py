"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright.

Starts the server as ``make dashboard`` does, opens every page, checks that no page shows
an error and that the headline figures are the marts', saves a screenshot of each page
under ``.jixiao/test-output/dashboard/``, and proves that a load succeeds while the page is
open and that the open page then shows the new fiscal year without a reload. Nothing may
be fetched from outside the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from jixiao import serving
from jixiao.dashboard.server import command
from tests.dashboard_warehouse import demo_build, free_port
from tests.jixiao_run import run

REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT = Path(os.environ.get("JIXIAO_TEST_OUTPUT", REPO_ROOT / ".jixiao" / "test-output"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PAGES = [  # url path, page header, an element every page of data has
    ("quality", "数据质量", '[data-testid="stDataFrame"]'),  # first: a fresh server, deep link
    ("districts", "区县对比", '[data-testid="stDataFrame"]'),
    ("department", "部门画像", '[data-testid="stMetric"]'),
    ("indicators", "指标分析", '[data-testid="stDataFrame"]'),
    ("", "概览", '[data-testid="stMetric"]'),
]
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")

if not Path(CHROMIUM).is_file():
    reason = "Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)  # .ci/run installs it: never skip on CI
    pytest.skip(reason, allow_module_level=True)


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text("utf-8", errors="replace")[-3000:]
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"dashboard not healthy after 90 s:\n{log.read_text('utf-8')[-3000:]}")


def _departments_loaded(serving_copy: Path, year: int) -> int:
    reader = serving.open_reader(serving_copy)
    return reader.execute(
        "select count(distinct department_key) from marts.fct_department_year "
        "where fiscal_year = ? and quality_status <> 'error'",
        [year],
    ).fetchone()[0]


def _metric(page, label: str) -> str:  # noqa: ANN001
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_every_page_in_chromium_and_a_load_while_it_is_open(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from jixiao_devtools.samples import generate_year

    built = demo_build()
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    shutil.copytree(built["home"], home)
    shutil.copytree(built["inbox"], inbox)
    serving_copy = serving.serving_path(home / "warehouse" / "jixiao.duckdb")
    shots = OUTPUT / "dashboard"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "JIXIAO_HOME": str(home)}
    for name in ("JIXIAO_WAREHOUSE", "JIXIAO_SERVING"):
        env.pop(name, None)
    log = tmp_path / "dashboard.log"
    with log.open("wb") as out:
        server = subprocess.Popen(command(port), env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, server, log)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            outside: list[str] = []
            page.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))

            for path, header, element in PAGES:
                page.goto(f"{url}/{path}")
                page.get_by_role("heading", name=header).first.wait_for(timeout=30_000)
                page.locator(element).first.wait_for(timeout=30_000)
                page.wait_for_load_state("networkidle")
                assert page.locator('[data-testid="stException"]').count() == 0, path
                nav = page.get_by_test_id("stSidebarNav").inner_text()
                assert [title for _, title, _ in PAGES if title in nav] == [t for _, t, _ in PAGES]
                assert page.locator('[data-testid="stAlertContentError"]').count() == 0, path
                page.screenshot(path=shots / f"{path or 'overview'}.png", full_page=True)

            page.goto(url)
            page.get_by_role("heading", name="概览").first.wait_for(timeout=30_000)
            assert _metric(page, "已加载部门") == str(_departments_loaded(serving_copy, 2022))

            # a new fiscal year arrives and is loaded while the page is open
            generate_year(inbox, 2023, 4)
            summary = run(inbox, home, env={"JIXIAO_SUM_CHECK_MAX_FAILURE_PCT": "100"})
            assert summary["loaded"] == 4 and summary["serving"] == str(serving_copy)

            year = page.get_by_role("combobox", name="年度")
            deadline = time.monotonic() + 60
            while year.input_value() != "2023" and time.monotonic() < deadline:
                page.wait_for_timeout(500)  # the page notices the new copy by itself
            assert year.input_value() == "2023"  # the latest year, shown first
            page.wait_for_load_state("networkidle")
            expected = str(_departments_loaded(serving_copy, 2023))
            page.get_by_text(expected, exact=True).first.wait_for(timeout=30_000)
            assert _metric(page, "已加载部门") == expected
            page.screenshot(path=shots / "overview-after-load.png", full_page=True)
            browser.close()
        assert outside == [], outside
    finally:
        server.terminate()
        server.wait(timeout=30)
    with duckdb.connect(str(home / "warehouse" / "jixiao.duckdb"), read_only=True) as con:
        loaded = con.execute(
            "select count(*) from marts.fct_department_year where fiscal_year = 2023"
        ).fetchone()[0]
    assert loaded == 4  # the load really wrote the warehouse the open page was reading from
