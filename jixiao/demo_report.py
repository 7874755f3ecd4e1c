"""Print what a run built: where the warehouse is, the run counts and a glimpse of the marts.

Usage: ``python -m jixiao.demo_report SUMMARY.json`` (``make demo`` calls it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

PREVIEW_SQL = """
select fiscal_year, district, department, total_score, grade,
       round(execution_rate, 4) as execution_rate
from marts.fct_department_year
order by fiscal_year, district nulls first, department
"""


def report(summary_path: Path) -> str:
    """Given a run summary file, return a short human-readable report."""
    lines = summary_path.read_text(encoding="utf-8").strip().splitlines()
    if not lines:
        raise ValueError(f"{summary_path} is empty: the run printed no summary")
    summary = json.loads(lines[-1])
    out = [
        f"warehouse : {summary['warehouse']}",
        f"data docs : {summary.get('data_docs') or '(none)'}",
        "run       : "
        + ", ".join(
            f"{key}={summary[key]}"
            for key in (
                "discovered",
                "extracted",
                "skipped_unchanged",
                "quarantined",
                "loaded",
                "checks_failed",
            )
        ),
    ]
    for item in summary.get("quarantined_files", []):
        out.append(f"quarantined: {item['path']}: {item['reason']}")
    with duckdb.connect(summary["warehouse"], read_only=True) as con:
        relation = con.sql(PREVIEW_SQL)
        out.append("")
        out.append(f"marts.fct_department_year ({len(relation.fetchall())} rows):")
        out.append(str(con.sql(PREVIEW_SQL)))
    out.append('query it: .venv/bin/jixiao sql "select * from marts.fct_department_year"')
    if summary.get("serving"):
        out.append(f"see it: make dashboard (http://localhost:8501; reads {summary['serving']})")
    return "\n".join(out)


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: python -m jixiao.demo_report SUMMARY.json", file=sys.stderr)
        return 2
    print(report(Path(sys.argv[1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
