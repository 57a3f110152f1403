"""Read an attendance export from a school's information system (MIS) as it comes: an .xlsx
workbook or a .csv file (UTF-8 with or without a byte-order mark, UTF-16, or Windows-1252 as
older systems write it; comma, semicolon or tab separated).

The header row is found among the first rows (notes and a title above it are allowed, and a
line such as "Attendance 02/09/2026 to 20/11/2026" states the period of summary figures) and its
headers matched like the forms' (see ``columns``). Each row becomes an ``AttendanceRecord``: a
checked ``Pupil``, or the problems with the row, each at its cell. A bad row (an unknown code,
more sessions attended than possible, no name) is reported and the rest of the file is read.
Rows stream: a file is never held as parsed pupils.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from docgen.inputs import Cell, Row, UnreadableInput, Workbook
from docgen.inputs.errors import read_checked
from docgen.letters import columns as cols
from docgen.letters.attendance import Attendance, Counts, Session
from docgen.letters.codes import NO_MARK, UnknownCode, split_marks
from docgen.letters.pupils import AttendanceRecord, Contact, Pupil
from docgen.report import FileResult, Issue, Location, Severity, make_issue, printable
from docgen.schemas.types import clean_line, clean_multiline, parse_uk_date, parse_yes_no

FORM_NAME = "attendance"
SUFFIXES = (".csv", ".xlsx", ".xlsm", ".txt")
MAX_CSV_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
_WEEKDAYS = re.compile(r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\b\.?,?", re.I)
_HALF = re.compile(r"\(?\b(am|pm|a\.m\.?|p\.m\.?|morning|afternoon)\b\)?", re.I)
_DATE_IN_TEXT = re.compile(r"\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})\b")


# --------------------------------------------------------------------------- raw rows


def decode(data: bytes) -> str:
    """Text from an export's bytes: a BOM says the encoding; without one, UTF-8 if it is
    valid, else Windows-1252 (what older systems and Excel's "CSV" write)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_rows(path: Path) -> Iterator[Row]:
    """The non-empty rows of a CSV export, cells tagged with spreadsheet column letters."""
    text = decode(read_checked(path, max_bytes=MAX_CSV_BYTES, what="an attendance export"))
    if "\x00" in text:
        raise UnreadableInput(str(path), "is not a text (CSV) file.")
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, values in enumerate(reader, start=1):
            cells = [Cell(number, get_column_letter(i), i, value.strip(), "s", 0)
                     for i, value in enumerate(values, start=1) if value.strip()]
            if cells:
                yield Row(number, cells)
    except csv.Error as exc:
        raise UnreadableInput(str(path), f"is not a CSV file that can be read ({exc}).") from None


def _sheet(wb: Workbook) -> str:
    names = wb.sheet_names
    for name in names:
        if name.strip().casefold() in ("attendance", "attendance export"):
            return name
    return names[0] if names else ""


# --------------------------------------------------------------------------- the header


@dataclass(frozen=True)
class SessionColumn:
    day: dt.date
    half: str | None  # am / pm, or None when the cell holds the day's two marks


@dataclass
class Layout:
    """What each column of an export holds."""

    fields: dict[str, str] = field(default_factory=dict)  # key -> column letter
    contacts: dict[int, dict[str, str]] = field(default_factory=dict)  # n -> key -> letter
    sessions: dict[str, SessionColumn] = field(default_factory=dict)  # letter -> session
    headers: dict[str, str] = field(default_factory=dict)  # letter -> header text
    period: tuple[dt.date, dt.date] | None = None  # stated above the header

    @property
    def register(self) -> bool:
        return bool(self.sessions)

    def score(self) -> int:
        return len(self.fields) + sum(len(c) for c in self.contacts.values()) + \
            len(self.sessions)


def session_header(value: Any) -> SessionColumn | None:
    """A register column's header: a date cell, or text such as ``Mon 02/09/2026 AM``."""
    if isinstance(value, dt.datetime):
        return SessionColumn(value.date(), None) if value.time() == dt.time() else None
    if isinstance(value, dt.date):
        return SessionColumn(value, None)
    if not isinstance(value, str):
        return None
    half = None
    found = _HALF.search(value)
    if found:
        word = found.group(1).lower()
        half = "am" if word.startswith(("a", "m")) else "pm"
    text = _WEEKDAYS.sub(" ", _HALF.sub(" ", value)).strip(" ,-")
    if not _DATE_IN_TEXT.fullmatch(text.strip()):
        return None
    try:
        day = parse_uk_date(text.strip())
    except Exception:  # not a date: an ordinary header
        return None
    return SessionColumn(day, half)


def read_layout(header: Row, issues: list[Issue], here: Location) -> Layout:
    layout = Layout()
    seen: dict[tuple[str, int | None], str] = {}
    seen_sessions: dict[tuple[dt.date, str | None], str] = {}
    for cell in header.cells:
        where = here.with_(row=cell.row, column=cell.column)
        text = cell.value if isinstance(cell.value, str) else str(cell.value)
        layout.headers[cell.column] = text
        session = session_header(cell.value)
        if session is not None:
            key = (session.day, session.half)
            if key in seen_sessions or (session.day, None) in seen_sessions or \
                    (session.half is None and any(d == session.day for d, _ in seen_sessions)):
                issues.append(make_issue(
                    "duplicate-column",
                    f"The session '{printable(text)}' appears twice (columns "
                    f"{seen_sessions.get(key, '?')} and {cell.column}). Delete one.",
                    where, field=text))
                continue
            seen_sessions[key] = cell.column
            layout.sessions[cell.column] = session
            continue
        found = cols.match(text)
        if found is None:
            issues.append(make_issue(
                "unknown-column",
                f"The header '{printable(text)}' is not a column docgen reads from an "
                "attendance export; the column is ignored.",
                where, severity=Severity.WARNING, value=text))
            continue
        column, number = found
        if (column.key, number) in seen:
            issues.append(make_issue(
                "duplicate-column",
                f"'{printable(text)}' appears twice (columns {seen[(column.key, number)]} and "
                f"{cell.column}). Delete one.", where, field=text))
            continue
        seen[(column.key, number)] = cell.column
        if number is None:
            layout.fields[column.key] = cell.column
        else:
            layout.contacts.setdefault(number, {})[column.key] = cell.column
    return layout


def _stated_period(rows: list[Row]) -> tuple[dt.date, dt.date] | None:
    """The period a title above the header states: its first two dates."""
    dates: list[dt.date] = []
    for row in rows:
        for cell in row.cells:
            if isinstance(cell.value, dt.datetime | dt.date):
                value = cell.value
                dates.append(value.date() if isinstance(value, dt.datetime) else value)
            elif isinstance(cell.value, str):
                for text in _DATE_IN_TEXT.findall(cell.value):
                    try:
                        dates.append(parse_uk_date(text))
                    except Exception:  # noqa: S112 - not a date after all
                        continue
    return (dates[0], dates[1]) if len(dates) >= 2 else None


# --------------------------------------------------------------------------- a file


class AttendanceFile:
    """One attendance export, read one row at a time (the interface of the forms' checked
    files: iterate for the records, then ``result()``)."""

    def __init__(self, path: str | Path, *, window_weeks: int = 10,
                 contacts_only: bool = False) -> None:
        self.path = str(path)
        self._path = Path(path)
        self.window_weeks = window_weeks
        self.contacts_only = contacts_only
        self.issues: list[Issue] = []
        self.unreadable = False
        self._result = FileResult(path=self.path)

    def __iter__(self) -> Iterator[AttendanceRecord]:
        seen: dict[str, Location] = {}
        try:
            for record in self._records():
                self._result.tally.add(record)
                pupil = record.pupil
                if pupil is not None and record.usable:
                    key = _pupil_key(pupil)
                    first = seen.setdefault(key, record.location)
                    if first is not record.location:
                        record.duplicate_of = first
                        record.issues.append(make_issue(
                            "duplicate-record",
                            f"{pupil.name} is also at {first}. Only the first row is used; "
                            "remove one.", record.location, severity=Severity.WARNING))
                yield record
        except UnreadableInput as exc:
            self.unreadable = True
            self.issues.append(make_issue("unreadable", f"{self._path.name}: {exc.message}",
                                          Location(file=self.path)))

    def result(self) -> FileResult:
        self._result.issues = list(self.issues)
        self._result.unreadable = self.unreadable
        return self._result

    def _rows(self) -> tuple[Iterator[Row], str | None, Any]:
        suffix = self._path.suffix.lower()
        if not self._path.exists():
            raise UnreadableInput(self.path, "no such file.")
        if suffix in (".csv", ".txt"):
            return csv_rows(self._path), None, None
        if suffix in (".xlsx", ".xlsm"):
            wb = Workbook(self._path)
            sheet = _sheet(wb)
            if not sheet:
                wb.close()
                raise UnreadableInput(self.path, "has no visible sheet.")
            return wb.rows(sheet), sheet, wb
        raise UnreadableInput(self.path, "is not an attendance export (.csv or .xlsx). Save "
                                         "the export from the MIS as CSV or as an Excel workbook.")

    def _records(self) -> Iterator[AttendanceRecord]:
        rows, sheet, wb = self._rows()
        try:
            yield from self._read(rows, sheet)
        finally:
            if wb is not None:
                wb.close()

    def _read(self, rows: Iterator[Row], sheet: str | None) -> Iterator[AttendanceRecord]:
        here = Location(file=self.path, sheet=sheet)
        head: list[Row] = []
        for row in rows:
            head.append(row)
            if len(head) >= HEADER_SEARCH_ROWS:
                break
        best: tuple[int, Row, Layout] | None = None
        for row in head:
            scratch: list[Issue] = []
            layout = read_layout(row, scratch, here)
            named = "pupil_name" in layout.fields or (
                "surname" in layout.fields and "forename" in layout.fields)
            if named and (best is None or layout.score() > best[0]):
                best = (layout.score(), row, layout)
        if best is None:
            raise UnreadableInput(
                self.path, "has no header row naming the pupil (a 'Pupil name' column, or "
                "'Forename' and 'Surname'). Start from `docgen template attendance`, or check "
                "the export's first rows.")
        _, header, _ = best
        layout = read_layout(header, self.issues, here)
        layout.period = _stated_period([r for r in head if r.number < header.number])
        self._check_layout(layout, header, here)
        if any(i.is_error for i in self.issues):
            raise UnreadableInput(self.path, "cannot be read: " + "; ".join(
                i.message for i in self.issues if i.is_error))
        reader = RowReader(layout, here, self.window_weeks, contacts_only=self.contacts_only)
        for row in itertools.chain(head, rows):
            if row.number > header.number:
                record = reader.record(row)
                if record is not None:
                    yield record

    def _check_layout(self, layout: Layout, header: Row, here: Location) -> None:
        where = here.with_(row=header.number)
        if self.contacts_only:
            return
        if layout.register:
            summary = [k for k in ("possible", "attended", "authorised", "unauthorised")
                       if k in layout.fields]
            if summary:
                self.issues.append(make_issue(
                    "summary-ignored",
                    "The export has both a session register and summary columns; the "
                    "register's marks are used and the summary columns ignored.",
                    where, severity=Severity.WARNING))
            return
        missing = [c for c in cols.SUMMARY
                   if c.key in ("possible", "attended", "authorised", "unauthorised")
                   and c.key not in layout.fields]
        if missing:
            self.issues.append(make_issue(
                "missing-column",
                "The export has neither a session-by-session register (a column per day or "
                "session, headed by its date) nor the summary columns; missing: "
                + ", ".join(f"'{c.header}'" for c in missing) + ".", where))
        has_period = ("period_from" in layout.fields and "period_to" in layout.fields)
        if not has_period and layout.period is None:
            self.issues.append(make_issue(
                "missing-period",
                "Summary figures need the period they cover: add the columns 'Period from' "
                "and 'Period to', or a line above the header such as 'Attendance 02/09/2026 "
                "to 20/11/2026'.", where))


def _pupil_key(pupil: Pupil) -> str:
    who = " ".join(pupil.name.casefold().split())
    return hashlib.blake2b(repr((who, pupil.upn, pupil.date_of_birth)).encode(),
                           digest_size=16).hexdigest()


# --------------------------------------------------------------------------- a row


class _Bad(Exception):
    """One cell that cannot be read; the message says how to fix it."""

    def __init__(self, column: str | None, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
        self.value = value


class RowReader:
    """Turns a data row into a record, reporting every bad cell."""

    def __init__(self, layout: Layout, here: Location, window_weeks: int, *,
                 contacts_only: bool = False) -> None:
        self.layout = layout
        self.here = here
        self.window_weeks = window_weeks
        self.contacts_only = contacts_only

    def record(self, row: Row) -> AttendanceRecord | None:
        """The row's record; None for a row with nothing in the export's columns (notes
        beside the table)."""
        where = self.here.with_(row=row.number)
        values = {c.column: c for c in row.cells}
        if not any(letter in self.layout.headers for letter in values):
            return None
        issues: list[Issue] = []

        def report(bad: _Bad) -> None:
            header = self.layout.headers.get(bad.column or "", None)
            issues.append(make_issue(
                "invalid-value", bad.message,
                where.with_(column=bad.column) if bad.column else where,
                field=header, value=bad.value))

        def get(key: str, reader: Any) -> Any:
            letter = self.layout.fields.get(key)
            cell = values.get(letter) if letter else None
            if cell is None:
                return None
            if cell.formula or cell.excel_error:
                report(_Bad(letter, "This cell holds a formula or an Excel error; type the "
                                    "value itself."))
                return None
            try:
                return reader(cell.value)
            except _Bad as bad:
                report(_Bad(letter, bad.message, cell.value))
                return None

        name = self._name(values, report, get)
        label = name or ""
        upn = get("upn", _text) or ""
        dob = get("date_of_birth", _date)
        pupil_class = get("pupil_class", _text) or ""
        do_not_send = bool(get("do_not_send", _yes_no))
        agreement_date = get("agreement_date", _date)
        agreement_target = get("agreement_target", _percent)
        attendance: Attendance | None = None
        if not self.contacts_only:
            attendance = self._register(values, report) if self.layout.register \
                else self._summary(get, report, values)
        contacts = self._contacts(values, report)
        name_columns = [self.layout.fields.get(k) for k in ("pupil_name", "forename", "surname")]
        if name is None and not any(c in values for c in name_columns if c):
            report(_Bad(next(c for c in name_columns if c),
                        "The pupil's name is missing; add it (a row needs a name to make a "
                        "letter)."))
        if issues or name is None or (attendance is None and not self.contacts_only):
            return AttendanceRecord(where, FORM_NAME, issues=issues, label=label)
        pupil = Pupil(name=name, attendance=attendance, contacts=contacts, upn=upn,
                      date_of_birth=dob, pupil_class=pupil_class, do_not_send=do_not_send,
                      agreement_date=agreement_date, agreement_target=agreement_target)
        return AttendanceRecord(where, FORM_NAME, issues=issues, label=label, pupil=pupil)

    def _name(self, values: dict[str, Cell], report: Any, get: Any) -> str | None:
        if "pupil_name" in self.layout.fields:
            name: str | None = get("pupil_name", _name) or None
            return name
        forename = get("forename", _name)
        surname = get("surname", _name)
        if forename and surname:
            return f"{forename} {surname}"
        return None

    # ------------------------------------------------------------ figures

    def _summary(self, get: Any, report: Any, values: dict[str, Cell]) -> Attendance | None:
        fields = self.layout.fields
        start = get("period_from", _date)
        end = get("period_to", _date)
        if start is None and end is None and self.layout.period is not None:
            start, end = self.layout.period
        possible = get("possible", _count)
        attended = get("attended", _count)
        elsewhere = get("elsewhere", _count) or 0
        authorised = get("authorised", _count) or 0
        unauthorised = get("unauthorised", _count) or 0
        window = get("window_unauthorised", _count)
        if start is None or end is None:
            report(_Bad(fields.get("period_from"), "The period the figures cover is missing; "
                                                   "give 'Period from' and 'Period to'."))
            return None
        if start > end:
            report(_Bad(fields.get("period_to"), f"The period ends ({end:%d/%m/%Y}) before it "
                                                 f"starts ({start:%d/%m/%Y}); check both."))
            return None
        if possible is None or attended is None:
            missing = "Possible sessions" if possible is None else "Sessions attended"
            key = "possible" if possible is None else "attended"
            if fields.get(key) not in values:
                report(_Bad(fields.get(key), f"'{missing}' is blank; give the number of "
                                             "sessions."))
            return None
        total = attended + elsewhere
        if total > possible:
            report(_Bad(fields.get("attended"),
                        f"Sessions attended ({total}) is more than possible sessions "
                        f"({possible}); check both figures.", attended))
            return None
        if total + authorised + unauthorised > possible:
            report(_Bad(fields.get("unauthorised") or fields.get("authorised"),
                        f"Attended ({total}), authorised ({authorised}) and unauthorised "
                        f"({unauthorised}) sessions add up to more than the {possible} "
                        "possible; check the figures."))
            return None
        return Attendance(start, end, Counts(possible, total, authorised, unauthorised),
                          stated_window_unauthorised=window, window_weeks=self.window_weeks)

    def _register(self, values: dict[str, Cell], report: Any) -> Attendance | None:
        sessions: list[Session] = []
        bad = False
        for letter, column in self.layout.sessions.items():
            cell = values.get(letter)
            if cell is None:
                continue
            text = cell.value if isinstance(cell.value, str) else str(cell.value)
            try:
                marks = split_marks(text)
            except UnknownCode as exc:
                report(_Bad(letter, f"'{printable(exc.code)}' is not an attendance code (the "
                                    "2024 DfE codes: / \\ L K V P W B C C1 C2 E I J1 M R S T G "
                                    "N O U Q Y1-Y7 D X Z #).", text))
                bad = True
                continue
            halves = ("am", "pm") if column.half is None else (column.half,)
            if len(marks) != len(halves):
                want = "two marks, morning and afternoon" if column.half is None \
                    else "one mark"
                report(_Bad(letter, f"Expected {want}, found {len(marks)}.", text))
                bad = True
                continue
            sessions += [Session(column.day, half, mark) for half, mark in zip(
                halves, marks, strict=True) if mark not in NO_MARK]
        if bad:
            return None
        if not sessions:
            first = next(iter(self.layout.sessions), None)
            report(_Bad(first, "This row has no attendance marks; give the pupil's marks or "
                               "remove the row."))
            return None
        attendance = Attendance.from_register(sessions, window_weeks=self.window_weeks)
        if attendance.counts.possible == 0:
            first = next(iter(self.layout.sessions), None)
            report(_Bad(first, "None of this pupil's marks is a possible session (all are "
                               "codes such as # or Z); there is no attendance to report."))
            return None
        return attendance

    # ------------------------------------------------------------ contacts

    def _contacts(self, values: dict[str, Cell], report: Any) -> tuple[Contact, ...]:
        out: list[Contact] = []
        for number in sorted(self.layout.contacts):
            letters = self.layout.contacts[number]
            got: dict[str, Any] = {}
            for key, letter in letters.items():
                cell = values.get(letter)
                if cell is None:
                    continue
                reader = _CONTACT_READERS[key]
                try:
                    got[key] = reader(cell.value)
                except _Bad as bad:
                    report(_Bad(letter, bad.message, cell.value))
            if not any(v not in (None, "", False) for v in got.values()):
                continue
            if not got.get("name"):
                report(_Bad(letters.get("name") or next(iter(letters.values())),
                            f"Contact {number} has details but no name; add the name or "
                            "clear the contact's cells."))
                continue
            address = tuple(got.get("address") or ())
            postcode = got.get("postcode") or ""
            if address and postcode and _fold(postcode) not in _fold(" ".join(address)):
                address = (*address, postcode)
            out.append(Contact(
                name=got["name"], relationship=got.get("relationship") or "",
                title=got.get("title") or "", responsibility=got.get("responsibility"),
                address=address, salutation=got.get("salutation") or "",
                do_not_send=bool(got.get("do_not_send"))))
        return tuple(out)


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


# --------------------------------------------------------------------------- cell readers


def _text(value: Any) -> str:
    try:
        text = clean_line(value)
    except Exception as exc:  # pydantic's custom error: its message says what to do
        raise _Bad(None, _message(exc)) from None
    if text is not None and not isinstance(text, str):
        raise _Bad(None, "Expected text here.")
    if text and len(text) > 300:
        raise _Bad(None, "This is longer than 300 characters; shorten it.")
    return text or ""


def _name(value: Any) -> str:
    text = _text(value)
    if len(text) > 120:
        raise _Bad(None, "A name is at most 120 characters.")
    return text


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str) and not value.strip():
        return None
    try:
        parsed = parse_uk_date(value)
    except Exception as exc:
        raise _Bad(None, _message(exc)) from None
    assert isinstance(parsed, dt.date)
    return parsed


def _count(value: Any) -> int:
    number: Any = value
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text) if text else None
        except ValueError:
            raise _Bad(None, f"'{printable(value)}' is not a number of sessions.") from None
    if isinstance(number, bool) or not isinstance(number, int | float) \
            or number != int(number) or number < 0:
        raise _Bad(None, f"'{printable(value)}' is not a number of sessions (a whole number, "
                         "0 or more).")
    return int(number)


def _percent(value: Any) -> float:
    text = str(value).strip().rstrip("%").strip() if isinstance(value, str) else value
    try:
        number = float(text)
    except (TypeError, ValueError):
        raise _Bad(None, f"'{printable(value)}' is not a percentage, e.g. 95.") from None
    if isinstance(value, float) and 0 < number <= 1:  # a cell formatted as a percentage
        number *= 100
    if not 0 < number <= 100:
        raise _Bad(None, f"'{printable(value)}' is not a percentage from 1 to 100.")
    return number


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, str) and not value.strip():
        return None
    try:
        answer = parse_yes_no(value)
    except Exception as exc:
        raise _Bad(None, _message(exc)) from None
    return bool(answer)


def _address(value: Any) -> tuple[str, ...]:
    try:
        text = clean_multiline(value)
    except Exception as exc:
        raise _Bad(None, _message(exc)) from None
    if not text:
        return ()
    if not isinstance(text, str) or len(text) > 500:
        raise _Bad(None, "An address is at most 500 characters.")
    lines = [part.strip() for line in text.split("\n") for part in line.split(",")]
    return tuple(line for line in lines if line)


_CONTACT_READERS: dict[str, Any] = {
    "name": _name, "title": _text, "relationship": _text, "responsibility": _yes_no,
    "address": _address, "postcode": _text, "salutation": _text, "do_not_send": _yes_no,
}


def _message(exc: Exception) -> str:
    text = getattr(exc, "message", None)
    if callable(text):
        return str(text())
    return str(exc).splitlines()[0] if str(exc) else "This value cannot be read."
