"""Shared fixtures and the suite's rules about skipping.

Every test runs with its own JIXIAO_HOME under tmp_path (``jixiao_home``). Generated data
(no ``../shared`` needed) comes from ``sample_corpus``: the sample corpus, built once per
test run. Tests that need ``../shared`` are marked ``@pytest.mark.shared("seeds")`` (the
path under ``../shared`` they read): they are skipped, saying so, where it is absent.
``JIXIAO_TEST_NO_SKIPS=1`` (set by ``.ci/run``) turns every skip into a failure, and a
missing ``../shared`` into an error before any test runs.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
NO_SKIPS = os.environ.get("JIXIAO_TEST_NO_SKIPS") == "1"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# Airflow reads its config on first import: never let tests touch ~/airflow.
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="jixiao-test-airflow-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO_ROOT / "dags")


def pytest_configure(config: pytest.Config) -> None:
    if NO_SKIPS and not SHARED.is_dir():
        raise pytest.UsageError(
            f"JIXIAO_TEST_NO_SKIPS=1 (.ci/run) but {SHARED} is absent: the tests marked "
            "`shared` would be skipped (clone the project beside its ../shared folder)"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, saying which path is missing, the tests marked ``shared`` whose input is absent."""
    for item in items:
        for mark in item.iter_markers("shared"):
            needed = SHARED.joinpath(*mark.args)
            if not needed.exists():
                item.add_marker(pytest.mark.skip(reason=f"needs ../shared: {needed} is absent"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    """Under JIXIAO_TEST_NO_SKIPS=1 a skipped test is reported as failed, with its reason."""
    report = yield
    if NO_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, and JIXIAO_TEST_NO_SKIPS=1 allows no skip: {reason}"
    return report


def _unconverted_skips(config: pytest.Config) -> list[pytest.TestReport]:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if not NO_SKIPS or reporter is None or hasattr(config, "workerinput"):
        return []  # an xdist worker: the controller counts
    return reporter.stats.get("skipped", [])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under JIXIAO_TEST_NO_SKIPS=1 a skip the hook above did not turn into a failure (a
    whole module skipped while collected) fails the run."""
    if _unconverted_skips(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if skipped := _unconverted_skips(terminalreporter.config):
        terminalreporter.section("JIXIAO_TEST_NO_SKIPS=1", red=True)
        terminalreporter.write_line(f"{len(skipped)} skipped: no skip is allowed (a failure)")


@pytest.fixture
def jixiao_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every jixiao path at a fresh folder for this test."""
    home = tmp_path / "home"
    monkeypatch.setenv("JIXIAO_HOME", str(home))
    for name in ("JIXIAO_WAREHOUSE", "JIXIAO_RECORDS_DIR", "JIXIAO_INBOX"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session", autouse=True)
def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Where data built once per test run goes (``tests.generated.build_once``)."""
    from tests import generated

    generated.RUN_FOLDER = generated.run_folder(tmp_path_factory)


@pytest.fixture(scope="session")
def sample_corpus() -> Path:
    """The sample corpus, as ``jixiao samples DIR`` writes it: ``<year>/<name>.pdf`` with
    ``<name>.truth.json`` beside each (every family, three fiscal years, the planted
    mistakes). Generated once per test run and shared by the xdist workers: the folder
    is read-only; copy it (``tests.generated.copy_tree``) or single files out of it
    before changing anything."""
    from tests.generated import sample_corpus_folder

    return sample_corpus_folder()
