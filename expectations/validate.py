"""Run the Great Expectations suites over the warehouse; store one row per check and submission.

The quality gate of the DAG's ``validate`` task, between the two dbt phases:

1. Suites (``expectations/suites/*.json``, see ``jixiao.expectations.specs``) name the table they
   check: staging and intermediate models only — the marts are built after this task.
   Sums and differences are computed by the dbt models ``int_check_*``; GX checks the
   difference columns.
2. Every table is read through ONE read-only DuckDB connection into pandas (GX 1.24 has
   no DuckDB datasource) and validated as a DataFrame (``jixiao.expectations.gx_run``). Only rows
   of loaded submissions are checked.
3. One row per check and loaded submission goes to ``quality.check_results``
   (``jixiao.expectations.results``) through one write connection, after the read one is closed.
4. With ``data_docs_dir``, GX Data Docs (HTML) of the run are written there.

Failure policy. Documents that contradict themselves are findings: they are recorded and
never raise. Pipeline errors raise RuntimeError: a missing table or column (schema drift),
a null or duplicate key, an expectation GX cannot run, and — after the results are
written, so they stay visible — more than ``JIXIAO_SUM_CHECK_MAX_FAILURE_PCT`` % of the
submissions failing one sum check (``jixiao.expectations.threshold``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from jixiao.expectations.gx_run import build_expectation_suite, failing_keys, gx_context
from jixiao.expectations.results import check_result_rows, write_check_results
from jixiao.expectations.specs import Check, SuiteSpec, load_suite_specs
from jixiao.expectations.threshold import (
    SumCheckThreshold,
    SumCheckThresholdExceeded,
    exceeded,
    sum_check_rates,
    threshold_error,
)

__all__ = [
    "SumCheckThreshold",
    "SumCheckThresholdExceeded",
    "build_expectation_suite",
    "load_suite_specs",
    "read_warehouse",
    "summarise",
    "validate_warehouse",
]

SUBMISSIONS_TABLE = "intermediate.int_submissions_versioned"
SUMMARY_FAILED_KEYS = (
    "check_name",
    "severity",
    "sha256",
    "department",
    "fiscal_year",
    "observed",
    "expected",
)


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """Given a connection and ``schema.table``, return the table; raise if it is missing."""
    try:
        return con.execute(f"select * from {table}").df()
    except duckdb.CatalogException as error:
        raise RuntimeError(
            f"quality checks need table {table}, which the warehouse lacks "
            f"(has dbt build run?): {error}"
        ) from error


def check_frame(spec: SuiteSpec, frame: pd.DataFrame) -> None:
    """Raise RuntimeError when a suite's table lacks columns or has null or duplicate keys."""
    missing = [column for column in spec.columns if column not in frame.columns]
    if missing:
        raise RuntimeError(f"suite {spec.name}: {spec.table} lacks columns {missing}")
    keys = list(spec.key_columns)
    null_keys = [column for column in keys if frame[column].isna().any()]
    if null_keys:
        raise RuntimeError(f"suite {spec.name}: {spec.table} has null keys in {null_keys}")
    duplicated = frame[frame.duplicated(subset=keys, keep=False)]
    if not duplicated.empty:
        sample = duplicated[keys].head(3).to_dict("records")
        raise RuntimeError(
            f"suite {spec.name}: {spec.table} has duplicate keys {keys} "
            f"({len(duplicated)} rows), e.g. {sample}"
        )


def read_warehouse(
    warehouse: Path, specs: Iterable[SuiteSpec]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Given a warehouse and suites, return (loaded submissions, each suite's rows).

    Rows of submissions that are not loaded (quarantined children) are dropped.
    """
    specs = list(specs)
    if not Path(warehouse).is_file():
        raise RuntimeError(f"warehouse {warehouse} does not exist")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        submissions = read_table(con, SUBMISSIONS_TABLE)[["sha256", "department", "fiscal_year"]]
        frames = {spec.name: read_table(con, spec.table) for spec in specs}
    loaded = set(submissions["sha256"])
    for spec in specs:
        frame = frames[spec.name]
        check_frame(spec, frame)
        checked = frame[frame["sha256"].isin(loaded)].sort_values(list(spec.key_columns))
        frames[spec.name] = checked.reset_index(drop=True)
    return submissions, frames


def summarise(run_id: str, rows: list[dict[str, Any]], checks: list[Check]) -> dict[str, Any]:
    """Given the run's result rows, return the summary validate_warehouse returns."""
    failed = [row for row in rows if not row["passed"]]
    failed_by_check = {check.name: 0 for check in checks}
    for row in failed:
        failed_by_check[row["check_name"]] += 1
    return {
        "run_id": run_id,
        "checks_run": len(checks),
        "checks_failed": sum(1 for count in failed_by_check.values() if count),
        "submissions_checked": len({row["sha256"] for row in rows}),
        "rows_written": len(rows),
        "failed_by_check": failed_by_check,
        "sum_check_failure_pct": {
            rate.check_name: round(rate.failure_pct, 2) for rate in sum_check_rates(rows)
        },
        "failed": [{key: row[key] for key in SUMMARY_FAILED_KEYS} for row in failed],
    }


def validate_warehouse(
    warehouse: Path,
    run_id: str,
    suites_dir: Path | None = None,
    data_docs_dir: Path | None = None,
    threshold: SumCheckThreshold | None = None,
) -> dict[str, Any]:
    """Run every suite over the warehouse and store the results in quality.check_results.

    Return {run_id, checks_run, checks_failed, submissions_checked, rows_written,
    failed_by_check, sum_check_failure_pct, failed}, ``failed`` listing one dict per
    failing check and submission. With ``data_docs_dir``, GX Data Docs (HTML) of the run
    are written there. ``threshold`` defaults to the environment's
    (``SumCheckThreshold.from_env``).

    Failing documents do not raise. A missing table, column or key, a duplicate key or an
    expectation GX cannot run raise RuntimeError before anything is written; a sum check
    failed by too many submissions raises SumCheckThresholdExceeded after the results are
    written.
    """
    if not run_id:
        raise ValueError("validate_warehouse needs a run_id")
    threshold = threshold or SumCheckThreshold.from_env()
    warehouse = Path(warehouse)
    specs = load_suite_specs(suites_dir)
    submissions, frames = read_warehouse(warehouse, specs)
    context = gx_context(data_docs_dir)
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    rows: list[dict[str, Any]] = []
    for spec in specs:
        frame = frames[spec.name]
        failures = failing_keys(context, spec, frame, run_id, data_docs_dir is not None)
        rows.extend(check_result_rows(spec, frame, failures, submissions, run_id, checked_at))
    write_check_results(warehouse, run_id, rows)
    over = exceeded(sum_check_rates(rows), threshold)
    if over:
        raise SumCheckThresholdExceeded(threshold_error(over, threshold))
    return summarise(run_id, rows, [check for spec in specs for check in spec.checks])
