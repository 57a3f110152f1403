"""The export's files: the CSV (laid out by a mapping), the JSON, and the upload bundle (a zip
with both, the PDFs and a manifest of checksums). Each is made in memory and handed to the
pipeline, which writes it atomically; each reads back (``read_csv``, ``read_json``) into
exactly the records written.

In a CSV cell, a field with several values joins them with ``; ``; a ``;`` inside a value is
doubled, so that the cell splits back into the same values. Dates are written as the mapping
says (23/11/2026 or 2026-11-23), times as 14:30. Every cell is neutralised against formula
injection (``docgen.csvfile``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import types
import typing
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from docgen.csvfile import CsvWriter, read_rows
from docgen.export.mapping import Mapping, MappingError
from docgen.export.record import ATTACHMENT_KINDS, Attachment, Category, ExportFile, ExportRecord

SEPARATOR = "; "
Kind = Literal["text", "date", "time", "category", "attachment"]
BUNDLE_FORMAT = "docgen-export-bundle"
BUNDLE_MANIFEST = "manifest.json"
ATTACHMENT_FOLDER = "attachments/"

# ------------------------------------------------------------------ several values in a cell


def join_values(items: Iterable[str]) -> str:
    """``a; b``: each ``;`` inside a value doubled, so that ``split_values`` gives them back."""
    return SEPARATOR.join(item.replace(";", ";;") for item in items)


def split_values(text: str) -> list[str]:
    if not text:
        return []
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == ";" and text.startswith(";;", i):
            current.append(";")
            i += 2
        elif ch == ";" and text.startswith(SEPARATOR, i):
            items.append("".join(current))
            current = []
            i += len(SEPARATOR)
        else:
            current.append(ch)
            i += 1
    items.append("".join(current))
    return items


# ------------------------------------------------------------------ a field as text


def _kinds() -> dict[str, tuple[bool, Kind]]:
    """Each record field: whether it holds a list, and what kind of value."""
    out: dict[str, tuple[bool, Kind]] = {}
    for name, info in ExportRecord.model_fields.items():
        annotation = _unwrap(info.annotation)
        is_list = typing.get_origin(annotation) is list
        if is_list:
            annotation = _unwrap(typing.get_args(annotation)[0])
        kind: Kind = "text"
        if annotation is dt.date:
            kind = "date"
        elif annotation is dt.time:
            kind = "time"
        elif annotation is Category:
            kind = "category"
        elif annotation is Attachment:
            kind = "attachment"
        out[name] = (is_list, kind)
    return out


def _unwrap(annotation: Any) -> Any:
    """The type inside ``X | None`` and ``Annotated[X, ...]``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


KINDS = _kinds()
_ATTACHMENT = re.compile(r"^(?P<kind>[^:]+): (?P<file>.+) \(SHA-256 (?P<sha>[0-9a-f]{64})\)$")
_KIND_BY_LABEL = {label: kind for kind, label in ATTACHMENT_KINDS.items()}


def _value_text(value: Any, kind: Kind, dates: str) -> str:
    if kind == "date":
        assert isinstance(value, dt.date)
        return value.isoformat() if dates == "iso" else value.strftime("%d/%m/%Y")
    if kind == "time":
        assert isinstance(value, dt.time)
        return value.strftime("%H:%M")
    if kind == "category":
        assert isinstance(value, Category)
        return value.text()
    if kind == "attachment":
        assert isinstance(value, Attachment)
        return f"{ATTACHMENT_KINDS[value.kind]}: {value.file} (SHA-256 {value.sha256})"
    return str(value)


def _parse_value(text: str, kind: Kind, dates: str) -> Any:
    if kind == "date":
        if dates == "iso":
            return dt.date.fromisoformat(text)
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    if kind == "time":
        return dt.datetime.strptime(text, "%H:%M").time()
    if kind == "category":
        return Category.parse(text)
    if kind == "attachment":
        match = _ATTACHMENT.match(text)
        if match is None or match["kind"] not in _KIND_BY_LABEL:
            raise ValueError(f"not an attachment: {text!r}")
        return Attachment(kind=_KIND_BY_LABEL[match["kind"]],
                          file=match["file"], sha256=match["sha"])
    return text


def cell_text(record: ExportRecord, name: str, dates: str = "uk") -> str:
    """One field of a record as a CSV cell shows it (before neutralising)."""
    value = getattr(record, name)
    is_list, kind = KINDS[name]
    if value is None:
        return ""
    if is_list:
        return join_values(_value_text(v, kind, dates) for v in value)
    return _value_text(value, kind, dates)


def parse_cell(name: str, text: str, dates: str = "uk") -> Any:
    """A CSV cell back into the field's value (``cell_text`` reversed)."""
    is_list, kind = KINDS[name]
    if is_list:
        return [_parse_value(item, kind, dates) for item in split_values(text)]
    if text == "":
        return None
    return _parse_value(text, kind, dates)


# ------------------------------------------------------------------ CSV


def csv_bytes(records: Iterable[ExportRecord], mapping: Mapping) -> bytes:
    """The CSV: UTF-8 with a byte-order mark, a header row, a row per record."""
    stream = io.StringIO(newline="")
    writer = CsvWriter(stream, mapping.headers())
    for record in records:
        row = []
        for column in mapping.columns:
            texts = [cell_text(record, name, mapping.dates) for name in column.names]
            row.append(column.join.join(t for t in texts if t))
        writer.row(row)
    return stream.getvalue().encode("utf-8")


def read_csv(data: bytes, mapping: Mapping) -> list[ExportRecord]:
    """The records of a CSV written with ``mapping`` (one whose every column holds one field,
    such as the default)."""
    if not mapping.readable:
        raise MappingError("this mapping combines or leaves out fields: its CSV cannot be "
                           "read back into records")
    header, rows = read_rows(io.StringIO(data.decode("utf-8"), newline=""))
    if header != mapping.headers():
        raise ValueError(f"the CSV's header is not the mapping's: {header!r}")
    names = mapping.fields
    return [ExportRecord.model_validate(
        {name: parse_cell(name, text, mapping.dates) for name, text in zip(names, row,
                                                                             strict=True)})
        for row in rows]


# ------------------------------------------------------------------ JSON


def record_data(record: ExportRecord) -> dict[str, Any]:
    """A record as JSON data; staff mobiles are absent unless the export carries them."""
    data = record.model_dump(mode="json")
    if data.get("staff_mobiles") is None:
        data.pop("staff_mobiles", None)
    return data


def json_bytes(file: ExportFile) -> bytes:
    data = file.model_dump(mode="json", exclude={"records"})
    data["records"] = [record_data(r) for r in file.records]
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_json(data: bytes) -> ExportFile:
    return ExportFile.model_validate_json(data)


# ------------------------------------------------------------------ the bundle


@dataclass(frozen=True)
class Member:
    """A file of the bundle: its name inside, and its bytes or the file they are read from
    (whose SHA-256 must still be ``sha256``)."""

    name: str
    data: bytes | None = None
    source: Path | None = None
    sha256: str = ""


class AttachmentChanged(OSError):
    """A PDF changed between being written and being put into the bundle."""


def write_bundle(path: Path, members: Sequence[Member], manifest: dict[str, Any],
                 when: dt.datetime) -> None:
    """The zip: every member, then ``manifest.json`` listing each with its SHA-256 and size.
    Entries carry ``when`` as their time, so the same export gives the same bytes."""
    stamp = when.timetuple()[:6]
    listed = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member in members:
            data = member.data if member.data is not None else _read(member)
            digest = hashlib.sha256(data).hexdigest()
            if member.sha256 and digest != member.sha256:
                raise AttachmentChanged(0, f"{member.name} changed while the export was made; "
                                           "run the export again")
            zf.writestr(zipfile.ZipInfo(member.name, date_time=stamp), data,
                        compress_type=zipfile.ZIP_DEFLATED)
            listed.append({"name": member.name, "sha256": digest, "bytes": len(data)})
        body = {"format": BUNDLE_FORMAT, "format_version": 1, **manifest, "files": listed}
        text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
        zf.writestr(zipfile.ZipInfo(BUNDLE_MANIFEST, date_time=stamp), text.encode("utf-8"),
                    compress_type=zipfile.ZIP_DEFLATED)


def _read(member: Member) -> bytes:
    assert member.source is not None
    return member.source.read_bytes()
