"""Suites as stored in ``expectations/suites/*.json``: parse and validate them.

A suite is a GX ExpectationSuite in JSON whose ``meta`` names the warehouse ``table`` it
checks and the ``key_columns`` that identify a row (``sha256`` first). Each expectation's
``meta`` names its ``check_name``, ``severity`` (``error`` | ``warning``), ``kind``
(``range`` | ``sum`` | ``identity``), a human ``expected`` and optionally the
``observed_columns`` to report. Expectations sharing a check name form one check; they may
differ in severity (e.g. execution_rate_plausible: an error outside 0–1.5, a warning
above 1), and a failing row takes the worst severity among the expectations it fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUITES_DIR = Path(__file__).resolve().with_name("suites")
SEVERITIES = ("error", "warning")
KINDS = ("range", "sum", "identity")
TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")
NOT_NULL_EXPECTATION = "expect_column_values_to_not_be_null"


def worst_severity(severities: list[str] | tuple[str, ...] | set[str]) -> str:
    """Given some severities, return the worst (``error`` beats ``warning``)."""
    return "error" if "error" in severities else "warning"


@dataclass(frozen=True)
class Check:
    """One named check: one or more expectations of a suite."""

    name: str
    severity: str  # the worst severity of its expectations
    kind: str
    expected: str
    columns: tuple[str, ...]  # reported in ``observed``
    read_columns: tuple[tuple[str, ...], ...]  # per expectation: the columns it reads
    counts_nulls: bool  # a not-null expectation: rows with nulls are applicable too


@dataclass(frozen=True)
class SuiteSpec:
    """A suite as stored in JSON, with the table it checks."""

    name: str
    path: Path
    table: str
    key_columns: tuple[str, ...]
    definition: Mapping[str, Any]
    checks: tuple[Check, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the suite reads: keys, expectation columns, observed columns."""
        read = [*self.key_columns]
        for expectation in self.definition["expectations"]:
            read.extend(expectation_columns(expectation.get("kwargs") or {}))
        for check in self.checks:
            read.extend(check.columns)
        return tuple(dict.fromkeys(read))

    def check(self, name: str) -> Check:
        """Given a check name of this suite, return the check."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(f"suite {self.name} has no check {name}")


def expectation_columns(kwargs: Mapping[str, Any]) -> tuple[str, ...]:
    """Given an expectation's kwargs, return the columns it reads."""
    columns = [kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs]
    columns.extend(kwargs.get("column_list", []))
    return tuple(columns)


def expectation_meta(expectation: Mapping[str, Any], number: int, path: Path) -> dict[str, Any]:
    """Given one stored expectation, return its meta; raise ValueError naming what is wrong."""
    meta = dict(expectation.get("meta") or {})
    check_name, severity = meta.get("check_name"), meta.get("severity")
    kind = meta.setdefault("kind", "range")
    if not check_name or severity not in SEVERITIES or kind not in KINDS:
        raise ValueError(
            f"{path}: expectation {number} needs meta.check_name, meta.severity in "
            f"{SEVERITIES} and meta.kind in {KINDS}, got {check_name!r}, {severity!r}, {kind!r}"
        )
    if not expectation_columns(expectation.get("kwargs") or {}):
        raise ValueError(f"{path}: expectation {number} ({check_name}) reads no column")
    return meta


def merge_check(known: Check | None, meta: Mapping[str, Any], kwargs: Mapping[str, Any]) -> Check:
    """Given the check built so far (or None) and one more expectation, return the check."""
    reads = expectation_columns(kwargs)
    observed = tuple(meta.get("observed_columns") or ()) or reads
    counts_nulls = meta.get("type") == NOT_NULL_EXPECTATION
    if known is None:
        return Check(
            name=meta["check_name"],
            severity=meta["severity"],
            kind=meta["kind"],
            expected=meta.get("expected", ""),
            columns=observed,
            read_columns=(reads,),
            counts_nulls=counts_nulls,
        )
    if known.kind != meta["kind"]:
        raise ValueError(f"check {known.name}: expectations disagree on kind")
    return Check(
        name=known.name,
        severity=worst_severity((known.severity, meta["severity"])),
        kind=known.kind,
        expected=known.expected,
        columns=tuple(dict.fromkeys(known.columns + observed)),
        read_columns=(*known.read_columns, reads),
        counts_nulls=known.counts_nulls or counts_nulls,
    )


def parse_suite(definition: Mapping[str, Any], path: Path) -> SuiteSpec:
    """Given a suite's JSON object, return its spec; raise ValueError naming what is missing."""
    meta = definition.get("meta") or {}
    name = definition.get("name")
    table = meta.get("table")
    key_columns = tuple(meta.get("key_columns") or ())
    if not name or not table or not key_columns:
        raise ValueError(f"{path}: suite needs 'name', meta.table and meta.key_columns")
    if not TABLE_NAME.match(table):
        raise ValueError(f"{path}: meta.table must be schema.table, got {table!r}")
    if key_columns[0] != "sha256":
        raise ValueError(f"{path}: meta.key_columns must start with sha256, got {key_columns}")
    checks: dict[str, Check] = {}
    for number, expectation in enumerate(definition.get("expectations") or [], start=1):
        emeta = expectation_meta(expectation, number, path)
        emeta["type"] = expectation.get("type")
        kwargs = expectation.get("kwargs") or {}
        checks[emeta["check_name"]] = merge_check(checks.get(emeta["check_name"]), emeta, kwargs)
    if not checks:
        raise ValueError(f"{path}: suite {name} has no expectations")
    return SuiteSpec(name, path, table, key_columns, definition, tuple(checks.values()))


def load_suite_specs(suites_dir: Path | None = None) -> list[SuiteSpec]:
    """Given the suites folder (default expectations/suites), return every suite, sorted.

    A check name may be defined in one suite only.
    """
    folder = Path(suites_dir) if suites_dir is not None else SUITES_DIR
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise RuntimeError(f"no GX suites (*.json) in {folder}")
    specs = [parse_suite(json.loads(path.read_text(encoding="utf-8")), path) for path in paths]
    seen: dict[str, Path] = {}
    for spec in specs:
        for check in spec.checks:
            if check.name in seen:
                raise ValueError(
                    f"check {check.name} defined in {seen[check.name]} and {spec.path}"
                )
            seen[check.name] = spec.path
    return specs
