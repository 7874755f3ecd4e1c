"""docs/architecture.md stays true: every path it names exists, every stage module the DAG
calls is named there, and the runtime package leaves the development tools out."""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

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
    """reportlab comes with the dev extra only; no runtime module imports jixiao_devtools or
    reportlab at module level (the CLI imports the dev tools lazily, when asked to)."""
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
                if any(name.split(".")[0] in {"jixiao_devtools", "reportlab"} for name in names):
                    offenders.append(str(path.relative_to(REPO_ROOT)))
    assert not offenders


def imported_names(path) -> list[str]:
    """Return every module name ``path`` imports, at any depth (lazy imports included)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module or "")
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_import_names_cannot_collide_with_other_packages() -> None:
    """The checkout imports the stage folders under jixiao (the editable install maps them),
    the dev tools as jixiao_devtools; no module imports a bare folder name."""
    for name, folder in {
        "jixiao.extract": "extract",
        "jixiao.expectations": "expectations",
        "jixiao.dashboard": "dashboard",
        "jixiao_devtools": "devtools",
    }.items():
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        assert Path(spec.origin) == REPO_ROOT / folder / "__init__.py", name
    bare = {"extract", "expectations", "dashboard", "devtools"}
    offenders = sorted(
        f"{path.relative_to(REPO_ROOT)}: {name}"
        for folder in TOP_FOLDERS
        for path in (REPO_ROOT / folder).rglob("*.py")
        for name in imported_names(path)
        if name.split(".")[0] in bare
    )
    assert not offenders, f"imports of bare folder names: {offenders}"


def test_the_image_installs_one_import_root_without_dev_tools(tmp_path: Path) -> None:
    """A wheel built from what the Dockerfile copies holds only the jixiao package: the stage
    folders under it, the GX suites as data, no dev tools (docker cannot run here)."""
    source = tmp_path / "image"
    for line in (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY"):
            for name in [part for part in line.split()[1:-1] if not part.startswith("--")]:
                if (REPO_ROOT / name).is_dir():
                    shutil.copytree(REPO_ROOT / name, source / name)
                else:
                    source.mkdir(exist_ok=True)
                    shutil.copy2(REPO_ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path, source],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("jixiao-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    roots = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert roots == {"jixiao"}
    assert "jixiao/extract/api.py" in names
    assert "jixiao/stages/extract.py" in names
    assert any(name.startswith("jixiao/expectations/suites/") for name in names)
