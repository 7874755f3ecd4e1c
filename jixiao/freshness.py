"""Is a rebuild needed? A fingerprint of what the marts were last built from.

An unchanged inbox must cost next to nothing: when nothing new was loaded, and neither
the dbt project nor the quality suites changed since the marts were last built, the DAG
skips dbt and validation. The fingerprint of the last successful marts build is kept in
the warehouse itself (``ops.pipeline_state``), so it cannot drift from the data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import duckdb

STATE_DDL = (
    "create schema if not exists ops",
    """
    create table if not exists ops.pipeline_state (
        key         varchar primary key,
        value       varchar not null,
        updated_at  timestamp not null default current_timestamp
    )
    """,
)
MARTS_KEY = "marts_built_from"
CODE_SUFFIXES = (".sql", ".yml", ".yaml", ".csv", ".json")


def code_digest(folders: Iterable[Path]) -> str:
    """Given folders of models, seeds, macros and suites, return a digest of their files."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.suffix in CODE_SUFFIXES):
            if any(part in {"target", "logs", "dbt_packages"} for part in path.parts):
                continue
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def raw_digest(con: duckdb.DuckDBPyConnection) -> str:
    """Given a connection, return a digest of the set of submissions in ``raw``."""
    rows = con.execute(
        "select coalesce(string_agg(sha256 || ':' || status, ',' order by sha256), '') "
        "from raw.submissions"
    ).fetchone()
    return hashlib.sha256(rows[0].encode()).hexdigest()


def fingerprint(warehouse: Path, code_folders: Iterable[Path]) -> str | None:
    """Given the warehouse and the code folders, return the current fingerprint.

    ``None`` when the warehouse has no ``raw`` tables yet.
    """
    if not warehouse.exists():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        has_raw = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'submissions'"
        ).fetchone()[0]
        if not has_raw:
            return None
        return raw_digest(con) + ":" + code_digest(code_folders)


def last_built(warehouse: Path) -> str | None:
    """Given the warehouse, return the fingerprint recorded by the last marts build."""
    if not warehouse.exists():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'ops' and table_name = 'pipeline_state'"
        ).fetchone()[0]
        if not exists:
            return None
        row = con.execute(
            "select value from ops.pipeline_state where key = ?", [MARTS_KEY]
        ).fetchone()
    return row[0] if row else None


def record_built(warehouse: Path, value: str) -> None:
    """Given the warehouse and a fingerprint, record it as what the marts were built from."""
    with duckdb.connect(str(warehouse)) as con:
        for statement in STATE_DDL:
            con.execute(statement)
        con.execute(
            "insert or replace into ops.pipeline_state (key, value, updated_at) "
            "values (?, ?, current_timestamp)",
            [MARTS_KEY, value],
        )
