"""docker-compose.yml is valid Compose and names only files that exist."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import REPO_ROOT, SHARED

COMPOSE = REPO_ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_compose_matches_the_compose_specification(compose: dict) -> None:
    schema_path = SHARED / "schemas" / "compose-spec.json"
    if not schema_path.exists():
        pytest.skip("../shared/schemas/compose-spec.json is absent")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(compose, schema)


def test_compose_names_existing_files(compose: dict) -> None:
    for name, service in compose["services"].items():
        build = service.get("build")
        if build:
            context = REPO_ROOT / build["context"]
            assert (context / build.get("dockerfile", "Dockerfile")).is_file(), name
        for env_file in service.get("env_file", []):
            example = REPO_ROOT / f"{env_file}.example"
            assert example.is_file(), f"{name}: {env_file} has no committed example"


def test_compose_has_the_production_services(compose: dict) -> None:
    services = compose["services"]
    for name in (
        "postgres",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
    ):
        assert name in services
    assert "celery" in services["airflow-worker"]["profiles"]
    assert (
        "postgresql"
        in services["airflow-scheduler"]["environment"]["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    )


def test_dockerfile_copies_only_existing_paths() -> None:
    for line in (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("FROM"):
            assert "apache/airflow:3.3.2-python3.11" in line
        if line.startswith("COPY"):
            sources = [p for p in line.split()[1:-1] if not p.startswith("--")]
            for source in sources:
                assert (REPO_ROOT / source).exists(), source
