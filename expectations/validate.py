"""Run the Great Expectations suites over the warehouse; store one row per check and submission.

Suites are JSON files in ``expectations/suites/`` (GX ExpectationSuite format). Each names
in its ``meta`` the warehouse ``table`` it checks and the ``key_columns`` that identify a
row (``sha256`` first). Each expectation's ``meta`` names its ``check_name``, ``severity``
(``error`` | ``warning``), a human ``expected`` and optionally the ``observed_columns`` to
report (default: the columns the expectation reads); expectations sharing a check name form
one check.

GX 1.24 has no DuckDB datasource: tables are read through a read-only DuckDB connection
into pandas and validated as DataFrames (result_format COMPLETE, unexpected index columns =
the key columns, so every failing row names its submission). Only rows of loaded
submissions are checked, and every check gets one row per loaded submission (passed when
none of its rows failed). After the read connection is closed, the results go to
``quality.check_results`` through one write connection.

Findings about documents (a score above its points, leaves not adding up) never raise;
pipeline errors do: a missing table or column, a null key, an expectation GX cannot run.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before great_expectations is imported

SUITES_DIR = Path(__file__).resolve().with_name("suites")
SUBMISSIONS_TABLE = "intermediate.int_submissions_versioned"
SEVERITIES = ("error", "warning")
GX_SEVERITY = {"error": "critical", "warning": "warning"}
MAX_ROWS_IN_OBSERVED = 5
DATA_DOCS_SITE = "jixiao"
TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")

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
        primary key (run_id, check_name, sha256)
    )
    """,
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
)


@dataclass(frozen=True)
class Check:
    """One named check: one or more expectations of a suite."""

    name: str
    severity: str
    expected: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class SuiteSpec:
    """A suite as stored in JSON, with the table it checks."""

    name: str
    path: Path
    table: str
    key_columns: tuple[str, ...]
    definition: Mapping[str, Any]
    checks: tuple[Check, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the suite reads: keys, expectation columns, observed columns."""
        read = [*self.key_columns]
        for expectation in self.definition["expectations"]:
            read.extend(expectation_columns(expectation.get("kwargs") or {}))
        for check in self.checks:
            read.extend(check.columns)
        return tuple(dict.fromkeys(read))


def expectation_columns(kwargs: Mapping[str, Any]) -> tuple[str, ...]:
    """Given an expectation's kwargs, return the columns it reads."""
    columns = [kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs]
    columns.extend(kwargs.get("column_list", []))
    return tuple(columns)


def parse_suite(definition: Mapping[str, Any], path: Path) -> SuiteSpec:
    """Given a suite's JSON object, return its spec; raise ValueError naming what is missing."""
    meta = definition.get("meta") or {}
    name = definition.get("name")
    table = meta.get("table")
    key_columns = tuple(meta.get("key_columns") or ())
    if not name or not table or not key_columns:
        raise ValueError(f"{path}: suite needs 'name', meta.table and meta.key_columns")
    if not TABLE_NAME.match(table):
        raise ValueError(f"{path}: meta.table must be schema.table, got {table!r}")
    if key_columns[0] != "sha256":
        raise ValueError(f"{path}: meta.key_columns must start with sha256, got {key_columns}")
    checks: dict[str, Check] = {}
    for number, expectation in enumerate(definition.get("expectations") or [], start=1):
        emeta = expectation.get("meta") or {}
        check_name, severity = emeta.get("check_name"), emeta.get("severity")
        if not check_name or severity not in SEVERITIES:
            raise ValueError(
                f"{path}: expectation {number} needs meta.check_name and meta.severity "
                f"in {SEVERITIES}, got {check_name!r}, {severity!r}"
            )
        columns = tuple(emeta.get("observed_columns") or ()) or expectation_columns(
            expectation.get("kwargs") or {}
        )
        known = checks.get(check_name)
        if known is None:
            checks[check_name] = Check(check_name, severity, emeta.get("expected", ""), columns)
        else:
            worst = "error" if "error" in (known.severity, severity) else "warning"
            merged = tuple(dict.fromkeys(known.columns + columns))
            checks[check_name] = Check(check_name, worst, known.expected, merged)
    if not checks:
        raise ValueError(f"{path}: suite {name} has no expectations")
    return SuiteSpec(name, path, table, key_columns, definition, tuple(checks.values()))


def load_suite_specs(suites_dir: Path | None = None) -> list[SuiteSpec]:
    """Given the suites folder (default expectations/suites), return every suite, sorted."""
    folder = Path(suites_dir) if suites_dir is not None else SUITES_DIR
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise RuntimeError(f"no GX suites (*.json) in {folder}")
    specs = [parse_suite(json.loads(path.read_text(encoding="utf-8")), path) for path in paths]
    seen: dict[str, Path] = {}
    for spec in specs:
        for check in spec.checks:
            if check.name in seen:
                raise ValueError(
                    f"check {check.name} defined in {seen[check.name]} and {spec.path}"
                )
            seen[check.name] = spec.path
    return specs


def build_expectation_suite(spec: SuiteSpec) -> Any:
    """Given a suite spec, return a GX ExpectationSuite (severity mapped to GX's)."""
    import great_expectations as gx

    expectations = []
    for expectation in spec.definition["expectations"]:
        configured = dict(expectation)
        configured["severity"] = GX_SEVERITY[expectation["meta"]["severity"]]
        expectations.append(configured)
    return gx.ExpectationSuite(
        name=spec.name,
        expectations=expectations,
        meta=dict(spec.definition.get("meta") or {}),
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


def read_warehouse(
    warehouse: Path, specs: Iterable[SuiteSpec]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Given a warehouse and suites, return (loaded submissions, each suite's rows).

    Rows of submissions that are not loaded (quarantined children) are dropped.
    """
    if not Path(warehouse).is_file():
        raise RuntimeError(f"warehouse {warehouse} does not exist")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        submissions = read_table(con, SUBMISSIONS_TABLE)[["sha256", "department", "fiscal_year"]]
        frames = {spec.name: read_table(con, spec.table) for spec in specs}
    loaded = set(submissions["sha256"])
    for spec in specs:
        frame = frames[spec.name]
        missing = [column for column in spec.columns if column not in frame.columns]
        if missing:
            raise RuntimeError(f"suite {spec.name}: {spec.table} lacks columns {missing}")
        null_keys = [column for column in spec.key_columns if frame[column].isna().any()]
        if null_keys:
            raise RuntimeError(f"suite {spec.name}: {spec.table} has null keys in {null_keys}")
        frames[spec.name] = frame[frame["sha256"].isin(loaded)].reset_index(drop=True)
    return submissions, frames


def gx_context(data_docs_dir: Path | None = None) -> Any:
    """Return an ephemeral GX context: offline, no progress bars.

    With ``data_docs_dir``, a Data Docs site is configured there; nothing else is written.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if data_docs_dir is not None:
        context.add_data_docs_site(
            site_name=DATA_DOCS_SITE,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(Path(data_docs_dir).resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return context


def failing_keys(
    context: Any,
    spec: SuiteSpec,
    frame: pd.DataFrame,
    run_id: str,
    data_docs: bool = False,
) -> dict[str, set[tuple]]:
    """Validate a suite's rows with a GX checkpoint; return, per check, the unexpected keys.

    Raise RuntimeError when GX could not run an expectation (a pipeline error).
    """
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.core.run_identifier import RunIdentifier

    failures: dict[str, set[tuple]] = {check.name: set() for check in spec.checks}
    if frame.empty:
        return failures
    source = context.data_sources.add_or_update_pandas(name=f"jixiao_{spec.name}")
    batch_definition = source.add_dataframe_asset(
        name=spec.table
    ).add_batch_definition_whole_dataframe("all_rows")
    suite = context.suites.add(build_expectation_suite(spec))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
    )
    actions = [UpdateDataDocsAction(name="data_docs", site_names=[DATA_DOCS_SITE])]
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"jixiao_{spec.name}",
            validation_definitions=[definition],
            actions=actions if data_docs else [],
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": list(spec.key_columns),
                "return_unexpected_index_query": False,
            },
        )
    )
    checkpoint_result = checkpoint.run(
        batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_id)
    )
    for suite_result in checkpoint_result.run_results.values():
        for outcome in suite_result.results:
            config = outcome.expectation_config
            if outcome.exception_info and outcome.exception_info.get("raised_exception"):
                raise RuntimeError(
                    f"suite {spec.name}: GX could not run {config.type} on {spec.table}: "
                    f"{outcome.exception_info.get('exception_message')}"
                )
            if outcome.success:
                continue
            index_list = (outcome.result or {}).get("unexpected_index_list") or []
            if not index_list:
                raise RuntimeError(
                    f"suite {spec.name}: {config.type} failed on {spec.table} "
                    f"without naming rows: {outcome.result}"
                )
            failures[config.meta["check_name"]].update(
                tuple(row[column] for column in spec.key_columns) for row in index_list
            )
    return failures


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


def observed_text(
    submission_rows: pd.DataFrame,
    failing: set[tuple],
    check: Check,
    key_columns: tuple[str, ...],
) -> str:
    """Given a submission's rows and the failing keys, return what was observed."""
    if len(key_columns) == 1:
        return describe_rows(submission_rows, check, key_columns)
    keys = submission_rows[list(key_columns)].itertuples(index=False, name=None)
    unexpected = submission_rows[[tuple(key) in failing for key in keys]]
    if unexpected.empty:
        return f"0 of {len(submission_rows)} rows unexpected"
    return (
        f"{len(unexpected)} of {len(submission_rows)} rows unexpected: "
        f"{describe_rows(unexpected, check, key_columns)}"
    )


def check_result_rows(
    spec: SuiteSpec,
    frame: pd.DataFrame,
    failures: Mapping[str, set[tuple]],
    submissions: pd.DataFrame,
    run_id: str,
    checked_at: datetime,
) -> list[dict[str, Any]]:
    """Return one quality.check_results row per check of the suite and loaded submission.

    A submission without rows in the suite's table (e.g. no indicator table, or not the
    submission a mart uses) has nothing to fail: it passes, observed says so.
    """
    rows_by_sha = {sha256: rows for sha256, rows in frame.groupby("sha256", sort=False)}
    result_rows = []
    for check in spec.checks:
        failing = failures[check.name]
        failing_shas = {key[0] for key in failing}
        for submission in submissions.sort_values("sha256").itertuples(index=False):
            submission_rows = rows_by_sha.get(submission.sha256)
            if submission_rows is None:
                observed = f"no rows in {spec.table}"
            else:
                observed = observed_text(submission_rows, failing, check, spec.key_columns)
            result_rows.append(
                {
                    "run_id": run_id,
                    "check_name": check.name,
                    "severity": check.severity,
                    "sha256": submission.sha256,
                    "department": None
                    if pd.isna(submission.department)
                    else str(submission.department),
                    "fiscal_year": None
                    if pd.isna(submission.fiscal_year)
                    else int(submission.fiscal_year),
                    "observed": observed,
                    "expected": check.expected,
                    "passed": submission.sha256 not in failing_shas,
                    "checked_at": checked_at,
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
                "passed, cast(checked_at as timestamp) as checked_at from check_rows"
            )
            con.unregister("check_rows")
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise


def summarise(run_id: str, rows: list[dict[str, Any]], checks: list[Check]) -> dict[str, Any]:
    """Given the run's result rows, return the summary validate_warehouse returns."""
    failed = [row for row in rows if not row["passed"]]
    return {
        "run_id": run_id,
        "checks_run": len(checks),
        "checks_failed": len({row["check_name"] for row in failed}),
        "submissions_checked": len({row["sha256"] for row in rows}),
        "rows_written": len(rows),
        "failed": [
            {
                key: row[key]
                for key in (
                    "check_name",
                    "severity",
                    "sha256",
                    "department",
                    "fiscal_year",
                    "observed",
                    "expected",
                )
            }
            for row in failed
        ],
    }


def validate_warehouse(
    warehouse: Path,
    run_id: str,
    suites_dir: Path | None = None,
    data_docs_dir: Path | None = None,
) -> dict[str, Any]:
    """Run every suite over the warehouse and store the results in quality.check_results.

    Return {run_id, checks_run, checks_failed, submissions_checked, rows_written, failed},
    ``failed`` listing one dict per failing check and submission. With ``data_docs_dir``,
    GX Data Docs (HTML) of the run are written there too. Failing documents do not raise;
    a missing table, column or key, or an expectation GX cannot run does.
    """
    if not run_id:
        raise ValueError("validate_warehouse needs a run_id")
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
    return summarise(run_id, rows, [check for spec in specs for check in spec.checks])
