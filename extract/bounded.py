"""Extraction of one file under a time and memory limit, in a forked child process.

A 124 KB PDF can inflate to 80 MB of drawing operators and take minutes and gigabytes
to read; a crafted one could take the whole run down. So each file of a run is read in
a child forked from the extract task (cheap: the parser is already imported) whose
address space is capped (``RLIMIT_AS``, the limit above what the task already maps) and
which is killed at the time limit. Either way the file is quarantined as
``resource_limit`` with the figure reached, and the task's own memory stays flat: it
only receives the finished record as JSON.

Settings (declared, with their defaults, in ``jixiao.settings``; ``0`` turns a bound off,
both ``0`` reads in-process): ``JIXIAO_EXTRACT_TIMEOUT_SECONDS``,
``JIXIAO_EXTRACT_MAX_MEMORY_MB`` and ``JIXIAO_EXTRACT_MAX_STREAM_MB``: no compressed (Flate)
stream of a PDF is inflated beyond it before it is parsed; parsing costs about 25 times a
content stream's size in memory, so a bomb is stopped there, early and cheaply.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import select
import signal
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from jixiao.extract import issues as codes
from jixiao.extract.record import Record, empty_record
from jixiao.settings import BY_FIELD, resolve

# the three bounds, declared once (name, default, range) in jixiao.settings
TIMEOUT = BY_FIELD["extract_timeout_seconds"]
MEMORY = BY_FIELD["extract_max_memory_mb"]
STREAM = BY_FIELD["extract_max_stream_mb"]
_MB = 1 << 20


class StreamTooLarge(MemoryError):
    """A compressed PDF stream inflates beyond the cap (``JIXIAO_EXTRACT_MAX_STREAM_MB``)."""


class _CappedZlib:
    """``zlib`` for pdfminer whose ``decompress`` stops at a cap instead of inflating a
    bomb (every other name is zlib's own)."""

    def __init__(self, cap_bytes: int) -> None:
        self.cap = cap_bytes

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)

    def decompress(self, data: bytes, *args: int) -> bytes:
        inflater = zlib.decompressobj(*args[1:2])
        out = inflater.decompress(data, self.cap + 1)
        if len(out) > self.cap:
            raise StreamTooLarge(
                f"a compressed stream inflates to more than {self.cap // _MB} MB ({STREAM.name})"
            )
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return out


def cap_streams(max_stream_mb: int) -> None:
    """Make pdfminer refuse to inflate any Flate stream beyond ``max_stream_mb`` (0: no cap)."""
    from pdfminer import pdftypes

    if max_stream_mb:
        pdftypes.zlib = _CappedZlib(max_stream_mb * _MB)  # type: ignore[assignment]


@dataclass(frozen=True)
class Limits:
    """The bounds of one file's extraction: seconds and megabytes (0 = unbounded)."""

    timeout_seconds: float = TIMEOUT.default
    max_memory_mb: int = MEMORY.default
    max_stream_mb: int = STREAM.default

    def __post_init__(self) -> None:
        TIMEOUT.check(self.timeout_seconds)
        MEMORY.check(self.max_memory_mb)
        STREAM.check(self.max_stream_mb)

    @property
    def bounded(self) -> bool:
        return bool(self.timeout_seconds or self.max_memory_mb)


def limits_from_env(env: dict[str, str] | None = None) -> Limits:
    """Given an environment (default ``os.environ``), return the extraction limits
    (read by ``jixiao.settings``)."""
    cfg = resolve(env)
    return Limits(cfg.extract_timeout_seconds, cfg.extract_max_memory_mb, cfg.extract_max_stream_mb)


def _mapped_bytes(field: str = "VmSize") -> int:
    """Return this process's address-space size (``VmSize``, or its peak ``VmPeak``), 0 if
    unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


# A parser that hits the address-space cap does not always raise MemoryError: pdfminer and
# C extensions turn a failed allocation into their own errors. A failure after the file
# grew the process past this share of the limit is counted as the limit.
NEAR_LIMIT_SHARE = 0.5
FAILURE_CODES = frozenset({codes.CORRUPT_PDF, "extraction_failed"})


def _failed(record: Record) -> bool:
    return any(issue["code"] in FAILURE_CODES for issue in record["issues"])


def _limit_record(path: str, sha256: str, message: str) -> Record:
    record = empty_record(path, sha256, "application/octet-stream")
    record["issues"].append(
        {"severity": "error", "code": codes.RESOURCE_LIMIT, "message": message, "page": None}
    )
    return record


# In the forked child: where to ask the parent for more time (None in any other process).
_more_time_fd: int | None = None


def allow_more_time(seconds: float) -> None:
    """Ask the parent for ``seconds`` more before its time limit, from the extracting child
    (a scanned PDF's OCR budget: pages × ``JIXIAO_OCR_SECONDS_PER_PAGE``). Elsewhere a no-op.

    The request is one JSON line on the pipe the record comes back on; the record itself is
    the last, unterminated line.
    """
    if _more_time_fd is not None and seconds > 0:
        os.write(_more_time_fd, json.dumps({"more_seconds": seconds}).encode() + b"\n")


def allow_more_memory(megabytes: int) -> None:
    """Raise this process's address-space cap by ``megabytes``, when one is set (in the
    extracting child): OCR's engine maps far more than a text PDF's parser
    (``JIXIAO_OCR_MAX_MEMORY_MB`` per page worker). Elsewhere a no-op."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or megabytes <= 0:
        return
    wanted = soft + megabytes * _MB
    resource.setrlimit(resource.RLIMIT_AS, (min(wanted, hard) if hard > 0 else wanted, hard))
    if _more_time_fd is not None:  # the parent names the raised bound if it is reached
        os.write(_more_time_fd, json.dumps({"more_memory_mb": megabytes}).encode() + b"\n")


def _child(extract: Callable[[], Record], limits: Limits, write_fd: int) -> None:
    """In the forked child: cap memory, extract, write the outcome as JSON; never return."""
    global _more_time_fd
    status = 0
    _more_time_fd = write_fd
    try:
        os.setpgid(0, 0)  # its own process group: helpers it forks (OCR) die with it
        # the task's log handlers may write to a socket its supervisor reads: the child,
        # which shares them, must not interleave its lines (pdfminer warns a lot)
        logging.disable(logging.CRITICAL)
        cap_streams(limits.max_stream_mb)
        baseline = _mapped_bytes()
        if limits.max_memory_mb:
            cap = baseline + limits.max_memory_mb * _MB
            # the hard limit stays: extraction itself may raise the soft one for OCR
            # (allow_more_memory), a PDF cannot
            resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
        try:
            outcome: dict[str, object] = {"record": extract()}
        except StreamTooLarge as exc:
            outcome = {"stream_too_large": str(exc)}
        except MemoryError as exc:
            outcome = {"memory_error": True}
            if STREAM.name in str(exc):  # pdfplumber re-raised it as its own error
                outcome = {"stream_too_large": str(exc)}
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which quarantines
            outcome = {"exception": f"{type(exc).__name__}: {exc}"}
        grown = _mapped_bytes("VmPeak") - baseline
        near_limit = limits.max_memory_mb and grown > NEAR_LIMIT_SHARE * limits.max_memory_mb * _MB
        record = outcome.get("record")
        if near_limit and ("exception" in outcome or (record and _failed(record))):  # type: ignore[arg-type]
            outcome = {"memory_error": True}
        payload = json.dumps(outcome, ensure_ascii=False).encode("utf-8")
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view) :]
    except BaseException:  # noqa: BLE001 - the parent sees the missing payload
        status = 70
    finally:
        os._exit(status)


# Chinese PDFs name these CMaps; pdfminer loads each on first use and caches it. Loaded once
# in the parent, every forked child shares them instead of loading them again per file
# (benchmarks/extract_bounded.py: ~30 ms of a 120 ms file).
WARM_CMAPS = ("UniGB-UCS2-H", "UniGB-UTF16-H", "GBK-EUC-H")
_warm = False


def warm_up() -> None:
    """Load the CJK character maps into this process once, before children are forked."""
    global _warm
    if _warm:
        return
    from pdfminer.cmapdb import CMapDB

    for name in WARM_CMAPS:
        CMapDB.get_cmap(name)
    CMapDB.get_unicode_map("Adobe-GB1", vertical=False)
    _warm = True


def _kill_group(pid: int) -> None:
    """Kill the extracting child and every process it forked (its process group)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # not yet its own group: the child alone
        os.kill(pid, signal.SIGKILL)


def extract_bounded(
    extract: Callable[[], Record], path: str, sha256: str, limits: Limits
) -> Record:
    """Given a no-argument extractor of one file, its shown path and hash and the limits,
    return its record, read in a child process; over a limit, a ``resource_limit`` record.

    The extractor's own exceptions come back as ``RuntimeError`` (the caller quarantines
    them as ``extraction_failed``, as it does in-process).
    """
    if not limits.bounded:
        return extract()
    warm_up()
    held_mb = _mapped_bytes("VmRSS") / _MB  # what the child shares with the task at fork
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        _child(extract, limits, write_fd)
    os.close(write_fd)
    received = b""
    timed_out = False
    allowed = limits.timeout_seconds
    more_mb = 0
    try:
        deadline = started + limits.timeout_seconds if limits.timeout_seconds else None
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([read_fd], [], [], wait)
            if not ready:
                timed_out = True
                _kill_group(pid)
                break
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            received += chunk
            while b"\n" in received:  # requests for more time come first, one per line
                request, received = received.split(b"\n", 1)
                asked = json.loads(request)
                more_mb += int(asked.get("more_memory_mb", 0))
                more = float(asked.get("more_seconds", 0.0))
                allowed += more
                if deadline is not None:
                    deadline += more
    except BaseException:  # interrupted (Ctrl-C, task killed): the child's group goes too
        _kill_group(pid)
        raise
    finally:
        os.close(read_fd)
        _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - started
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    if timed_out:
        budget = TIMEOUT.name
        if allowed > limits.timeout_seconds:
            budget += " + JIXIAO_OCR_SECONDS_PER_PAGE for each scanned page"
        return _limit_record(
            path,
            sha256,
            f"{path}: reading took more than {allowed:g} s ({budget}), {peak_mb:.0f} MB "
            f"resident when stopped ({held_mb:.0f} MB of it the task's own); expected a "
            "submission that reads in seconds (a PDF bomb or an enormous drawing?)",
        )
    outcome = json.loads(received.decode("utf-8")) if received else {}
    if "record" in outcome:
        return outcome["record"]
    if "stream_too_large" in outcome:
        detail = str(outcome["stream_too_large"])
        detail = detail[detail.find("a compressed stream") :] or detail
        return _limit_record(
            path,
            sha256,
            f"{path}: {detail}; stopped after {seconds:.1f} s, before parsing it; expected a "
            "submission whose pages inflate to a few MB (a PDF bomb?)",
        )
    if outcome.get("memory_error") or (not outcome and limits.max_memory_mb):
        return _limit_record(
            path,
            sha256,
            f"{path}: reading needed more than {limits.max_memory_mb + more_mb} MB "
            f"({MEMORY.name}{' + JIXIAO_OCR_MAX_MEMORY_MB for OCR' if more_mb else ''}); "
            f"stopped after {seconds:.1f} s at {peak_mb:.0f} MB resident ({held_mb:.0f} MB of "
            "it the task's own); expected a submission that reads in far less (a PDF bomb: "
            "a stream that inflates to gigabytes?)",
        )
    if "exception" in outcome:
        raise RuntimeError(str(outcome["exception"]))
    raise RuntimeError(f"the extraction process ended without a record (wait status {status})")
