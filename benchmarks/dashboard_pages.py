"""Benchmark: how long each dashboard page takes to render on a city-scale warehouse.

    .venv/bin/python benchmarks/dashboard_pages.py [--warehouse FILE] [--years 10] [--per-year 600]

Without ``--warehouse`` it builds one with ``benchmarks/dbt_build.py`` (10 fiscal years ×
600 departments, generated raw rows, the real ``dbt build``), publishes its serving copy
(``jixiao/serving.py``, timed) and renders every page with Streamlit's AppTest, which
runs the page's script with all its queries and builds every element the browser would
get. Each page renders ``--repeat`` times after one warm-up; the median is printed.
Then (unless ``--no-browser``) it starts the server and opens every page in Debian's
headless Chromium: the time from navigation to the page's script run being over, with
every table drawn (a whole page load: HTML, websocket, script run, rendering).
Target (issue #11): every page under 2 s. Printed figures, never a timed test.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "概览": "views/overview.py",
    "区县对比": "views/districts.py",
    "部门画像": "views/department.py",
    "指标分析": "views/indicators.py",
    "数据质量": "views/quality.py",
}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip


def in_browser(repeat: int) -> float:
    """Serve the dashboard and time every page in headless Chromium; return the slowest median."""
    from playwright.sync_api import sync_playwright

    from jixiao.dashboard.server import command

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worst = 0.0
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            print(f"{'page':<10}{'median s':>10}{'max s':>8}  (Chromium: whole page load)")
            for title, script in PAGES.items():
                path = "" if script.endswith("overview.py") else Path(script).stem
                timings = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    page.goto(f"{url}/{path}")
                    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
                    page.locator('[data-testid="stDataFrame"]').last.wait_for(timeout=60_000)
                    page.wait_for_function(
                        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                    )
                    timings.append(time.perf_counter() - started)
                worst = max(worst, statistics.median(timings))
                print(f"{title:<10}{statistics.median(timings):>10.2f}{max(timings):>8.2f}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return worst


def build(years: int, per_year: int) -> Path:
    """Build a warehouse with benchmarks/dbt_build.py; return its path."""
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-dashboard-"))
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "dbt_build.py"), "--years", str(years),
         "--per-year", str(per_year), "--keep", str(folder)],
        check=True,
    )  # fmt: skip
    return folder / "warehouse.duckdb"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help="an existing warehouse (default: build one)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="AppTest only, no Chromium")
    args = parser.parse_args(argv)

    warehouse = args.warehouse or build(args.years, args.per_year)
    serving_copy = warehouse.parent / "serving" / "jixiao.duckdb"
    os.environ["JIXIAO_WAREHOUSE"] = str(warehouse)
    os.environ["JIXIAO_SERVING"] = str(serving_copy)
    os.environ.setdefault("JIXIAO_HOME", str(warehouse.parent))

    import duckdb
    from streamlit.testing.v1 import AppTest

    from jixiao.stages import publish

    started = time.perf_counter()
    published = publish.publish(warehouse, serving_copy)
    publish_seconds = time.perf_counter() - started
    with duckdb.connect(str(warehouse), read_only=True) as con:
        years, department_years = con.execute(
            "select count(distinct fiscal_year), count(*) from marts.fct_department_year"
        ).fetchone()
    print(f"warehouse {warehouse}: {years} fiscal years, {department_years} department-years")
    size_mb = serving_copy.stat().st_size / 1e6
    print(f"publish: {publish_seconds:.2f} s ({size_mb:.1f} MB, {len(published.tables)} tables)")

    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    app.run()  # warm-up: imports, the connection, the first queries
    print(f"{'page':<10}{'median s':>10}{'max s':>8}  elements")
    worst = 0.0
    for title, page in PAGES.items():
        app.switch_page(page).run()
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            app.run()
            timings.append(time.perf_counter() - started)
        if app.exception:
            sys.exit(f"{title}: {app.exception[0].value}")
        worst = max(worst, statistics.median(timings))
        elements = f"{len(app.dataframe)} tables, {len(app.metric)} figures"
        print(f"{title:<10}{statistics.median(timings):>10.2f}{max(timings):>8.2f}  {elements}")
    print(f"slowest page (median, AppTest): {worst:.2f} s — target under 2 s")
    if not args.no_browser:
        slowest = in_browser(max(1, args.repeat // 2 + 1))
        print(f"slowest page (median, Chromium): {slowest:.2f} s — target under 2 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
