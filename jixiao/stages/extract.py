"""The ``extract`` task (mapped over batches): read each inbox file into an envelope.

The batch shell around ``jixiao.extract.api.extract_file``: each file is read in a child process
under the per-file time and memory bounds (``extract/bounded.py``, settings
``JIXIAO_EXTRACT_*``) and wrapped with its inbox identity (``extract/envelope.py``). Mapped
extract tasks never open the warehouse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jixiao.stages.discover import os_path_of

if TYPE_CHECKING:
    from jixiao.extract.bounded import Limits
    from jixiao.extract.record import Record


def extract_batch(batch: list[dict[str, Any]], run_id: str | None) -> list[dict[str, Any]]:
    """Given one batch of inbox files, return one envelope per file (the task's XCom).

    Envelopes travel to ``load_raw`` as XComs, i.e. through the metadata DB (or the
    object store of Airflow's XComObjectStorageBackend), which every worker shares: a
    worker's local disk never carries them (docs/operations.md, "Envelopes").
    """
    from jixiao.extract.bounded import limits_from_env
    from jixiao.extract.envelope import build_envelope

    limits = limits_from_env()
    return [
        dict(build_envelope(item, run_id, lambda _path, item=item: read_inbox_file(item, limits)))
        for item in batch
    ]


def read_inbox_file(item: Mapping[str, Any], limits: Limits | None = None) -> Record:
    """Given an inbox file found by discovery, return its record.

    It is read in a child process under the per-file time and memory limits
    (``extract/bounded.py``), by its real path (a name that is not UTF-8 is shown escaped);
    a file discovery could not read, or a link to outside the inbox, is quarantined
    unread with the reason discovery found.
    """
    from jixiao.extract.api import extract_file
    from jixiao.extract.bounded import extract_bounded, limits_from_env
    from jixiao.extract.issues import UNREADABLE_FILE, issue
    from jixiao.extract.record import empty_record

    path, sha256 = str(item["path"]), str(item["sha256"])
    problem = item.get("problem")
    if problem:
        record = empty_record(path, sha256, "application/octet-stream")
        record["issues"].append(issue("error", problem["code"], problem["message"]))
        return record
    real = os_path_of(item)
    record = extract_bounded(lambda: extract_file(real), path, sha256, limits or limits_from_env())
    if not record["source"]["sha256"] and any(
        entry["code"] == UNREADABLE_FILE for entry in record["issues"]
    ):
        record["source"]["sha256"] = sha256  # unreadable (or gone) since discovery: not changed
    record["source"]["path"] = path
    return record
