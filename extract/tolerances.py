"""The arithmetic checks' tolerances, read from their one definition: the ``vars`` of the
dbt project's ``dbt_project.yml`` (``JIXIAO_DBT_PROJECT_DIR``, default ``dbt_project/``):
``tolerance_amount``, ``tolerance_score``, ``tolerance_rate``.

The warehouse's checks (dbt ``int_check_*`` models, macro ``tolerance``) are the checks
that count; the record's warnings (``jixiao inspect``) use the same numbers so that a
person sees the same verdict. See docs/quality.md, "Tolerances".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Tolerances:
    """How far printed figures may disagree before a check fails."""

    amount: float  # 万元 per printed amount in a comparison (rounded to 0.01)
    score: float  # points, between summed scores or points and the printed ones
    rate: float  # fraction, between a printed rate and actual / budget

    def amounts(self, figure_count: int) -> float:
        """Given how many printed amounts a comparison adds up, return its tolerance."""
        return round(self.amount * figure_count, 6)


def tolerances() -> Tolerances:
    """Return the tolerance vars of the dbt project the warehouse is built with."""
    from jixiao.settings import resolve

    return read_tolerances(resolve().dbt_project_dir / "dbt_project.yml")


@cache
def read_tolerances(project_file: Path) -> Tolerances:
    """Given a dbt_project.yml, return its tolerance vars.

    Raises ``RuntimeError`` naming the file and the var when one is missing.
    """
    variables = (yaml.safe_load(project_file.read_text(encoding="utf-8")) or {}).get("vars")
    values = {}
    for name in ("amount", "score", "rate"):
        key = f"tolerance_{name}"
        if not isinstance((variables or {}).get(key), int | float):
            raise RuntimeError(f"{project_file}: vars.{key} (a number) is missing")
        values[name] = float(variables[key])
    return Tolerances(**values)
