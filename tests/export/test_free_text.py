"""Issue 11's property, for the export: any text in any free-text field of a form is either
refused with a message that says where, or exported into a CSV and a JSON that both read back
into the record, with the text in it as validated."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.config import SAMPLE_SCHOOL
from docgen.export.categories import default_table
from docgen.export.compose import Composer
from docgen.export.formats import csv_bytes, json_bytes, read_csv, read_json
from docgen.export.mapping import default_mapping
from docgen.export.narrative import ASSESSMENT_LEFT_TO_PDF
from docgen.export.record import ExportFile, ExportRecord
from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.fields import tree
from docgen.validation import validate_record
from tests.conftest import RA, REPORT
from tests.export.strategies import HOSTILE

TODAY = dt.date(2026, 11, 23)
COMPOSER = Composer(SAMPLE_SCHOOL, default_table(), default_mapping())
REPORT_TEXT = [n.name for n in tree(VisitReport)
               if n.kind in ("text", "long") and not n.is_list and n.in_workbook]
ASSESSMENT_TEXT = [n.name for n in tree(RiskAssessment)
                   if n.kind in ("text", "long") and not n.is_list and n.in_workbook
                   and n.name not in ASSESSMENT_LEFT_TO_PDF]
ABOVE_LOW = {"overall_risk": "medium", "approved_by": "Dee Lead", "approved_on": "2026-11-19"}

any_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(HOSTILE),
    st.tuples(st.sampled_from(HOSTILE), st.text(max_size=20)).map("".join),
    st.sampled_from(["\u202egnp.exe", "a\x00b", "\x0bword break", "x" * 5001,
                     "line\r\nline", " \n "]),
)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def check(data: dict[str, Any], name: str) -> None:
    record = validate_record(data, "att", today=TODAY)
    if not record.usable:
        blocking = [i for i in record.issues if i.blocks]
        assert blocking
        for issue in blocking:
            assert issue.message and issue.location.path, issue
        assert any(name in (issue.location.path or "") for issue in blocking), blocking
        return
    form = record.form
    exported: ExportRecord = (COMPOSER.report(record, None) if isinstance(form, VisitReport)
                              else COMPOSER.assessment(record, None))
    mapping = default_mapping()
    assert read_csv(csv_bytes([exported], mapping), mapping) == [exported]
    file = ExportFile(exported_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC), school="S",
                      records=[exported])
    assert read_json(json_bytes(file)) == file
    value = getattr(form, name)
    if value is not None:
        assert any(value in s for s in strings(exported.model_dump())), (name, value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REPORT_TEXT), any_text)
def test_any_text_in_a_report(name: str, text: str) -> None:
    data = copy.deepcopy(REPORT)
    data[name] = text
    check(data, name)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ASSESSMENT_TEXT), any_text)
def test_any_text_in_an_assessment_above_low_risk(name: str, text: str) -> None:
    data = {**copy.deepcopy(RA), **ABOVE_LOW}
    data[name] = text
    check(data, name)


def test_the_fields_tried_are_the_free_text_ones() -> None:
    assert {"who_was_home", "discussed", "agreed", "welfare_details", "pupil_name",
            "inform_who", "reason"} <= set(REPORT_TEXT)
    assert {"why_required", "known_risks", "mitigation"} <= set(ASSESSMENT_TEXT)
