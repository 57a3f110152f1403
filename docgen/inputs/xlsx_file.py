"""Read the cells of an Excel workbook, each tagged with its row and column letter.

No form knowledge here: the schema layer decides which sheet and which headers matter. Formula
cells are never evaluated (their text is kept and flagged), and a file is checked for the
things that make openpyxl fail obscurely (password protection, the old .xls format, a zip that
expands to gigabytes) before openpyxl sees it.
"""

from __future__ import annotations

import contextlib
import io
import warnings
import zipfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.escape import unescape
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from docgen.inputs.errors import SNIFF_BYTES, UnreadableInput, not_a_workbook, read_checked
from docgen.inputs.lockfiles import is_lock_file, lock_file_message
from docgen.inputs.sheet_xml import Cell, SheetFormats, sheet_rows

MAX_XLSX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Row(NamedTuple):
    number: int  # as Excel shows it
    cells: list[Cell]  # its non-empty cells, left to right


class Workbook:
    """An open workbook; use as a context manager so the file is closed.

    Sheets are read as a stream of rows (``rows``), never held whole: a 10,000-row workbook
    costs the memory of one row at a time. Rows come in the order the file stores them, each
    with its own row number: some programs store rows out of order, and a row is never lost or
    renumbered for it.
    """

    def __init__(self, path: Path) -> None:
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
        self._percent_styles = _percent_styles(self._wb)

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

    def head(self, title: str, count: int) -> list[Row]:
        """The first ``count`` non-empty rows of a sheet, in the order the file stores them."""
        out: list[Row] = []
        if count <= 0:
            return out
        rows = self.rows(title)
        try:
            for row in rows:
                out.append(row)
                if len(out) >= count:
                    break
        finally:
            rows.close()
        return out

    def rows(self, title: str) -> Generator[Row, None, None]:
        """Every row of a sheet that holds a value, streamed."""
        if title not in self._wb.sheetnames:
            raise UnreadableInput(self.name, f"has no sheet named '{title}'.")
        if not isinstance(self._wb[title], ReadOnlyWorksheet):  # pragma: no cover
            raise UnreadableInput(self.name, f"sheet '{title}' cannot be read.")
        ws: Any = self._wb[title]
        wb: Any = self._wb
        formats = SheetFormats(ws._shared_strings, wb._date_formats, wb._timedelta_formats,
                               wb.epoch)
        count = 0
        try:
            with ws._get_source() as source:
                percent = self._percent_styles
                for number, raw in sheet_rows(source, formats):
                    cells = []
                    for cell in raw:  # inlined: this loop runs for every cell of the sheet
                        value = cell.value
                        if value is None:
                            continue
                        kind = cell.kind
                        if kind == "s" or kind == "f":
                            if "_x" in value:  # Excel's escapes: _x000D_ is a carriage return
                                cell = cell._replace(value=unescape(value))
                            if not cell.value.strip():
                                continue
                        elif kind == "n" and cell.style in percent:
                            # 0.685 formatted as a percentage shows, and means, 68.5%
                            cell = cell._replace(value=_percent(value))
                        if cell.column_number > MAX_COLUMNS:
                            raise UnreadableInput(self.name,
                                                  f"has more than {MAX_COLUMNS} columns.")
                        cells.append(cell)
                    if not cells:
                        continue
                    count += 1
                    if count > MAX_ROWS:
                        raise UnreadableInput(
                            self.name,
                            f"sheet '{title}' has more than {MAX_ROWS:,} rows; split the file.",
                        )
                    yield Row(number, cells)
        except UnreadableInput:
            raise
        except Exception as exc:
            raise UnreadableInput(
                self.name, f"sheet '{title}' is damaged ({_short(exc)})."
            ) from None


class KeptWorkbook:
    """One workbook kept open from one read of a file to the next. A run reads each workbook
    twice (its risk assessments first, for the reports' cross-checks; then every record), and
    opening a workbook parses all of its text (the shared strings) at once: for one large
    workbook, half of the reading. The file must be unchanged (same size and time) for its
    workbook to be reused; at most one is kept; ``close`` when the run is done."""

    def __init__(self) -> None:
        self._key: tuple[int, ...] | None = None
        self._wb: Workbook | None = None

    @contextlib.contextmanager
    def open(self, path: Path) -> Iterator[Workbook]:
        key = _identity(path)
        if self._wb is not None and key is not None and key == self._key:
            wb, self._wb = self._wb, None
        else:
            self.close()
            wb = Workbook(path)
        try:
            yield wb
        finally:  # kept even when the reader found no sheet it wants: the next may
            self.close()
            self._key, self._wb = key, wb

    def close(self) -> None:
        if self._wb is not None:
            self._wb.close()
        self._key, self._wb = None, None


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _percent_styles(wb: Any) -> frozenset[int]:
    """The cell styles whose number format shows a percentage."""
    out = set()
    for style_id, style in enumerate(wb._cell_styles):
        fmt_id = style.numFmtId
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            code = BUILTIN_FORMATS.get(fmt_id, "General")
        else:
            try:
                code = wb._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
            except IndexError:
                continue
        if "%" in str(code):
            out.add(style_id)
    return frozenset(out)


def _percent(value: float) -> str:
    shown = round(value * 100, 9)
    return f"{int(shown) if float(shown).is_integer() else shown}%"


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 120 else text[:117] + "..."


def _precheck(path: Path) -> None:
    name = str(path)
    if is_lock_file(path):
        raise UnreadableInput(name, lock_file_message(path) + ".")
    # the whole file, read once with a cap: a pipe, a device or a link loop is refused here,
    # before openpyxl opens the path
    data = read_checked(path, max_bytes=MAX_XLSX_BYTES, what="a form workbook")
    head = data[:SNIFF_BYTES]
    if head[:8] == _OLE_MAGIC:
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise UnreadableInput(
                name,
                "is password-protected. Open it in Excel, remove the password (File > Info > "
                "Protect Workbook), save, and try again.",
            )
        raise UnreadableInput(
            name, "is an old Excel 97-2003 (.xls) file. Open it in Excel and save as .xlsx."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableInput(name, not_a_workbook(head))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > 10_000 or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                raise UnreadableInput(name, "expands to more data than a form workbook holds.")
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise UnreadableInput(
                    name, "is a zip file but not an Excel workbook (no xl/workbook.xml)."
                )
    except zipfile.BadZipFile:
        raise UnreadableInput(name, "is a damaged zip/xlsx file.") from None
