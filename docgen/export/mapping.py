"""How the CSV is laid out for the system it goes to: a mapping file (TOML) renames, orders,
drops and combines the record's fields into columns, says how dates are written, and maps
docgen's category names onto the system's. docgen's default mapping is one column per field,
in the record's order, under the field's label, staff mobiles left out; it reads back into
exactly the records written.

A field or a category the mapping names that does not exist is an error naming it, with the
nearest known name: a typo must not silently empty a column."""

from __future__ import annotations

import difflib
import json
import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from docgen.export.conditions import CATEGORY_SEPARATOR, check_category_name
from docgen.export.record import ExportRecord, field_label

MAX_BYTES = 1_000_000
SENSITIVE = ("staff_mobiles",)  # leave docgen only when a column asks for them


class MappingError(Exception):
    """A mapping file that cannot be used; the message names the file, the place and what to
    change."""


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    header: str = Field(min_length=1, max_length=200, description="The column's heading")
    field: str | None = Field(default=None, description="The record field it holds")
    fields: list[str] | None = Field(default=None, min_length=1,
                                     description="Several fields, combined into one column")
    join: str = Field(default="\n", max_length=20,
                      description="What goes between combined fields (empty ones are left "
                      "out)")

    @model_validator(mode="after")
    def _one_source(self) -> Column:
        if (self.field is None) == (self.fields is None):
            raise ValueError("give either field = \"...\" or fields = [...], not both")
        return self

    @property
    def names(self) -> list[str]:
        return [self.field] if self.field is not None else list(self.fields or [])


class Mapping(BaseModel):
    """A parsed mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(default="", max_length=200, description="What the mapping is for")
    dates: Literal["uk", "iso"] = Field(
        default="uk", description="uk: 23/11/2026; iso: 2026-11-23")
    columns: list[Column] = Field(min_length=1)
    categories: dict[str, str] = Field(
        default_factory=dict,
        description="docgen's category (as 'Category / Sub-category') -> the system's")
    source: Path | None = Field(default=None, exclude=True)

    @property
    def fields(self) -> list[str]:
        """Every record field a column uses."""
        return [name for column in self.columns for name in column.names]

    @property
    def wants_mobiles(self) -> bool:
        return "staff_mobiles" in self.fields

    @property
    def readable(self) -> bool:
        """True when every column holds one field and every required field has a column:
        the CSV can then be read back into records."""
        single = all(column.field is not None for column in self.columns)
        required = {n for n, f in ExportRecord.model_fields.items() if f.is_required()}
        return single and required <= set(self.fields)

    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def check_categories(self, known: list[str]) -> None:
        """Refuse a category the school's table cannot give, naming it."""
        where = self._where()
        for name, target in self.categories.items():
            if name not in known:
                guess = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean '{guess[0]}'?" if guess else (
                    "the category table gives: " + "; ".join(known))
                raise MappingError(f"{where}[categories]: unknown category '{name}'; {hint}")
            try:
                for part in target.split(CATEGORY_SEPARATOR, 1):
                    check_category_name(part)
            except ValueError as exc:
                raise MappingError(f"{where}[categories] '{name}': {exc}") from None

    def rename(self, category: str) -> str:
        return self.categories.get(category, category)

    def _where(self) -> str:
        return f"{self.source}: " if self.source else "mapping: "


def default_mapping() -> Mapping:
    """One column per field of the record, under its label; staff mobiles left out."""
    return Mapping(name="docgen's record, one column per field", columns=[
        Column(header=label, field=name) for name, label in field_names()
        if name not in SENSITIVE])


def load_mapping(path: str | Path | None = None) -> Mapping:
    """Read a mapping file; without a path, docgen's default mapping."""
    if path is None:
        return default_mapping()
    chosen = Path(path)
    data = _read_toml(chosen)
    try:
        mapping = Mapping.model_validate({**data, "source": chosen})
    except ValidationError as exc:
        raise MappingError(f"{chosen}: " + "; ".join(_problem(e, data) for e in exc.errors())
                           ) from None
    _check_fields(mapping, chosen)
    return mapping


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise MappingError(f"{path}: not a regular file; give a mapping file (.toml).")
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise MappingError(f"{path}: no such file.") from None
    except OSError as exc:
        raise MappingError(f"{path}: cannot read it ({exc.strerror or exc}).") from None
    if len(raw) > MAX_BYTES:
        raise MappingError(f"{path}: larger than a mapping file can be (1 MB).")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise MappingError(f"{path}: not UTF-8 text; save it as UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: not valid TOML ({exc}).") from None


def _problem(error: Any, data: dict[str, Any]) -> str:
    loc = [p for p in error["loc"] if p != "source"]
    where = _place(loc, data)
    if error["type"] == "extra_forbidden":
        where = _place(loc[:-1], data)
        known = list(Column.model_fields) if "columns" in loc[:1] else [
            k for k in Mapping.model_fields if k != "source"]
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(known)}"
        return f"{where}: '{loc[-1]}' is not a mapping setting{hint}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"


def _place(loc: list[Any], data: dict[str, Any]) -> str:
    """``column 3 ('Incident')`` for a column's problem, else the key's path."""
    if len(loc) >= 2 and loc[0] == "columns" and isinstance(loc[1], int):
        header = _header(data, loc[1])
        rest = ".".join(str(p) for p in loc[2:])
        return f"column {loc[1] + 1}{header}{' ' + rest if rest else ''}"
    return ".".join(str(p) for p in loc) or "(top level)"


def _header(data: dict[str, Any], index: int) -> str:
    columns = data.get("columns")
    if isinstance(columns, list) and index < len(columns) and isinstance(columns[index], dict):
        header = columns[index].get("header")
        if isinstance(header, str):
            return f" ('{header}')"
    return ""


def _check_fields(mapping: Mapping, path: Path) -> None:
    known = list(ExportRecord.model_fields)
    seen: dict[str, int] = {}
    for number, column in enumerate(mapping.columns, start=1):
        where = f"{path}: column {number} ('{column.header}')"
        if column.header in seen:
            raise MappingError(f"{where}: the heading is also column {seen[column.header]}'s; "
                               "give each column its own heading.")
        seen[column.header] = number
        for name in column.names:
            if name not in known:
                guess = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean '{guess[0]}'?" if guess else "fields: " + ", ".join(known)
                raise MappingError(f"{where}: unknown field '{name}'; {hint}")


def mapping_toml(mapping: Mapping) -> str:
    """A mapping as the TOML file that says the same (the README shows the default)."""
    lines = [f"name = {_quoted(mapping.name)}", f"dates = {_quoted(mapping.dates)}", ""]
    for column in mapping.columns:
        lines.append("[[columns]]")
        lines.append(f"header = {_quoted(column.header)}")
        if column.field is not None:
            lines.append(f"field = {_quoted(column.field)}")
        else:
            names = ", ".join(_quoted(n) for n in column.names)
            lines += [f"fields = [{names}]", f"join = {_quoted(column.join)}"]
        lines.append("")
    if mapping.categories:
        lines.append("[categories]")
        lines += [f"{_quoted(k)} = {_quoted(v)}" for k, v in mapping.categories.items()]
    return "\n".join(lines).rstrip() + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON's string escapes are TOML's


def field_names() -> list[tuple[str, str]]:
    """Every record field with its label: what a mapping may name."""
    return [(name, field_label(name)) for name in ExportRecord.model_fields]
