"""Run dbt on the warehouse: a thin typed shell around the dbt CLI.

dbt runs in a subprocess (``python -m dbt.cli.main``) of the same interpreter, so it
uses the same virtualenv and cannot disturb the caller's logging or DuckDB handles.
The dbt project is ``dbt_project/`` next to the package (override: env
``JIXIAO_DBT_PROJECT_DIR``). dbt's target and log folders go to a writable directory
(env ``JIXIAO_DBT_TARGET_DIR``, default ``<warehouse folder>/dbt``), so a read-only
checkout works. The warehouse path reaches ``profiles.yml`` as ``JIXIAO_WAREHOUSE``.

DuckDB allows one writer: nothing else may hold the warehouse open while dbt runs.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

WAREHOUSE_ENV = "JIXIAO_WAREHOUSE"
DBT_PROJECT_DIR_ENV = "JIXIAO_DBT_PROJECT_DIR"
DBT_TARGET_DIR_ENV = "JIXIAO_DBT_TARGET_DIR"
OUTPUT_TAIL_LINES = 40
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})


def dbt_project_dir() -> Path:
    """Return the dbt project folder: ``$JIXIAO_DBT_PROJECT_DIR`` or the repo's one."""
    override = os.environ.get(DBT_PROJECT_DIR_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return Path(__file__).resolve().parent.parent / "dbt_project"


def dbt_work_dir(warehouse: Path) -> Path:
    """Given a warehouse file, return the writable folder for dbt's target/ and logs/."""
    override = os.environ.get(DBT_TARGET_DIR_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return Path(warehouse).expanduser().resolve().parent / "dbt"


def dbt_target_dir(warehouse: Path) -> Path:
    """Given a warehouse file, return dbt's target folder (manifest, run results, docs)."""
    return dbt_work_dir(warehouse) / "target"


def dbt_environment(warehouse: Path) -> dict[str, str]:
    """Given a warehouse file, return the environment dbt runs with (quiet, offline)."""
    env = dict(os.environ)
    env[WAREHOUSE_ENV] = str(Path(warehouse).expanduser().resolve())
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env["DBT_USE_COLORS"] = "false"
    env["DBT_PRINTER_WIDTH"] = "120"
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def dbt_command(command: list[str], warehouse: Path) -> list[str]:
    """Given dbt arguments (``["build"]``), return the full command line to run."""
    project = dbt_project_dir()
    work = dbt_work_dir(warehouse)
    return [
        sys.executable,
        # runpy warns that dbt.cli imports dbt.cli.main before running it: harmless
        "-W",
        "ignore:'dbt.cli.main' found in sys.modules:RuntimeWarning",
        "-m",
        "dbt.cli.main",
        *command,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]


def failed_nodes(target_dir: Path) -> list[str]:
    """Given dbt's target folder, return the unique ids of nodes that errored or failed."""
    run_results = target_dir / "run_results.json"
    if not run_results.is_file():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    return [
        str(result.get("unique_id"))
        for result in results
        if str(result.get("status", "")).lower() in FAILED_STATUSES
    ]


def run_dbt(command: list[str], warehouse: Path) -> None:
    """Run ``dbt <command>`` on the warehouse; raise RuntimeError if dbt fails.

    The error names the failed nodes (from run_results.json) and ends with the tail
    of dbt's output.
    """
    if not command:
        raise ValueError("run_dbt needs a dbt command, e.g. ['build']")
    project = dbt_project_dir()
    if not (project / "dbt_project.yml").is_file():
        raise RuntimeError(f"no dbt project at {project} (dbt_project.yml missing)")
    warehouse = Path(warehouse).expanduser().resolve()
    if not warehouse.parent.is_dir():
        raise RuntimeError(f"warehouse folder {warehouse.parent} does not exist")
    target_dir = dbt_target_dir(warehouse)
    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / "run_results.json").unlink(missing_ok=True)

    args = dbt_command(command, warehouse)
    log.info("running dbt %s on %s", " ".join(command), warehouse)
    completed = subprocess.run(
        args,
        env=dbt_environment(warehouse),
        cwd=project,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    output = completed.stdout + completed.stderr
    log.info("dbt %s output:\n%s", " ".join(command), output)
    if completed.returncode != 0:
        nodes = failed_nodes(target_dir)
        tail = "\n".join(output.rstrip().splitlines()[-OUTPUT_TAIL_LINES:])
        named = ", ".join(nodes) if nodes else "none recorded (dbt failed before running nodes)"
        raise RuntimeError(
            f"dbt {' '.join(command)} failed (exit {completed.returncode}) on {warehouse}; "
            f"failed nodes: {named}\n--- dbt output (last {OUTPUT_TAIL_LINES} lines) ---\n"
            f"{tail}"
        )


AFTER_CHECKS_SELECTOR = "tag:after_checks"


def dbt_build(warehouse: Path, select: str | None = None, exclude: str | None = None) -> None:
    """Build seeds, models and tests (raw → staging → intermediate → marts).

    ``select``/``exclude`` are dbt node selections (e.g. ``tag:after_checks``).
    """
    command = ["build"]
    if select:
        command += ["--select", select]
    if exclude:
        command += ["--exclude", exclude]
    run_dbt(command, warehouse)


def dbt_build_before_checks(warehouse: Path) -> None:
    """Build everything the quality checks read: all but the ``after_checks`` nodes."""
    dbt_build(warehouse, exclude=f"{AFTER_CHECKS_SELECTOR}+")


def dbt_build_after_checks(warehouse: Path) -> None:
    """Build the nodes that read quality.check_results (the marts) and their tests."""
    dbt_build(warehouse, select=f"{AFTER_CHECKS_SELECTOR}+")


def dbt_docs_generate(warehouse: Path) -> Path:
    """Generate dbt docs for the warehouse; return the folder holding index.html.

    ``static_index.html`` in that folder is a single self-contained page.
    """
    run_dbt(["docs", "generate", "--static"], warehouse)
    return dbt_target_dir(warehouse)
