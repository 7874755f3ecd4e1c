"""One real warehouse for the dashboard tests, built once per test run.

The sample submissions (three fiscal years, every family, the planted mistakes) plus one
file that is not a PDF, run through the real DAG by ``jixiao run``: the marts, the
checks and the serving copy are exactly what a user gets after ``make demo``. Built by
the first xdist worker that asks, reused by the other (``tests.generated.build_once``):
never change it, copy what a test changes.
"""

from __future__ import annotations

import functools
import json
import socket
from pathlib import Path
from typing import Any

from tests.generated import build_once, copy_tree, sample_corpus_folder
from tests.jixiao_run import run


def _build(root: Path) -> None:
    inbox = copy_tree(sample_corpus_folder(), root / "inbox")
    (inbox / "2021" / "minutes.pdf").write_text("会议纪要：这不是 PDF 文件", encoding="utf-8")
    # the dashboard shows whatever the marts hold: an extraction regression is for the
    # extraction and quality tests to catch, not a reason for these to stop at validate
    summary = run(inbox, root / "home", env={"JIXIAO_SUM_CHECK_MAX_FAILURE_PCT": "100"})
    (root / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


@functools.cache
def demo_build() -> dict[str, Any]:
    """Return the sample warehouse's paths and run summary (built once per test run)."""
    root = build_once("dashboard-warehouse", _build, read_only=False)
    summary = json.loads((root / "summary.json").read_text(encoding="utf-8"))
    return {
        "root": root,
        "inbox": root / "inbox",
        "home": root / "home",
        "summary": summary,
        "warehouse": Path(summary["warehouse"]),
        "serving": Path(summary["serving"]),
    }


def free_port() -> int:
    """Return a TCP port that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
