"""Start the dashboard: ``python -m dashboard.server [--port 8501] [--no-docs]`` (make dashboard).

Publishes the serving copy if there is none yet (a warehouse built before serving copies
existed), generates the dbt docs site beside dbt's target (``dbt docs generate --static``;
both under the warehouse lock, so they wait for a running load), then runs Streamlit
headless, with no usage statistics and no file watcher, over ``dashboard/app.py``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
DEFAULT_PORT = 8501
DEFAULT_ADDRESS = "127.0.0.1"

log = logging.getLogger(__name__)


def command(port: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS) -> list[str]:
    """Given a port and an address, return the command line that serves the dashboard."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--theme.base",
        "light",
    ]


def generate_dbt_docs(warehouse: Path) -> Path | None:
    """Given the warehouse, write dbt's one-file docs site; return it (``None``: no warehouse)."""
    from jixiao import settings
    from jixiao.locking import warehouse_lock
    from jixiao.transform import dbt_target_dir, run_dbt

    if not warehouse.is_file():
        return None
    # where the pipeline keeps dbt's target (jixiao.pipeline.transform does the same)
    os.environ.setdefault("JIXIAO_DBT_TARGET_DIR", str(settings.resolve().dbt_target_dir))
    with warehouse_lock(warehouse):
        run_dbt(["docs", "generate", "--static"], warehouse)
    return dbt_target_dir(warehouse) / "static_index.html"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.server", description=__doc__)
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("DASHBOARD_PORT", DEFAULT_PORT))
    )
    parser.add_argument("--address", default=os.environ.get("DASHBOARD_ADDRESS", DEFAULT_ADDRESS))
    parser.add_argument("--no-docs", action="store_true", help="do not generate the dbt docs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from jixiao import serving, settings

    # a warehouse built before serving copies existed gets its first one now
    published = serving.publish_after_run(settings.resolve().warehouse, None, rebuilt=False)
    log.info("serving copy: %s", published or "none yet (no marts): run make demo or jixiao run")
    if not args.no_docs:
        try:
            site = generate_dbt_docs(settings.resolve().warehouse)
            if site:
                log.info("dbt docs: %s", site)
        except RuntimeError as exc:  # the dashboard works without them
            log.warning("dbt docs were not generated: %s", exc)
    cmd = command(args.port, args.address)
    log.info("dashboard on http://localhost:%d", args.port)
    os.execv(cmd[0], cmd)
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
