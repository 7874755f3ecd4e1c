# jixiao — the front door. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# make demo writes under JIXIAO_HOME when it is set (JIXIAO_HOME=/tmp/x make demo)
DEMO_HOME := $(or $(JIXIAO_HOME),.jixiao)
DEMO_INBOX ?= $(DEMO_HOME)/inbox

export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: install demo test lint airflow dashboard bench clean

install: $(STAMP)

# Reinstall only when the dependency pins change.
$(STAMP): pyproject.toml setup.py constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found (jixiao needs Python 3.11; set PYTHON=...)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,dashboard]'
	touch $(STAMP)

demo: install
	$(BIN)/jixiao samples $(DEMO_INBOX)
	$(BIN)/jixiao run --inbox $(DEMO_INBOX) > $(DEMO_HOME)/demo-run.log 2>&1 || { tail -n 60 $(DEMO_HOME)/demo-run.log; exit 1; }
	@tail -n 1 $(DEMO_HOME)/demo-run.log > $(DEMO_HOME)/demo-summary.json
	@$(BIN)/python -m jixiao.demo_report $(DEMO_HOME)/demo-summary.json

# The deployed-mode tests (scheduler on Postgres, Celery workers with Redis) need the
# deploy extra; `make install` (and `make demo`) stay without it.
DEPLOY_STAMP := $(VENV)/.installed-deploy
$(DEPLOY_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[deploy]'
	touch $@

test: install $(DEPLOY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models --processes 2
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

# The Airflow UI on a laptop (http://localhost:8080): api-server, scheduler,
# dag-processor and triggerer on the embedded defaults, with the jixiao DAG loaded;
# sized for 2-4 cores (parallelism 4, one parsing process: jixiao/deploy.py).
airflow: install
	$(BIN)/python -m jixiao.airflow_shell standalone

# The dashboard on http://localhost:8501 over the serving copy the last run published
# beside JIXIAO_WAREHOUSE (make demo first); DASHBOARD_PORT / DASHBOARD_ADDRESS move it.
dashboard: install
	$(BIN)/python -m jixiao.dashboard.server

# Benchmarks print their figures (never timed tests). The cosmos comparison needs
# astronomer-cosmos, kept out of .venv in its own .venv-bench.
.venv-bench/.installed: pyproject.toml constraints.txt
	test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $@

bench: install $(DEPLOY_STAMP) .venv-bench/.installed
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/extract_bounded.py
	$(BIN)/python benchmarks/ocr_engines.py
	$(BIN)/python benchmarks/dbt_build.py
	$(BIN)/python benchmarks/run_year.py --count 600
	$(BIN)/python benchmarks/run_deployed.py --count 600
	$(BIN)/python benchmarks/dashboard_pages.py
	.venv-bench/bin/python benchmarks/dbt_in_airflow.py --variants plain,noop,one_task,two_tasks

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models --processes 2

clean:
	rm -rf .jixiao .pytest_cache
