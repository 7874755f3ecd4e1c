"""Benchmark: dbt inside Airflow — one build task vs astronomer-cosmos (issue #6).

Run from the repository root with the bench virtualenv (cosmos is not a project
dependency)::

    python3.11 -m venv .venv-bench
    .venv-bench/bin/pip install -q -c constraints.txt -e '.[dev]' astronomer-cosmos==1.15.1
    .venv-bench/bin/python benchmarks/dbt_in_airflow.py [--submissions N]

One run prepares a warehouse once (sample PDFs → extract → envelopes → ``raw``, then the
first dbt phase and the GX validation so ``quality.check_results`` exists), keeps it as
a pristine file, and times every variant on its own fresh copy of that file:

``plain``
    ``dbt build`` as ``jixiao.stages.transform.run_dbt`` runs it (one subprocess), no Airflow.
``noop``
    a DAG with one ``@task`` that does nothing: the cost of one Airflow task alone.
``one_task``
    a DAG with one ``@task`` calling ``jixiao.stages.transform.dbt_build`` (our approach), run
    with ``dag.test()``.
``two_tasks``
    the production shape without the checks in between: ``dbt_build_before_checks``
    then ``dbt_build_after_checks`` (``jixiao.stages.transform``), one task each.
``cosmos``
    a cosmos ``DbtTaskGroup`` (``LoadMode.DBT_MANIFEST`` from a manifest made by ``dbt
    parse`` beforehand; ``ExecutionMode.LOCAL``, dbt as a subprocess of the bench
    venv's ``dbt``; one task per seed/model plus a test task after each), ``dag.test()``.
``cosmos_runner``
    the same group with ``InvocationMode.DBT_RUNNER`` (dbt in the task's process).
``cosmos_watcher``
    cosmos ``ExecutionMode.WATCHER``: one producer task runs a single ``dbt build`` and
    one sensor per node reports that node's status.

Airflow variants run in a child process (this script re-executed with ``--child``)
whose environment points Airflow at a temporary ``AIRFLOW_HOME`` with SQLite metadata
(migrated once) and a temporary dags folder holding DAG files this script writes.
The figure timed for an Airflow variant is ``dag.test()`` alone (the DAG is parsed
before the clock starts; parse time and the child's whole wall time are reported too).
Each variant is checked to have built the same marts (table count and row count).

Nothing in the repository is written: everything goes under ``--workdir`` (default:
a new temporary folder, removed at the end unless ``--keep``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO / "dbt_project"
PROFILE_NAME = "jixiao"
ALL_VARIANTS = (
    "plain",
    "noop",
    "one_task",
    "two_tasks",
    "cosmos",
    "cosmos_runner",
    "cosmos_watcher",
)
DEFAULT_VARIANTS = ALL_VARIANTS
CORPUS_YEAR = 2023  # the fiscal year of a --submissions corpus
LIMIT = 1.5  # the dbt stage must stay within 1.5x of a plain `dbt build`
QUIET_ENV = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "PYTHONIOENCODING": "utf-8",
}


# --------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cpu_seconds() -> float:
    """Return user+system CPU seconds of this process and its waited-for children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def dbt_executable() -> Path:
    """Return the ``dbt`` script of the interpreter running this benchmark."""
    path = Path(sys.executable).parent / "dbt"
    if not path.is_file():
        raise SystemExit(f"no dbt executable next to {sys.executable}; use the bench venv")
    return path


def project_dir() -> Path:
    """Return the dbt project every variant runs (``$JIXIAO_DBT_PROJECT_DIR`` once set)."""
    return Path(os.environ.get("JIXIAO_DBT_PROJECT_DIR", DBT_PROJECT))


def snapshot_project(work: Path) -> Path:
    """Copy dbt_project/ (without build output) into the work folder; return the copy.

    Every variant then runs the same version of the models even while others edit the
    repository's project; ``jixiao.stages.transform`` honours ``JIXIAO_DBT_PROJECT_DIR``.
    """
    copy = work / "dbt_project"
    shutil.copytree(
        DBT_PROJECT, copy, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages")
    )
    os.environ["JIXIAO_DBT_PROJECT_DIR"] = str(copy)
    return copy


def target_name() -> str:
    """Return the default target of the ``jixiao`` profile in dbt_project/profiles.yml."""
    import yaml

    profiles = yaml.safe_load((project_dir() / "profiles.yml").read_text(encoding="utf-8"))
    return str(profiles[PROFILE_NAME]["target"])


def marts_fingerprint(warehouse: Path) -> dict[str, int]:
    """Given a built warehouse, return how many mart tables it holds and their total rows."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            f'"{schema}"."{name}"'
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema like '%marts%' order by all"
            ).fetchall()
        ]
        rows = sum(con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables)
    return {"mart_tables": len(tables), "mart_rows": int(rows)}


# --------------------------------------------------------------------------- preparation


def corpus_pairs(submissions: int) -> list[tuple[int, str]]:
    """Given a wanted number of submissions, return (fiscal year, department slug) pairs.

    The project's corpus first, then other years of the same departments: a sample's
    content depends on its year, so every pair is a distinct file (distinct sha256).
    """
    from jixiao_devtools.samples.catalog import CORPUS, DEPARTMENTS

    pairs = list(CORPUS)
    for year in (2021, 2022, *range(2020, 1900, -1)):
        for slug in sorted(DEPARTMENTS):
            if len(pairs) >= submissions:
                return pairs[:submissions]
            if (year, slug) not in pairs:
                pairs.append((year, slug))
    return pairs


def generate_corpus(inbox: Path, submissions: int) -> int:
    """Write sample PDFs into inbox/<year>/; return how many were written."""
    import jixiao_devtools.samples as samples

    if not submissions:
        return len(samples.generate(inbox))
    if hasattr(samples, "generate_year"):  # varied synthetic departments of one year
        return len(samples.generate_year(inbox, CORPUS_YEAR, submissions))
    from jixiao_devtools.samples.catalog import DEPARTMENTS
    from jixiao_devtools.samples.model import build_sample
    from jixiao_devtools.samples.render import render

    written = 0
    for year, slug in corpus_pairs(submissions):
        folder = inbox / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        render(build_sample(year, DEPARTMENTS[slug]), folder / f"{slug}.pdf")
        written += 1
    return written


def extract_all(inbox: Path, warehouse: Path, records: Path) -> list[Path]:
    """Extract every inbox file into an envelope (as the mapped extract tasks do)."""
    from jixiao.extract.api import extract_file
    from jixiao.extract.envelope import extract_to_envelope
    from jixiao.stages.discover import discover

    found = discover(inbox, warehouse)
    return [
        extract_to_envelope(item.to_dict(), "bench", records, extract_file)
        for item in found.new_files
    ]


def prepare(work: Path, submissions: int) -> tuple[Path, dict[str, Any]]:
    """Build the pristine warehouse every variant starts from; return it and its facts."""
    from jixiao.expectations.validate import validate_warehouse
    from jixiao.stages import transform
    from jixiao.stages.load import load_envelopes

    inbox, records = work / "inbox", work / "records"
    pristine = work / "pristine" / "jixiao.duckdb"
    pristine.parent.mkdir(parents=True)
    started = time.perf_counter()
    count = generate_corpus(inbox, submissions)
    log(f"generated {count} sample PDFs in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    envelopes = extract_all(inbox, pristine, records)
    log(f"extracted {len(envelopes)} envelopes in {time.perf_counter() - started:.1f} s")
    loaded = load_envelopes(pristine, envelopes).to_dict()
    log(f"loaded raw: {loaded.get('loaded')} loaded, {loaded.get('quarantined')} quarantined")
    # the first phase and the checks, so the marts read real quality.check_results
    os.environ["JIXIAO_DBT_TARGET_DIR"] = str(work / "prepare-dbt")
    transform.dbt_build_before_checks(pristine)
    try:
        checked = validate_warehouse(pristine, "bench")
        log(f"validated: {checked['checks_failed']} of {checked['checks_run']} checks failed")
    except RuntimeError as exc:  # results are written before a threshold error is raised
        log(f"validation raised (results kept): {str(exc).splitlines()[0]}")
    del os.environ["JIXIAO_DBT_TARGET_DIR"]
    facts = {"pdfs": count, "envelopes": len(envelopes), **loaded}
    facts.pop("quarantined_files", None)
    return pristine, facts


def make_manifest(work: Path, warehouse: Path) -> Path:
    """Parse the project twice, warming dbt's partial parse; return the manifest's path.

    1. ``dbt parse`` as ``jixiao.stages.transform`` runs dbt, into the run folder's target
       (``JIXIAO_DBT_TARGET_DIR``): ``plain`` and ``one_task`` then start warm, as a
       deployment with a persistent target folder does.
    2. ``dbt parse --profile … --target …`` (cosmos passes both flags, and they are part
       of dbt's partial-parse key) into ``work/parse``: its manifest.json feeds
       ``LoadMode.DBT_MANIFEST`` and its partial_parse.msgpack is put in the project
       snapshot's ``target/``, where cosmos looks for one before its first task.
    """
    from jixiao.stages import transform

    transform.run_dbt(["parse"], warehouse)
    os.environ["JIXIAO_DBT_TARGET_DIR"] = str(work / "parse")
    try:
        flags = ["--profile", PROFILE_NAME, "--target", target_name()]
        transform.run_dbt(["parse", *flags], warehouse)
    finally:
        os.environ["JIXIAO_DBT_TARGET_DIR"] = str(warehouse.parent / "dbt")
    target = work / "parse" / "target"
    if project_dir() != DBT_PROJECT:  # a snapshot: never write into the repository
        (project_dir() / "target").mkdir(exist_ok=True)
        shutil.copy2(target / "partial_parse.msgpack", project_dir() / "target")
    manifest = target / "manifest.json"
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    kinds: dict[str, int] = {}
    for node in nodes:
        if node.get("package_name") == PROFILE_NAME:
            kinds[node["resource_type"]] = kinds.get(node["resource_type"], 0) + 1
    log(f"manifest: {manifest} ({', '.join(f'{n} {k}s' for k, n in sorted(kinds.items()))})")
    return manifest


def fresh_copy(pristine: Path, warehouse: Path) -> Path:
    """Replace the run warehouse (always the same path) with a copy of the pristine one.

    The same path every time keeps dbt's partial parse valid (the profile's path is part
    of its key), like a deployment whose warehouse does not move.
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    wal = warehouse.with_name(warehouse.name + ".wal")
    warehouse.unlink(missing_ok=True)
    wal.unlink(missing_ok=True)
    shutil.copy2(pristine, warehouse)
    pristine_wal = pristine.with_name(pristine.name + ".wal")
    if pristine_wal.exists():
        shutil.copy2(pristine_wal, wal)
    return warehouse


# --------------------------------------------------------------------------- DAG files

DAG_HEADER = '''\
"""Benchmark DAG written by benchmarks/dbt_in_airflow.py (variant {variant})."""

import os
from datetime import datetime
from pathlib import Path

from airflow.sdk import dag, task

WAREHOUSE = os.environ.get("JIXIAO_WAREHOUSE", "/nonexistent/jixiao.duckdb")
'''

ONE_TASK_DAG = """
@dag(dag_id="bench_one_task", schedule=None, start_date=datetime(2024, 1, 1), catchup=False)
def bench_one_task():
    @task
    def dbt_build() -> None:
        from jixiao.stages.transform import dbt_build as build

        build(Path(WAREHOUSE))

    dbt_build()


bench_one_task()
"""

TWO_TASKS_DAG = """
@dag(dag_id="bench_two_tasks", schedule=None, start_date=datetime(2024, 1, 1), catchup=False)
def bench_two_tasks():
    @task
    def dbt_build() -> None:
        from jixiao.stages.transform import dbt_build_before_checks

        dbt_build_before_checks(Path(WAREHOUSE))

    @task
    def dbt_build_marts() -> None:
        from jixiao.stages.transform import dbt_build_after_checks

        dbt_build_after_checks(Path(WAREHOUSE))

    dbt_build() >> dbt_build_marts()


bench_two_tasks()
"""

NOOP_DAG = """
@dag(dag_id="bench_noop", schedule=None, start_date=datetime(2024, 1, 1), catchup=False)
def bench_noop():
    @task
    def nothing() -> None:
        return None

    nothing()


bench_noop()
"""

COSMOS_DAG = """
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode

PROJECT = Path({project!r})


@dag(dag_id={dag_id!r}, schedule=None, start_date=datetime(2024, 1, 1), catchup=False)
def bench_cosmos():
    group = DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(
            dbt_project_path=PROJECT,
            manifest_path={manifest!r},
            install_dbt_deps=False,
            env_vars={{"JIXIAO_WAREHOUSE": WAREHOUSE}},
        ),
        profile_config=ProfileConfig(
            profile_name={profile!r},
            target_name={target!r},
            profiles_yml_filepath=PROJECT / "profiles.yml",
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.{execution_mode},
            invocation_mode=InvocationMode.{invocation_mode},
            dbt_executable_path={dbt!r},
        ),
        # a test on several models (relationships, singular tests) gets its own task
        # after all of them; attached to one model's test task it would run too early
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST, should_detach_multiple_parents_tests=True
        ),
    ){watcher_order}


bench_cosmos()
"""

# dag.test() runs one task at a time: a watcher sensor started before the producer
# defers and waits forever. In a deployment the sensors wait on the triggerer while the
# producer runs; here the producer goes first, so every sensor finds its node's status
# on the first poke (the time measured is the build plus the sensors' own overhead).
WATCHER_ORDER = """
    producer = next(
        t for t in group.iter_tasks() if t.task_id.endswith("dbt_producer_watcher")
    )
    for sensor in list(group.iter_tasks()):
        if sensor is not producer and not sensor.upstream_task_ids:
            producer >> sensor"""

COSMOS_MODES = {
    "cosmos": ("LOCAL", "SUBPROCESS"),
    "cosmos_runner": ("LOCAL", "DBT_RUNNER"),
    "cosmos_watcher": ("WATCHER", "SUBPROCESS"),
}


def dag_id_for(variant: str) -> str:
    return f"bench_{variant}"


def write_dag_files(dags: Path, manifest: Path) -> None:
    """Write one DAG file per Airflow variant into the dags folder."""
    dags.mkdir(parents=True, exist_ok=True)
    header = DAG_HEADER.format(variant="one_task")
    (dags / "bench_one_task.py").write_text(header + ONE_TASK_DAG, encoding="utf-8")
    header = DAG_HEADER.format(variant="two_tasks")
    (dags / "bench_two_tasks.py").write_text(header + TWO_TASKS_DAG, encoding="utf-8")
    header = DAG_HEADER.format(variant="noop")
    (dags / "bench_noop.py").write_text(header + NOOP_DAG, encoding="utf-8")
    for variant, (execution_mode, invocation_mode) in COSMOS_MODES.items():
        body = COSMOS_DAG.format(
            project=str(project_dir()),
            dag_id=dag_id_for(variant),
            manifest=str(manifest),
            profile=PROFILE_NAME,
            target=target_name(),
            execution_mode=execution_mode,
            invocation_mode=invocation_mode,
            dbt=str(dbt_executable()),
            watcher_order=WATCHER_ORDER if execution_mode == "WATCHER" else "",
        )
        text = DAG_HEADER.format(variant=variant) + body
        (dags / f"{dag_id_for(variant)}.py").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- Airflow


def airflow_env(work: Path) -> dict[str, str]:
    home = work / "airflow"
    return {
        **QUIET_ENV,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(work / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "AIRFLOW__COSMOS__ENABLE_CACHE": "True",
    }


def migrate(work: Path) -> None:
    env = {**os.environ, **airflow_env(work)}
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"airflow db migrate failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
    log(f"airflow db migrate in {time.perf_counter() - started:.1f} s")


def child(variant: str, result_path: Path) -> None:
    """Inside the re-executed process: parse the variant's DAG and time ``dag.test()``."""
    from airflow import settings as airflow_settings
    from airflow.dag_processing.dagbag import DagBag

    if airflow_settings.Session is None:
        airflow_settings.configure_orm()
    dag_file = Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"]) / f"{dag_id_for(variant)}.py"
    started = time.perf_counter()
    bag = DagBag(dag_folder=str(dag_file))
    parse_seconds = time.perf_counter() - started
    if bag.import_errors:
        raise SystemExit(f"DAG import errors: {bag.import_errors}")
    dag = bag.get_dag(dag_id_for(variant))
    cpu = cpu_seconds()
    started = time.perf_counter()
    dag_run = dag.test()
    run_seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    states: dict[str, int] = {}
    for ti in dag_run.get_task_instances():
        state = str(getattr(ti.state, "value", ti.state))
        states[state] = states.get(state, 0) + 1
    result = {
        "state": str(getattr(dag_run.state, "value", dag_run.state)),
        "parse_seconds": parse_seconds,
        "run_seconds": run_seconds,
        "cpu_seconds": cpu,
        "tasks": len(dag.tasks),
        "task_states": states,
    }
    result_path.write_text(json.dumps(result), encoding="utf-8")


def run_airflow_variant(
    variant: str, work: Path, warehouse: Path, run_dir: Path, timeout: float
) -> dict[str, Any]:
    """Run one variant's DAG in a child process; return its timings and task counts."""
    run_dir.mkdir(parents=True, exist_ok=True)
    result_path = run_dir / "result.json"
    env = {
        **os.environ,
        **airflow_env(work),
        "JIXIAO_WAREHOUSE": str(warehouse),
        "JIXIAO_HOME": str(run_dir / "home"),
        "JIXIAO_DBT_TARGET_DIR": str(warehouse.parent / "dbt"),
        # a cold cosmos cache per run (partial parse is then reused within the run)
        "AIRFLOW__COSMOS__CACHE_DIR": str(run_dir / "cosmos_cache"),
    }
    started = time.perf_counter()
    with (run_dir / "child.log").open("w", encoding="utf-8") as out:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", variant, "--result", str(result_path)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
            timeout=timeout,
        )
    wall = time.perf_counter() - started
    if proc.returncode != 0 or not result_path.exists():
        tail = "\n".join((run_dir / "child.log").read_text(errors="replace").splitlines()[-40:])
        raise RuntimeError(f"{variant}: child failed (exit {proc.returncode}):\n{tail}")
    result = json.loads(result_path.read_text(encoding="utf-8"))
    result["child_wall_seconds"] = wall
    output = (run_dir / "child.log").read_text(encoding="utf-8", errors="replace")
    result["full_parses"] = output.count("Unable to do partial parsing")
    if result["state"] != "success":
        raise RuntimeError(
            f"{variant}: DAG run ended {result['state']} ({result['task_states']}); "
            f"see {run_dir / 'child.log'}"
        )
    return result


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.text: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.text.append(record.getMessage())


def run_plain(warehouse: Path) -> dict[str, Any]:
    """Time ``dbt build`` run exactly as ``jixiao.stages.transform.run_dbt`` runs it."""
    from jixiao.stages import transform

    capture = _Capture()
    logger = logging.getLogger(transform.__name__)
    logger.addHandler(capture)
    logger.setLevel(logging.INFO)
    try:
        cpu = cpu_seconds()
        started = time.perf_counter()
        transform.run_dbt(["build"], warehouse)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
    finally:
        logger.removeHandler(capture)
    return {
        "run_seconds": seconds,
        "cpu_seconds": cpu,
        "tasks": 0,
        "parse_seconds": None,
        "full_parses": "\n".join(capture.text).count("Unable to do partial parsing"),
    }


# --------------------------------------------------------------------------- report


def summarise_runs(variant: str, results: list[dict[str, Any]], error: str | None) -> dict:
    """Given a variant's runs, return its row: median wall time, tasks, parse, child."""
    if error or not results:
        return {"variant": variant, "error": error or "no run", "runs": []}

    def median(key: str) -> float | None:
        values = [r[key] for r in results if r.get(key) is not None]
        return statistics.median(values) if values else None

    return {
        "variant": variant,
        "runs": [r["run_seconds"] for r in results],
        "median": median("run_seconds"),
        "tasks": results[0]["tasks"],
        "parse": median("parse_seconds"),
        "cpu": median("cpu_seconds"),
        "child": median("child_wall_seconds"),
        "fingerprint": results[0]["fingerprint"],
        "task_states": results[0].get("task_states"),
        "full_parses": [r.get("full_parses") for r in results],
    }


def report(rows: list[dict[str, Any]], facts: dict[str, Any], repeats: dict[str, int]) -> str:
    base = next(r["median"] for r in rows if r["variant"] == "plain")
    base_cpu = next(r["cpu"] for r in rows if r["variant"] == "plain")
    head = (
        f"{'variant':<16}{'wall s':>9}{'ratio':>8}{'cpu s':>8}{'cpu ratio':>10}{'tasks':>7}"
        f"{'parse s':>9}{'child s':>9}  runs (s)"
    )
    lines = [
        f"corpus: {facts['pdfs']} PDFs, {facts.get('loaded')} loaded, "
        f"{facts.get('quarantined')} quarantined; marts: {rows[0]['fingerprint']}",
        head,
        "-" * len(head),
    ]
    for row in rows:
        if row.get("error"):
            lines.append(f"{row['variant']:<16}FAILED: {row['error']}")
            continue
        parse = f"{row['parse']:.1f}" if row["parse"] is not None else "-"
        child_wall = f"{row['child']:.1f}" if row["child"] is not None else "-"
        lines.append(
            f"{row['variant']:<16}{row['median']:>9.1f}{row['median'] / base:>8.2f}"
            f"{row['cpu']:>8.1f}{row['cpu'] / base_cpu:>10.2f}{row['tasks']:>7}"
            f"{parse:>9}{child_wall:>9}  "
            + ", ".join(f"{s:.1f}" for s in row["runs"])
            + f"; dbt full parses {row['full_parses']}"
        )
    timed = [r for r in rows if r["variant"] not in ("plain", "noop") and not r.get("error")]
    within = [r for r in timed if r["median"] / base <= LIMIT]
    over = [r for r in timed if r["median"] / base > LIMIT]
    cosmos_ok = [r for r in within if r["variant"].startswith("cosmos")]
    if cosmos_ok:
        best = min(cosmos_ok, key=lambda r: r["median"])
        verdict = (
            f"{best['variant']} stays within {LIMIT}x of plain dbt build "
            f"({best['median'] / base:.2f}x) with {best['tasks']} tasks"
        )
    else:
        verdict = "no cosmos variant stays within the limit: keep one build task per phase"
    lines.append(
        f"conclusion: within {LIMIT}x: {', '.join(r['variant'] for r in within) or 'none'}; "
        f"over: {', '.join(r['variant'] for r in over) or 'none'}; {verdict}"
    )
    lines.append(
        "wall s = median of "
        + ", ".join(f"{v} x{n}" for v, n in repeats.items())
        + " (Airflow variants: dag.test() only); cpu s = median user+sys CPU "
        "of the same span incl. subprocesses; parse s = DagBag parse; child s = whole child "
        "process incl. Airflow import"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--submissions",
        type=int,
        default=0,
        help="number of sample submissions (0: the project's sample corpus, "
        "jixiao_devtools.samples.generate; N: jixiao_devtools.samples.generate_year(dir, 2023, N))",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of the plain build")
    parser.add_argument(
        "--airflow-repeats",
        type=int,
        default=3,
        help="runs of noop, one_task, two_tasks and cosmos_watcher",
    )
    parser.add_argument(
        "--cosmos-repeats",
        type=int,
        default=1,
        help="runs of cosmos and cosmos_runner (one task per node: minutes per run)",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds before a DAG run is abandoned"
    )
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS))
    parser.add_argument("--workdir", type=Path, help="work folder (default: a new temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--live-project",
        action="store_true",
        help="run the repository's dbt_project/ in place instead of a snapshot copy",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        child(args.child, args.result)
        return 0

    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = sorted(set(variants) - set(ALL_VARIANTS))
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {', '.join(ALL_VARIANTS)}")
    if "plain" not in variants:
        variants.insert(0, "plain")
    os.environ.update(QUIET_ENV)
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="dbt-in-airflow-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    log(f"work folder {work}")
    if not args.live_project:
        log(f"dbt project snapshot {snapshot_project(work)}")
    try:
        pristine, facts = prepare(work, args.submissions)
        warehouse = fresh_copy(pristine, work / "run" / "jixiao.duckdb")
        os.environ["JIXIAO_DBT_TARGET_DIR"] = str(warehouse.parent / "dbt")
        manifest = make_manifest(work, warehouse)
        if any(v != "plain" for v in variants):
            write_dag_files(work / "dags", manifest)
            migrate(work)
        repeats = {
            v: args.repeats
            if v == "plain"
            else args.cosmos_repeats
            if v in ("cosmos", "cosmos_runner")
            else args.airflow_repeats
            for v in variants
        }
        results: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
        errors: dict[str, str | None] = {v: None for v in variants}
        # rounds: every variant once per round, so load from other processes on the
        # machine hits all variants alike
        for i in range(max(repeats.values())):
            for variant in variants:
                if i >= repeats[variant] or errors[variant]:
                    continue
                fresh_copy(pristine, warehouse)
                run_dir = work / "runs" / f"{variant}-{i}"
                log(f"{variant} run {i + 1}/{repeats[variant]} on {warehouse}")
                try:
                    if variant == "plain":
                        result = run_plain(warehouse)
                    else:
                        result = run_airflow_variant(
                            variant, work, warehouse, run_dir, args.timeout
                        )
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    if variant == "plain":
                        raise
                    errors[variant] = str(exc).splitlines()[0]
                    log(f"{variant} run {i + 1} FAILED: {exc}")
                    continue
                result["fingerprint"] = marts_fingerprint(warehouse)
                log(f"{variant} run {i + 1}: {result['run_seconds']:.1f} s {result}")
                results[variant].append(result)
        rows = [summarise_runs(v, results[v], errors[v]) for v in variants]
        built = [r for r in rows if "fingerprint" in r and r["variant"] != "noop"]
        prints = {json.dumps(r["fingerprint"], sort_keys=True) for r in built}
        if len(prints) != 1:
            log(f"WARNING: variants built different marts: {sorted(prints)}")
        print(report(rows, facts, repeats))
        if args.json:
            args.json.write_text(
                json.dumps({"facts": facts, "rows": rows}, indent=2), encoding="utf-8"
            )
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
