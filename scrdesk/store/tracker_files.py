"""Reading a tracker kept in Excel (.xlsx) or CSV into a `RawTable`: the file as it is, before
any heading is matched or any value checked. Nothing here knows about the data file or Qt.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from scrdesk.domain.errors import ScrdeskError


@dataclass
class RawTable:
    """The file as it is: heading texts, data rows, and each row's spreadsheet row number."""

    headings: list[str]
    rows: list[list]
    source_rows: list[int]
    notes: list[str] = field(default_factory=list)
    file_name: str = ""


def blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _tidy(cell: object) -> object:
    return cell.strip() if isinstance(cell, str) else cell


def _table_from_rows(numbered_rows, name: str, notes: list[str]) -> RawTable:
    headings: list[str] | None = None
    rows, source_rows = [], []
    for number, row in numbered_rows:
        if all(blank(c) for c in row):
            continue
        if headings is None:
            headings = ["" if blank(c) else str(c).strip() for c in row]
            while headings and not headings[-1]:
                headings.pop()
            continue
        rows.append([_tidy(c) for c in row])
        source_rows.append(number)
    if headings is None:
        raise ScrdeskError(f"{name} is empty: there is no heading row to read.")
    if not rows:
        raise ScrdeskError(f"{name} has a heading row but no rows of data below it.")
    return RawTable(headings, rows, source_rows, notes, name)


def _decode(data: bytes, name: str, notes: list[str]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ScrdeskError(f"{name} is not a text file in UTF-8 or Windows-1252; "
                           "save it from Excel as 'CSV UTF-8'.") from None
    notes.append(f"{name} is not UTF-8, so it was read as Windows-1252 (Western European): check "
                 "that accented letters look right, or save it from Excel as 'CSV UTF-8'.")
    return text


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path) -> RawTable:
    notes: list[str] = []
    text = _decode(path.read_bytes(), path.name, notes)
    if "\x00" in text:
        raise ScrdeskError(f"{path.name} is not a CSV text file (it holds binary data).")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _table_from_rows(enumerate(reader, start=1), path.name, notes)
    except csv.Error as error:
        raise ScrdeskError(f"{path.name} could not be read as CSV near row {reader.line_num}: {error}.") from None


def _read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook  # heavy; only when someone imports a workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise ScrdeskError(f"{path.name} could not be opened as an Excel workbook (.xlsx): "
                           f"{error or type(error).__name__}.") from None
    try:
        if not workbook.worksheets:
            raise ScrdeskError(f"{path.name} has no worksheets.")
        sheet = workbook.worksheets[0]
        notes = []
        if len(workbook.worksheets) > 1:
            notes.append(f"Only the first sheet ('{sheet.title}') of {path.name} was read.")
        try:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        except Exception as error:
            raise ScrdeskError(f"{path.name} could not be read: the workbook is damaged "
                               f"({error or type(error).__name__}).") from None
        return _table_from_rows(enumerate(rows, start=1), path.name, notes)
    finally:
        workbook.close()


def read_table(path: str | Path) -> RawTable:
    """Read the first sheet of an .xlsx, or a .csv (UTF-8, with or without BOM, or Windows-1252)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        hint = " Save it from Excel as .xlsx first." if suffix in (".xls", ".ods") else ""
        raise ScrdeskError(f"{path.name}: only .csv and .xlsx files can be imported.{hint}")
    if not path.is_file():
        raise ScrdeskError(f"There is no file {path}.")
    return _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
