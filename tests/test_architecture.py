"""docs/architecture.md stays true: every path it names exists, every stage module the DAG
calls is named there, and the runtime package leaves the development tools out."""

from __future__ import annotations

import ast
import re
import tomllib

from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "architecture.md"
DAG_FILE = REPO_ROOT / "dags" / "jixiao_yearly.py"
TOP_FOLDERS = ("dags", "jixiao", "extract", "dbt_project", "expectations", "dashboard")
TOP_FOLDERS += ("devtools", "tests", "benchmarks")
# a path in backticks: starts with a top-level folder, ends in a file or a folder
NAMED_PATH = re.compile(r"`((?:" + "|".join(TOP_FOLDERS) + r")/[\w./*-]*)`")


def named_paths() -> list[str]:
    """Return every repository path docs/architecture.md names in backticks."""
    return sorted(set(NAMED_PATH.findall(DOC.read_text(encoding="utf-8"))))


def stage_modules_the_dag_calls() -> set[str]:
    """Return the paths of the ``jixiao.stages`` modules the DAG's tasks import."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(DAG_FILE.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("jixiao."):
            continue
        if node.module == "jixiao.stages":  # from jixiao.stages import discover
            modules |= {f"jixiao.stages.{alias.name}" for alias in node.names}
        elif node.module.startswith("jixiao.stages."):
            modules.add(node.module)
    return {module.replace(".", "/") + ".py" for module in modules}


def test_every_path_the_doc_names_exists() -> None:
    paths = named_paths()
    assert len(paths) > 40  # the table of folders is there
    missing = [path for path in paths if not list(REPO_ROOT.glob(path.rstrip("/")))]
    assert not missing, f"docs/architecture.md names paths that do not exist: {missing}"


def test_every_stage_the_dag_calls_is_in_the_doc() -> None:
    called = stage_modules_the_dag_calls()
    assert called == {
        f"jixiao/stages/{name}.py"
        for name in ("discover", "extract", "load", "transform", "validate", "publish")
    }
    assert called <= set(named_paths())


def test_every_stage_module_is_in_the_doc() -> None:
    stages = {
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "jixiao" / "stages").glob("*.py")
        if path.name != "__init__.py"
    }
    assert stages <= set(named_paths())


def test_runtime_package_ships_no_development_tool() -> None:
    """reportlab comes with the dev extra only; no runtime module imports devtools or
    reportlab at module level (the CLI imports devtools lazily, when asked to)."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = " ".join(project["project"]["dependencies"])
    assert "reportlab" not in runtime
    assert any(
        dep.startswith("reportlab") for dep in project["project"]["optional-dependencies"]["dev"]
    )
    assert "devtools" not in (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    offenders = []
    for folder in ("jixiao", "extract", "expectations", "dashboard", "dags"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                if any(name.split(".")[0] in {"devtools", "reportlab"} for name in names):
                    offenders.append(str(path.relative_to(REPO_ROOT)))
    assert not offenders
