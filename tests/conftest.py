"""Shared fixtures. Every test runs with its own JIXIAO_HOME under tmp_path."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SEEDS = SHARED / "seeds"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# Airflow reads its config on first import: never let tests touch ~/airflow.
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="jixiao-test-airflow-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO_ROOT / "dags")


@pytest.fixture
def jixiao_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every jixiao path at a fresh folder for this test."""
    home = tmp_path / "home"
    monkeypatch.setenv("JIXIAO_HOME", str(home))
    for name in ("JIXIAO_WAREHOUSE", "JIXIAO_RECORDS_DIR", "JIXIAO_INBOX"):
        monkeypatch.delenv(name, raising=False)
    return home
