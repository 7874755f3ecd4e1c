"""The ``jixiao`` command line: samples, extract, inspect, accuracy, run, sql."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

USAGE_ERROR = 2


DEV_EXTRA_HINT = (
    "needs the development tools (devtools/ and reportlab): install the dev extra, "
    "pip install -c constraints.txt -e '.[dev]' (make install does)"
)


def _dev_tool(command: str, module: str) -> Any:
    """Given a CLI command and a ``devtools`` module, return the module, or exit saying
    how to install the dev extra (the runtime package and the image do not ship it)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = exc.name or module
        if missing == "reportlab" or missing.startswith(("reportlab.", "devtools")):
            print(f"jixiao {command}: {DEV_EXTRA_HINT} ({exc})", file=sys.stderr)
            raise SystemExit(USAGE_ERROR) from exc
        raise


def _cmd_samples(args: argparse.Namespace) -> int:
    generate = _dev_tool("samples", "jixiao_devtools.samples").generate
    written = generate(Path(args.dir))
    print(f"wrote {len(written)} sample submissions under {Path(args.dir).resolve()}")
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from jixiao.extract.api import extract_file

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"jixiao extract: no such file: {', '.join(missing)}", file=sys.stderr)
        return USAGE_ERROR
    for name in args.files:
        record = extract_file(Path(name))
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 0


def _cmd_inspect(args: argparse.Namespace) -> int:
    from jixiao.extract.inspect_file import format_inspection, inspect_file

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"jixiao inspect: no such file: {', '.join(missing)}", file=sys.stderr)
        return USAGE_ERROR
    for index, name in enumerate(args.files):
        report = inspect_file(Path(name))
        if args.json:
            print(json.dumps(report, ensure_ascii=False), flush=True)
        else:
            print(("\n" if index else "") + format_inspection(report), flush=True)
    return 0


def _cmd_accuracy(args: argparse.Namespace) -> int:
    accuracy = _dev_tool("accuracy", "jixiao_devtools.accuracy")
    format_report, measure = accuracy.format_report, accuracy.measure

    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"jixiao accuracy: {folder} is not a folder", file=sys.stderr)
        return USAGE_ERROR
    report = measure(folder)
    if not report.documents:
        print(f"jixiao accuracy: no *.truth.json with a document under {folder}", file=sys.stderr)
        return USAGE_ERROR
    print(format_report(report))
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from jixiao.locking import WarehouseBusy
    from jixiao.runner import RunFailed, failed_summary, run_dag

    if args.accept_printed_year:
        os.environ["JIXIAO_ACCEPT_PRINTED_YEAR"] = "1"
    inbox = Path(args.inbox)
    if not inbox.is_dir():
        print(f"jixiao run: inbox {inbox} is not a folder", file=sys.stderr)
        return USAGE_ERROR
    try:
        summary = run_dag(
            inbox,
            year=args.year,
            batch_size=args.batch_size,
            reprocess_quarantined=args.reprocess_quarantined,
            force_transform=args.force_transform,
            always_run_dag=args.always_run_dag,
        )
    except Exception as exc:  # noqa: BLE001 - one line, then the JSON summary of the failure
        known = isinstance(exc, RunFailed | WarehouseBusy | FileNotFoundError | ValueError)
        if not known:
            traceback.print_exc()
        print(f"jixiao run: {exc}", file=sys.stderr)
        sys.stderr.flush()
        print(json.dumps(failed_summary(exc, inbox, args.year), ensure_ascii=False), flush=True)
        return 1
    sys.stderr.flush()
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


def _cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from jixiao import settings
    from jixiao.locking import lock_holder

    cfg = settings.resolve()
    warehouse = cfg.warehouse
    if not warehouse.exists():
        print(f"jixiao sql: no warehouse at {warehouse} (run `make demo` first)", file=sys.stderr)
        return USAGE_ERROR
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        if "Could not set lock" not in str(exc):
            print(f"jixiao sql: cannot open {warehouse}: {_first_line(exc)}", file=sys.stderr)
            return 1
        serving = cfg.serving
        print(
            f"jixiao sql: the warehouse {warehouse} is being written by a run right now "
            f"({lock_holder(exc)}); try again when it ends, or query the serving copy "
            f"{serving} (JIXIAO_WAREHOUSE={serving})",
            file=sys.stderr,
        )
        return 1
    with con:
        try:
            relation = con.sql(args.query)
        except duckdb.Error as exc:
            print(f"jixiao sql: {exc}", file=sys.stderr)
            return 1
        if relation is None:
            return 0
        relation.show(max_rows=args.max_rows, max_width=10_000)
    return 0


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``jixiao`` command."""
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="Budget-performance evaluation PDFs -> a checked DuckDB warehouse.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    samples = sub.add_parser("samples", help="write deterministic sample submissions to DIR")
    samples.add_argument("dir", help="output folder; files go to DIR/<year>/")
    samples.set_defaults(func=_cmd_samples)

    extract = sub.add_parser("extract", help="print one schema-v1 JSON record per file")
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.set_defaults(func=_cmd_extract)

    inspect = sub.add_parser(
        "inspect",
        help="show what was recognised in a file: family, tables, header mapping, gaps, issues",
    )
    inspect.add_argument("files", nargs="+", metavar="FILE")
    inspect.add_argument("--json", action="store_true", help="one JSON object per file")
    inspect.set_defaults(func=_cmd_inspect)
    accuracy = sub.add_parser(
        "accuracy",
        help="extract every document with a *.truth.json beside it under DIR and print "
        "field-level precision and recall",
    )
    accuracy.add_argument("dir", help="folder holding documents and their truths")
    accuracy.set_defaults(func=_cmd_accuracy)

    run = sub.add_parser("run", help="run the Airflow DAG in-process on an inbox")
    run.add_argument("--inbox", required=True, help="inbox folder holding <year>/ folders")
    run.add_argument("--year", type=int, default=None, help="only this fiscal year's folder")
    run.add_argument("--batch-size", type=int, default=None, help="files per extract task")
    run.add_argument(
        "--reprocess-quarantined",
        action="store_true",
        help="extract files quarantined by earlier runs again",
    )
    run.add_argument(
        "--force-transform",
        action="store_true",
        help="run dbt and the checks even when nothing changed",
    )
    run.add_argument(
        "--always-run-dag",
        action="store_true",
        help="start a DAG run even when nothing changed (default: report and stop)",
    )
    run.add_argument(
        "--accept-printed-year",
        action="store_true",
        help="load a document under its printed fiscal year even when it is filed under "
        "another year's folder (default: quarantine it as fiscal_year_mismatch)",
    )
    run.set_defaults(func=_cmd_run)

    sql = sub.add_parser("sql", help="run a read-only SQL query on the warehouse")
    sql.add_argument("query")
    sql.add_argument("--max-rows", type=int, default=50)
    sql.set_defaults(func=_cmd_sql)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jixiao`` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
