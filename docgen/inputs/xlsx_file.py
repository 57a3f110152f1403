"""Read the cells of an Excel workbook, each tagged with its row and column letter.

No form knowledge here: the schema layer decides which sheet and which headers matter. Formula
cells are never evaluated (their text is kept and flagged), and a file is checked for the
things that make openpyxl fail obscurely (password protection, the old .xls format, a zip that
expands to gigabytes) before openpyxl sees it.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from docgen.inputs.errors import UnreadableInput, read_checked

MAX_XLSX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 1_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Cell:
    value: Any
    row: int
    column: str  # letter, as Excel shows it
    formula: bool = False
    excel_error: bool = False  # #N/A, #REF! ... shown by Excel in place of a value


@dataclass
class Sheet:
    title: str
    rows: dict[int, list[Cell]]  # row number -> its non-empty cells


class Workbook:
    """An open workbook; use as a context manager so the file is closed."""

    def __init__(self, path: Path) -> None:
        self._sheets: dict[str, Sheet] = {}
        self.path = path
        self.name = str(path)
        _precheck(path)
        try:
            with warnings.catch_warnings():
                # openpyxl warns about features it drops (extensions, odd styles): noise on the
                # user's terminal, and nothing docgen reads depends on them
                warnings.simplefilter("ignore")
                self._wb = openpyxl.load_workbook(
                    path, read_only=True, data_only=False, keep_links=False
                )
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UnreadableInput(
                self.name, f"is not an Excel workbook that can be read ({_short(exc)})."
            ) from None
        except Exception as exc:  # openpyxl raises many kinds on a corrupt file
            raise UnreadableInput(
                self.name, f"is damaged or not an .xlsx workbook ({_short(exc)})."
            ) from None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._wb.close()

    @property
    def sheet_names(self) -> list[str]:
        """Visible sheets, in workbook order."""
        return [ws.title for ws in self._wb.worksheets if ws.sheet_state == "visible"]

    def read(self, title: str) -> Sheet:
        """A sheet's non-empty cells; read once, however often asked for."""
        if title not in self._sheets:
            self._sheets[title] = self._read(title)
        return self._sheets[title]

    def _read(self, title: str) -> Sheet:
        if title not in self._wb.sheetnames:
            raise UnreadableInput(self.name, f"has no sheet named '{title}'.")
        ws = self._wb[title]
        rows: dict[int, list[Cell]] = {}
        try:
            # Read-only mode trusts the sheet's recorded size, and some programs record it
            # wrongly: without this, rows and columns beyond it would be silently skipped.
            if isinstance(ws, ReadOnlyWorksheet):
                ws.reset_dimensions()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for r, row in enumerate(ws.iter_rows(), start=1):
                    read = (_cell(cell, r, c, self.name, title)
                            for c, cell in enumerate(row, start=1))
                    cells = [cell for cell in read if cell is not None]
                    if cells:
                        rows[r] = cells
                        if len(rows) > MAX_ROWS + 1:
                            raise UnreadableInput(
                                self.name,
                                f"sheet '{title}' has more than {MAX_ROWS} rows; split the "
                                "file.",
                            )
        except UnreadableInput:
            raise
        except Exception as exc:
            raise UnreadableInput(
                self.name, f"sheet '{title}' is damaged ({_short(exc)})."
            ) from None
        return Sheet(title, rows)


def _cell(cell: Any, r: int, c: int, name: str, title: str) -> Cell | None:
    """A cell as docgen sees it, or None when it is blank."""
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if c > MAX_COLUMNS:
        raise UnreadableInput(name, f"sheet '{title}' has more than {MAX_COLUMNS} columns.")
    kind = getattr(cell, "data_type", None)
    if isinstance(value, ArrayFormula | DataTableFormula):
        value = getattr(value, "text", None) or "=" + type(value).__name__
    elif (
        kind == "n"
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in str(getattr(cell, "number_format", "") or "")
    ):
        value = _percent(value)  # what the cell shows: 0.685 formatted as % is 68.5%
    return Cell(
        value=value,
        row=r,
        column=get_column_letter(c),
        formula=kind == "f" or (isinstance(value, str) and value.startswith("=") and kind != "s"),
        excel_error=kind == "e",
    )


def _percent(value: float) -> str:
    shown = round(value * 100, 9)
    return f"{int(shown) if float(shown).is_integer() else shown}%"


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 120 else text[:117] + "..."


def _precheck(path: Path) -> None:
    name = str(path)
    head = read_checked(path, max_bytes=MAX_XLSX_BYTES, what="a form workbook", head=8)
    if head == _OLE_MAGIC:
        if "EncryptionInfo".encode("utf-16-le") in path.read_bytes():
            raise UnreadableInput(
                name,
                "is password-protected. Open it in Excel, remove the password (File > Info > "
                "Protect Workbook), save, and try again.",
            )
        raise UnreadableInput(
            name, "is an old Excel 97-2003 (.xls) file. Open it in Excel and save as .xlsx."
        )
    if not zipfile.is_zipfile(path):
        raise UnreadableInput(name, "is not an Excel .xlsx workbook.")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > 10_000 or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                raise UnreadableInput(name, "expands to more data than a form workbook holds.")
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise UnreadableInput(
                    name, "is a zip file but not an Excel workbook (no xl/workbook.xml)."
                )
    except zipfile.BadZipFile:
        raise UnreadableInput(name, "is a damaged zip/xlsx file.") from None
