"""Per-submission extraction files: the hand-off from mapped extract tasks to the loader.

Extract tasks never open the warehouse. Each writes ``<records_dir>/<sha256>.json``
(an *envelope*: the inbox file's identity, the run that extracted it, and the schema-v1
record), atomically, so a retried or concurrent task can only replace a whole file with
an identical one. The single ``load_raw`` task reads the envelopes.
"""

from __future__ import annotations

import json
import os
import tempfile
import traceback
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from jixiao.extract.record import Record, empty_record

ENVELOPE_VERSION = 1


class Envelope(TypedDict):
    envelope_version: int
    run_id: str | None
    extracted_at: str
    file: dict[str, Any]
    record: Record


def envelope_path(records_dir: Path, sha256: str) -> Path:
    """Given the records folder and a content hash, return the envelope's path."""
    return records_dir / f"{sha256}.json"


def write_envelope(records_dir: Path, envelope: Envelope) -> Path:
    """Given the records folder and an envelope, write it atomically and return its path."""
    records_dir.mkdir(parents=True, exist_ok=True)
    target = envelope_path(records_dir, envelope["file"]["sha256"])
    fd, tmp = tempfile.mkstemp(dir=records_dir, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(envelope, handle, ensure_ascii=False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def read_envelope(path: Path) -> Envelope:
    """Given an envelope path, return the envelope; raise ``ValueError`` naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: unreadable extraction envelope ({exc})") from exc
    return check_envelope(data, str(path))


def check_envelope(data: Any, source: str) -> Envelope:
    """Given a decoded envelope and where it came from, return it; raise ``ValueError`` if
    it is not an envelope of this version (the XCom transport hands the loader dicts)."""
    if (
        not isinstance(data, dict)
        or data.get("envelope_version") != ENVELOPE_VERSION
        or "record" not in data
        or "sha256" not in (data.get("file") or {})
    ):
        raise ValueError(f"{source}: not a jixiao extraction envelope v{ENVELOPE_VERSION}")
    return data  # type: ignore[return-value]


def extract_to_envelope(
    inbox_file: Mapping[str, Any],
    run_id: str | None,
    records_dir: Path,
    extractor: Callable[[Path], Record],
) -> Path:
    """Given an inbox file, extract it and write its envelope; return the envelope path."""
    return write_envelope(records_dir, build_envelope(inbox_file, run_id, extractor))


def build_envelope(
    inbox_file: Mapping[str, Any],
    run_id: str | None,
    extractor: Callable[[Path], Record],
) -> Envelope:
    """Given an inbox file, extract it and return its envelope (JSON-ready, written nowhere).

    An exception inside the extractor never escapes: the file gets a record of family
    ``unknown`` whose issue (code ``extraction_failed``) carries the error, so one bad
    file cannot fail the batch it is in.
    """
    path = Path(str(inbox_file["path"]))
    sha256 = str(inbox_file["sha256"])
    try:
        record = extractor(path)
    except Exception as exc:  # noqa: BLE001 - quarantine, never crash the batch
        record = empty_record(str(path), sha256, "application/octet-stream")
        last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {Path(last.filename).name}:{last.lineno}" if last else ""
        record["issues"].append(
            {
                "severity": "error",
                "code": "extraction_failed",
                "message": f"{path}: extractor raised {type(exc).__name__}: {exc}{where}",
                "page": None,
            }
        )
    if record["source"]["sha256"] != sha256:
        record["issues"].append(
            {
                "severity": "error",
                "code": "file_changed_during_run",
                "message": (
                    f"{path}: content hash changed between discovery ({sha256[:12]}…) and "
                    f"extraction ({str(record['source']['sha256'])[:12]}…); it will be "
                    "picked up again by the next run"
                ),
                "page": None,
            }
        )
        record["source"]["sha256"] = sha256
    envelope: Envelope = {
        "envelope_version": ENVELOPE_VERSION,
        "run_id": run_id,
        "extracted_at": datetime.now(UTC).isoformat(),
        "file": dict(inbox_file),
        "record": record,
    }
    return envelope
