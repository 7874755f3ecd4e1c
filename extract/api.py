"""The extraction entry point: one file in, one schema-v1 record out, never an exception.

``file → bytes → (PDF pages and tables | text layer) → family → parser → record``.
Bad input (missing, empty, not a PDF, damaged, encrypted, no text layer, too many pages,
not an evaluation document) gives a record of family ``unknown`` with an ``error`` issue.
A PDF whose tables cannot be found is read by the text-layer parser instead, and says so
(``text_layer_fallback``, severity info).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.extract import families
from jixiao.extract import issues as codes
from jixiao.extract.assemble import fill_form_record, fill_narrative_record, fill_report_record
from jixiao.extract.bounded import allow_more_memory, allow_more_time
from jixiao.extract.form_reader import FormEvidence, read_form_layout
from jixiao.extract.forms import FormContent
from jixiao.extract.issues import issue, printable
from jixiao.extract.metadata import (
    fiscal_year_from_text,
    grade_from_text,
)
from jixiao.extract.narrative import parse_narrative
from jixiao.extract.ocr_confidence import flag_low_confidence
from jixiao.extract.page_words import PageLayout, is_layout_text, layouts_of_text
from jixiao.extract.pdf_tables import (
    PdfContent,
    PdfReadError,
    read_pdf,
    read_tables,
    read_texts,
    stood_up,
)
from jixiao.extract.record import Record, empty_record
from jixiao.extract.reports import parse_report_rows, parse_report_text
from jixiao.extract.text_layer import parse_text, split_lines

if TYPE_CHECKING:
    from jixiao.extract.scan_pages import ScannedPage
    from jixiao.settings import Settings

PDF = "application/pdf"
TEXT = "text/plain"
BINARY = "application/octet-stream"
OPENING_CHARS = 3000  # text read to classify a document and find its fiscal year
SUPPORTED = (
    families.SELF_EVALUATION_FORM,
    families.EVALUATION_REPORT,
    families.SELF_EVALUATION_REPORT,
)


@dataclass
class Evidence:
    """How a file was read, for a person to check (``jixiao inspect``)."""

    family_evidence: list[str] = field(default_factory=list)
    reader: str | None = None
    form: FormEvidence | None = None
    scanned: list[ScannedPage] = field(default_factory=list)  # pages read by OCR


def settings() -> Settings:
    """Return this process's settings (``jixiao.settings``: page limits, OCR)."""
    from jixiao.settings import resolve

    return resolve()


def max_pages() -> int:
    """Return the page limit of one PDF (``JIXIAO_MAX_PAGES``)."""
    return settings().max_pages


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def sniff(data: bytes) -> str:
    """Given a file's bytes, return its media type: PDF, UTF-8/GB18030/UTF-16 text, or binary.

    Text with stray NUL bytes is still text (``_extract_text`` says so); binary data is
    what decodes as none of these.
    """
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(UTF16_BOMS):
        try:
            data.decode("utf-16")
        except UnicodeDecodeError:
            return BINARY
        return TEXT
    if data[:4096].count(b"\x00") > 16:  # many NULs early: binary (or BOM-less UTF-16)
        return BINARY
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return TEXT
    return BINARY


def decode_text(data: bytes) -> str:
    """Given the bytes of a text file, return its text (UTF-16 with a BOM, UTF-8, else GB18030)."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _error(record: Record, code: str, message: str, page: int | None = None) -> Record:
    record["issues"].append(issue("error", code, message, page))
    return record


def _classified(record: Record, text: str, name: str, evidence: Evidence) -> str:
    classification = families.classify_document(text)
    family = classification.family
    evidence.family_evidence = classification.evidence
    record["document"]["family"] = family
    record["document"]["fiscal_year"] = fiscal_year_from_text(
        text[:OPENING_CHARS]
    ) or fiscal_year_from_text(text)
    if family == families.UNKNOWN:
        _error(
            record,
            codes.UNRECOGNISED_DOCUMENT,
            f"{name}: not a recognised performance-evaluation document; expected an "
            "indicator table (一级指标 / 分值 / 得分), budget figures in prose, or a title such "
            "as 部门整体支出绩效自评表, 绩效自评报告 or 绩效评价报告",
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


def _fallback(record: Record, name: str, why: str) -> None:
    record["issues"].append(
        issue(
            "info",
            codes.TEXT_LAYER_FALLBACK,
            f"{name}: {why}; read with the text-layer parser instead (values are found by "
            "their order in the text, not by table cells)",
        )
    )


def _form_from_layouts(
    record: Record, layouts: list[PageLayout], name: str, evidence: Evidence
) -> FormContent | None:
    """Given a form's pages as words, return it read by header vocabulary, else None.

    An indicator table without ruling lines gets an info issue: its columns were rebuilt
    from how the words align.
    """
    form, found = read_form_layout(layouts)
    evidence.form = found
    if not form.indicators:
        return None
    table = found.indicators
    evidence.reader = "page words and ruling lines (header vocabulary)"
    if table is not None and not all(header.ruled for header in table.headers):
        evidence.reader += "; columns rebuilt from alignment (no ruling lines)"
        record["issues"].append(
            issue(
                "info",
                codes.BORDERLESS_TABLES,
                f"{name}: its indicator table has no ruling lines; columns were rebuilt from "
                "how the words align under the header",
            )
        )
    return form


def _pdf_form(
    record: Record, content: PdfContent, data: bytes, name: str, evidence: Evidence
) -> Record:
    fiscal_year = record["document"]["fiscal_year"]
    text = "\f".join(content.texts)
    form = _form_from_layouts(record, content.layouts, name, evidence)
    if form is None:
        fallback = parse_text("\f".join(read_texts(data)))
        form = fallback
        if fallback.indicators:
            _fallback(record, name, "no indicator table found among its words")
            evidence.reader = "text in reading order (numbers anchor the rows)"
    fill_form_record(record, form, fiscal_year, name)
    record["totals"]["grade"] = grade_from_text(text)
    return record


def _opens_a_report(first_page: str) -> bool:
    """Given page 1's text, return True when it reads as a third-party report (whose ruled
    tables are then read in the same pass as the words)."""
    return families.classify(first_page) == families.EVALUATION_REPORT


def _say_turned(record: Record, turned: dict[int, int], name: str) -> None:
    """Add the info that pages whose text was turned were read stood up."""
    by_turn: dict[int, list[int]] = {}
    for number, turn in sorted(turned.items()):
        by_turn.setdefault(turn, []).append(number)
    parts = [f"p.{_page_list(pages)} turned {turn}°" for turn, pages in by_turn.items()]
    record["issues"].append(
        issue(
            "info",
            codes.PAGES_TURNED,
            f"{name}: the text of {', '.join(parts)} (printed sideways or displayed turned); "
            "read with those pages stood up",
            min(turned),
        )
    )


def _pdf_report(
    record: Record, content: PdfContent, data: bytes, name: str, evidence: Evidence
) -> Record:
    fiscal_year = record["document"]["fiscal_year"]
    if record["source"].get("ocr"):  # a scan has no vector rules for find_tables: read text
        evidence.reader = "OCR text in reading order (numbers anchor the rows)"
        report = parse_report_text("\f".join(content.texts), name)
        return fill_report_record(record, report, fiscal_year, name)
    tables = content.tables or read_tables(data, name)
    text = "\f".join(tables.texts)
    report = parse_report_rows(tables.rows, text, name)
    evidence.reader = "ruled table cells (pdfplumber find_tables) and sentences"
    if not report.form.indicators and not report.found_budget_table:
        evidence.reader = "text in reading order (numbers anchor the rows)"
        _fallback(record, name, "no ruled budget or indicator table found")
        full = "\f".join(read_texts(data)) if tables.cell_text_pages else text
        report = parse_report_text(full, name)
    return fill_report_record(record, report, fiscal_year, name)


def _extract_pdf(record: Record, data: bytes, name: str, evidence: Evidence) -> Record:
    try:
        content = read_pdf(data, name, max_pages(), wants_tables=_opens_a_report)
        if content.turned:  # read again with those pages stood up: every reader sees them so
            turned = content.turned
            data = stood_up(data, turned)
            content = read_pdf(data, name, max_pages(), wants_tables=_opens_a_report)
            _say_turned(record, turned, name)
    except PdfReadError as exc:
        return _error(record, exc.code, exc.message, exc.page)
    record["source"]["pages"] = content.pages
    if content.pages == 0:
        return _error(
            record,
            codes.CORRUPT_PDF,
            f"{name}: no page could be found in the PDF (damaged cross-reference table or "
            "page tree); expected a complete PDF file (export or download it again)",
        )
    if content.chars == 0 and not content.scanned:
        return _error(
            record,
            codes.NO_TEXT_LAYER,
            f"{name}: none of its {content.pages} page(s) has a text layer, nor is any a "
            "scanned picture (drawings only?); expected a PDF with text or a scan",
            1 if content.pages else None,
        )
    if content.scanned:
        with_scans = _with_scans(record, content, data, name, evidence)
        if with_scans is None:
            return record
        content = with_scans
    _read_document(record, content, data, name, evidence)
    if evidence.scanned:
        flag_low_confidence(
            record, [page.layout for page in evidence.scanned], settings().ocr_min_confidence, name
        )
    return record


def _read_document(
    record: Record, content: PdfContent, data: bytes, name: str, evidence: Evidence
) -> None:
    family = _classified(record, "\n".join(content.texts), name, evidence)
    if family == families.SELF_EVALUATION_FORM:
        _pdf_form(record, content, data, name, evidence)
    elif family == families.EVALUATION_REPORT:
        _pdf_report(record, content, data, name, evidence)
    elif family == families.SELF_EVALUATION_REPORT:
        evidence.reader = "sentences (budget figures by phrase)"
        fiscal_year = record["document"]["fiscal_year"]
        text = "\f".join(content.texts)
        fill_narrative_record(record, parse_narrative(text), fiscal_year, name)


def _page_list(numbers: list[int]) -> str:
    """Given page numbers, return them as ranges: ``1-3, 5``."""
    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in spans)


def _with_scans(
    record: Record, content: PdfContent, data: bytes, name: str, evidence: Evidence
) -> PdfContent | None:
    """Given a PDF's content with scanned pages (no text, a page-size picture), return the
    content with those pages read by OCR; None when the file cannot be read (an error
    issue says why). Only pictures are OCR'd: a page of drawings (a PDF bomb's) never
    gets OCR's time and memory. A scanned annex of a text PDF is OCR'd too; the record says
    it came from OCR only when OCR found text.
    """
    cfg = settings()
    blank = list(content.scanned)
    scan = content.chars == 0
    if cfg.ocr_max_pages == 0 or len(blank) > cfg.ocr_max_pages:
        if not scan:
            return content
        if cfg.ocr_max_pages == 0:
            _error(
                record,
                codes.NO_TEXT_LAYER,
                f"{name}: none of its {content.pages} page(s) has a text layer and OCR is off "
                "(JIXIAO_OCR_MAX_PAGES=0); expected a PDF with text, or OCR turned on",
                1,
            )
        else:
            _error(
                record,
                codes.TOO_MANY_PAGES,
                f"{name}: a scan of {len(blank)} pages without a text layer, above the OCR "
                f"limit of {cfg.ocr_max_pages} pages (JIXIAO_OCR_MAX_PAGES); expected one "
                "submission (split the file, or raise the limit)",
            )
        return None
    from jixiao.extract.ocr_engine import ENGINE  # OpenCV and the OCR engine load only for scans
    from jixiao.extract.scan_pages import read_scanned_pages

    allow_more_time(len(blank) * cfg.ocr_seconds_per_page)
    allow_more_memory(cfg.ocr_max_memory_mb)
    pages = [
        page
        for page in read_scanned_pages(data, blank, cfg.ocr_dpi, cfg.ocr_workers)
        if page.layout.words
    ]
    if not pages:
        if scan:
            _error(
                record,
                codes.NO_TEXT_LAYER,
                f"{name}: none of its {content.pages} page(s) has a text layer, and OCR found "
                "no text on them (blank or unreadable scan?); expected a PDF with text or a "
                "legible scan",
                1,
            )
            return None
        return content
    evidence.scanned = pages
    record["source"]["ocr"] = True
    read = {page.layout.number: page.layout for page in pages}
    turned = max(abs(page.skew_degrees) for page in pages)
    sealed = [page.layout.number for page in pages if page.seal_pixels]
    stood = [page.layout.number for page in pages if page.quarter_turns]
    record["issues"].append(
        issue(
            "info",
            codes.READ_BY_OCR,
            f"{name}: page(s) {_page_list(list(read))} have no text layer and were read by "
            f"OCR ({ENGINE}, {cfg.ocr_dpi} dpi); pages turned by up to {turned:.2f}° were "
            "straightened"
            + (
                f"; p.{_page_list(stood)} scanned sideways or upside down, stood up"
                if stood
                else ""
            )
            + (f"; seal ink removed on p.{_page_list(sealed)}" if sealed else "")
            + "; every number keeps its OCR confidence (ocr_values)",
            min(read),
        )
    )
    layouts = [read.get(layout.number, layout) for layout in content.layouts]
    chars = content.chars + sum(len(word.text) for page in pages for word in page.layout.words)
    return PdfContent(content.pages, chars, layouts, content.tables)


def _extract_text(record: Record, data: bytes, name: str, evidence: Evidence) -> Record:
    text = decode_text(data)
    if "\x00" in text:
        first = text.index("\x00")
        return _error(
            record,
            codes.NUL_BYTES,
            f"{name}: the text layer holds {text.count(chr(0))} NUL byte(s), the first on line "
            f"{text.count(chr(10), 0, first) + 1}; expected plain text (a binary file or a "
            "damaged export?)",
            split_lines(text[:first] + " ")[-1].page,
        )
    if not text.strip():
        return _error(
            record, codes.EMPTY_FILE, f"{name}: the text file holds only blanks; expected text"
        )
    record["source"]["pages"] = split_lines(text)[-1].page
    family = _classified(record, text, name, evidence)
    fiscal_year = record["document"]["fiscal_year"]
    if family == families.SELF_EVALUATION_FORM:
        form = None
        if is_layout_text(text):
            form = _form_from_layouts(record, layouts_of_text(text), name, evidence)
            if evidence.reader:
                evidence.reader = "layout-preserving text: " + evidence.reader
        if form is None:
            form = parse_text(text)
            evidence.reader = "text in reading order (numbers anchor the rows)"
        fill_form_record(record, form, fiscal_year, name)
        record["totals"]["grade"] = grade_from_text(text)
        return record
    if family == families.EVALUATION_REPORT:
        evidence.reader = "text in reading order (numbers anchor the rows)"
        return fill_report_record(record, parse_report_text(text, name), fiscal_year, name)
    if family == families.SELF_EVALUATION_REPORT:
        evidence.reader = "sentences (budget figures by phrase)"
        return fill_narrative_record(record, parse_narrative(text), fiscal_year, name)
    return record


def extract_file(path: str | Path) -> Record:
    """Given a ``.pdf`` or ``.txt`` path, return its extraction record.

    Never raises for bad input: problems become issues (see ``jixiao.extract.issues``).
    """
    return extract_with_evidence(path)[0]


def extract_with_evidence(path: str | Path) -> tuple[Record, Evidence]:
    """Given a ``.pdf`` or ``.txt`` path, return its record and how it was read."""
    evidence = Evidence()
    return _extract(Path(path), evidence), evidence


def _extract(path: Path, evidence: Evidence) -> Record:
    file = path
    name = printable(file.name)  # a name that is not UTF-8 is shown escaped (\\xb2)
    try:
        data = file.read_bytes()
    except OSError as exc:
        record = empty_record(printable(file), "", BINARY)
        return _error(
            record,
            codes.UNREADABLE_FILE,
            f"{name}: cannot be read ({exc.strerror or exc}); expected a readable file",
        )
    media_type = sniff(data) if data else BINARY
    record = empty_record(printable(file), hashlib.sha256(data).hexdigest(), media_type)
    if not data:
        return _error(
            record,
            codes.EMPTY_FILE,
            f"{name}: the file is empty (0 bytes); expected a PDF or a text layer",
        )
    if media_type == PDF:
        return _extract_pdf(record, data, name, evidence)
    if media_type == TEXT and file.suffix.lower() != ".pdf":
        return _extract_text(record, data, name, evidence)
    if file.suffix.lower() == ".txt":
        return _error(
            record,
            codes.UNDECODABLE_TEXT,
            f"{name}: a .txt that is neither UTF-8, GB18030 nor UTF-16 text (or holds binary "
            "data); expected a text layer saved as UTF-8",
        )
    return _error(
        record,
        codes.NOT_A_PDF,
        f"{name}: not a PDF (no %PDF- header) nor a text layer; expected a PDF file",
    )
