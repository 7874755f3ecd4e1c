"""Discovery: list the inbox's submissions, hash them, keep only what the warehouse lacks.

The inbox holds one folder per fiscal year (``inbox/<year>/…``). Every regular file in
it is a submission candidate, whatever its extension (a ``.docx`` or a broken PDF must
be quarantined with a reason, not silently ignored), except hidden files and the
ground-truth sidecars (``*.truth.json``) that ``jixiao samples`` writes next to PDFs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

SIDECAR_SUFFIXES: tuple[str, ...] = (".truth.json",)
YEAR_FOLDER = re.compile(r"^(19|20)\d{2}$")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class InboxFile:
    """One file found in the inbox, identified by its content hash."""

    path: str
    sha256: str
    size: int
    mtime: str  # ISO 8601, UTC
    year_folder: int | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Discovery:
    """What discovery found: files to extract and how many were already loaded."""

    new_files: list[InboxFile]
    skipped_unchanged: int

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


def candidate_files(folder: Path) -> list[Path]:
    """Given a year folder, return its submission files (recursively), sorted by path."""
    files = []
    for path in folder.rglob("*"):
        if not path.is_file() or any(
            part.startswith(".") for part in path.relative_to(folder).parts
        ):
            continue
        if path.name.endswith(SIDECAR_SUFFIXES):
            continue
        files.append(path)
    return sorted(files)


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
    for folder in year_folders(inbox, year):
        folder_year = int(folder.name) if YEAR_FOLDER.match(folder.name) else None
        for path in candidate_files(folder):
            digest = sha256_of(path)
            if digest in known or digest in seen:
                skipped += 1
                continue
            seen.add(digest)
            stat = path.stat()
            new_files.append(
                InboxFile(
                    path=str(path.resolve()),
                    sha256=digest,
                    size=stat.st_size,
                    mtime=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(),
                    year_folder=folder_year,
                )
            )
    return Discovery(new_files=new_files, skipped_unchanged=skipped)


def batches(files: list[InboxFile], size: int) -> list[list[dict[str, object]]]:
    """Given files and a batch size, return JSON-ready batches for mapped extraction."""
    if size < 1:
        raise ValueError(f"batch size must be >= 1, got {size}")
    rows = [f.to_dict() for f in files]
    return [rows[i : i + size] for i in range(0, len(rows), size)]
