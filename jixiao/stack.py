"""Airflow as deployed, on one host: real components as processes, driven by the REST API.

``AirflowStack`` starts what ``docker-compose.yml`` runs (``jixiao.deploy.COMPONENTS``):
the init step, api-server, scheduler, dag-processor and, for CeleryExecutor, Celery
workers — each a process with its own log file, all on one Postgres metadata DB.
``ApiClient`` talks to it only through Airflow 3's public REST API (JWT from
``/auth/token``). Used by ``tests/test_deployment_*.py`` and ``benchmarks/run_deployed.py``.

Each Celery worker gets its own working folders (AIRFLOW_HOME, task logs, JIXIAO_HOME):
nothing on one worker's disk is visible to another, as on separate hosts. The first
worker also serves the warehouse queue and holds the warehouse.

The triggerer is not started: the DAG has no deferrable task.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao import settings as settings_module
from jixiao.deploy import COMPONENTS, SMALL_HOST_SETTINGS, init, worker_args

POSTGRES = "127.0.0.1:5432"
REDIS = "127.0.0.1:6379"
ADMIN = ("admin", "jixiao-stack")
DAG_ID = "jixiao_yearly"
FINISHED = {"success", "failed"}


class StackError(RuntimeError):
    """A component did not start, or a run did not finish; the message has the logs."""


def service_available(address: str, timeout: float = 1.0) -> bool:
    """Given ``host:port``, return True if something accepts TCP connections there."""
    host, port = address.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def scratch_database(prefix: str = "jixiao_stack") -> Iterator[str]:
    """Create a Postgres database for one stack; yield its SQLAlchemy URL; drop it after."""
    import psycopg2

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    host, port = POSTGRES.split(":")
    admin = psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f'create database "{name}"')
        yield f"postgresql+psycopg2://postgres@{POSTGRES}/{name}"
    finally:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path


@dataclass
class AirflowStack:
    """Airflow components on one host for one metadata DB (see the module docstring)."""

    root: Path
    database_url: str
    inbox: Path
    executor: str = "LocalExecutor"
    workers: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    processes: list[Process] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tag = uuid.uuid4().hex[:8]
        self.jwt_secret = secrets.token_urlsafe(32)
        # unique Celery queues: stacks sharing one Redis never take each other's tasks
        self.default_queue = f"jixiao-{self.tag}"
        self.warehouse_queue = f"jixiao-{self.tag}-warehouse"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def control_home(self) -> Path:
        """JIXIAO_HOME of the control plane (and of LocalExecutor's tasks)."""
        return self.root / "control" / "jixiao"

    def worker_home(self, number: int) -> Path:
        """The private folder of Celery worker ``number`` (its 'local disk')."""
        return self.root / f"worker-{number}"

    @property
    def warehouse(self) -> Path:
        """Where the warehouse is: on the control host, or on worker 1 (Celery)."""
        home = self.control_home if self.executor == "LocalExecutor" else self.worker_jixiao(1)
        return settings_module.resolve({"JIXIAO_HOME": str(home)}).warehouse

    def worker_jixiao(self, number: int) -> Path:
        return self.worker_home(number) / "jixiao"

    def environment(self, home: Path, jixiao_home: Path) -> dict[str, str]:
        """Given an AIRFLOW_HOME and a JIXIAO_HOME, return one component's environment."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AIRFLOW", "JIXIAO_"))
        }
        bin_dir = str(Path(sys.executable).parent)
        env.update(SMALL_HOST_SETTINGS)
        env.update(
            {
                "PATH": os.pathsep.join([bin_dir, env.get("PATH", "")]),
                "AIRFLOW_HOME": str(home),
                "AIRFLOW__CORE__EXECUTOR": self.executor,
                "AIRFLOW__CORE__DAGS_FOLDER": str(settings_module.DAGS_FOLDER),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.database_url,
                "AIRFLOW__API_AUTH__JWT_SECRET": self.jwt_secret,
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.api_url}/execution/",
                "AIRFLOW__API__BASE_URL": self.api_url,
                "AIRFLOW__API__PORT": str(self.port),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN[0]}:admin",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(
                    self.root / "control" / "passwords.json"
                ),
                "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
                "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
                "AIRFLOW__OPERATORS__DEFAULT_QUEUE": self.default_queue,
                "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS}/0",
                "AIRFLOW__CELERY__RESULT_BACKEND": "db+"
                + self.database_url.replace("postgresql+psycopg2", "postgresql"),
                "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
                "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "300",
                "JIXIAO_HOME": str(jixiao_home),
                "JIXIAO_INBOX": str(self.inbox),
                "JIXIAO_WAREHOUSE_QUEUE": (
                    self.warehouse_queue if self.executor == "CeleryExecutor" else "default"
                ),
                "JIXIAO_RETRIES": "0",
                "AIRFLOW_ADMIN_USER": ADMIN[0],
                "AIRFLOW_ADMIN_PASSWORD": ADMIN[1],
                "GX_ANALYTICS_ENABLED": "false",
                "DO_NOT_TRACK": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def control_environment(self) -> dict[str, str]:
        return self.environment(self.root / "control" / "airflow", self.control_home)

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log = self.root / "logs" / f"{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
        with log.open("wb") as handle:
            popen = subprocess.Popen(
                [sys.executable, "-m", "airflow", *args],
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # no terminal signals from the caller; stop() ends it
            )
        self.processes.append(Process(name, popen, log))

    def start(self, timeout: float = 240.0) -> ApiClient:
        """Init the metadata DB, start every component; return a client once the DAG is
        parsed and the scheduler is healthy. Raises ``StackError`` with the logs."""
        self.root.mkdir(parents=True, exist_ok=True)
        control = self.control_environment()
        try:
            init(control)
        except RuntimeError as exc:
            raise StackError(str(exc)) from exc
        for name, (args, env) in self.commands().items():
            self._spawn(name, args, env)
        client = ApiClient(self.api_url, *ADMIN)
        deadline = time.monotonic() + timeout
        while True:
            self._check_alive()
            if client.ready(DAG_ID) and self._workers_ready():
                return client
            if time.monotonic() > deadline:
                raise StackError(f"stack not ready after {timeout:.0f} s\n{self.logs()}")
            time.sleep(1.0)

    def commands(self) -> dict[str, tuple[list[str], dict[str, str]]]:
        """Return each component's ``airflow`` arguments and environment, by name."""
        control = self.control_environment()
        api = [*COMPONENTS["airflow-apiserver"], "--host", "127.0.0.1", "--port", str(self.port)]
        commands = {
            "api-server": (api, control),
            "scheduler": (COMPONENTS["airflow-scheduler"], control),
            "dag-processor": (COMPONENTS["airflow-dag-processor"], control),
        }
        if self.executor != "CeleryExecutor":
            return commands
        for number in range(1, self.workers + 1):
            queues = [self.warehouse_queue, self.default_queue] if number == 1 else []
            args = worker_args(queues or [self.default_queue])
            args += ["--celery-hostname", f"worker-{number}-{self.tag}@%h", "--skip-serve-logs"]
            home = self.worker_home(number)
            commands[f"worker-{number}"] = (
                args,
                self.environment(home / "airflow", self.worker_jixiao(number)),
            )
        return commands

    def _workers_ready(self) -> bool:
        """True when every Celery worker has said it is ready (consuming its queues)."""
        return all(
            " ready." in process.log.read_text("utf-8", errors="replace")
            for process in self.processes
            if process.name.startswith("worker-")
        )

    def _check_alive(self) -> None:
        for process in self.processes:
            if process.popen.poll() is not None:
                raise StackError(
                    f"{process.name} exited with {process.popen.returncode}\n{self.logs()}"
                )

    def logs(self, lines: int = 40) -> str:
        """Return the last lines of every component's log, for a failure message."""
        parts = []
        for process in self.processes:
            text = process.log.read_text("utf-8", errors="replace").splitlines()
            parts.append(f"----- {process.name} ({process.log}) -----")
            parts.extend(text[-lines:])
        return "\n".join(parts)

    def task_logs(self, lines: int = 60) -> str:
        """Return the ends of the task logs of failed attempts found on any host."""
        parts = []
        for log in sorted(self.root.glob("**/logs/dag_id=*/**/*.log")):
            text = log.read_text("utf-8", errors="replace")
            if "ERROR" in text or "Traceback" in text:
                parts.append(f"----- {log.relative_to(self.root)} -----")
                parts.extend(text.splitlines()[-lines:])
        return "\n".join(parts)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop every component and every process it started (the api-server's workers
        start sessions of their own): SIGTERM, then SIGKILL after ``timeout``."""
        import psutil

        tree: list[psutil.Process] = []
        for process in self.processes:
            try:
                root = psutil.Process(process.popen.pid)
                tree += [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                pass
        for member in reversed(tree):
            try:
                member.terminate()
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(tree, timeout=timeout)
        for member in alive:
            try:
                member.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=10)
        for process in self.processes:
            process.popen.wait(timeout=10)
        if self.executor == "CeleryExecutor":
            self._clean_broker()

    def _clean_broker(self) -> None:
        """Delete this stack's queues and bindings from the shared Redis."""
        import redis

        host, port = REDIS.split(":")
        client = redis.Redis(host=host, port=int(port), db=0)
        keys = list(client.scan_iter(match=f"*jixiao-{self.tag}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


class ApiClient:
    """The Airflow 3 public REST API, authenticated with a JWT from ``/auth/token``."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=base_url, timeout=30.0)
        self.username, self.password = username, password
        self.token: str | None = None

    def _headers(self) -> dict[str, str]:
        if self.token is None:
            response = self.http.post(
                "/auth/token", json={"username": self.username, "password": self.password}
            )
            response.raise_for_status()
            self.token = response.json()["access_token"]
        return {"Authorization": f"Bearer {self.token}"}

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, f"/api/v2{path}", headers=self._headers(), **kwargs)
        if response.status_code == 401:  # token expired: get a new one, once
            self.token = None
            response = self.http.request(
                method, f"/api/v2{path}", headers=self._headers(), **kwargs
            )
        if response.status_code >= 400:
            raise StackError(f"{method} {path}: {response.status_code} {response.text[:2000]}")
        return response.json() if response.content else None

    def ready(self, dag_id: str) -> bool:
        """Return True once the API answers, the scheduler is healthy and the DAG parsed."""
        import httpx

        try:
            health = self.http.get("/api/v2/monitor/health").json()
            if health.get("scheduler", {}).get("status") != "healthy":
                return False
            response = self.http.get(f"/api/v2/dags/{dag_id}", headers=self._headers())
        except (httpx.HTTPError, ValueError):
            self.token = None
            return False
        return response.status_code == 200

    def unpause(self, dag_id: str) -> dict:
        return self.request("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def trigger(self, dag_id: str, conf: dict[str, Any]) -> str:
        """Trigger a manual run with ``conf``; return its run id."""
        body = {"logical_date": None, "conf": conf}
        return str(self.request("POST", f"/dags/{dag_id}/dagRuns", json=body)["dag_run_id"])

    def runs(self, dag_id: str) -> list[dict]:
        return list(self.request("GET", f"/dags/{dag_id}/dagRuns")["dag_runs"])

    def run(self, dag_id: str, run_id: str) -> dict:
        return dict(self.request("GET", f"/dags/{dag_id}/dagRuns/{run_id}"))

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances"
        return list(self.request("GET", path, params={"limit": 1000})["task_instances"])

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float, stack: AirflowStack) -> dict:
        """Poll a run until it finishes; raise ``StackError`` (with logs) on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.run(dag_id, run_id)
            if run["state"] in FINISHED:
                return run
            stack._check_alive()
            if time.monotonic() > deadline:
                states = {
                    f"{ti['task_id']}[{ti['map_index']}]": ti["state"]
                    for ti in self.task_instances(dag_id, run_id)
                }
                raise StackError(
                    f"run {run_id} still {run['state']} after {timeout:.0f} s; tasks: {states}\n"
                    f"{stack.logs()}\n{stack.task_logs()}"
                )
            time.sleep(1.0)

    def wait_for_scheduled_run(self, dag_id: str, timeout: float) -> dict:
        """Wait until the scheduler has created a scheduled run; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for run in self.runs(dag_id):
                if run["run_type"] == "scheduled":
                    return run
            time.sleep(1.0)
        raise StackError(f"no scheduled run of {dag_id} within {timeout:.0f} s of unpausing")
