"""Reading a tracker kept in Excel (.xlsx) or CSV into a `RawTable`: the file as it is, before
any heading is matched or any value checked. Nothing here knows about the data file or Qt.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
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


#: The most a tracker may hold. A partnership's tracker has hundreds of rows and a few dozen
#: columns; the limits stop a damaged or hostile file (a 5 KB workbook can declare 1.6 billion
#: cells) from taking the machine's memory, and say so rather than stop silently.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
EXCEL_ROWS = 1_048_576  # no worksheet Excel writes goes further

# C0 and C1 control characters other than tab and line breaks: an escape sequence in a heading
# or a cell would be echoed raw to the terminal (recolouring it, moving the cursor) and has no
# printed form. They are removed, and the note says where.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
NAMED_PLACES = 5


def blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _tidy(cell: object) -> object:
    return cell.strip() if isinstance(cell, str) else cell


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _places(places: list[str]) -> str:
    shown = ", ".join(places[:NAMED_PLACES])
    return shown + (f" and {len(places) - NAMED_PLACES} more" if len(places) > NAMED_PLACES else "")


class _Controls:
    """Removes control characters from headings and cells, remembering where."""

    def __init__(self) -> None:
        self.places: list[str] = []

    def clean(self, cell: object, place) -> object:
        if isinstance(cell, str) and _CONTROL.search(cell):
            self.places.append(place())
            return _CONTROL.sub("", cell)
        return cell

    def note(self, name: str) -> list[str]:
        if not self.places:
            return []
        return [f"{name}: control characters (such as terminal escape codes) were removed from "
                f"{_places(self.places)}; they have no printed form."]


def _table_from_rows(numbered_rows, name: str, notes: list[str], *, cell_name=None) -> RawTable:
    cell_name = cell_name or (lambda number, column: f"row {number} column {column}")
    controls = _Controls()
    headings: list[str] | None = None
    rows, source_rows = [], []
    for number, row in numbered_rows:
        row = [controls.clean(c, lambda n=number, i=i: cell_name(n, i + 1)) for i, c in enumerate(row)]
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
    return RawTable(headings, rows, source_rows, notes + controls.note(name), name)


def _bounded(numbered_rows, name: str):
    """Rows as lists, trailing blanks dropped, refusing a file past MAX_ROWS or MAX_COLUMNS."""
    for number, row in numbered_rows:
        cells = list(row)
        while cells and blank(cells[-1]):
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise ScrdeskError(f"{name} has a value in column {_column_letter(len(cells))} of row {number}; "
                               f"scrdesk reads at most {MAX_COLUMNS} columns. Remove the columns beyond "
                               f"{_column_letter(MAX_COLUMNS)} (or copy the tracker's own columns to a new sheet).")
        if number > MAX_ROWS:
            if cells:
                raise ScrdeskError(f"{name} has more than {MAX_ROWS:,} rows (row {number:,} holds data); scrdesk "
                                   f"reads at most {MAX_ROWS:,}. Split the tracker into smaller files.")
            continue
        yield number, cells


def _decode(data: bytes, name: str, notes: list[str]) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's
    "Unicode text"), or, only when no line of it is UTF-8 with accents, Windows-1252.

    A file that is UTF-8 in some lines and not in others was pasted together from two sources;
    reading it all as Windows-1252 would garble every accented letter of the UTF-8 part (and a
    garbled name slips past the anonymisation check), so it is refused naming the first bad line.
    A file with no valid UTF-8 accents at all and a byte UTF-8 cannot hold is what older Excel
    writes as "CSV (Comma delimited)": that is read as Windows-1252, with a note.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ScrdeskError(f"{name} starts as UTF-16 text but is damaged near byte {error.start:,}; "
                               "save it from Excel again.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    first_bad, utf8_accents = None, False
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            first_bad = first_bad or number
            continue
        utf8_accents = utf8_accents or not text.isascii()
    if utf8_accents:
        raise ScrdeskError(f"{name}: line {first_bad} is not UTF-8, though other lines are (the file mixes two "
                           "encodings, so accented letters would be garbled). Save it from Excel as "
                           "'CSV UTF-8' and import that.")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ScrdeskError(f"{name}: line {line} is neither UTF-8 nor Windows-1252 text; save the file from "
                           "Excel as 'CSV UTF-8'.") from None
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
        return _table_from_rows(_bounded(enumerate(reader, start=1), path.name), path.name, notes)
    except csv.Error as error:
        raise ScrdeskError(f"{path.name} could not be read as CSV near row {reader.line_num}: {error}.") from None


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (read in chunks, never whole)."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
                continue
            with archive.open(member) as stream:
                tail = b""
                while chunk := stream.read(1 << 16):
                    if b"<f>" in tail + chunk or b"<f " in tail + chunk or b":f>" in tail + chunk:
                        return True
                    tail = chunk[-8:]
    return False


def _sheet_rows(sheet):
    # read_only mode trusts the sheet's declared <dimension> and pads every row to it: forget it,
    # so each row is as long as its own last cell. openpyxl fills the gap before a far-away row
    # one empty row at a time; Excel's own last row bounds that (well under a second), and rows
    # past MAX_ROWS are still seen, so data there is refused rather than dropped.
    sheet.reset_dimensions()
    return enumerate(sheet.iter_rows(max_row=EXCEL_ROWS, values_only=True), start=1)


def _formulas_without_results(path: Path, sheet_index: int) -> list[str]:
    """Cells holding a formula whose result was never saved (a workbook written by a program, not
    Excel): read as values they are blank, so they are named rather than imported blank."""
    from openpyxl import load_workbook

    values = load_workbook(path, read_only=True, data_only=True)
    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        places = []
        pairs = zip(_sheet_rows(values.worksheets[sheet_index]), _sheet_rows(formulas.worksheets[sheet_index]),
                    strict=False)
        for (number, shown), (_, written) in pairs:
            for column, (value, formula) in enumerate(zip(shown, written, strict=False), start=1):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    places.append(f"{_column_letter(column)}{number}")
        return places
    finally:
        values.close()
        formulas.close()


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
            notes.append(f"Only the first sheet ('{_CONTROL.sub('', sheet.title)}') of {path.name} was read.")
        try:
            table = _table_from_rows(_bounded(_sheet_rows(sheet), path.name), path.name, notes,
                                     cell_name=lambda number, column: f"cell {_column_letter(column)}{number}")
            missing = _formulas_without_results(path, 0) if _has_formulas(path) else []
        except ScrdeskError:
            raise
        except Exception as error:
            raise ScrdeskError(f"{path.name} could not be read: the workbook is damaged "
                               f"({error or type(error).__name__}).") from None
        if missing:
            table.notes.append(f"{path.name} has formulas without saved results in {_places(missing)}; they were "
                               "read as blank. Open and save the workbook in Excel, then import it again.")
        return table
    finally:
        workbook.close()


def read_table(path: str | Path) -> RawTable:
    """Read the first sheet of an .xlsx, or a .csv (UTF-8 with or without BOM, UTF-16 with a BOM,
    or wholly Windows-1252), within MAX_ROWS x MAX_COLUMNS."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        hint = " Save it from Excel as .xlsx first." if suffix in (".xls", ".ods") else ""
        raise ScrdeskError(f"{path.name}: only .csv and .xlsx files can be imported.{hint}")
    if not path.is_file():
        raise ScrdeskError(f"There is no file {path}.")
    return _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
