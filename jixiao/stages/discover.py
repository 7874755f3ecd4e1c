"""The ``discover`` task: list the inbox's submissions, hash them, keep only what the
warehouse lacks, and plan the run's extract batches (``plan_run``).

The inbox holds one folder per fiscal year (``inbox/<year>/…``). Every regular file in
it is a submission candidate, whatever its extension (a ``.docx`` or a broken PDF must
be quarantined with a reason, not silently ignored), except hidden files and the
ground-truth sidecars (``*.truth.json``) that ``jixiao samples`` writes next to PDFs.

What a real inbox holds besides documents is handled with a word, never a crash or a hang:

- a file name that is not UTF-8 (GBK names from a zip unpacked on Linux) is shown escaped
  (``\\xb2\\xc6``) in paths, the summary and ``raw.submissions``; the real bytes travel
  beside it (``os_path_hex``) so the file is still read;
- a file that cannot be read (permissions, I/O error) is quarantined as
  ``unreadable_file`` with the OS error; a symbolic link whose target lies outside the
  inbox is quarantined as ``outside_inbox`` under the link's own path and never read.
  Neither has content to hash: their ``sha256`` is that of their path and stat, so an
  unchanged one is not reported again and a readable one is extracted;
- link loops, dangling links, FIFOs, sockets, devices and folders named like documents
  (``x.pdf/``) are never opened: they are listed as skipped with the reason.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat as stat_module
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from jixiao import settings as settings_module
from jixiao.extract.issues import OUTSIDE_INBOX, UNREADABLE_FILE, printable
from jixiao.locking import warehouse_lock

SIDECAR_SUFFIXES: tuple[str, ...] = (".truth.json",)
YEAR_FOLDER = re.compile(r"^(19|20)\d{2}$")
DOCUMENT_SUFFIXES: tuple[str, ...] = (".pdf", ".txt", ".doc", ".docx", ".xls", ".xlsx", ".ofd")
_CHUNK = 1 << 20


def os_path_of(item: Mapping[str, object]) -> str:
    """Given an inbox file as a dict, return the path to open (the real bytes when escaped)."""
    hexed = item.get("os_path_hex")
    return os.fsdecode(bytes.fromhex(str(hexed))) if hexed else str(item["path"])


@dataclass(frozen=True)
class InboxFile:
    """One file found in the inbox, identified by its content hash."""

    path: str
    sha256: str
    size: int
    mtime: str  # ISO 8601, UTC
    year_folder: int | None
    os_path_hex: str | None = None  # the real path's bytes when ``path`` had to be escaped
    problem: dict[str, str] | None = None  # {code, message}: quarantine it without reading

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Discovery:
    """What discovery found: files to extract, how many were already loaded, and the
    entries that are not files at all (skipped, each with its reason)."""

    new_files: list[InboxFile]
    skipped_unchanged: int
    skipped: list[dict[str, str]] = field(default_factory=list)

    @property
    def discovered(self) -> int:
        return len(self.new_files) + self.skipped_unchanged


def sha256_of(path: Path) -> str:
    """Given a file path, return the hex sha256 of its bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def year_folders(inbox: Path, year: int | None = None) -> list[Path]:
    """Given the inbox and an optional year, return the year folders to scan, sorted.

    Raises ``FileNotFoundError`` when the inbox (or the requested year folder) is missing.
    """
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} does not exist or is not a folder")
    if year is not None:
        folder = inbox / str(year)
        if not folder.is_dir():
            raise FileNotFoundError(f"inbox {inbox} has no folder for fiscal year {year}")
        return [folder]
    return sorted(p for p in inbox.iterdir() if p.is_dir() and YEAR_FOLDER.match(p.name))


@dataclass(frozen=True)
class Entry:
    """One inbox entry: a file to read, a file to quarantine unread, or one to skip."""

    path: Path
    problem: dict[str, str] | None = None  # quarantine without reading
    skip_reason: str | None = None  # not a submission at all: listed, never opened


def _special_kind(mode: int) -> str | None:
    kinds = {
        stat_module.S_ISFIFO: "a named pipe (FIFO)",
        stat_module.S_ISSOCK: "a socket",
        stat_module.S_ISCHR: "a character device",
        stat_module.S_ISBLK: "a block device",
    }
    return next((name for test, name in kinds.items() if test(mode)), None)


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _link_entry(path: Path, inbox: Path) -> Entry | None:
    """Given a symbolic link in the inbox, return how it is handled (None: a folder link)."""
    shown = printable(path)
    try:
        target = path.resolve(strict=True)
    except (RuntimeError, OSError) as exc:  # a loop, a dangling link, an unreadable hop
        looped = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40
        reason = "a symbolic link loop" if looped else f"a dangling symbolic link ({exc.strerror})"
        return Entry(path, skip_reason=f"{reason}: {printable(os.readlink(path))}")
    if not _within(target, inbox):
        return Entry(
            path,
            problem={
                "code": OUTSIDE_INBOX,
                "message": f"{shown}: a symbolic link to {printable(target)}, outside the inbox "
                f"{printable(inbox)}; not read (copy the file into the inbox instead)",
            },
        )
    mode = target.stat().st_mode
    if stat_module.S_ISDIR(mode):
        return Entry(
            path,
            skip_reason=f"a symbolic link to the folder {printable(target)} in the inbox; its "
            "files are read where they are",
        )
    kind = _special_kind(mode)
    return Entry(path, skip_reason=f"a link to {kind}") if kind else Entry(path)


def scan_folder(folder: Path, inbox: Path | None = None) -> list[Entry]:
    """Given a year folder (and the inbox it lies in), return its entries, sorted by path.

    Never follows a symbolic link to a folder (no loops) and never opens anything but
    regular files (a FIFO would block): see the module docstring.
    """
    root = (inbox or folder).resolve()
    entries: list[Entry] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            children = list(os.scandir(current))
        except OSError as exc:
            entries.append(Entry(current, skip_reason=f"a folder that cannot be listed: {exc}"))
            continue
        for child in children:
            path = Path(child.path)
            if child.name.startswith(".") or child.name.endswith(SIDECAR_SUFFIXES):
                continue
            try:
                if child.is_symlink():
                    entry = _link_entry(path, root)
                elif child.is_dir(follow_symlinks=False):
                    pending.append(path)
                    if child.name.lower().endswith(DOCUMENT_SUFFIXES):
                        reason = "a folder named like a document; its files are read as usual"
                        entry = Entry(path, skip_reason=reason)
                    else:
                        continue
                elif child.is_file(follow_symlinks=False):
                    entry = Entry(path)
                else:
                    kind = _special_kind(child.stat(follow_symlinks=False).st_mode)
                    entry = Entry(path, skip_reason=f"{kind or 'not a regular file'}; not read")
            except OSError as exc:
                entry = Entry(path, skip_reason=f"cannot be examined: {exc}")
            if entry is not None:
                entries.append(entry)
    return sorted(entries, key=lambda entry: os.fsencode(entry.path))


def candidate_files(folder: Path) -> list[Path]:
    """Given a year folder, return its submission files (recursively), sorted by path."""
    return [entry.path for entry in scan_folder(folder) if entry.skip_reason is None]


def _stand_in_hash(path: Path, stat: os.stat_result | None, code: str) -> str:
    """Given a file that is not read, return a sha256 of its path and stat (no content)."""
    identity = f"{code}\0{stat.st_size if stat else ''}\0{stat.st_mtime_ns if stat else ''}"
    return hashlib.sha256(os.fsencode(path) + b"\0" + identity.encode()).hexdigest()


def loaded_hashes(warehouse: Path, include_quarantined: bool = True) -> set[str]:
    """Given the warehouse path, return the sha256 of every submission already in ``raw``.

    With ``include_quarantined=False`` quarantined files are left out, so they are
    extracted again (after an extractor upgrade, say).
    """
    if not warehouse.exists():
        return set()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'submissions'"
        ).fetchone()
        if not exists or exists[0] == 0:
            return set()
        where = "" if include_quarantined else " where status <> 'quarantined'"
        rows = con.execute(f"select sha256 from raw.submissions{where}").fetchall()
        return {row[0] for row in rows}


def discover(
    inbox: Path,
    warehouse: Path,
    year: int | None = None,
    reprocess_quarantined: bool = False,
) -> Discovery:
    """Given an inbox, the warehouse and an optional year, return the files not yet loaded.

    A file whose content hash is already in ``raw.submissions`` is skipped (unchanged);
    two identical files in one run are extracted once. With ``reprocess_quarantined``,
    files quarantined by an earlier run are extracted again.
    """
    known = loaded_hashes(warehouse, include_quarantined=not reprocess_quarantined)
    seen: set[str] = set()
    new_files: list[InboxFile] = []
    skipped = 0
    not_files: list[dict[str, str]] = []
    for folder in year_folders(inbox, year):
        folder_year = int(folder.name) if YEAR_FOLDER.match(folder.name) else None
        for entry in scan_folder(folder, inbox):
            if entry.skip_reason is not None:
                not_files.append({"path": printable(entry.path), "reason": entry.skip_reason})
                continue
            found = _inbox_file(entry, folder_year)
            if found is None:
                not_files.append(
                    {"path": printable(entry.path), "reason": "vanished during discovery"}
                )
                continue
            if found.sha256 in known or found.sha256 in seen:
                skipped += 1
                continue
            seen.add(found.sha256)
            new_files.append(found)
    return Discovery(new_files=new_files, skipped_unchanged=skipped, skipped=not_files)


def _inbox_file(entry: Entry, folder_year: int | None) -> InboxFile | None:
    """Given a file entry, return it hashed, or quarantined unread; None if it vanished."""
    path = Path(os.path.abspath(entry.path))  # the link's own path, never its target's
    problem = entry.problem
    try:
        stat = path.stat() if problem is None else path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        stat, problem = None, _unreadable(path, exc)
    digest = ""
    if problem is None:
        try:
            digest = sha256_of(path)
        except OSError as exc:
            problem = _unreadable(path, exc)
    if problem is not None:
        digest = _stand_in_hash(path, stat, problem["code"])
    shown = printable(path)
    return InboxFile(
        path=shown,
        sha256=digest,
        size=stat.st_size if stat else 0,
        mtime=datetime.fromtimestamp(stat.st_mtime if stat else 0, UTC).isoformat(),
        year_folder=folder_year,
        os_path_hex=None if shown == str(path) else os.fsencode(path).hex(),
        problem=problem,
    )


def _unreadable(path: Path, exc: OSError) -> dict[str, str]:
    return {
        "code": UNREADABLE_FILE,
        "message": f"{printable(path)}: cannot be read ({exc.strerror or exc}); expected a "
        "file the run can read (check its owner and permissions)",
    }


def batches(files: list[InboxFile], size: int) -> list[list[dict[str, object]]]:
    """Given files and a batch size, return JSON-ready batches for mapped extraction."""
    if size < 1:
        raise ValueError(f"batch size must be >= 1, got {size}")
    rows = [f.to_dict() for f in files]
    return [rows[i : i + size] for i in range(0, len(rows), size)]


# ---------- the run's plan: which year, which files, in which batches

# Runs the scheduler creates for a period; their logical year is the fiscal year.
PERIODIC_RUN_TYPES = frozenset({"scheduled", "backfill"})


class YearNotArrived(LookupError):
    """A scheduled or backfill run's fiscal-year folder is not in the inbox (yet)."""


def is_periodic(run_type: object) -> bool:
    """Given a DAG run type, return True for runs the scheduler creates for a period."""
    return str(getattr(run_type, "value", run_type) or "") in PERIODIC_RUN_TYPES


def fiscal_year_to_process(
    year_param: int | None, run_type: object, logical_year: int | None
) -> int | None:
    """Given the ``year`` param, the run type and the logical date's year, return the year.

    An explicit ``year`` param wins. A scheduled or backfill run processes the fiscal
    year of its data interval (``@yearly``: the interval starting 1 January of that
    year). A manual run without ``year`` processes every year folder (``None``).
    """
    if year_param is not None:
        return int(year_param)
    if is_periodic(run_type) and logical_year is not None:
        return logical_year
    return None


def check_year_folder(inbox: str | None, year: int | None, periodic: bool) -> None:
    """Raise ``YearNotArrived`` when a periodic run's year folder is missing from the inbox.

    Every 1 January (and on unpausing the DAG) the scheduler starts the run of a fiscal
    year whose evaluations are not published yet: that run has nothing to do and must
    end at once, not retry. A missing inbox, or a missing folder for a year asked for
    explicitly, stays an error (``FileNotFoundError`` from discovery).
    """
    folder = (Path(inbox) if inbox else settings_module.resolve().inbox) / str(year)
    if periodic and year is not None and folder.parent.is_dir() and not folder.is_dir():
        raise YearNotArrived(
            f"fiscal year {year}: no folder {folder} in the inbox yet; nothing to process "
            f"(drop the year's files in {folder} and trigger the DAG with year={year})"
        )


def plan_run(params: dict[str, Any], run_type: object, logical_year: int | None) -> dict[str, Any]:
    """Given a DAG run's params, type and logical year, return its extraction plan."""
    year = fiscal_year_to_process(params["year"], run_type, logical_year)
    return plan(
        params["inbox"] or None,
        year,
        params["batch_size"],
        params["reprocess_quarantined"],
        periodic=is_periodic(run_type) and params["year"] is None,
    )


def plan(
    inbox: str | None,
    year: int | None,
    batch_size: int | None = None,
    reprocess_quarantined: bool = False,
    periodic: bool = False,
) -> dict[str, Any]:
    """Given the inbox, an optional fiscal year and a batch size, return the extraction plan.

    The plan holds the batches of new or changed files and the discovery counts. A
    periodic (scheduled or backfill) run whose year folder is missing raises
    ``YearNotArrived`` before touching the warehouse.
    """
    cfg = settings_module.resolve()
    check_year_folder(inbox, year, periodic)
    with warehouse_lock(cfg.warehouse):
        found = discover(
            Path(inbox) if inbox else cfg.inbox, cfg.warehouse, year, reprocess_quarantined
        )
    return {
        "batches": batches(found.new_files, batch_size or cfg.batch_size),
        "counts": {
            "year": year,
            "discovered": found.discovered,
            "skipped_unchanged": found.skipped_unchanged,
            "skipped_files": found.skipped,  # not submissions (FIFOs, link loops…), with why
        },
    }
