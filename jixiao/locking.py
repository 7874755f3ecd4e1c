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
import re
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from jixiao import settings

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5


class WarehouseBusy(TimeoutError):
    """The warehouse lock could not be taken within the timeout."""


def lock_path(warehouse: Path) -> Path:
    """Given the warehouse file, return the path of its lock file."""
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def exclusive_lock(path: Path, what: str, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` for the duration of the block.

    Waits up to ``timeout`` seconds (default ``JIXIAO_LOCK_TIMEOUT_SECONDS``, one
    hour); raises ``WarehouseBusy`` naming ``what`` when it cannot get the lock. The lock
    is released when the process exits, even if it is killed.
    """
    if timeout is None:
        timeout = settings.resolve().lock_timeout_seconds
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


# Readers: DuckDB lets a process that holds the file open read-only (a notebook, a
# dashboard, `jixiao sql`) block every writer, and the writer fails at once. The tasks
# that write the warehouse wait for such a reader instead, with backoff, within
# JIXIAO_LOCK_TIMEOUT_SECONDS, logging who holds it.
READER_BACKOFF_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
T = TypeVar("T")


def is_reader_lock_error(error: BaseException | str) -> bool:
    """Given an exception (or its text), return True when it is DuckDB's file-lock conflict."""
    return "Could not set lock on file" in str(error)


def lock_holder(error: BaseException | str) -> str:
    """Given DuckDB's lock error, return who holds the file: ``PID 123 (/usr/bin/python)``."""
    match = _HOLDER.search(str(error))
    if not match:
        return "another process"
    return f"PID {match['pid']} ({match['program']})" + _command_line(int(match["pid"]))


def _command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    words = raw.rstrip(b"\0").decode("utf-8", "replace").split("\0")
    line = " ".join(" ".join(words).split())  # one line, whatever the arguments hold
    return f": {line[:160]}" if line else ""


def wait_for_readers(
    warehouse: Path, attempt: Callable[[], T], what: str, timeout: float | None = None
) -> T:
    """Given the warehouse and a write ``attempt``, return its result, retrying while a
    reader holds the file open (DuckDB's ``Could not set lock on file``).

    Waits with backoff up to ``timeout`` (default ``$JIXIAO_LOCK_TIMEOUT_SECONDS``), logging
    the holder's PID and command line each time; then raises ``WarehouseBusy`` naming it
    and where readers should read instead (the serving copy).
    """
    if timeout is None:
        timeout = settings.resolve().lock_timeout_seconds
    deadline = time.monotonic() + timeout
    tries = 0
    while True:
        try:
            return attempt()
        except Exception as exc:
            if not is_reader_lock_error(exc):
                raise
            holder = lock_holder(exc)
            left = deadline - time.monotonic()
            if left <= 0:
                from jixiao.serving import serving_path

                raise WarehouseBusy(
                    f"{what}: the warehouse {warehouse} stayed open in {holder} for more than "
                    f"{timeout:.0f} s (JIXIAO_LOCK_TIMEOUT_SECONDS); a reader that stays open "
                    "blocks every load: close it, or read the serving copy "
                    f"{serving_path(warehouse)} instead"
                ) from exc
            pause = min(READER_BACKOFF_SECONDS[min(tries, len(READER_BACKOFF_SECONDS) - 1)], left)
            log.warning(
                "%s: the warehouse %s is open in %s (a reader?); waiting %.1f s, at most %.0f s "
                "more (JIXIAO_LOCK_TIMEOUT_SECONDS)",
                what,
                warehouse,
                holder,
                pause,
                left,
            )
            tries += 1
            time.sleep(pause)


def connect_writable(
    warehouse: Path, timeout: float | None = None, what: str = "load_raw"
) -> duckdb.DuckDBPyConnection:
    """Given the warehouse, return a writable connection, waiting while readers hold it."""
    return wait_for_readers(warehouse, lambda: duckdb.connect(str(warehouse)), what, timeout)


def when_writable(warehouse: Path, what: str, action: Callable[[], T]) -> T:
    """Given the warehouse, a task name and a writing action, run it once no reader holds
    the warehouse open: wait (``JIXIAO_LOCK_TIMEOUT_SECONDS``, with backoff) while one does,
    and again if a reader slipped in before the action opened it (dbt in a subprocess)."""

    def attempt() -> T:
        duckdb.connect(str(warehouse)).close()  # raises at once while a reader holds it
        return action()

    return wait_for_readers(warehouse, attempt, what)
