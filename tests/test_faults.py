"""Faults: a load killed mid-transaction leaves the warehouse exactly as before.

A child process loads real envelopes into a real DuckDB file and is SIGKILLed after its
inserts but before the commit (the kill is injected at that point by wrapping
``_insert``). The warehouse must then hold exactly what it held before, and a rerun of
the same load must complete.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from jixiao.stages.load import load_envelopes
from tests.test_load import _counts, _envelope, _record

KILLED_LOADER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import jixiao.stages.load as load

    real_insert = load._insert
    calls = []

    def insert_then_die(con, table, rows):
        real_insert(con, table, rows)
        calls.append(table)
        if table == "raw.indicator_scores":  # inserts done, commit not reached
            os.kill(os.getpid(), signal.SIGKILL)

    load._insert = insert_then_die
    load.load_envelopes(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
    """
)


def test_load_killed_before_commit_leaves_warehouse_unchanged(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    records = tmp_path / "records"
    first = _envelope(records, _record("1" * 64, department="甲局"))
    load_envelopes(warehouse, [first])
    before = _counts(warehouse)

    batch = [_envelope(records, _record(c * 64, department=f"{c}局")) for c in "234"]
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_LOADER, str(warehouse), *map(str, batch)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]

    assert _counts(warehouse) == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        departments = con.execute("select department from raw.submissions").fetchall()
    assert departments == [("甲局",)]

    rerun = load_envelopes(warehouse, batch)
    assert (rerun.loaded, rerun.already_present) == (3, 0)
    assert _counts(warehouse)["submissions"] == 4
