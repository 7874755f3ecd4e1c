"""DDL of the warehouse's ``raw`` schema: one table per part of the extraction record.

``raw`` keeps every submission version ever loaded (keyed by the file's sha256).
Quarantined files get a ``raw.submissions`` row with ``status = 'quarantined'`` and
their reasons in ``raw.extraction_issues``; staging models read ``status = 'loaded'`` only.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from jixiao.extract.vocabulary import budget_line_kind

RAW_DDL: tuple[str, ...] = (
    "create schema if not exists raw",
    """
    create table if not exists raw.submissions (
        sha256          varchar primary key,
        path            varchar not null,
        file_name       varchar not null,
        media_type      varchar,
        pages           integer,
        file_size       bigint,
        file_mtime      timestamp,
        family          varchar not null,
        department      varchar,
        fiscal_year     integer,
        admin_level     varchar,
        district        varchar,
        unit_count      integer,
        total_score     double,
        printed_grade   varchar,
        status          varchar not null,   -- loaded | quarantined
        schema_version  integer not null,
        run_id          varchar,
        loaded_at       timestamp not null,
        -- national form: the 预算执行率 points and score printed in its budget table
        -- (last, so a warehouse created before them gets the same column order)
        budget_execution_points double,
        budget_execution_score  double,
        -- true when a page of the submission was read by OCR (record source.ocr)
        source_ocr      boolean
    )
    """,
    # warehouses created before a column was added: add it in place, last, in the order
    # of the create statement above (so created and altered tables have the same columns)
    "alter table raw.submissions add column if not exists budget_execution_points double",
    "alter table raw.submissions add column if not exists budget_execution_score double",
    "alter table raw.submissions add column if not exists source_ocr boolean",
    """
    create table if not exists raw.budget_lines (
        sha256          varchar not null,
        line_number     integer not null,
        dimension       varchar not null,
        item            varchar not null,
        budget          double,
        actual          double,
        reported_rate   double,
        initial_budget  double,
        adjustment      double,
        page            integer,
        -- total | subtotal | group | item, classified once by extraction (extract/vocabulary.py)
        kind            varchar,
        primary key (sha256, line_number)
    )
    """,
    "alter table raw.budget_lines add column if not exists kind varchar",
    """
    create table if not exists raw.indicator_scores (
        sha256          varchar not null,
        line_number     integer not null,
        level1          varchar,
        level1_points   double,
        level2          varchar,
        level2_points   double,
        level3          varchar,
        points          double,
        score           double,
        target          varchar,
        actual          varchar,
        page            integer,
        primary key (sha256, line_number)
    )
    """,
    """
    create table if not exists raw.projects (
        sha256          varchar not null,
        line_number     integer not null,
        name            varchar not null,
        initial_budget  double,
        adjustment      double,
        adjusted_budget double,
        actual          double,
        reported_rate   double,
        page            integer,
        primary key (sha256, line_number)
    )
    """,
    """
    create table if not exists raw.extraction_issues (
        sha256          varchar not null,
        line_number     integer not null,
        path            varchar not null,
        severity        varchar not null,   -- error | warning | info
        code            varchar not null,
        message         varchar not null,
        page            integer,
        -- a numeric finding's typed values: what it concerns (projects.合计.budget, an
        -- indicator, an OCR cell), the value printed or read and the value expected
        field           varchar,
        observed        double,
        expected        double,
        primary key (sha256, line_number)
    )
    """,
    "alter table raw.extraction_issues add column if not exists field varchar",
    "alter table raw.extraction_issues add column if not exists observed double",
    "alter table raw.extraction_issues add column if not exists expected double",
)

CHILD_TABLES: tuple[str, ...] = (
    "raw.budget_lines",
    "raw.indicator_scores",
    "raw.projects",
    "raw.extraction_issues",
)


def classify_budget_lines(con: duckdb.DuckDBPyConnection) -> int:
    """Given a writable connection, set ``kind`` on the budget lines loaded before it was
    recorded (by ``jixiao.extract.vocabulary.budget_line_kind``, the one classification); return
    how many lines were classified."""
    rows = con.execute(
        "select sha256, line_number, dimension, item from raw.budget_lines where kind is null"
    ).fetchall()
    if not rows:
        return 0
    kinds = pd.DataFrame(
        [(sha, number, budget_line_kind(dim, item)) for sha, number, dim, item in rows],
        columns=["sha256", "line_number", "kind"],
    )
    con.register("budget_line_kinds", kinds)
    try:
        con.execute(
            """
            update raw.budget_lines set kind = budget_line_kinds.kind
            from budget_line_kinds
            where raw.budget_lines.sha256 = budget_line_kinds.sha256
                and raw.budget_lines.line_number = budget_line_kinds.line_number
            """
        )
    finally:
        con.unregister("budget_line_kinds")
    return len(rows)
