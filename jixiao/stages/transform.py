"""The ``transform_needed``, ``dbt_build`` and ``dbt_build_marts`` tasks: dbt on the warehouse.

``transform_needed`` skips dbt and the checks when the marts were built from exactly the
current raw data and code (``jixiao/freshness.py``); ``transform(phase)`` runs one of the
two dbt phases around the checks under the warehouse lock.

dbt runs in a subprocess (``python -m dbt.cli.main``) of the same interpreter, so it
uses the same virtualenv and cannot disturb the caller's logging or DuckDB handles. The
dbt project (``JIXIAO_DBT_PROJECT_DIR``) and dbt's target and log folder
(``JIXIAO_DBT_TARGET_DIR``, default ``$JIXIAO_HOME/dbt``, so a read-only checkout works)
come from ``jixiao.settings``; the warehouse path reaches ``profiles.yml`` as the
environment variable ``JIXIAO_WAREHOUSE`` of the dbt process.

DuckDB allows one writer: nothing else may hold the warehouse open while dbt runs.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

from jixiao import settings as settings_module
from jixiao.locking import warehouse_lock, when_writable

log = logging.getLogger(__name__)

WAREHOUSE_ENV = "JIXIAO_WAREHOUSE"  # what profiles.yml reads (env_var) in the dbt process
DBT_PROJECT_DIR_ENV = "JIXIAO_DBT_PROJECT_DIR"
DBT_TARGET_DIR_ENV = "JIXIAO_DBT_TARGET_DIR"
OUTPUT_TAIL_LINES = 40
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})


def dbt_project_dir() -> Path:
    """Return the dbt project folder (``JIXIAO_DBT_PROJECT_DIR``, default the repo's one)."""
    return settings_module.resolve().dbt_project_dir


def dbt_work_dir() -> Path:
    """Return the writable folder for dbt's target/ and logs/ (``JIXIAO_DBT_TARGET_DIR``)."""
    return settings_module.resolve().dbt_target_dir


def dbt_target_dir() -> Path:
    """Return dbt's target folder (manifest, run results, docs)."""
    return dbt_work_dir() / "target"


def dbt_environment(warehouse: Path) -> dict[str, str]:
    """Given a warehouse file, return the environment dbt runs with (quiet, offline)."""
    env = dict(os.environ)  # passed on to dbt, never read here
    env[WAREHOUSE_ENV] = str(Path(warehouse).expanduser().resolve())
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env["DBT_USE_COLORS"] = "false"
    env["DBT_PRINTER_WIDTH"] = "120"
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def dbt_command(command: list[str]) -> list[str]:
    """Given dbt arguments (``["build"]``), return the full command line to run."""
    project = dbt_project_dir()
    work = dbt_work_dir()
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
    target_dir = dbt_target_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / "run_results.json").unlink(missing_ok=True)

    args = dbt_command(command)
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


def dbt_build(
    warehouse: Path,
    select: str | None = None,
    exclude: str | None = None,
    unit_tests: bool = True,
) -> None:
    """Build seeds, models and tests (raw → staging → intermediate → marts).

    ``select``/``exclude`` are dbt node selections (e.g. ``tag:after_checks``);
    ``unit_tests=False`` leaves dbt's unit tests out (the pipeline's builds: see
    ``dbt_build_before_checks``).
    """
    command = ["build"]
    if select:
        command += ["--select", select]
    if exclude:
        command += ["--exclude", exclude]
    if not unit_tests:
        command += ["--exclude-resource-type", "unit_test"]
    run_dbt(command, warehouse)


# The DAG's two builds run the data tests (they test this year's data) but not dbt's unit
# tests: those test the models' SQL on fixed inputs, so they cannot fail on new data; they
# run in CI (tests/test_dbt_build.py) and in any plain `dbt build`, as dbt's docs advise.
def dbt_build_before_checks(warehouse: Path) -> None:
    """Build everything the quality checks read: all but the ``after_checks`` nodes."""
    dbt_build(warehouse, exclude=f"{AFTER_CHECKS_SELECTOR}+", unit_tests=False)


def dbt_build_after_checks(warehouse: Path) -> None:
    """Build the nodes that read quality.check_results (the marts) and their tests."""
    dbt_build(warehouse, select=f"{AFTER_CHECKS_SELECTOR}+", unit_tests=False)


def dbt_docs_dir() -> Path:
    """Return the folder of dbt's docs site: ``dbt_docs/`` beside the GX Data Docs
    (``JIXIAO_DATA_DOCS_DIR``), which the dashboard links."""
    return settings_module.resolve().data_docs_dir.parent / "dbt_docs"


def dbt_docs_generate(warehouse: Path) -> Path:
    """Generate dbt docs for the warehouse; return dbt's target folder (index.html,
    manifest.json, catalog.json).

    Its one-page site (``static_index.html``, self-contained) is copied to
    ``dbt_docs_dir()/index.html``, beside the Data Docs.
    """
    run_dbt(["docs", "generate", "--static"], warehouse)
    site = dbt_docs_dir()
    site.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dbt_target_dir() / "static_index.html", site / "index.html")
    return dbt_target_dir()


# ---------- the tasks


def code_folders() -> list[Path]:
    """Return the folders whose files decide what the marts look like."""
    project = dbt_project_dir()
    suites = settings_module.PROJECT_ROOT / "expectations" / "suites"
    return [project / "models", project / "seeds", project / "macros", project / "tests", suites]


def transform_needed(force: bool = False) -> bool:
    """Return True unless the marts were already built from exactly this raw data and code."""
    from jixiao import freshness

    cfg = settings_module.resolve()
    if force:
        return True
    with warehouse_lock(cfg.warehouse):
        current = freshness.fingerprint(cfg.warehouse, code_folders())
        return current is None or current != freshness.last_built(cfg.warehouse)


PHASES = {"before_checks": dbt_build_before_checks, "after_checks": dbt_build_after_checks}


def transform(phase: str) -> dict[str, Any]:
    """Run one phase of ``dbt build``; raise naming the failed nodes when it fails.

    ``before_checks`` builds everything the quality checks read (seeds, staging,
    intermediate); ``after_checks`` builds what reads their results (the marts), then
    generates the dbt docs site beside the Data Docs (``dbt_docs_dir()``).
    """
    if phase not in PHASES:
        raise ValueError(f"unknown dbt phase {phase!r}; expected one of {sorted(PHASES)}")
    cfg = settings_module.resolve()
    with warehouse_lock(cfg.warehouse):
        when_writable(cfg.warehouse, f"dbt build ({phase})", lambda: PHASES[phase](cfg.warehouse))
        if phase == "after_checks":
            from jixiao import freshness

            docs = partial(dbt_docs_generate, cfg.warehouse)
            when_writable(cfg.warehouse, "dbt docs generate", docs)

            built_from = freshness.fingerprint(cfg.warehouse, code_folders())
            if built_from is not None:
                when_writable(
                    cfg.warehouse,
                    "dbt_build_marts",
                    lambda: freshness.record_built(cfg.warehouse, built_from),
                )
    summary = {"warehouse": str(cfg.warehouse), "phase": phase}
    if phase == "after_checks":
        summary["dbt_docs"] = str(dbt_docs_dir() / "index.html")
    return summary
