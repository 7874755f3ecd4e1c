"""The extraction entry point: one file in, one schema-v1 record out, never an exception.

``file → bytes → (PDF pages and tables | text layer) → family → form parser → record``.
Bad input (missing, empty, not a PDF, damaged, encrypted, no text layer, not an
evaluation document) gives a record of family ``unknown`` with an ``error`` issue.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extract import families
from extract import issues as codes
from extract.assemble import fill_form_record
from extract.forms import parse_rows
from extract.issues import issue
from extract.metadata import fiscal_year_from_text
from extract.pdf_tables import PdfReadError, read_pdf
from extract.record import Record, empty_record
from extract.text_layer import parse_text, split_lines

PDF = "application/pdf"
TEXT = "text/plain"
BINARY = "application/octet-stream"
OPENING_CHARS = 3000  # text read to classify a document and find its fiscal year
SUPPORTED = (families.SELF_EVALUATION_FORM,)


def sniff(data: bytes) -> str:
    """Given a file's bytes, return its media type: PDF, UTF-8/GB18030 text, or binary."""
    if b"%PDF-" in data[:1024]:
        return PDF
    if b"\x00" in data[:4096]:
        return BINARY
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return TEXT
    return BINARY


def decode_text(data: bytes) -> str:
    """Given the bytes of a text file, return its text (UTF-8, else GB18030)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _error(record: Record, code: str, message: str, page: int | None = None) -> Record:
    record["issues"].append(issue("error", code, message, page))
    return record


def _classified(record: Record, opening: str, name: str) -> str:
    family = families.classify(opening)
    record["document"]["family"] = family
    record["document"]["fiscal_year"] = fiscal_year_from_text(opening[:OPENING_CHARS])
    if family == families.UNKNOWN:
        _error(
            record,
            codes.UNRECOGNISED_DOCUMENT,
            f"{name}: not a recognised performance-evaluation document; expected a title "
            "such as 部门整体支出绩效自评表, 绩效自评报告 or 绩效评价报告",
            1,
        )
    elif family not in SUPPORTED:
        _error(
            record,
            codes.FAMILY_NOT_SUPPORTED,
            f"{name}: recognised as {family}, which this extractor does not parse yet; "
            f"expected one of {', '.join(SUPPORTED)}",
        )
    return family


def _extract_pdf(record: Record, data: bytes, name: str) -> Record:
    try:
        content = read_pdf(data, name)
    except PdfReadError as exc:
        return _error(record, exc.code, exc.message, exc.page)
    record["source"]["pages"] = content.pages
    if content.chars == 0:
        return _error(
            record,
            codes.NO_TEXT_LAYER,
            f"{name}: none of its {content.pages} page(s) has a text layer (scanned image?); "
            "expected a PDF with text (OCR it first)",
            1 if content.pages else None,
        )
    opening = "\n".join(content.texts[:2])
    if _classified(record, opening, name) != families.SELF_EVALUATION_FORM:
        return record
    fiscal_year = record["document"]["fiscal_year"]
    return fill_form_record(record, parse_rows(content.rows), fiscal_year, name)


def _extract_text(record: Record, data: bytes, name: str) -> Record:
    text = decode_text(data)
    if not text.strip():
        return _error(
            record, codes.EMPTY_FILE, f"{name}: the text file holds only blanks; expected text"
        )
    record["source"]["pages"] = split_lines(text)[-1].page
    if _classified(record, text[:OPENING_CHARS], name) != families.SELF_EVALUATION_FORM:
        return record
    content = parse_text(text)
    return fill_form_record(record, content, record["document"]["fiscal_year"], name)


def extract_file(path: str | Path) -> Record:
    """Given a ``.pdf`` or ``.txt`` path, return its extraction record.

    Never raises for bad input: problems become issues (see ``extract.issues``).
    """
    file = Path(path)
    name = file.name
    try:
        data = file.read_bytes()
    except OSError as exc:
        record = empty_record(str(file), "", BINARY)
        return _error(
            record,
            codes.UNREADABLE_FILE,
            f"{name}: cannot be read ({exc.strerror or exc}); expected a readable file",
        )
    media_type = sniff(data) if data else BINARY
    record = empty_record(str(file), hashlib.sha256(data).hexdigest(), media_type)
    if not data:
        return _error(
            record,
            codes.EMPTY_FILE,
            f"{name}: the file is empty (0 bytes); expected a PDF or a text layer",
        )
    if media_type == PDF:
        return _extract_pdf(record, data, name)
    if media_type == TEXT and file.suffix.lower() != ".pdf":
        return _extract_text(record, data, name)
    return _error(
        record,
        codes.NOT_A_PDF,
        f"{name}: not a PDF (no %PDF- header) nor a text layer; expected a PDF file",
    )
