"""The ``load_raw`` task: load every batch's envelopes into the warehouse's ``raw`` schema,
one writer, one transaction (``load``); the raw DDL is ``extract/raw_tables.py``.

Keyed by the file's sha256: a submission already loaded is left untouched (loading the
same file twice is a no-op), so a rerun after a crash simply completes. A quarantined
submission that is extracted again (``reprocess_quarantined``) replaces its quarantined
row. Either every envelope of a call is loaded or none is. This module is the only
writer of ``raw``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from jixiao import settings as settings_module
from jixiao.extract.envelope import Envelope, read_envelope
from jixiao.extract.issues import FISCAL_YEAR_MISMATCH
from jixiao.extract.raw_tables import RAW_DDL, classify_budget_lines
from jixiao.extract.record import is_quarantined
from jixiao.locking import connect_writable, warehouse_lock


@dataclass
class LoadResult:
    """What one load did."""

    loaded: int = 0
    quarantined: int = 0
    already_present: int = 0
    quarantined_files: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "loaded": self.loaded,
            "quarantined": self.quarantined,
            "already_present": self.already_present,
            "quarantined_files": self.quarantined_files,
        }


def _connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse))


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Given a writable connection, create the ``raw`` schema and tables if missing (and add
    the columns of a newer schema to an older warehouse)."""
    for statement in RAW_DDL:
        con.execute(statement)


def _submission_row(envelope: Envelope, loaded_at: datetime) -> dict[str, Any]:
    record = envelope["record"]
    file = envelope["file"]
    document = record["document"]
    path = str(file["path"])
    return {
        "sha256": file["sha256"],
        "path": path,
        "file_name": Path(path).name,
        "media_type": record["source"].get("media_type"),
        "pages": record["source"].get("pages"),
        "file_size": file.get("size"),
        "file_mtime": pd.Timestamp(file["mtime"]).tz_convert(None) if file.get("mtime") else None,
        "family": document["family"],
        "department": document.get("department"),
        "fiscal_year": document.get("fiscal_year"),
        "admin_level": document.get("admin_level"),
        "district": document.get("district"),
        "unit_count": document.get("unit_count"),
        "total_score": record["totals"].get("total_score"),
        "printed_grade": record["totals"].get("grade"),
        "budget_execution_points": record["totals"].get("budget_execution_points"),
        "budget_execution_score": record["totals"].get("budget_execution_score"),
        "status": "quarantined" if is_quarantined(record) else "loaded",
        "schema_version": record["schema_version"],
        "run_id": envelope.get("run_id"),
        "loaded_at": loaded_at,
        "source_ocr": bool(record["source"].get("ocr", False)),
    }


def _issue_row(issue: dict[str, Any]) -> dict[str, Any]:
    """Given a record's issue, return its ``raw.extraction_issues`` columns: the typed
    ``field``, ``observed`` and ``expected`` of a numeric finding null when absent (records
    written before they existed carry none)."""
    return {
        "severity": issue["severity"],
        "code": issue["code"],
        "message": issue["message"],
        "page": issue.get("page"),
        "field": issue.get("field"),
        "observed": issue.get("observed"),
        "expected": issue.get("expected"),
    }


def _year_mismatch(envelope: Envelope) -> dict[str, Any] | None:
    """Given an envelope, return a ``fiscal_year_mismatch`` error when the document's printed
    fiscal year differs from the year folder it was filed under, else None."""
    folder_year = envelope["file"].get("year_folder")
    printed = envelope["record"]["document"].get("fiscal_year")
    if folder_year is None or printed is None or int(printed) == int(folder_year):
        return None
    return {
        "severity": "error",
        "code": FISCAL_YEAR_MISMATCH,
        "message": f"{envelope['file']['path']}: prints fiscal year {printed} but is filed "
        f"under the {folder_year} folder; not loaded, so it cannot replace {printed}'s data "
        f"(move it to the {printed} folder, or rerun with --accept-printed-year, "
        f"JIXIAO_ACCEPT_PRINTED_YEAR=1, to load it as {printed})",
        "page": 1,
    }


def _without_nul(value: Any) -> Any:
    """Given a value, return it with NUL characters removed from every string (DuckDB and
    every reader downstream treat NUL as the end of a string)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def _child_rows(sha256: str, items: list[Any], extra: dict[str, Any] | None = None) -> list[dict]:
    return [
        {"sha256": sha256, "line_number": number, **dict(item), **(extra or {})}
        for number, item in enumerate(items, start=1)
    ]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    frame = pd.DataFrame.from_records(rows)
    con.register("incoming_rows", frame)
    try:
        con.execute(f"insert into {table} by name select * from incoming_rows")
    finally:
        con.unregister("incoming_rows")


def load_envelopes(warehouse: Path, envelope_paths: Iterable[Path]) -> LoadResult:
    """Given the warehouse and envelope files, upsert them into ``raw`` in one transaction.

    Raises ``ValueError`` (naming the file) when an envelope is unreadable; the warehouse
    is then left exactly as it was.
    """
    return load_envelope_data(warehouse, [read_envelope(Path(p)) for p in envelope_paths])


def load_envelope_data(
    warehouse: Path,
    envelopes: list[Envelope],
    accept_printed_year: bool = False,
    connect: Callable[[Path], duckdb.DuckDBPyConnection] | None = None,
) -> LoadResult:
    """Given the warehouse and envelopes already read (files or XComs), upsert them into
    ``raw`` in one transaction.

    A document whose printed fiscal year differs from its year folder is quarantined
    (``fiscal_year_mismatch``) unless ``accept_printed_year``. No NUL character is stored.
    ``connect`` opens the warehouse for writing (the pipeline's waits while a reader holds
    it open, ``jixiao.locking.connect_writable``; default ``duckdb.connect``).
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    result = LoadResult()
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    envelopes = [_without_nul(envelope) for envelope in envelopes]
    if not accept_printed_year:
        for envelope in envelopes:
            mismatch = _year_mismatch(envelope)
            if mismatch is not None:
                envelope["record"]["issues"].append(mismatch)
    with (connect or _connect)(warehouse) as con:
        con.execute("begin transaction")
        try:
            ensure_raw_schema(con)
            status_of = dict(con.execute("select sha256, status from raw.submissions").fetchall())
            present = {sha for sha, status in status_of.items() if status == "loaded"}
            retried: list[str] = []
            tables: dict[str, list[dict[str, Any]]] = {
                "raw.submissions": [],
                "raw.budget_lines": [],
                "raw.indicator_scores": [],
                "raw.projects": [],
                "raw.extraction_issues": [],
            }
            for envelope in envelopes:
                sha256 = str(envelope["file"]["sha256"])
                if sha256 in present:
                    result.already_present += 1
                    continue
                if status_of.get(sha256) == "quarantined":
                    retried.append(sha256)  # a quarantined file extracted again: replace it
                present.add(sha256)
                record = envelope["record"]
                submission = _submission_row(envelope, loaded_at)
                issues = list(record["issues"])
                if submission["status"] == "quarantined" and not any(
                    i["severity"] == "error" for i in issues
                ):
                    issues.append(
                        {
                            "severity": "error",
                            "code": "unrecognised_document",
                            "message": f"{submission['path']}: not recognised as a budget "
                            "performance evaluation (family unknown); quarantined",
                            "page": None,
                        }
                    )
                tables["raw.submissions"].append(submission)
                tables["raw.extraction_issues"] += _child_rows(
                    sha256, [_issue_row(i) for i in issues], {"path": submission["path"]}
                )
                if submission["status"] == "quarantined":
                    result.quarantined += 1
                    reasons = [i["message"] for i in issues if i["severity"] == "error"]
                    result.quarantined_files.append(
                        {
                            "path": submission["path"],
                            "reason": "; ".join(reasons) or "unrecognised document",
                        }
                    )
                    continue
                result.loaded += 1
                tables["raw.budget_lines"] += _child_rows(sha256, record["budget_lines"])
                tables["raw.indicator_scores"] += _child_rows(sha256, record["indicators"])
                tables["raw.projects"] += _child_rows(sha256, record["projects"])
            for sha256 in retried:
                for table in ("raw.extraction_issues", "raw.submissions"):
                    con.execute(f"delete from {table} where sha256 = ?", [sha256])
            for table, rows in tables.items():
                _insert(con, table, rows)
            # budget lines of records (or warehouses) older than their kind
            classify_budget_lines(con)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return result


# ---------- the task


def load(envelope_batches: list[list[dict[str, Any]]] | None) -> dict[str, Any]:
    """Given the envelopes of every batch, load them into ``raw`` in one transaction.

    A document filed under another year's folder is quarantined as ``fiscal_year_mismatch``
    unless ``JIXIAO_ACCEPT_PRINTED_YEAR`` is set.
    """
    from jixiao.extract.envelope import check_envelope

    cfg = settings_module.resolve()
    envelopes = [
        check_envelope(envelope, f"extract batch {number}, item {position}")
        for number, batch in enumerate(envelope_batches or [])
        for position, envelope in enumerate(batch or [])
    ]
    with warehouse_lock(cfg.warehouse):
        result = load_envelope_data(
            cfg.warehouse,
            envelopes,
            accept_printed_year=cfg.accept_printed_year,
            connect=connect_writable,  # waits while a reader holds the warehouse open
        )
    return {"extracted": len(envelopes), **result.to_dict()}
