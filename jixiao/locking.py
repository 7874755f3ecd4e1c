"""One writer at a time: an advisory file lock beside the DuckDB warehouse.

DuckDB lets a single process open a database file for writing; a second process (a
second ``jixiao run``, a scheduler running two tasks, dbt) fails at once with a lock
error. Every pipeline stage that opens the warehouse holds this lock, so concurrent
runs queue for the warehouse instead of failing or interleaving. Airflow adds the same
guarantee within one deployment (pool ``jixiao_warehouse`` of one slot,
``max_active_runs=1``); this lock also covers runs outside the scheduler.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 3600.0
POLL_SECONDS = 0.5


class WarehouseBusy(TimeoutError):
    """The warehouse lock could not be taken within the timeout."""


def lock_path(warehouse: Path) -> Path:
    """Given the warehouse file, return the path of its lock file."""
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def exclusive_lock(path: Path, what: str, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` for the duration of the block.

    Waits up to ``timeout`` seconds (default ``$JIXIAO_LOCK_TIMEOUT_SECONDS`` or one
    hour); raises ``WarehouseBusy`` naming ``what`` when it cannot get the lock. The lock
    is released when the process exits, even if it is killed.
    """
    if timeout is None:
        timeout = float(os.environ.get("JIXIAO_LOCK_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        deadline = time.monotonic() + timeout
        announced = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"{what} is busy: another process held {path} for more than {timeout:.0f} s"
                    ) from None
                if not announced:
                    log.info("waiting for the lock %s (%s)", path, what)
                    announced = True
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def warehouse_lock(warehouse: Path, timeout: float | None = None) -> AbstractContextManager[None]:
    """Hold the warehouse's exclusive lock (``<warehouse>.lock``) for the block."""
    return exclusive_lock(lock_path(warehouse), f"warehouse {warehouse}", timeout)
