"""From files to forms: pick the form for each JSON object or workbook sheet, map workbook
headers to the form's columns, and validate each record. Policy checks come after, in
``docgen.validate``.

A workbook sheet is read in either layout ``docgen template`` writes, told apart by what it
holds: a table (a header row naming the form's columns, one visit per row, streamed row by
row) or a form (the questions down column A, the answers in column B, one visit per sheet)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from openpyxl.utils import column_index_from_string, get_column_letter
from pydantic_core import ErrorDetails

from docgen.files import not_regular
from docgen.inputs import Cell, KeptWorkbook, Row, UnreadableInput, Workbook, kind_of, read_json
from docgen.inputs.xlsx_merges import merged_in_row, merged_ranges
from docgen.report import (
    FileResult,
    Issue,
    Location,
    RecordResult,
    Severity,
    json_path,
    make_issue,
    printable,
)
from docgen.schemas import FORMS, FormModel
from docgen.schemas.columns import (
    Column,
    columns,
    columns_by_key,
    columns_by_path,
    compact_slots,
    first_column_under,
    fold_header,
    set_path,
    workbook_path,
)
from docgen.schemas.fields import Path as FieldPath
from docgen.schemas.fields import label_for_path
from docgen.schemas.parse import (
    Place,
    drop_not_applicable,
    json_locator,
    prune_blank,
    validate_form,
)
from docgen.schemas.types import (
    blank_text,
    describe_character,
    fold,
    forbidden_character,
    is_not_applicable,
)

HEADER_SEARCH_ROWS = 10


class FileRecords:
    """One input file, read one record at a time.

    ``issues`` holds the problems with the file itself (a missing column, a duplicated JSON
    key); they are known before the records they affect are yielded. A file that cannot be read
    at all, or stops being readable part way (a damaged sheet), ends with ``unreadable`` set and
    an issue saying why; the records yielded before stay valid.
    """

    def __init__(self, path: str | Path, *, form: str | None = None,
                 sheet: str | None = None, kept: KeptWorkbook | None = None) -> None:
        """``kept``: a workbook kept open by an earlier read of the same file, to reuse."""
        self.kept = kept
        self.path = Path(path)
        self.name = str(path)
        self.form = form
        self.sheet = sheet
        self.issues: list[Issue] = []
        self.unreadable = False

    def __iter__(self) -> Iterator[RecordResult]:
        try:
            yield from self._records()
        except UnreadableInput as exc:
            self.unreadable = True
            self.issues.append(make_issue("unreadable", f"{self.path.name}: {exc.message}",
                                          Location(file=self.name)))

    def _records(self) -> Iterator[RecordResult]:
        path, name = self.path, self.name
        if not path.exists() and not path.is_symlink():  # a link is reported when read
            raise UnreadableInput(name, "matches no files." if any(c in name for c in "*?[")
                                  else "no such file.")
        _regular(path)
        kind = kind_of(path)
        if kind == "json":
            if self.sheet:
                raise UnreadableInput(name, "--sheet applies to workbooks, not JSON files.")
            yield from _json_records(path, self.form, self.issues)
        elif kind == "xlsx":
            yield from _workbook_records(path, self.form, self.sheet, self.issues, self.kept)
        else:
            raise UnreadableInput(name, _wrong_kind(path))

    def result(self) -> FileResult:
        """The file's result so far, without its records."""
        return FileResult(path=self.name, issues=list(self.issues), unreadable=self.unreadable)


def load_file(path: str | Path, *, form: str | None = None,
              sheet: str | None = None) -> FileResult:
    """Read and validate every record of one file (no policy checks), holding them all. Never
    raises for bad data; an unreadable file gives a FileResult with ``unreadable`` set."""
    reader = FileRecords(path, form=form, sheet=sheet)
    records = list(reader)
    result = reader.result()
    result.records = records
    return result


def _regular(path: Path) -> None:
    """Refuse a pipe, a device or a folder by what it is, whatever its name."""
    try:
        mode = path.stat().st_mode
    except (OSError, RuntimeError):
        return  # a link loop or a broken link: the reader says which
    problem = not_regular(mode)
    if problem is not None:
        raise UnreadableInput(str(path), problem.message)


def _wrong_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return "is an old Excel 97-2003 (.xls) file. Open it in Excel and save as .xlsx."
    if suffix in (".csv", ".ods", ".numbers"):
        return (f"is a {suffix} file; docgen reads .xlsx workbooks and .json files. Open it "
                "in a spreadsheet program and save it as an Excel .xlsx workbook.")
    return "is neither a .json file nor an .xlsx workbook."


# --------------------------------------------------------------------------- JSON


def _json_records(path: Path, form: str | None, issues: list[Issue]) -> Iterator[RecordResult]:
    name = str(path)
    document = read_json(path)
    for where, key in document.duplicate_keys:
        issues.append(make_issue(
            "duplicate-key",
            f"The key '{key}' appears twice in one object; the second would silently replace "
            "the first. Keep one.",
            Location(file=name, path=where),
            field=key,
        ))
    for record in document:
        yield json_record(name, record.data, record.path, form)


def json_record(name: str, data: Any, path: str = "$", form: str | None = None) -> RecordResult:
    """One JSON object as a validated form (no policy checks), or the reason it is not one."""
    where = Location(file=name, path=path)
    if not isinstance(data, dict):
        return _failed(where, None, "invalid-structure",
                       "Expected a form (a JSON object with a \"form\" field) here.")
    declared = data.get("form")
    if declared is not None and not isinstance(declared, str):
        return _failed(where.with_(path=f"{path}.form"), None, "unknown-form",
                       f"\"form\" must be a string: one of {_known_forms()}.")
    form_name = declared or form
    known = _known_forms()
    if form_name is None:
        return _failed(where.with_(path=f"{path}.form"), None, "missing-form",
                       f"Say which form this is: add \"form\": one of {known}.")
    if form_name not in FORMS:
        return _failed(where.with_(path=f"{path}.form"), None, "unknown-form",
                       f"Unknown form '{printable(form_name)}'. Use one of {known}.")
    if declared and form and declared != form:
        return _failed(where.with_(path=f"{path}.form"), declared, "wrong-form",
                       f"This record is a '{declared}' but --form {form} was given.")
    broken = _broken_keys(data, path)
    if broken:
        issues = [make_issue(
            "invalid-key",
            f"The key '{printable(key)}' {describe_character(ch)}; retype the key.",
            where.with_(path=at),
        ) for at, key, ch in broken]
        return RecordResult(where, form_name, None, issues, _guess_label(data))
    model = FORMS[form_name]
    locate = json_locator(model, Location(file=name), path)
    given = drop_not_applicable(model, prune_blank({**data, "form": form_name}))
    parsed, issues = validate_form(model, given, locate)
    label = parsed.record_label() if parsed else _guess_label(data)
    return RecordResult(where, form_name, parsed, issues, label, locate)


def _broken_keys(data: Any, path: str) -> list[tuple[str, str, str]]:
    """Keys no field could be named by (a lone surrogate, a control character): where each
    is, the key, and the character. Validation would only say the object is not valid."""
    found = []
    stack: list[tuple[Any, str]] = [(data, path)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            for key, value in reversed(list(node.items())):
                bad = next((ch for ch in key if forbidden_character(ch)), None)
                if bad is not None:
                    found.append((json_path([key], at), key, bad))
                stack.append((value, json_path([key], at)))
        elif isinstance(node, list):
            stack.extend((v, f"{at}[{i}]") for i, v in reversed(list(enumerate(node))))
    return found


def _known_forms() -> str:
    return ", ".join(f"\"{f}\"" for f in FORMS)


def _failed(where: Location, form: str | None, code: str, message: str) -> RecordResult:
    return RecordResult(where, form, None, [make_issue(code, message, where)], where.short())


def _guess_label(data: dict[str, Any]) -> str:
    name = data.get("pupil_name")
    return str(name)[:60] if isinstance(name, str) else ""


# --------------------------------------------------------------------------- workbooks


def _workbook_records(path: Path, form: str | None, sheet: str | None,
                      issues: list[Issue], kept: KeptWorkbook | None) -> Iterator[RecordResult]:
    name = str(path)
    with (kept.open(path) if kept is not None else Workbook(path)) as wb:
        for model, title, layout in _choose_sheets(wb, form, sheet):
            if layout == "form":
                record = read_form_sheet(model, wb, title, name)
                if record is not None:
                    yield record
            else:
                yield from read_table(model, wb, title, name, issues)


Layout = Literal["table", "form"]  # as ``docgen.workbook`` writes them


def _form_layout(wb: Workbook, title: str) -> type[FormModel] | None:
    """The form a sheet in the form layout holds (its questions down column A), or None when
    the sheet is not one: a table's header row names more columns in one row than column A
    does in its first rows."""
    head = wb.head(title, HEADER_SEARCH_ROWS)
    best, best_score = None, 0
    for model in FORMS.values():
        keys = columns_by_key(model)
        down = sum(1 for row in head for c in row.cells[:1]
                   if c.column == "A" and isinstance(c.value, str)
                   and fold_header(c.value) in keys)
        _, across = _find_header(model, head)
        if down >= 3 and down > across and down > best_score:
            best, best_score = model, down
    return best


def _choose_sheets(wb: Workbook, form: str | None,
                   sheet: str | None) -> list[tuple[type[FormModel], str, Layout]]:
    wanted = [FORMS[form]] if form else list(FORMS.values())
    names = wb.sheet_names
    if sheet is not None:
        if sheet not in names:
            raise UnreadableInput(
                wb.name, f"has no sheet '{sheet}'. Its sheets are: {', '.join(names)}."
            )
        as_form = _form_layout(wb, sheet)
        if as_form is not None and as_form in wanted:
            return [(as_form, sheet, "form")]
        by_title = [m for m in wanted if fold(m.sheet_title) == fold(sheet)]
        model = by_title[0] if by_title else _best_form(wb, sheet, wanted)
        if model is None:
            raise UnreadableInput(
                wb.name, f"sheet '{sheet}' has no header row naming the form's columns."
            )
        return [(model, sheet, "table")]
    # every sheet in the form layout is a visit; of the others, the sheets named as a form's
    # table, or else the first sheet whose header row names a form's columns
    forms = {title: _form_layout(wb, title) for title in names}
    chosen: list[tuple[type[FormModel], str, Layout]] = [
        (model, title, "form") for title, model in forms.items() if model in wanted]
    tables = [title for title, model in forms.items() if model is None]
    named: list[tuple[type[FormModel], str, Layout]] = [
        (m, title, "table") for title in tables for m in wanted
        if fold(m.sheet_title) == fold(title)]
    if chosen or named:
        return sorted(chosen + named, key=lambda found: names.index(found[1]))
    for title in tables:
        model = _best_form(wb, title, wanted)
        if model is not None:
            return [(model, title, "table")]
    expected = " or ".join(f"'{m.sheet_title}'" for m in wanted)
    raise UnreadableInput(
        wb.name,
        f"has no sheet named {expected} (its sheets are: {', '.join(names) or 'none'}). "
        "Use a workbook made by `docgen template`, or name the sheet with --sheet.",
    )


def _best_form(wb: Workbook, title: str, wanted: list[type[FormModel]]) -> type[FormModel] | None:
    """The form whose headers a sheet (named otherwise) carries. Every form is scored, not only
    the wanted ones: the forms share headers (Name of pupil, Date of Visit ...), and a visit
    report sheet must not be read as a risk assessment because --form said so."""
    head = wb.head(title, HEADER_SEARCH_ROWS)
    best, best_score = None, 0
    for model in FORMS.values():
        _, score = _find_header(model, head)
        if score > best_score:
            best, best_score = model, score
    return best if best_score >= 3 and best in wanted else None


def _find_header(model: type[FormModel], head: list[Row]) -> tuple[Row | None, int]:
    """The row (among the first few) that names most of the form's columns; the earliest
    such row when several score the same."""
    keys = columns_by_key(model)
    best_row, best = None, 0
    for row in sorted(head, key=lambda r: r.number):
        score = sum(
            1 for c in row.cells
            if isinstance(c.value, str) and fold_header(c.value) in keys
        )
        if score > best:
            best_row, best = row, score
    return best_row, best


def read_table(
    model: type[FormModel], wb: Workbook, title: str, file: str, issues: list[Issue]
) -> Iterator[RecordResult]:
    """Every row under the header row of a sheet, as validated records of ``model``. Header
    problems are added to ``issues`` before the first record is yielded."""
    here = Location(file=file, sheet=title)
    rows = wb.rows(title)
    head: list[Row] = []
    for row in rows:
        head.append(row)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    header, score = _find_header(model, head)
    if header is None or score < 2:
        rows.close()
        raise UnreadableInput(
            file,
            f"sheet '{title}' has no header row with the {model.form_title} column "
            "names. Copy the header row from a fresh `docgen template "
            f"{model.form_name}`.",
        )
    first = len(issues)
    mapping, missing = _map_header(model, header.cells, here, issues)
    if missing:  # merged header cells are the likely reason: say so first
        required = any(c.required and c.path in missing for c in columns(model))
        issues[first:first] = _merged_header(here, header.number, required)
    letters = {column.path: letter for letter, column in mapping.items()}
    for row in itertools.chain(head, rows):
        if row.number <= header.number:
            continue  # the header itself, or notes above it (in the sheet, whatever the order)
        record = _row_record(model, row.cells, mapping, letters, missing,
                             here.with_(row=row.number))
        if record is not None:
            yield record


def _map_header(
    model: type[FormModel], header: list[Cell], here: Location, issues: list[Issue]
) -> tuple[dict[str, Column], set[FieldPath]]:
    keys = columns_by_key(model)
    mapping: dict[str, Column] = {}
    seen: dict[str, str] = {}
    for cell in header:
        where = here.with_(row=cell.row, column=cell.column)
        text = cell.value if isinstance(cell.value, str) else str(cell.value)
        column = keys.get(fold_header(text))
        if column is None:
            issues.append(make_issue(
                "unknown-column",
                f"The header '{printable(text)}' is not a column of the {model.form_title}; the "
                "column is ignored. Correct the header if it should be read.",
                where, severity=Severity.WARNING, value=text,
            ))
            continue
        if column.key in seen:
            issues.append(make_issue(
                "duplicate-column",
                f"'{column.header}' appears twice (columns {seen[column.key]} and "
                f"{cell.column}). Delete one.",
                where, field=column.header,
            ))
            continue
        seen[column.key] = cell.column
        mapping[cell.column] = column
    present = {c.path for c in mapping.values()}
    missing = {c.path for c in columns(model) if c.path not in present}
    # a missing column is reported at the first free cell of the header row: where to add it
    free = get_column_letter(
        max((column_index_from_string(c.column) for c in header), default=0) + 1
    )
    for column in columns(model):
        if column.required and column.path in missing:
            issues.append(make_issue(
                "missing-column",
                f"The required column '{column.header}' is missing. Add it back, e.g. in cell "
                f"{free}{header[0].row if header else 1} (copy the header from a fresh "
                f"`docgen template {model.form_name}`).",
                here.with_(row=header[0].row if header else 1, column=free),
                field=column.header,
            ))
    return mapping, missing


def _merged_header(here: Location, row: int, required_missing: bool) -> list[Issue]:
    """Merged cells in the header row: the reason columns are missing, and how to fix it."""
    out = []
    for ref in merged_in_row(merged_ranges(Path(here.file), here.sheet or ""), row):
        first = ref.split(":")[0].rstrip("0123456789")
        out.append(make_issue(
            "merged-header",
            f"The header cells {ref} are merged, so only the first of them keeps its header and "
            "the columns after it are not read. Unmerge them (select the cells, then Home > "
            "Merge & Center > Unmerge Cells) and type each column's header in its own cell.",
            here.with_(row=row, column=first),
            severity=Severity.ERROR if required_missing else Severity.WARNING,
        ))
    return out


def _row_record(
    model: type[FormModel],
    cells: list[Cell],
    mapping: dict[str, Column],
    letters: dict[FieldPath, str],
    missing: set[FieldPath],
    row: Location,
) -> RecordResult | None:
    data: dict[str, Any] = {}
    issues: list[Issue] = []
    unusable: set[FieldPath] = set()  # cells already reported (formula, Excel error)
    used = False
    for cell in cells:
        column = mapping.get(cell.column)
        if column is None:
            continue  # not a column of the form
        value = cell.value
        if isinstance(value, str) and blank_text(value):
            continue  # nothing visible in it (a blank answer)
        used = True
        if cell.kind in _UNUSABLE_KINDS:
            _value_of(cell, column, row, issues, unusable)
            continue
        value = _answer(value, column)  # not _value_of: this runs for every cell
        if value is not _LEFT_BLANK:
            set_path(data, column.path, value)
    if not used:
        return None  # a row with nothing in the form's columns: notes beside the table

    def cell_of(path: FieldPath) -> Location | None:
        letter = letters.get(path)
        return row.with_(column=letter) if letter else None

    return _record(model, data, issues, unusable, missing, row, cell_of)


_UNUSABLE_KINDS = ("f", "e")  # a formula, an Excel error: ``_value_of`` reports them


def _value_of(cell: Cell, column: Column, row: Location, issues: list[Issue],
              unusable: set[FieldPath]) -> tuple[bool, Any]:
    """A cell's value for ``column``: (False, None) when it is a formula or an Excel error
    (reported in ``issues``, at the cell in ``row``), or an optional "n/a" (left blank)."""
    if cell.formula:
        issues.append(make_issue(
            "formula",
            "This cell holds a formula; docgen never evaluates formulas. Type the value "
            "itself (copy the cell and Paste Special > Values).",
            row.with_(column=cell.column), field=column.header,
            value=None if column.no_echo else cell.value,
        ))
        unusable.add(column.path)
        return False, None
    if cell.excel_error:
        issues.append(make_issue(
            "excel-error",
            f"The cell shows the Excel error {cell.value}; type the value itself.",
            row.with_(column=cell.column), field=column.header,
        ))
        unusable.add(column.path)
        return False, None
    value = _answer(cell.value, column)
    return (False, None) if value is _LEFT_BLANK else (True, value)


_LEFT_BLANK = object()


def _answer(value: Any, column: Column) -> Any:
    """A usable cell's value for ``column``: text stripped; ``_LEFT_BLANK`` for "n/a" or "-"
    in an optional cell."""
    if isinstance(value, str):
        value = value.strip()
    if not column.required and is_not_applicable(value):
        return _LEFT_BLANK
    return value


def _record(model: type[FormModel], data: dict[str, Any], issues: list[Issue],
            unusable: set[FieldPath], missing: set[FieldPath], where: Location,
            cell_of: Callable[[FieldPath], Location | None]) -> RecordResult:
    """Validate one workbook record (a row of a table, or a form sheet): ``cell_of`` says
    which cell holds the answer at a column's path."""
    slot_of = compact_slots(model, data)
    by_path = columns_by_path(model)

    def locate(path: FieldPath) -> Place:
        wpath = workbook_path(path, slot_of)
        column = by_path.get(wpath) or first_column_under(model, wpath)
        if column is None:
            return Place(where, label_for_path(model, wpath))
        cell = cell_of(column.path)
        label = column.header if column.path == wpath else label_for_path(model, wpath)
        return Place(cell or where, label)

    # A missing required column is reported once for the file, a formula once for its cell:
    # not again as a blank answer (nor as too few staff) on every row. Only errors that such an
    # issue covers are dropped, so an invalid row always keeps at least one issue.
    absent = {p for p in missing if by_path[p].required} | unusable

    def already_reported(error: ErrorDetails) -> bool:
        if error["type"] not in ("missing", "too_short"):
            return False
        wpath = workbook_path(tuple(error["loc"]), slot_of)
        return any(p[: len(wpath)] == wpath for p in absent)

    parsed, field_issues = validate_form(
        model, {**data, "form": model.form_name}, locate, ignore=already_reported
    )
    issues.extend(field_issues)
    name = data.get("pupil_name")
    label = parsed.record_label() if parsed else (str(name)[:60] if name else "")
    no_errors = not any(i.is_error for i in issues)  # a warning (text changed) keeps the form
    return RecordResult(where, model.form_name, parsed if no_errors else None, issues, label,
                        locate)


def read_form_sheet(model: type[FormModel], wb: Workbook, title: str,
                    file: str) -> RecordResult | None:
    """A sheet in the form layout as one validated record of ``model``: each row whose
    column A names a question of the form gives its answer in column B. A question given
    twice is an error at its second row; a row that names no question is passed over (the
    title, a section heading, a note). A sheet with no answer at all (a fresh template) is
    no record."""
    here = Location(file=file, sheet=title)
    keys = columns_by_key(model)
    data: dict[str, Any] = {}
    issues: list[Issue] = []
    unusable: set[FieldPath] = set()
    rows_of: dict[FieldPath, int] = {}
    for row in wb.rows(title):
        first = row.cells[0]
        if first.column != "A" or not isinstance(first.value, str):
            continue
        column = keys.get(fold_header(first.value))
        if column is None:
            continue
        if column.path in rows_of:
            issues.append(make_issue(
                "duplicate-column",
                f"'{column.header}' is asked twice (rows {rows_of[column.path]} and "
                f"{row.number}). Delete one.",
                here.with_(row=row.number, column="A"), field=column.header,
            ))
            continue
        rows_of[column.path] = row.number
        answer = next((c for c in row.cells if c.column == "B"), None)
        if answer is None or (isinstance(answer.value, str) and blank_text(answer.value)):
            continue
        ok, value = _value_of(answer, column, here.with_(row=row.number), issues, unusable)
        if ok:
            set_path(data, column.path, value)

    if not data and not issues and not unusable:
        return None

    def cell_of(path: FieldPath) -> Location | None:
        number = rows_of.get(path)
        return here.with_(row=number, column="B") if number else None

    return _record(model, data, issues, unusable, set(), here, cell_of)

