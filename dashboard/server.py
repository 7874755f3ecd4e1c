"""Start the dashboard: ``python -m jixiao.dashboard.server [--port 8501] [--no-docs]``
(make dashboard).

Publishes the serving copy if there is none yet (a warehouse built before serving copies
existed), generates the dbt docs site beside the Data Docs (``dbt docs generate --static``;
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

log = logging.getLogger(__name__)


def command(port: int, address: str | None = None) -> list[str]:
    """Given a port and an address (default ``DASHBOARD_ADDRESS``), return the command line
    that serves the dashboard."""
    if address is None:
        from jixiao import settings

        address = settings.resolve().dashboard_address
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
    from jixiao.locking import warehouse_lock
    from jixiao.stages.transform import dbt_docs_dir, dbt_docs_generate

    if not warehouse.is_file():
        return None
    with warehouse_lock(warehouse):  # as the pipeline's build: beside the Data Docs
        dbt_docs_generate(warehouse)
    return dbt_docs_dir() / "index.html"


def main(argv: Sequence[str] | None = None) -> int:
    from jixiao import settings
    from jixiao.stages.publish import publish_after_run

    cfg = settings.resolve()
    parser = argparse.ArgumentParser(prog="python -m jixiao.dashboard.server", description=__doc__)
    parser.add_argument("--port", type=int, default=cfg.dashboard_port, help="DASHBOARD_PORT")
    parser.add_argument("--address", default=cfg.dashboard_address, help="DASHBOARD_ADDRESS")
    parser.add_argument("--no-docs", action="store_true", help="do not generate the dbt docs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # a warehouse built before serving copies existed gets its first one now
    published = publish_after_run(cfg.warehouse, None, rebuilt=False)
    log.info("serving copy: %s", published or "none yet (no marts): run make demo or jixiao run")
    if not args.no_docs:
        try:
            site = generate_dbt_docs(cfg.warehouse)
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
