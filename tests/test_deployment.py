"""docker-compose.yml is valid Compose, names only files that exist, and runs what the
deployed-mode tests start (jixiao/deploy.py's COMPONENTS)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from jixiao import deploy
from jixiao.stack import AirflowStack
from tests.conftest import REPO_ROOT, SHARED

COMPOSE = REPO_ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.mark.shared("schemas/compose-spec.json")
def test_compose_matches_the_compose_specification(compose: dict) -> None:
    import jsonschema

    schema_path = SHARED / "schemas" / "compose-spec.json"
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


AIRFLOW_SERVICES = {
    "airflow-apiserver": "airflow-apiserver",
    "airflow-scheduler": "airflow-scheduler",
    "airflow-dag-processor": "airflow-dag-processor",
    "airflow-triggerer": "airflow-triggerer",
    "airflow-worker": "airflow-worker",
    "airflow-worker-warehouse": "airflow-worker",
}


def _default(value: str) -> str:
    """Given a compose value like ``${X:-4}``, return what it is when X is unset."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))


def test_compose_services_run_the_components_the_tests_start(compose: dict) -> None:
    services = compose["services"]
    for name, component in AIRFLOW_SERVICES.items():
        command = services[name]["command"]
        assert command[: len(deploy.COMPONENTS[component])] == deploy.COMPONENTS[component], name
    assert services["airflow-worker-warehouse"]["command"] == deploy.worker_args(
        ["jixiao_warehouse", "default"], concurrency=1
    )
    assert services["airflow-worker"]["command"] == deploy.worker_args(["default"])
    assert services["airflow-init"]["command"] == ["python", "-m", "jixiao.deploy", "init"]
    # the test harness starts the same commands (the triggerer aside: no deferrable task)
    stack = AirflowStack(Path("/nonexistent"), "postgresql://x", Path("/inbox"), "CeleryExecutor")
    started = {name: args for name, (args, _) in stack.commands().items()}
    assert started["scheduler"] == deploy.COMPONENTS["airflow-scheduler"]
    assert started["dag-processor"] == deploy.COMPONENTS["airflow-dag-processor"]
    assert started["api-server"][:1] == deploy.COMPONENTS["airflow-apiserver"]
    assert started["worker-1"][:4] == deploy.worker_args(
        [stack.warehouse_queue, stack.default_queue]
    )
    assert started["worker-2"][:4] == deploy.worker_args([stack.default_queue])


def test_compose_switches_the_executor_for_every_service(compose: dict) -> None:
    common = compose["x-airflow-common"]["environment"]
    assert common["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    for name, service in compose["services"].items():
        if name in AIRFLOW_SERVICES or name == "airflow-init":
            executor = service["environment"]["AIRFLOW__CORE__EXECUTOR"]
            assert executor == common["AIRFLOW__CORE__EXECUTOR"], name


def test_compose_shares_the_execution_api_and_its_secret(compose: dict) -> None:
    common = compose["x-airflow-common"]["environment"]
    assert common["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith("http://airflow-apiserver:")
    assert common["AIRFLOW__API_AUTH__JWT_SECRET"].startswith("${AIRFLOW_JWT_SECRET:?")
    assert "AIRFLOW_ADMIN_PASSWORD" in compose["services"]["airflow-init"]["environment"]
    auth = common["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
    for name in ("airflow-init", "airflow-apiserver"):
        mounts = [v.split(":")[1] for v in compose["services"][name]["volumes"]]
        assert str(Path(auth).parent) in mounts, name


def test_compose_has_health_checks_and_waits_for_them(compose: dict) -> None:
    services = compose["services"]
    for name, service in services.items():
        if name == "airflow-init":
            continue
        assert "healthcheck" in service, f"{name} has no health check"
    for name in AIRFLOW_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["airflow-init"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        if name != "airflow-apiserver":
            assert depends["airflow-apiserver"]["condition"] == "service_healthy", name
    for name in ("airflow-worker", "airflow-worker-warehouse"):
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_binds_ports_to_localhost_by_default(compose: dict) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert _default(port).startswith("127.0.0.1:"), f"{name} publishes {port}"


def test_compose_is_sized_for_a_small_host(compose: dict) -> None:
    common = compose["x-airflow-common"]["environment"]
    for key, value in deploy.SMALL_HOST_SETTINGS.items():
        assert _default(common[key]) == value, key


def test_dockerfile_creates_every_volume_mount_point(compose: dict) -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    named = set(compose["volumes"]) - {"postgres-data"}
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if source in named and not target.startswith("/opt/airflow/logs"):
                assert target in dockerfile, f"{name}: {target} is not created by the Dockerfile"
    assert "'.[deploy]'" in dockerfile


def test_env_example_sets_every_required_variable(compose: dict) -> None:
    text = (REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{([A-Z_]+):\?", text))
    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert required <= defined, required - defined
