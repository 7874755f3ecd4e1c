"""Run one suite over one pandas DataFrame with Great Expectations 1.24.

GX 1.24 has no DuckDB datasource: the caller reads the table through a read-only DuckDB
connection and hands the DataFrame here. The checkpoint uses result_format COMPLETE with
the suite's key columns as unexpected index columns, so every failing row names its
submission. With Data Docs on, the checkpoint's UpdateDataDocsAction writes the HTML.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from jixiao.expectations.specs import SuiteSpec, worst_severity

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # before great_expectations loads

DATA_DOCS_SITE = "jixiao"
GX_SEVERITY = {"error": "critical", "warning": "warning"}

FailingKeys = dict[str, dict[tuple[Any, ...], str]]
"""Per check name: the key of every failing row → the worst severity it failed with."""


def expectation_description(meta: dict[str, Any]) -> str:
    """Given an expectation's meta, return the text Data Docs shows for it.

    GX renders ``description`` in place of its own wording on the suite and validation
    pages, so every check's name, kind and severity are readable there.
    """
    return (
        f"{meta['check_name']} ({meta['kind']} check, {meta['severity']}): "
        f"{meta.get('expected', '')}"
    )


def build_expectation_suite(spec: SuiteSpec) -> Any:
    """Given a suite spec, return a GX ExpectationSuite (severity mapped to GX's, described)."""
    import great_expectations as gx

    expectations = []
    for expectation in spec.definition["expectations"]:
        meta = {"kind": "range", **expectation["meta"]}
        configured = dict(expectation)
        configured["meta"] = meta
        configured["severity"] = GX_SEVERITY[meta["severity"]]
        configured["description"] = expectation_description(meta)
        expectations.append(configured)
    return gx.ExpectationSuite(
        name=spec.name,
        expectations=expectations,
        meta=dict(spec.definition.get("meta") or {}),
    )


def gx_context(data_docs_dir: Path | None = None) -> Any:
    """Return an ephemeral GX context: offline, no progress bars.

    With ``data_docs_dir``, a Data Docs site is configured there; nothing else is written.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if data_docs_dir is not None:
        context.add_data_docs_site(
            site_name=DATA_DOCS_SITE,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(Path(data_docs_dir).resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return context


def run_checkpoint(
    context: Any, spec: SuiteSpec, frame: pd.DataFrame, run_id: str, data_docs: bool
) -> Any:
    """Validate the frame against the suite with a GX checkpoint; return its result."""
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.core.run_identifier import RunIdentifier

    source = context.data_sources.add_or_update_pandas(name=f"jixiao_{spec.name}")
    batch_definition = source.add_dataframe_asset(
        name=spec.table
    ).add_batch_definition_whole_dataframe("all_rows")
    suite = context.suites.add(build_expectation_suite(spec))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
    )
    actions = [UpdateDataDocsAction(name="data_docs", site_names=[DATA_DOCS_SITE])]
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"jixiao_{spec.name}",
            validation_definitions=[definition],
            actions=actions if data_docs else [],
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": list(spec.key_columns),
                "return_unexpected_index_query": False,
            },
        )
    )
    return checkpoint.run(
        batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_id)
    )


def failing_keys(
    context: Any,
    spec: SuiteSpec,
    frame: pd.DataFrame,
    run_id: str,
    data_docs: bool = False,
) -> FailingKeys:
    """Validate a suite's rows; return, per check, the failing keys and their severity.

    An empty frame is still validated when Data Docs are on, so every suite shows there.
    Raise RuntimeError when GX could not run an expectation (a pipeline error).
    """
    failures: FailingKeys = {check.name: {} for check in spec.checks}
    if frame.empty and not data_docs:
        return failures
    checkpoint_result = run_checkpoint(context, spec, frame, run_id, data_docs)
    for suite_result in checkpoint_result.run_results.values():
        for outcome in suite_result.results:
            config = outcome.expectation_config
            if outcome.exception_info and outcome.exception_info.get("raised_exception"):
                raise RuntimeError(
                    f"suite {spec.name}: GX could not run {config.type} on {spec.table}: "
                    f"{outcome.exception_info.get('exception_message')}"
                )
            if outcome.success or frame.empty:
                continue
            index_list = (outcome.result or {}).get("unexpected_index_list") or []
            if not index_list:
                raise RuntimeError(
                    f"suite {spec.name}: {config.type} failed on {spec.table} "
                    f"without naming rows: {outcome.result}"
                )
            check_failures = failures[config.meta["check_name"]]
            for row in index_list:
                key = tuple(row[column] for column in spec.key_columns)
                known = check_failures.get(key)
                severity = config.meta["severity"]
                check_failures[key] = (
                    severity if known is None else worst_severity((known, severity))
                )
    return failures
