from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from jixiao.locking import WarehouseBusy, lock_path, warehouse_lock

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from jixiao.locking import warehouse_lock
    with warehouse_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
        Path(sys.argv[1] + ".releasing").touch()
    """
)


def _hold(warehouse: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(warehouse), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = _hold(warehouse, 1.5)
    with warehouse_lock(warehouse, timeout=30):
        released = Path(f"{warehouse}.releasing").exists()
    holder.wait(timeout=30)
    assert released, "the lock was taken while another process held it"
    assert lock_path(warehouse).exists()


def test_busy_warehouse_times_out_with_a_clear_error(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = _hold(warehouse, 5)
    try:
        with pytest.raises(WarehouseBusy, match="w.duckdb"), warehouse_lock(warehouse, timeout=0.5):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_lock_is_released_when_the_holder_is_killed(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = _hold(warehouse, 60)
    holder.kill()
    holder.wait()
    with warehouse_lock(warehouse, timeout=2):
        pass
