"""Tables as files to download (CSV and XLSX), for every app that exports one: cells that
spreadsheet programs would run as formulas are made harmless, times are written as they sort,
and a workbook's sheets have a bold, frozen header."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def local_time(moment) -> str:
    """A time as spreadsheets sort it, in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def add_sheet(book: Workbook, title: str, header, rows):
    """A sheet of `book` with a bold, frozen header; every cell made harmless."""
    sheet = book.create_sheet(str(title)[:31])
    sheet.append([safe_cell(str(cell)) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    sheet.freeze_panes = "A2"
    return sheet


def xlsx_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_csv(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    # With a byte-order mark Excel opens UTF-8 (Lithuanian, Latvian, Russian) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(header, rows, title: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    add_sheet(book, title, header, rows)
    return xlsx_bytes(book)


def attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(header, rows, *, name: str, fmt: str, title: str) -> HttpResponse:
    """A table as a CSV or XLSX file to download; `fmt` must be one of the two."""
    if fmt == "csv":
        content, content_type = as_csv(header, rows), "text/csv; charset=utf-8"
    else:
        content, content_type = as_xlsx(header, rows, title=str(title)), XLSX
    return attachment(content, filename=f"{name}.{fmt}", content_type=content_type)
