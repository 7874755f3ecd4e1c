"""Issue codes of the extraction record and a constructor for issue entries.

Every message names the file (and the page where one applies) and says what was expected.

Codes that start with ``missing_`` or are ``partly_read`` mean a part of the document was
not read: the warehouse lists those submissions (``marts.mart_partly_read_submissions``).
"""

from __future__ import annotations

import os

from jixiao.extract.record import Issue

# errors: the file is quarantined
EMPTY_FILE = "empty_file"
UNREADABLE_FILE = "unreadable_file"
NOT_A_PDF = "not_a_pdf"
CORRUPT_PDF = "corrupt_pdf"
ENCRYPTED_PDF = "encrypted_pdf"
NO_TEXT_LAYER = "no_text_layer"
UNRECOGNISED_DOCUMENT = "unrecognised_document"
FAMILY_NOT_SUPPORTED = "family_not_supported"
MISSING_INDICATOR_TABLE = "missing_indicator_table"
TOO_MANY_PAGES = "too_many_pages"
MISSING_BUDGET_FIGURES = "missing_budget_figures"
RESOURCE_LIMIT = "resource_limit"  # over the per-file time or memory bound (extract/bounded.py)
OUTSIDE_INBOX = "outside_inbox"  # a symbolic link to a file outside the inbox: never read
FISCAL_YEAR_MISMATCH = "fiscal_year_mismatch"  # printed year differs from its year folder
NUL_BYTES = "nul_bytes"  # a text layer holding NUL bytes (a binary or UTF-16 file?)
UNDECODABLE_TEXT = "undecodable_text"  # a .txt that is neither UTF-8 nor GB18030

# warnings: the values are kept as printed and flagged
SCORE_EXCEEDS_POINTS = "score_exceeds_points"
LEAF_SUM_MISMATCH = "leaf_sum_mismatch"
POINTS_SUM_MISMATCH = "points_sum_mismatch"
RATE_MISMATCH = "rate_mismatch"
BUDGET_DIMENSION_MISMATCH = "budget_dimension_mismatch"
MISSING_BUDGET_TABLE = "missing_budget_table"
MISSING_TOTAL_SCORE = "missing_total_score"
MISSING_DEPARTMENT = "missing_department"
MISSING_FISCAL_YEAR = "missing_fiscal_year"
TABLE_ROWS_SKIPPED = "table_rows_skipped"
ADJUSTMENT_MISMATCH = "adjustment_mismatch"
BUDGET_SUBTOTAL_MISMATCH = "budget_subtotal_mismatch"
BUDGET_TOTAL_MISMATCH = "budget_total_mismatch"
PROJECT_SUM_MISMATCH = "project_sum_mismatch"
TOTAL_SCORE_MISMATCH = "total_score_mismatch"
# a value OCR read with low confidence: ``field`` names the cell, ``observed`` the value read
OCR_LOW_CONFIDENCE = "ocr_low_confidence"
MISSING_PROJECT_TABLE = "missing_project_table"
PARTLY_READ = "partly_read"  # rows or cells of a found table that could not be read
AMOUNT_UNIT_UNCLEAR = "amount_unit_unclear"  # a budget table stating two units: kept as printed

# info: how the file was read
READ_BY_OCR = "read_by_ocr"  # pages without a text layer were read by OCR
TEXT_LAYER_FALLBACK = "text_layer_fallback"
BORDERLESS_TABLES = "borderless_tables"
AMOUNTS_CONVERTED = "amounts_converted"  # printed in 元/千元/亿元, stored in 万元
PAGES_TURNED = "pages_turned"  # text printed or displayed sideways/upside down: read stood up


def issue(
    severity: str,
    code: str,
    message: str,
    page: int | None = None,
    *,
    field: str | None = None,
    observed: float | None = None,
    expected: float | None = None,
) -> Issue:
    """Given a severity, a stable code, a message for a person and an optional page, return
    an issue entry.

    A numeric finding also names what it concerns (``field``: ``projects.合计.actual``,
    ``budget_lines.资金来源.budget``, an indicator, an OCR cell) and its numbers: the value
    printed or read (``observed``) and the value the arithmetic expects (``expected``).
    The warehouse checks read these typed fields, never the message.
    """
    return {
        "severity": severity,
        "code": code,
        "message": message,
        "page": page,
        "field": field,
        "observed": None if observed is None else float(observed),
        "expected": None if expected is None else float(expected),
    }


def printable(path: str | os.PathLike[str]) -> str:
    """Given a path, return it as one line of valid UTF-8 text: bytes that are not UTF-8 as
    ``\\xNN``, control and invisible characters (a newline in a file name) as ``\\n``,
    ``\\x1b``, ``\\u200b``."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def where(name: str, page: int | None) -> str:
    """Given a file name and an optional page, return the message prefix ``name p.3``."""
    return f"{name} p.{page}" if page is not None else name
