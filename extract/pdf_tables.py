"""Reading a PDF with pdfplumber: each page's text and its ruled tables as rows of cells.

Tables are found with the ``lines`` strategy (the forms are ruled). A cell covered by a
merged neighbour comes back as ``None``; wrapped cell text keeps its ``\\n`` (joining is
the parser's job). Rows of every table on every page are returned in reading order, each
tagged with its page, so a table continued on the next page reads as one stream of rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from extract import issues as codes

TABLE_SETTINGS: dict[str, str] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass(frozen=True)
class TableRow:
    """One row of a ruled table: its 1-based page, table number in the document, cells."""

    page: int
    table: int
    cells: tuple[str | None, ...]


@dataclass(frozen=True)
class PdfContent:
    """A PDF's page count, per-page text, number of characters and table rows."""

    pages: int
    texts: list[str]
    chars: int
    rows: list[TableRow]


class PdfReadError(Exception):
    """A PDF that cannot be read: carries an issue code, a message and the page if known."""

    def __init__(self, code: str, message: str, page: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.page = page


def _is_encryption_error(exc: BaseException) -> bool:
    seen: list[BaseException] = [exc]
    if exc.args and isinstance(exc.args[0], BaseException):
        seen.append(exc.args[0])
    seen.extend(e for e in (exc.__cause__, exc.__context__) if e is not None)
    return any(isinstance(e, PDFPasswordIncorrect | PDFEncryptionError) for e in seen)


def _error_for(exc: Exception, name: str, page: int | None) -> PdfReadError:
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


def read_pdf(data: bytes, name: str) -> PdfContent:
    """Given a PDF's bytes and its file name, return its text and table rows.

    Raises ``PdfReadError`` (code ``encrypted_pdf`` or ``corrupt_pdf``) when pdfplumber
    cannot open the file or read one of its pages.
    """
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for bad files
        raise _error_for(exc, name, None) from exc
    texts: list[str] = []
    rows: list[TableRow] = []
    chars = 0
    table_number = 0
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:  # noqa: BLE001
            raise _error_for(exc, name, None) from exc
        for number, page in enumerate(pages, start=1):
            try:
                chars += len(page.chars)
                texts.append(page.extract_text() or "")
                tables = sorted(page.find_tables(TABLE_SETTINGS), key=lambda t: t.bbox[1])
                for table in tables:
                    table_number += 1
                    rows.extend(
                        TableRow(number, table_number, tuple(cells)) for cells in table.extract()
                    )
            except Exception as exc:  # noqa: BLE001
                raise _error_for(exc, name, number) from exc
            finally:
                page.close()
    return PdfContent(pages=len(pages), texts=texts, chars=chars, rows=rows)
