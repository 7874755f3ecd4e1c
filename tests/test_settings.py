"""jixiao.settings: every knob declared once, typed, validated, and the README's table of it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from jixiao import settings
from tests.conftest import REPO_ROOT

PYTHON_SOURCES = ("jixiao", "extract", "expectations", "dashboard", "dags")


def test_every_field_has_one_variable() -> None:
    fields = [field.name for field in dataclasses.fields(settings.Settings)]
    assert sorted(fields) == sorted(variable.field for variable in settings.VARIABLES)
    names = [variable.name for variable in settings.VARIABLES]
    assert len(names) == len(set(names))


def test_defaults_follow_the_home(tmp_path: Path) -> None:
    cfg = settings.resolve({"JIXIAO_HOME": str(tmp_path)})
    assert cfg.warehouse == tmp_path / "warehouse" / "jixiao.duckdb"
    assert cfg.serving == tmp_path / "warehouse" / "serving" / "jixiao.duckdb"
    assert cfg.dbt_target_dir == tmp_path / "dbt"  # one default for dbt's target folder
    assert cfg.airflow_home == tmp_path / "airflow"
    assert cfg.airflow_database == f"sqlite:///{tmp_path / 'airflow' / 'airflow.db'}"
    assert (cfg.batch_size, cfg.warehouse_pool, cfg.accept_printed_year) == (
        25,
        "jixiao_warehouse",
        False,
    )
    assert (cfg.ocr_max_pages, cfg.ocr_seconds_per_page, cfg.ocr_min_confidence, cfg.ocr_dpi) == (
        60,
        30.0,
        0.8,
        200,
    )


def test_values_are_typed_and_blank_is_unset(tmp_path: Path) -> None:
    cfg = settings.resolve(
        {
            "JIXIAO_HOME": str(tmp_path),
            "JIXIAO_WAREHOUSE": str(tmp_path / "w.duckdb"),
            "JIXIAO_BATCH_SIZE": " 7 ",
            "JIXIAO_LOCK_TIMEOUT_SECONDS": "2.5",
            "JIXIAO_ACCEPT_PRINTED_YEAR": "yes",
            "JIXIAO_INBOX": "",
        }
    )
    assert cfg.serving == tmp_path / "serving" / "jixiao.duckdb"
    assert (cfg.batch_size, cfg.lock_timeout_seconds, cfg.accept_printed_year) == (7, 2.5, True)
    assert cfg.inbox == tmp_path / "inbox"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("JIXIAO_BATCH_SIZE", "many", "must be an integer, got 'many'"),
        ("JIXIAO_BATCH_SIZE", "0", "must be >= 1, got 0"),
        ("JIXIAO_MAX_PAGES", "-3", "must be >= 1"),
        ("JIXIAO_EXTRACT_TIMEOUT_SECONDS", "nan", "must be a finite number"),
        ("JIXIAO_OCR_MIN_CONFIDENCE", "1.5", "must be between 0 and 1"),
        ("JIXIAO_ACCEPT_PRINTED_YEAR", "perhaps", "must be 1/true/yes or 0/false/no"),
        ("DASHBOARD_PORT", "70000", "must be between 1 and 65535"),
    ],
)
def test_a_bad_value_names_its_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"{name} {message}")):
        settings.resolve({name: value})


def test_readme_table_is_the_definitions() -> None:
    """The README's table of environment variables is exactly what the settings declare."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert settings.markdown_table() in readme, (
        "README.md's table of variables differs from jixiao/settings.py: paste the output "
        "of `python -m jixiao.settings --markdown`"
    )


def test_markdown_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert settings.main(["--markdown"]) == 0
    assert capsys.readouterr().out.strip() == settings.markdown_table()


def test_the_environment_is_read_in_settings_only() -> None:
    """No module of the project but jixiao/settings.py reads an environment variable
    (passing the environment on to a child process is fine)."""
    reads = re.compile(r"os\.getenv|os\.environ\.get\(|os\.environ\[[^\]]+\](?!\s*=)")
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
        for folder in PYTHON_SOURCES
        for path in sorted((REPO_ROOT / folder).rglob("*.py"))
        if path != REPO_ROOT / "jixiao" / "settings.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reads.search(line)
    ]
    assert not offenders, "read jixiao.settings instead:\n" + "\n".join(offenders)
