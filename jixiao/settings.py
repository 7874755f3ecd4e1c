"""Where jixiao keeps its files: one home folder, overridable piece by piece by env vars.

Defaults (the "embedded defaults" of ``make demo``)::

    $JIXIAO_HOME                     ./.jixiao (relative to the working directory)
    ├── airflow/                     AIRFLOW_HOME: airflow.cfg, SQLite metadata DB, logs
    ├── warehouse/jixiao.duckdb      JIXIAO_WAREHOUSE: the DuckDB warehouse
    ├── dbt/                         dbt target/ and logs/
    ├── data_docs/                   Great Expectations Data Docs
    └── runs/<run_id>.json           one summary per pipeline run
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DAGS_FOLDER = PROJECT_ROOT / "dags"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_HOME = ".jixiao"
DEFAULT_BATCH_SIZE = 25


@dataclass(frozen=True)
class Settings:
    """Resolved paths and knobs for one process."""

    home: Path
    warehouse: Path
    runs_dir: Path
    airflow_home: Path
    dbt_target_dir: Path
    data_docs_dir: Path
    inbox: Path
    batch_size: int

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError(f"JIXIAO_BATCH_SIZE must be >= 1, got {self.batch_size}")


def resolve(env: dict[str, str] | None = None) -> Settings:
    """Given an environment mapping (default ``os.environ``), return the resolved settings."""
    env = dict(os.environ if env is None else env)
    home = Path(env.get("JIXIAO_HOME", DEFAULT_HOME)).expanduser().resolve()
    warehouse = Path(env.get("JIXIAO_WAREHOUSE", home / "warehouse" / "jixiao.duckdb"))
    batch_raw = env.get("JIXIAO_BATCH_SIZE", str(DEFAULT_BATCH_SIZE))
    try:
        batch_size = int(batch_raw)
    except ValueError as exc:
        raise ValueError(f"JIXIAO_BATCH_SIZE must be an integer, got {batch_raw!r}") from exc
    return Settings(
        home=home,
        warehouse=warehouse.expanduser().resolve(),
        runs_dir=home / "runs",
        airflow_home=Path(env.get("AIRFLOW_HOME", home / "airflow")).resolve(),
        dbt_target_dir=Path(env.get("JIXIAO_DBT_TARGET_DIR", home / "dbt")).resolve(),
        data_docs_dir=Path(env.get("JIXIAO_DATA_DOCS_DIR", home / "data_docs")).resolve(),
        inbox=Path(env.get("JIXIAO_INBOX", home / "inbox")).expanduser().resolve(),
        batch_size=batch_size,
    )
