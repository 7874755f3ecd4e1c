"""The ``validate`` task: the Great Expectations suites over the warehouse, between the two
dbt phases.

A thin shell over ``expectations/validate.py``: it holds the warehouse lock, waits while a
reader holds the warehouse open, and passes the settings' Data Docs folder and sum-check
threshold (``JIXIAO_DATA_DOCS_DIR``, ``JIXIAO_SUM_CHECK_*``).
"""

from __future__ import annotations

from typing import Any

from jixiao import settings as settings_module
from jixiao.locking import warehouse_lock, when_writable


def validate(run_id: str) -> dict[str, Any]:
    """Run the Great Expectations suites over the warehouse; return their summary.

    Data Docs HTML is rebuilt under the settings' ``data_docs_dir`` on every run.
    """
    from jixiao.expectations.threshold import SumCheckThreshold
    from jixiao.expectations.validate import validate_warehouse

    cfg = settings_module.resolve()
    threshold = SumCheckThreshold(cfg.sum_check_max_failure_pct, cfg.sum_check_min_submissions)
    with warehouse_lock(cfg.warehouse):
        summary = dict(
            when_writable(
                cfg.warehouse,
                "validate",
                lambda: validate_warehouse(
                    cfg.warehouse, run_id, data_docs_dir=cfg.data_docs_dir, threshold=threshold
                ),
            )
        )
    index = cfg.data_docs_dir / "index.html"
    summary["data_docs"] = str(index) if index.exists() else None
    return summary
