"""Yearly load of budget-performance evaluations into the jixiao warehouse.

discover → extract (mapped over file batches) → load_raw → transform_needed
→ dbt_build → validate → dbt_build_marts → publish

transform_needed skips dbt and the checks when raw data and code are unchanged since
the marts were built (``force_transform`` overrides). Marts are built after the GX
validation, so they carry its quality status.

Wiring only: each task calls a typed function of its stage, ``jixiao.stages.<stage>``;
settings come from ``jixiao.settings``. Warehouse tasks run one at a time (pool, queue);
extract tasks pass envelopes to load_raw as XComs.
A scheduled run for a year not in the inbox yet is skipped at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import (
    Asset,
    CronDataIntervalTimetable,
    Param,
    chain,
    dag,
    get_current_context,
    task,
)

from jixiao.settings import resolve

SETTINGS = resolve()
WAREHOUSE = {"pool": SETTINGS.warehouse_pool, "queue": SETTINGS.warehouse_queue}
# One run per fiscal year: the run for the interval starting 1 January Y processes inbox/Y.
YEARLY = CronDataIntervalTimetable("@yearly", timezone="UTC")
MARTS = (
    "dim_department",
    "dim_district",
    "fct_budget_execution",
    "fct_indicator_scores",
    "fct_department_year",
    "fct_project_execution",
    "mart_district_year",
    "mart_department_trend",
    "mart_unmapped_indicator_labels",
    "mart_partly_read_submissions",
    "mart_ocr_read_submissions",
)
MART_ASSETS = [Asset(name=f"jixiao.marts.{name}", uri=f"jixiao://marts/{name}") for name in MARTS]

DEFAULT_ARGS = {
    "owner": "jixiao",
    "retries": SETTINGS.retries,
    "retry_delay": timedelta(seconds=SETTINGS.retry_delay_seconds),
}


@dag(
    dag_id="jixiao_yearly",
    schedule=YEARLY,
    start_date=datetime(2015, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["jixiao", "warehouse", "performance-evaluation"],
    params={
        "inbox": Param("", type="string", description="Inbox folder (empty: JIXIAO_INBOX)"),
        "year": Param(
            None,
            type=["null", "integer"],
            description="Fiscal year folder to process; null: the run's logical year "
            "(scheduled and backfill runs) or every year folder (manual runs)",
        ),
        "batch_size": Param(SETTINGS.batch_size, type="integer", minimum=1),
        "reprocess_quarantined": Param(
            False, type="boolean", description="Extract files quarantined earlier again"
        ),
        "force_transform": Param(
            False, type="boolean", description="Run dbt and the checks even if nothing changed"
        ),
    },
    doc_md=__doc__,
)
def jixiao_yearly() -> None:
    @task(**WAREHOUSE)
    def discover() -> list[list[dict]]:
        from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

        from jixiao.stages import discover as stage

        context = get_current_context()
        logical_date = context.get("logical_date")
        try:
            planned = stage.plan_run(
                context["params"],
                context["dag_run"].run_type,
                logical_date.year if logical_date else None,
            )
        except stage.YearNotArrived as exc:
            raise AirflowSkipException(str(exc)) from exc  # the whole run, no retry
        except FileNotFoundError as exc:
            raise AirflowFailException(str(exc)) from exc  # no inbox: no retry
        context["ti"].xcom_push(key="counts", value=planned["counts"])
        return planned["batches"]

    @task
    def extract(batch: list[dict]) -> list[str]:
        from jixiao.stages.extract import extract_batch

        return extract_batch(batch, get_current_context()["run_id"])

    # runs after an empty extract; skipped with discover
    @task(trigger_rule="none_failed_min_one_success", **WAREHOUSE)
    def load_raw(envelope_batches: list[list[str]] | None = None) -> dict:
        from jixiao.stages.load import load

        return load(list(envelope_batches or []))

    @task.short_circuit(ignore_downstream_trigger_rules=False, **WAREHOUSE)
    def transform_needed(loaded: dict) -> bool:
        from jixiao.stages.transform import transform_needed

        return transform_needed(get_current_context()["params"]["force_transform"])

    @task(**WAREHOUSE)
    def dbt_build() -> dict:
        from jixiao.stages.transform import transform

        return transform("before_checks")

    @task(**WAREHOUSE)
    def validate() -> dict:
        from jixiao.stages.validate import validate

        return validate(get_current_context()["run_id"])

    @task(outlets=MART_ASSETS, **WAREHOUSE)
    def dbt_build_marts() -> dict:
        from jixiao.stages.transform import transform

        return transform("after_checks")

    @task(trigger_rule="none_failed_min_one_success", queue=WAREHOUSE["queue"])
    def publish(loaded: dict) -> dict:
        from jixiao.stages.publish import summarize

        context = get_current_context()
        counts = context["ti"].xcom_pull(task_ids="discover", key="counts")
        checked = context["ti"].xcom_pull(task_ids="validate")  # None when skipped
        return summarize(context["run_id"], counts, loaded, checked)

    planned = discover()
    envelopes = extract.expand(batch=planned)
    loaded = load_raw(envelopes)
    chain(planned, loaded)
    needed = transform_needed(loaded)
    built = dbt_build()
    checked = validate()
    marts = dbt_build_marts()
    chain(needed, built, checked, marts)
    chain([planned, marts], publish(loaded))


jixiao_yearly()
