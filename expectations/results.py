"""quality.check_results: one row per check and loaded submission per run.

A submission passes a check when none of its rows failed. A submission with no row the
check applies to (no rows in the table, or only nulls in the columns it reads — e.g. a
narrative report has no indicator table) has nothing to fail: it passes, and ``observed``
starts with ``not applicable``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from jixiao.expectations.gx_run import FailingKeys
from jixiao.expectations.specs import Check, SuiteSpec, worst_severity

MAX_ROWS_IN_OBSERVED = 5
NOT_APPLICABLE = "not applicable"

CHECK_RESULTS_DDL: tuple[str, ...] = (
    "create schema if not exists quality",
    """
    create table if not exists quality.check_results (
        run_id          varchar not null,
        check_name      varchar not null,
        severity        varchar not null,   -- error | warning
        sha256          varchar not null,
        department      varchar,
        fiscal_year     integer,
        observed        varchar,
        expected        varchar,
        passed          boolean not null,
        checked_at      timestamp not null,
        check_kind      varchar,            -- range | sum | identity (the suite's meta.kind)
        primary key (run_id, check_name, sha256)
    )
    """,
    # results tables created before check_kind: add it in place, last
    "alter table quality.check_results add column if not exists check_kind varchar",
)
CHECK_RESULT_COLUMNS: tuple[str, ...] = (
    "run_id",
    "check_name",
    "severity",
    "sha256",
    "department",
    "fiscal_year",
    "observed",
    "expected",
    "passed",
    "checked_at",
    "kind",
)


@dataclass(frozen=True)
class CheckOutcome:
    """One check's verdict on one submission."""

    applicable: bool
    passed: bool
    severity: str
    observed: str


def format_value(value: Any) -> str:
    """Given a cell value, return it as text for ``observed`` (null for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "null"
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def describe_rows(rows: pd.DataFrame, check: Check, key_columns: tuple[str, ...]) -> str:
    """Given some rows of one submission, return their checked values as text."""
    parts = []
    for _, row in rows.head(MAX_ROWS_IN_OBSERVED).iterrows():
        values = ", ".join(f"{column}={format_value(row[column])}" for column in check.columns)
        keys = ", ".join(f"{column}={format_value(row[column])}" for column in key_columns[1:])
        parts.append(f"{keys}: {values}" if keys else values)
    if len(rows) > MAX_ROWS_IN_OBSERVED:
        parts.append(f"… {len(rows) - MAX_ROWS_IN_OBSERVED} more")
    return "; ".join(parts)


def applicable_rows(rows: pd.DataFrame, check: Check) -> pd.DataFrame:
    """Given a submission's rows, return those the check applies to.

    A not-null check applies to every row; any other check to the rows where all the
    columns of at least one of its expectations are present.
    """
    if check.counts_nulls:
        return rows
    mask = pd.Series(False, index=rows.index)
    for columns in check.read_columns:
        mask |= rows[list(columns)].notna().all(axis=1)
    return rows[mask]


def judge(
    rows: pd.DataFrame | None,
    failing: Mapping[tuple[Any, ...], str],
    check: Check,
    spec: SuiteSpec,
) -> CheckOutcome:
    """Given one submission's rows (None: it has none) and the check's failing keys, judge."""
    if rows is None:
        return CheckOutcome(
            False, True, check.severity, f"{NOT_APPLICABLE}: no rows in {spec.table}"
        )
    applicable = applicable_rows(rows, check)
    if applicable.empty:
        columns = sorted({column for columns in check.read_columns for column in columns})
        return CheckOutcome(
            False,
            True,
            check.severity,
            f"{NOT_APPLICABLE}: {', '.join(columns)} null in {spec.table}",
        )
    keys = [tuple(key) for key in rows[list(spec.key_columns)].itertuples(index=False)]
    severities = [failing[key] for key in keys if key in failing]
    unexpected = rows[[key in failing for key in keys]]
    if len(spec.key_columns) == 1:
        observed = describe_rows(rows, check, spec.key_columns)
    elif unexpected.empty:
        observed = f"0 of {len(applicable)} rows unexpected"
    else:
        observed = (
            f"{len(unexpected)} of {len(applicable)} rows unexpected: "
            f"{describe_rows(unexpected, check, spec.key_columns)}"
        )
    if not severities:
        return CheckOutcome(True, True, check.severity, observed)
    return CheckOutcome(True, False, worst_severity(severities), observed)


def check_result_rows(
    spec: SuiteSpec,
    frame: pd.DataFrame,
    failures: FailingKeys,
    submissions: pd.DataFrame,
    run_id: str,
    checked_at: datetime,
) -> list[dict[str, Any]]:
    """Return one quality.check_results row per check of the suite and loaded submission.

    Each row also carries ``kind`` (stored as ``check_kind``) and ``applicable`` (not
    stored; used for the summary and the sum-check threshold).
    """
    rows_by_sha = {sha256: rows for sha256, rows in frame.groupby("sha256", sort=False)}
    result_rows = []
    for check in spec.checks:
        for submission in submissions.sort_values("sha256").itertuples(index=False):
            outcome = judge(rows_by_sha.get(submission.sha256), failures[check.name], check, spec)
            result_rows.append(
                {
                    "run_id": run_id,
                    "check_name": check.name,
                    "severity": outcome.severity,
                    "sha256": submission.sha256,
                    "department": None
                    if pd.isna(submission.department)
                    else str(submission.department),
                    "fiscal_year": None
                    if pd.isna(submission.fiscal_year)
                    else int(submission.fiscal_year),
                    "observed": outcome.observed,
                    "expected": check.expected,
                    "passed": outcome.passed,
                    "checked_at": checked_at,
                    "kind": check.kind,
                    "applicable": outcome.applicable,
                }
            )
    return result_rows


def write_check_results(warehouse: Path, run_id: str, rows: list[dict[str, Any]]) -> None:
    """Replace the run's rows of quality.check_results (created if missing) in one transaction."""
    frame = pd.DataFrame(rows, columns=list(CHECK_RESULT_COLUMNS))
    frame["fiscal_year"] = frame["fiscal_year"].astype("Int64")
    frame["passed"] = frame["passed"].astype(bool)
    with duckdb.connect(str(warehouse)) as con:
        for statement in CHECK_RESULTS_DDL:
            con.execute(statement)
        con.execute("begin transaction")
        try:
            con.execute("delete from quality.check_results where run_id = ?", [run_id])
            con.register("check_rows", frame)
            con.execute(
                "insert into quality.check_results by name "
                "select run_id, check_name, severity, sha256, department, "
                "cast(fiscal_year as integer) as fiscal_year, observed, expected, "
                "passed, cast(checked_at as timestamp) as checked_at, kind as check_kind "
                "from check_rows"
            )
            con.unregister("check_rows")
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
