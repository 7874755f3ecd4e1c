"""Run the `jixiao run` command in a subprocess for tests, as a user would.

Each run gets its own Airflow configuration (AIRFLOW_HOME under ``home``) because
Airflow reads it on first import. A new home starts with a copy of a metadata DB that
`airflow db migrate` made once per test run (``migrated=False``: the run migrates its own,
as on a fresh clone). Output goes to files, not pipes: a run waiting for another run's
lock must never block on a full pipe.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


def run_environment(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Given a JIXIAO_HOME, return the environment of a test run (no retries by default)."""
    env = {**os.environ, "JIXIAO_HOME": str(home), "JIXIAO_RETRIES": "0"}
    for name in ("AIRFLOW_HOME", "AIRFLOW__CORE__DAGS_FOLDER", "JIXIAO_WAREHOUSE"):
        env.pop(name, None)
    return {**env, **(extra or {})}


def _migrate(folder: Path) -> None:
    from jixiao import settings
    from jixiao.runner import airflow_environment, migrate_metadata_db

    cfg = settings.resolve({"JIXIAO_HOME": str(folder)})
    migrate_metadata_db(airflow_environment(cfg, folder / "inbox"))


def with_migrated_airflow(home: Path) -> Path:
    """Give a new JIXIAO_HOME the metadata DB `airflow db migrate` makes (migrated once per
    test run, copied with the marker by which `jixiao run` skips migrating); return home."""
    from tests.generated import build_once

    airflow = home / "airflow"
    if not airflow.exists():
        migrated = build_once("airflow-migrated", _migrate) / "airflow"
        airflow.mkdir(parents=True)
        for path in migrated.glob("*"):
            if path.name == "airflow.db" or path.name.startswith(".jixiao-migrated-"):
                shutil.copyfile(path, airflow / path.name)
    return home


def start_run(
    inbox: Path,
    home: Path,
    *args: str,
    env: dict[str, str] | None = None,
    migrated: bool = True,
) -> subprocess.Popen[str]:
    """Start `jixiao run --inbox INBOX ARGS…`; ``proc.outputs`` holds its stdout/stderr files."""
    home.mkdir(parents=True, exist_ok=True)
    if migrated:
        with_migrated_airflow(home)
    out = tempfile.NamedTemporaryFile("w+", dir=home, prefix="run-", suffix=".out", delete=False)
    err = tempfile.NamedTemporaryFile("w+", dir=home, prefix="run-", suffix=".err", delete=False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao.cli", "run", "--inbox", str(inbox), *args],
        env=run_environment(home, env),
        stdout=out,
        stderr=err,
        text=True,
    )
    proc.outputs = (Path(out.name), Path(err.name))  # type: ignore[attr-defined]
    out.close()
    err.close()
    return proc


def finish_run(proc: subprocess.Popen[str]) -> dict[str, Any]:
    """Wait for a started run; assert it succeeded and return its JSON summary."""
    proc.wait(timeout=900)
    out, err = proc.outputs  # type: ignore[attr-defined]
    stdout, stderr = out.read_text("utf-8"), err.read_text("utf-8")
    assert proc.returncode == 0, stderr[-4000:] + stdout[-2000:]
    return json.loads(stdout.strip().splitlines()[-1])


def run(
    inbox: Path,
    home: Path,
    *args: str,
    env: dict[str, str] | None = None,
    migrated: bool = True,
) -> dict[str, Any]:
    """Run `jixiao run` to the end and return its summary."""
    return finish_run(start_run(inbox, home, *args, env=env, migrated=migrated))
