"""Telling a new record from an amendment, field by field, without keeping its text: each
field of a record is hashed (salted with the record's id), the hashes are kept in the register,
and a later export compares them.

Some fields of a visit report's record come from its risk assessment (the risk level, the
staff's mobiles, the assessment's PDF). When a run holds the report but not its assessment,
those fields are unknown, not emptied: they are not compared, and the register keeps what the
last export sent for them. Exporting the reports without the assessments therefore never
makes every record an amendment."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Set
from typing import Any

from docgen.export.record import EXPORT_FIELDS, ExportRecord, field_label

# the attachments are compared by what they were made from, one entry per kind of PDF
ATTACHMENT_FIELD = "attachments:"


def _digest(record_id: str, name: str, value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{record_id}\x00{name}\x00{text}".encode()).hexdigest()


def field_hashes(record: ExportRecord, attachments: Mapping[str, str]) -> dict[str, str]:
    """A digest of each field that describes the visit; ``attachments`` maps each kind of PDF
    to a digest of what it was made from ("missing" when it could not be made)."""
    data = record.model_dump(mode="json", exclude=set(EXPORT_FIELDS) | {"attachments"})
    hashes = {name: _digest(record.id, name, value) for name, value in data.items()}
    for kind, basis in attachments.items():
        hashes[ATTACHMENT_FIELD + kind] = _digest(record.id, ATTACHMENT_FIELD + kind, basis)
    return hashes


def content_hash(hashes: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(dict(hashes), sort_keys=True).encode()).hexdigest()


def changed_fields(before: Mapping[str, str], now: Mapping[str, str],
                   unknown: Set[str] = frozenset()) -> list[str]:
    """The fields whose hash differs (a field present on one side only counts), in the
    record's order, leaving out those unknown in this run."""
    names = [n for n in now if n not in unknown] + [
        n for n in before if n not in now and n not in unknown]
    return [n for n in dict.fromkeys(names) if before.get(n) != now.get(n)]


def carried(before: Mapping[str, str] | None, now: Mapping[str, str],
            unknown: Set[str]) -> dict[str, str]:
    """The hashes to keep for a record sent now: for an unknown field, what was last sent."""
    out = {n: h for n, h in now.items() if n not in unknown}
    for name in unknown:
        if before is not None and name in before:
            out[name] = before[name]
        elif name in now:
            out[name] = now[name]
    return out


def labels(names: list[str]) -> list[str]:
    """The fields' labels, as the record's readers know them (each once)."""
    out = []
    for name in names:
        label = field_label("attachments") if name.startswith(ATTACHMENT_FIELD) \
            else field_label(name) if name in ExportRecord.model_fields else name
        if label not in out:
            out.append(label)
    return out
