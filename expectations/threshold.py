"""The sum-check threshold: many submissions failing one sum check is a pipeline error.

One document whose parts do not add up is a finding. When more than
``JIXIAO_SUM_CHECK_MAX_FAILURE_PCT`` percent of the submissions a sum check applies to fail
it, the extractor has most likely regressed (a column read into the wrong field, a row
dropped), and the run must stop. Below ``JIXIAO_SUM_CHECK_MIN_SUBMISSIONS`` applicable
submissions a percentage says nothing about the extractor, and the threshold is not applied.
(Both are declared, with their defaults and ranges, in ``jixiao.settings``.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jixiao.settings import BY_FIELD, resolve

MAX_FAILURE_PCT = BY_FIELD["sum_check_max_failure_pct"]
MIN_SUBMISSIONS = BY_FIELD["sum_check_min_submissions"]


class SumCheckThresholdExceeded(RuntimeError):
    """Too many submissions failed a sum check: an extraction regression, not bad documents."""


@dataclass(frozen=True)
class SumCheckThreshold:
    """Fail the run when more than ``max_failure_pct`` % of the applicable submissions
    (at least ``min_submissions`` of them) fail one sum check."""

    max_failure_pct: float = MAX_FAILURE_PCT.default
    min_submissions: int = MIN_SUBMISSIONS.default

    def __post_init__(self) -> None:
        MAX_FAILURE_PCT.check(self.max_failure_pct)
        MIN_SUBMISSIONS.check(self.min_submissions)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SumCheckThreshold:
        """Return the threshold set by the environment (``jixiao.settings``; defaults when
        unset)."""
        cfg = resolve(env)
        return cls(cfg.sum_check_max_failure_pct, cfg.sum_check_min_submissions)


@dataclass(frozen=True)
class SumCheckRate:
    """How many of the submissions a sum check applies to failed it."""

    check_name: str
    applicable: int
    failed: int

    @property
    def failure_pct(self) -> float:
        """The failed share of the applicable submissions, in percent (0 when none apply)."""
        return 100.0 * self.failed / self.applicable if self.applicable else 0.0


def sum_check_rates(rows: Iterable[Mapping[str, Any]]) -> list[SumCheckRate]:
    """Given the run's result rows (with ``kind`` and ``applicable``), return each sum
    check's failure rate, sorted by check name."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        if row["kind"] != "sum":
            continue
        applicable_failed = counts.setdefault(row["check_name"], [0, 0])
        applicable_failed[0] += bool(row["applicable"])
        applicable_failed[1] += not row["passed"]
    return [SumCheckRate(name, *counts[name]) for name in sorted(counts)]


def exceeded(rates: Iterable[SumCheckRate], threshold: SumCheckThreshold) -> list[SumCheckRate]:
    """Given the sum checks' rates, return those above the threshold."""
    return [
        rate
        for rate in rates
        if rate.applicable >= threshold.min_submissions
        and rate.failure_pct > threshold.max_failure_pct
    ]


def threshold_error(over: list[SumCheckRate], threshold: SumCheckThreshold) -> str:
    """Given the sum checks above the threshold, return the error message."""
    named = "; ".join(
        f"{rate.check_name} failed for {rate.failed} of {rate.applicable} submissions "
        f"({rate.failure_pct:.1f} %)"
        for rate in over
    )
    return (
        f"sum checks failed for more than {threshold.max_failure_pct:g} % of submissions "
        f"({MAX_FAILURE_PCT.name}): {named}. That many documents do not add up only when "
        f"extraction has regressed; the results are in quality.check_results."
    )
