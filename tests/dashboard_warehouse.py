"""One real warehouse for the dashboard tests, built once per test process.

The sample submissions (three fiscal years, every family, the planted mistakes) plus one
file that is not a PDF, run through the real DAG by ``jixiao run``: the marts, the
checks and the serving copy are exactly what a user gets after ``make demo``.
"""

from __future__ import annotations

import functools
import socket
import tempfile
from pathlib import Path
from typing import Any

from tests.jixiao_run import run


@functools.cache
def demo_build() -> dict[str, Any]:
    """Build the sample warehouse in a fresh JIXIAO_HOME; return its paths and run summary."""
    from devtools.samples import generate

    root = Path(tempfile.mkdtemp(prefix="jixiao-dashboard-"))
    inbox = root / "inbox"
    generate(inbox)
    (inbox / "2021" / "minutes.pdf").write_text("会议纪要：这不是 PDF 文件", encoding="utf-8")
    home = root / "home"
    # the dashboard shows whatever the marts hold: an extraction regression is for the
    # extraction and quality tests to catch, not a reason for these to stop at validate
    summary = run(inbox, home, env={"JIXIAO_SUM_CHECK_MAX_FAILURE_PCT": "100"})
    return {
        "root": root,
        "inbox": inbox,
        "home": home,
        "summary": summary,
        "warehouse": Path(summary["warehouse"]),
        "serving": Path(summary["serving"]),
    }


def free_port() -> int:
    """Return a TCP port that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
