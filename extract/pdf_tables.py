"""Reading a PDF with pdfplumber: every page as words and rules, and ruled tables on demand.

``read_pdf`` reads each page once into its words and ruling lines (``jixiao.extract.page_words``)
— all that forms and family detection need; a page's text is its words line by line.
``read_tables`` is the second, costlier pass that only third-party reports take: ruled
tables found with the ``lines`` strategy, a cell covered by a merged neighbour coming back
as ``None``, wrapped cell text keeping its ``\\n``, rows of every table in reading order
tagged with their page. ``read_texts`` gives pdfplumber's own page texts to the prose and
reading-order readers.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from jixiao.extract import issues as codes
from jixiao.extract.page_words import PageLayout, layout_of_pdf_page, lines_of, text_turn

__all__ = ["PdfContent", "PdfReadError", "PdfTables", "TableRow", "read_pdf", "read_tables"]

TABLE_SETTINGS: dict[str, str] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
TEXT_PAGES = 2  # pages whose full text is always extracted (title, department, year)


@dataclass(frozen=True)
class TableRow:
    """One row of a ruled table: its 1-based page, table number in the document, cells."""

    page: int
    table: int
    cells: tuple[str | None, ...]
    above: str = ""  # the text printed just above its table (a title, 单位：元 …)


@dataclass(frozen=True)
class PdfTables:
    """A PDF's ruled tables as rows, and each page's text (cells stand in past page 2)."""

    texts: list[str]
    rows: list[TableRow]
    cell_text_pages: list[int]


@dataclass(frozen=True)
class PdfContent:
    """A PDF's page count, number of characters, and every page's words and rules."""

    pages: int
    chars: int
    layouts: list[PageLayout]
    tables: PdfTables | None = None  # read in the same pass when page 1 opens a report
    scanned: tuple[int, ...] = ()  # pages without text that are one picture (OCR reads them)
    turned: dict[int, int] = field(default_factory=dict)  # page → degrees its text is turned

    @property
    def texts(self) -> list[str]:
        """Return each page's text: its words line by line."""
        return ["\n".join(line.text for line in lines_of(layout.words)) for layout in self.layouts]


class PdfReadError(Exception):
    """A PDF that cannot be read: carries an issue code, a message and the page if known."""

    def __init__(self, code: str, message: str, page: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.page = page


def _causes(exc: BaseException) -> list[BaseException]:
    """Given an exception, return it with what pdfplumber wrapped in it (args, cause, context)."""
    seen: list[BaseException] = [exc]
    if exc.args and isinstance(exc.args[0], BaseException):
        seen.append(exc.args[0])
    seen.extend(e for e in (exc.__cause__, exc.__context__) if e is not None)
    return seen


def _is_encryption_error(exc: BaseException) -> bool:
    return any(isinstance(e, PDFPasswordIncorrect | PDFEncryptionError) for e in _causes(exc))


def _error_for(exc: Exception, name: str, page: int | None) -> PdfReadError:
    if any(isinstance(e, MemoryError) for e in _causes(exc)):
        raise MemoryError(str(exc))  # over the per-file memory bound (extract/bounded.py)
    if _is_encryption_error(exc):
        return PdfReadError(
            codes.ENCRYPTED_PDF,
            f"{name}: the PDF is encrypted and cannot be opened without a password; "
            "expected an unprotected PDF",
        )
    at = f" p.{page}" if page is not None else ""
    return PdfReadError(
        codes.CORRUPT_PDF,
        f"{name}{at}: the PDF is damaged or truncated ({type(exc).__name__}: {exc}); "
        "expected a complete PDF file",
        page,
    )


SCAN_COVERAGE = 0.5  # a page whose pictures cover at least this share of it is a scan


def is_scanned_page(page: pdfplumber.page.Page) -> bool:
    """Given a page, return True when pictures cover most of it (a scan). A page of vector
    drawings, blank or a PDF bomb's, holds no picture: OCR is never started for it."""
    area = float(page.width * page.height) or 1.0
    covered = sum(
        max(0.0, float(image["x1"] - image["x0"])) * max(0.0, float(image["bottom"] - image["top"]))
        for image in page.images
    )
    return covered >= SCAN_COVERAGE * area


def _may_hold_ruled_table(page: pdfplumber.page.Page) -> bool:
    """Given a page, return True when it has ruling (lines or rectangles) to find tables by."""
    return bool(page.lines or page.rects)


def _open(data: bytes, name: str) -> pdfplumber.PDF:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for bad files
        raise _error_for(exc, name, None) from exc
    close = pdf.close

    def close_quietly() -> None:
        # pdfplumber's close() walks the page tree again: on a damaged one it raises and
        # would replace the PdfReadError that names the damage
        try:
            close()
        except Exception:  # noqa: BLE001, S110
            pass

    pdf.close = close_quietly  # type: ignore[method-assign]
    return pdf


def read_pdf(
    data: bytes,
    name: str,
    max_pages: int | None = None,
    wants_tables: Callable[[str], bool] | None = None,
) -> PdfContent:
    """Given a PDF's bytes, its file name and an optional page limit, return its pages.

    ``wants_tables`` is asked with page 1's text whether the document needs its ruled
    tables (a third-party report); if so they are read in the same pass
    (``PdfContent.tables``). Raises ``PdfReadError`` (code ``encrypted_pdf``,
    ``corrupt_pdf`` or ``too_many_pages``) when pdfplumber cannot open the file or read one
    of its pages, or the file has more pages than the limit. Pages are closed as they are
    read, so memory stays flat with the page count.
    """
    layouts: list[PageLayout] = []
    scanned: list[int] = []
    turned: dict[int, int] = {}
    collector: _TableCollector | None = None
    chars = 0
    with _open(data, name) as pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:  # noqa: BLE001
            raise _error_for(exc, name, None) from exc
        if max_pages is not None and len(pages) > max_pages:
            raise PdfReadError(
                codes.TOO_MANY_PAGES,
                f"{name}: the PDF has {len(pages)} pages, above the limit of {max_pages} "
                "(JIXIAO_MAX_PAGES); expected a single submission",
            )
        for number, page in enumerate(pages, start=1):
            try:
                chars += len(page.chars)
                if turn := text_turn(page.chars):
                    turned[number] = turn
                layouts.append(layout_of_pdf_page(page, number))
                if not layouts[-1].words and is_scanned_page(page):
                    scanned.append(number)
                if number == 1 and wants_tables is not None:
                    first = "\n".join(line.text for line in lines_of(layouts[0].words))
                    collector = _TableCollector() if wants_tables(first) else None
                if collector is not None:
                    collector.read(page, number)
            except Exception as exc:  # noqa: BLE001
                raise _error_for(exc, name, number) from exc
            finally:
                page.close()
    tables = collector.result() if collector is not None else None
    return PdfContent(len(pages), chars, layouts, tables, tuple(scanned), turned)


def stood_up(data: bytes, turned: dict[int, int]) -> bytes:
    """Given a PDF's bytes and how far the text of some pages is turned as displayed,
    return the PDF with those pages displayed turned back (their /Rotate changed), so every
    reader sees their text run left to right: a form printed sideways on a portrait page,
    or a page saved displayed sideways."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        for number, turn in turned.items():
            page = pdf[number - 1]
            page.set_rotation((page.get_rotation() + turn) % 360)
            page.close()
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()


ABOVE_TABLE_POINTS = 40.0  # how far above a ruled table its title and unit line are read


def _text_above(page: pdfplumber.page.Page, top: float) -> str:
    """Given a page and a table's top, return the text printed in the band just above it."""
    if top <= 1:
        return ""
    band = (0, max(0.0, top - ABOVE_TABLE_POINTS), page.width, top)
    return page.within_bbox(band).extract_text() or ""


class _TableCollector:
    """Ruled tables and page texts gathered page by page (see ``read_tables``)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.rows: list[TableRow] = []
        self.cell_text_pages: list[int] = []
        self.table_number = 0

    def read(self, page: pdfplumber.page.Page, number: int) -> None:
        ruled = _may_hold_ruled_table(page)
        tables = sorted(page.find_tables(TABLE_SETTINGS), key=lambda t: t.bbox[1]) if ruled else []
        extracted = [table.extract() for table in tables]
        if number > TEXT_PAGES and extracted:
            self.texts.append(_cells_text(extracted))  # tables hold the page's figures
            self.cell_text_pages.append(number)
        else:
            self.texts.append(page.extract_text() or "")
        for table, cells_of_table in zip(tables, extracted, strict=True):
            self.table_number += 1
            above = _text_above(page, table.bbox[1])
            self.rows.extend(
                TableRow(number, self.table_number, tuple(c), above) for c in cells_of_table
            )

    def result(self) -> PdfTables:
        return PdfTables(self.texts, self.rows, self.cell_text_pages)


def read_tables(data: bytes, name: str) -> PdfTables:
    """Given a readable PDF's bytes, return its ruled tables as rows, and page texts.

    Pages without any ruling are not searched for tables; past the first ``TEXT_PAGES``
    pages, a page whose tables were read keeps their cells as its text
    (``cell_text_pages``) instead of a second layout pass.
    """
    collector = _TableCollector()
    with _open(data, name) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                collector.read(page, number)
            except Exception as exc:  # noqa: BLE001
                raise _error_for(exc, name, number) from exc
            finally:
                page.close()
    return collector.result()


def read_texts(data: bytes) -> list[str]:
    """Given a readable PDF's bytes, return every page's full text (for the text fallback)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = []
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            page.close()
        return texts


def _cells_text(tables: list[list[list[str | None]]]) -> str:
    """Given a page's extracted tables, return their cells as lines of text."""
    return "\n".join(" ".join(cell for cell in row if cell) for table in tables for row in table)
