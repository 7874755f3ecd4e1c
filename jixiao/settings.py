"""Every knob of jixiao, read from the environment here and nowhere else.

``resolve()`` reads the environment once into a frozen ``Settings``; the DAG, the CLI,
the stages, the dbt shell (which passes the warehouse path on to ``profiles.yml``), the
GX runner and the dashboard take their values from it. Each variable is declared once in
``VARIABLES`` (name, type, default, meaning); a value that does not parse or is out of
range raises ``ValueError`` naming the variable. The README's table of variables is
printed by ``python -m jixiao.settings --markdown`` (``tests/test_settings.py`` checks it).

Where the files go by default (the "embedded defaults" of ``make demo``)::

    $JIXIAO_HOME                     ./.jixiao (relative to the working directory)
    ├── airflow/                     AIRFLOW_HOME: airflow.cfg, SQLite metadata DB, logs
    ├── warehouse/jixiao.duckdb      JIXIAO_WAREHOUSE: the DuckDB warehouse
    │   └── serving/jixiao.duckdb    JIXIAO_SERVING: the read-only copy dashboards read
    ├── dbt/                         JIXIAO_DBT_TARGET_DIR: dbt's target/ and logs/
    ├── data_docs/                   JIXIAO_DATA_DOCS_DIR: Great Expectations Data Docs
    └── runs/<run_id>.json           one summary per pipeline run
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DAGS_FOLDER = PROJECT_ROOT / "dags"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_HOME = ".jixiao"
DEFAULT_BATCH_SIZE = 25
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})

Default = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Variable:
    """One environment variable: the settings field it sets, its type, default and meaning.

    ``default`` is the value, or a function of the fields resolved before it (paths that
    live under another path, which say in ``shown`` how the README prints them).
    """

    name: str
    field: str
    kind: type
    default: Any
    meaning: str
    shown: str = ""  # the default as the README prints it, when it is not the value itself
    minimum: float | None = None
    maximum: float | None = None
    secret: bool = False  # never printed

    @property
    def shown_default(self) -> str:
        """Return the default as the README prints it."""
        if self.shown:
            return self.shown
        value = self.default
        if isinstance(value, bool):
            return f"`{int(value)}`"
        return f"`{value:g}`" if isinstance(value, float) else f"`{value}`"

    def default_for(self, resolved: Mapping[str, Any]) -> Any:
        """Given the fields resolved so far, return this variable's default value."""
        return self.default(resolved) if callable(self.default) else self.default

    def parse(self, text: str) -> Any:
        """Given the variable's text, return its typed value; raise naming the variable."""
        text = text.strip()
        if self.kind is Path:
            return Path(text).expanduser().resolve()
        if self.kind is bool:
            if text.lower() in TRUE_WORDS | FALSE_WORDS:
                return text.lower() in TRUE_WORDS
            raise ValueError(f"{self.name} must be 1/true/yes or 0/false/no, got {text!r}")
        if self.kind in (int, float):
            try:
                value = self.kind(text)
            except ValueError:
                word = "an integer" if self.kind is int else "a number"
                raise ValueError(f"{self.name} must be {word}, got {text!r}") from None
            if not math.isfinite(value):
                raise ValueError(f"{self.name} must be a finite number, got {text!r}")
            return value
        return text

    def check(self, value: Any) -> None:
        """Raise ``ValueError`` naming the variable when ``value`` is out of its range."""
        if self.minimum is not None and self.maximum is not None:
            if not self.minimum <= value <= self.maximum:
                raise ValueError(
                    f"{self.name} must be between {self.minimum:g} and {self.maximum:g}, "
                    f"got {value}"
                )
            return
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.name} must be >= {self.minimum:g}, got {value}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.name} must be <= {self.maximum:g}, got {value}")


def _under_home(*parts: str) -> Default:
    return lambda resolved: resolved["home"].joinpath(*parts)


VARIABLES: tuple[Variable, ...] = (
    # ---------- where files go
    Variable(
        "JIXIAO_HOME", "home", Path, Path(DEFAULT_HOME),
        "root of every local file jixiao writes", shown="`./.jixiao`",
    ),
    Variable(
        "JIXIAO_WAREHOUSE", "warehouse", Path, _under_home("warehouse", "jixiao.duckdb"),
        "the DuckDB warehouse (`make demo` honours it)",
        shown="`$JIXIAO_HOME/warehouse/jixiao.duckdb`",
    ),
    Variable(
        "JIXIAO_SERVING", "serving", Path,
        lambda resolved: resolved["warehouse"].parent / "serving" / "jixiao.duckdb",
        "the read-only copy of the marts each run publishes; the dashboard reads it",
        shown="`<warehouse folder>/serving/jixiao.duckdb`",
    ),
    Variable(
        "JIXIAO_INBOX", "inbox", Path, _under_home("inbox"),
        "inbox the scheduled DAG reads when no `inbox` param is given",
        shown="`$JIXIAO_HOME/inbox`",
    ),
    Variable(
        "AIRFLOW_HOME", "airflow_home", Path, _under_home("airflow"),
        "Airflow config, SQLite metadata DB, task logs", shown="`$JIXIAO_HOME/airflow`",
    ),
    Variable(
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "airflow_database", str,
        lambda resolved: f"sqlite:///{resolved['airflow_home'] / 'airflow.db'}",
        "Airflow's metadata DB (a deployment: Postgres)",
        shown="`sqlite:///$AIRFLOW_HOME/airflow.db`",
    ),
    Variable(
        "AIRFLOW_ADMIN_USER", "airflow_admin_user", str, "admin",
        "user of Airflow's simple auth manager that the init step writes a password for",
    ),
    Variable(
        "AIRFLOW_ADMIN_PASSWORD", "airflow_admin_password", str, "",
        "its password (unset: Airflow generates one and prints it to the api-server log)",
        shown="unset", secret=True,
    ),
    Variable(
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", "airflow_passwords_file", Path,
        lambda resolved: resolved["airflow_home"] / "simple_auth_manager_passwords.json.generated",
        "where the init step writes that password",
        shown="`$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated`",
    ),
    Variable(
        "JIXIAO_DBT_PROJECT_DIR", "dbt_project_dir", Path, DBT_PROJECT_DIR,
        "the dbt project that builds the warehouse", shown="`dbt_project/`",
    ),
    Variable(
        "JIXIAO_DBT_TARGET_DIR", "dbt_target_dir", Path, _under_home("dbt"),
        "dbt's `target/` (manifest, run results, docs site) and `logs/`",
        shown="`$JIXIAO_HOME/dbt`",
    ),
    Variable(
        "JIXIAO_DATA_DOCS_DIR", "data_docs_dir", Path, _under_home("data_docs"),
        "the checks' HTML report (Data Docs), rebuilt on every run that validates",
        shown="`$JIXIAO_HOME/data_docs`",
    ),
    # ---------- the DAG
    Variable(
        "JIXIAO_BATCH_SIZE", "batch_size", int, DEFAULT_BATCH_SIZE,
        "files per mapped extract task", minimum=1,
    ),
    Variable("JIXIAO_RETRIES", "retries", int, 2, "retries of every task", minimum=0),
    Variable(
        "JIXIAO_RETRY_DELAY_SECONDS", "retry_delay_seconds", int, 60,
        "seconds between a task's retries", minimum=0,
    ),
    Variable(
        "JIXIAO_WAREHOUSE_POOL", "warehouse_pool", str, "jixiao_warehouse",
        "one-slot Airflow pool of the tasks that open the warehouse (created if missing)",
    ),
    Variable(
        "JIXIAO_WAREHOUSE_QUEUE", "warehouse_queue", str, "default",
        "Celery queue of those tasks: the worker on the warehouse's host serves it "
        "(compose: `jixiao_warehouse`)",
    ),
    Variable(
        "JIXIAO_LOCK_TIMEOUT_SECONDS", "lock_timeout_seconds", float, 3600.0,
        "how long a run waits for another run's hold on the warehouse, or for a reader that "
        "holds it open",
        minimum=0,
    ),
    # ---------- extraction
    Variable(
        "JIXIAO_MAX_PAGES", "max_pages", int, 500,
        "longer PDFs are quarantined (`too_many_pages`)", minimum=1,
    ),
    Variable(
        "JIXIAO_EXTRACT_TIMEOUT_SECONDS", "extract_timeout_seconds", float, 120.0,
        "seconds one file may take to read, in its own child process; over it the file is "
        "quarantined (`resource_limit`); `0`: no bound",
        minimum=0,
    ),
    Variable(
        "JIXIAO_EXTRACT_MAX_MEMORY_MB", "extract_max_memory_mb", int, 1024,
        "memory one file's reading may take (`resource_limit` over it); `0`: no bound",
        minimum=0,
    ),
    Variable(
        "JIXIAO_EXTRACT_MAX_STREAM_MB", "extract_max_stream_mb", int, 64,
        "no compressed PDF stream inflates past this (`resource_limit`); `0`: no bound",
        minimum=0,
    ),
    Variable(
        "JIXIAO_OCR_MAX_PAGES", "ocr_max_pages", int, 60,
        "scanned PDFs with more pages are not read by OCR", minimum=0,
    ),
    Variable(
        "JIXIAO_OCR_SECONDS_PER_PAGE", "ocr_seconds_per_page", float, 30.0,
        "time OCR may take per page of a scanned PDF", minimum=0,
    ),
    Variable(
        "JIXIAO_OCR_MIN_CONFIDENCE", "ocr_min_confidence", float, 0.80,
        "OCR words read with less confidence are flagged", minimum=0, maximum=1,
    ),
    Variable(
        "JIXIAO_OCR_DPI", "ocr_dpi", int, 200,
        "resolution scanned pages are rendered at for OCR", minimum=1,
    ),
    Variable(
        "JIXIAO_OCR_MAX_MEMORY_MB", "ocr_max_memory_mb", int, 2048,
        "memory each OCR page worker may take beyond `JIXIAO_EXTRACT_MAX_MEMORY_MB` (the "
        "engine maps ~1.5 GB)",
        minimum=0,
    ),
    Variable(
        "JIXIAO_OCR_WORKERS", "ocr_workers", int, 2,
        "processes reading one scanned PDF's pages in parallel (one engine each)", minimum=1,
    ),
    Variable(
        "JIXIAO_ACCEPT_PRINTED_YEAR", "accept_printed_year", bool, False,
        "`1`: load a document under its printed fiscal year even when it sits in another "
        "year's folder (default: quarantine it as `fiscal_year_mismatch`)",
    ),
    # ---------- checks
    Variable(
        "JIXIAO_SUM_CHECK_MAX_FAILURE_PCT", "sum_check_max_failure_pct", float, 50.0,
        "fail the run when more submissions fail a sum check (an extraction regression, see "
        "`docs/quality.md`)",
        minimum=0, maximum=100,
    ),
    Variable(
        "JIXIAO_SUM_CHECK_MIN_SUBMISSIONS", "sum_check_min_submissions", int, 5,
        "below this many applicable submissions that percentage is not applied", minimum=1,
    ),
    # ---------- dashboard
    Variable(
        "DASHBOARD_PORT", "dashboard_port", int, 8501,
        "port of the dashboard (`make dashboard`)", minimum=1, maximum=65535,
    ),
    Variable(
        "DASHBOARD_ADDRESS", "dashboard_address", str, "127.0.0.1",
        "address the dashboard listens on",
    ),
)  # fmt: skip
BY_NAME = {variable.name: variable for variable in VARIABLES}
BY_FIELD = {variable.field: variable for variable in VARIABLES}


@dataclass(frozen=True)
class Settings:
    """Resolved paths and knobs for one process (see ``VARIABLES`` for each field)."""

    home: Path
    warehouse: Path
    serving: Path
    inbox: Path
    airflow_home: Path
    airflow_database: str
    airflow_admin_user: str
    airflow_admin_password: str
    airflow_passwords_file: Path
    dbt_project_dir: Path
    dbt_target_dir: Path
    data_docs_dir: Path
    batch_size: int
    retries: int
    retry_delay_seconds: int
    warehouse_pool: str
    warehouse_queue: str
    lock_timeout_seconds: float
    max_pages: int
    extract_timeout_seconds: float
    extract_max_memory_mb: int
    extract_max_stream_mb: int
    ocr_max_pages: int
    ocr_seconds_per_page: float
    ocr_min_confidence: float
    ocr_dpi: int
    ocr_max_memory_mb: int
    ocr_workers: int
    accept_printed_year: bool
    sum_check_max_failure_pct: float
    sum_check_min_submissions: int
    dashboard_port: int
    dashboard_address: str

    def __post_init__(self) -> None:
        for variable in VARIABLES:
            variable.check(getattr(self, variable.field))

    @property
    def runs_dir(self) -> Path:
        """Where one summary per pipeline run is written."""
        return self.home / "runs"


def resolve(env: Mapping[str, str] | None = None) -> Settings:
    """Given an environment mapping (default ``os.environ``), return the resolved settings.

    An unset or blank variable takes its default; raises ``ValueError`` naming the
    variable whose value does not parse or is out of range.
    """
    env = os.environ if env is None else env
    resolved: dict[str, Any] = {}
    for variable in VARIABLES:
        text = env.get(variable.name, "")
        value = variable.parse(text) if text.strip() else variable.default_for(resolved)
        resolved[variable.field] = value.resolve() if isinstance(value, Path) else value
    return Settings(**resolved)


def markdown_table() -> str:
    """Return the README's table of environment variables (name, default, meaning)."""
    lines = ["| variable | default | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{v.name}` | {v.shown_default} | {v.meaning} |" for v in VARIABLES]
    return "\n".join(lines)


def _shown(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m jixiao.settings [--markdown]``: the settings this environment resolves to."""
    parser = argparse.ArgumentParser(prog="python -m jixiao.settings", description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print the README's table")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown_table())
        return 0
    try:
        cfg = resolve()
    except ValueError as exc:
        print(f"jixiao settings: {exc}", file=sys.stderr)
        return 1
    for variable in VARIABLES:
        value = getattr(cfg, variable.field)
        print(f"{variable.name}={'***' if variable.secret and value else _shown(value)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
