"""The CSV and the JSON read back into exactly the records written, whatever they hold:
newlines, commas, quotes, formula-like text, semicolons, non-ASCII names. Every JSON export
is valid against the schema `docgen schema export` prints."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.export.formats import (
    csv_bytes,
    join_values,
    json_bytes,
    read_csv,
    read_json,
    split_values,
)
from docgen.export.mapping import Column, Mapping, default_mapping
from docgen.export.record import ExportFile, ExportRecord, field_label, json_schema
from tests.export.strategies import items, records, text

FAST = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EVERY_FIELD = Mapping(columns=[Column(header=field_label(n), field=n)
                               for n in ExportRecord.model_fields])
VALIDATOR = jsonschema.Draft202012Validator(json_schema())


@FAST
@given(st.lists(records(), max_size=4), st.sampled_from(["uk", "iso"]))
def test_csv_reads_back_the_records_written(written: list[ExportRecord], dates: str) -> None:
    mapping = default_mapping().model_copy(update={"dates": dates})
    data = csv_bytes(written, mapping)
    assert data.startswith("\ufeff".encode())
    assert read_csv(data, mapping) == written


@FAST
@given(st.lists(records(mobiles=items), max_size=3))
def test_csv_with_every_field_reads_back(written: list[ExportRecord]) -> None:
    assert read_csv(csv_bytes(written, EVERY_FIELD), EVERY_FIELD) == written


@FAST
@given(st.lists(records(mobiles=st.none() | items), max_size=4), text)
def test_json_reads_back_and_matches_its_schema(written: list[ExportRecord],
                                               school: str) -> None:
    file = ExportFile(exported_at=dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC),
                      school=school, records=written)
    data = json_bytes(file)
    VALIDATOR.validate(json.loads(data))
    assert read_json(data) == file
    for record, raw in zip(written, json.loads(data)["records"], strict=True):
        assert ("staff_mobiles" in raw) == (record.staff_mobiles is not None)


@given(st.lists(text, max_size=5))
def test_several_values_split_back(values: list[str]) -> None:
    assert split_values(join_values(values)) == values


def test_a_semicolon_inside_a_value_is_doubled() -> None:
    assert join_values(["Smith; John", "Bo"]) == "Smith;; John; Bo"
    assert split_values("Smith;; John; Bo") == ["Smith; John", "Bo"]
