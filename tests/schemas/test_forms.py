"""The two forms as a whole: their JSON Schema, their labels and help, their workbook columns,
the hazard matrix's generic assessment, and hostile text."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from docgen.records import load_file
from docgen.schemas import FORMS, FormModel, RiskAssessment, VisitReport
from docgen.schemas.choices import Likelihood, RiskLevel
from docgen.schemas.columns import columns, fold_header
from docgen.schemas.fields import label_for_path, tree
from docgen.schemas.hazards import GENERIC, HazardMatrix, generic_matrix
from docgen.workbook import write_workbook
from tests.conftest import REPORT

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples" / "att").glob("*.json")) + sorted(
    (ROOT / "samples" / "westside").glob("*.json")
)
HOSTILE_NAME = "Siobhán O'Brien-Smith & <Co>"
LONG_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100)[:5000]
EMOJI = "Pupil drew 😀🏠 and 👨\u200d👩\u200d👧 \U0001fa77"


def schema_validator(form: str) -> jsonschema.Draft202012Validator:
    schema = FORMS[form].model_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def sample_records() -> Iterator[Any]:
    for path in SAMPLES:
        data = json.loads(path.read_text("utf-8"))
        for i, record in enumerate(data if isinstance(data, list) else [data]):
            yield pytest.param(record, id=f"{path.parent.name}/{path.name}[{i}]")


# --------------------------------------------------------------------------- JSON Schema


def test_there_are_samples_for_both_presets() -> None:
    assert {p.parent.name for p in SAMPLES} == {"att", "westside"}
    assert len(SAMPLES) >= 8


@pytest.mark.parametrize("record", list(sample_records()))
def test_json_schema_accepts_every_sample(record: dict[str, Any]) -> None:
    errors = [f"{list(e.path)}: {e.message}"
              for e in schema_validator(record["form"]).iter_errors(record)]
    assert errors == []
    FORMS[record["form"]].model_validate(record)  # and docgen itself agrees


def test_json_schema_rejects_the_invalid_sample() -> None:
    record = json.loads((ROOT / "samples/invalid/risk-assessment-invalid.json").read_text())
    errors = list(schema_validator("risk-assessment").iter_errors(record))
    paths = {tuple(e.path) for e in errors}
    messages = " ".join(e.message for e in errors)
    assert ("code_word_agreed",) in paths  # a code word where Yes/No belongs
    assert "'pupil_nmae' was unexpected" in messages
    assert "'pupil_name' is a required property" in messages


@pytest.mark.parametrize("form", list(FORMS))
def test_json_schema_names_the_form(form: str) -> None:
    schema = FORMS[form].model_json_schema()
    assert schema["properties"]["form"]["const"] == form
    assert schema["additionalProperties"] is False


# What people write in JSON: the schema must accept what docgen accepts, and refuse what it
# refuses for its shape.
SCHEMA_CASES = [
    ("other_contact_exhausted", True, True),
    ("other_contact_exhausted", "Yes", True),
    ("other_contact_exhausted", "y", True),
    ("other_contact_exhausted", "FALSE", True),
    ("other_contact_exhausted", " No ", True),
    ("other_contact_exhausted", 1, True),
    ("other_contact_exhausted", "maybe", False),
    ("other_contact_exhausted", 2, False),
    ("visit_date", "2026-11-23", True),
    ("visit_date", "23/11/2026", True),
    ("visit_date", "23/11/26", True),
    ("visit_date", "23.11.2026", True),
    ("visit_date", "23rd November 2026", True),
    ("visit_date", "2026-11-23T00:00:00", True),
    ("visit_date", "next Tuesday", False),
    ("visit_date", "November 23 2026", False),
    ("planned_start", "10:30", True),
    ("planned_start", "10.30", True),
    ("planned_start", "2:30 PM", True),
    ("planned_start", "2pm", True),
    ("planned_start", "noon", True),
    ("planned_start", "half ten", False),
    ("overall_risk", "low", True),
    ("overall_risk", "Low", True),
    ("purpose", "Attendance issues or concerns", True),
    ("purpose", "attendance", True),
    ("overall_risk", "extreme", False),
    ("authoriser_role", "Designated Safeguarding Lead (DSL)", True),
]


@pytest.mark.parametrize(("field", "value", "accepted"), SCHEMA_CASES)
def test_json_schema_agrees_with_the_parser(ra: dict[str, Any], field: str, value: Any,
                                            accepted: bool) -> None:
    data = {**ra, field: value}
    assert schema_validator("risk-assessment").is_valid(data) is accepted
    try:
        RiskAssessment.model_validate(data)
        parsed = True
    except ValidationError:
        parsed = False
    assert parsed is accepted


def test_json_schema_lets_hazards_be_partly_given(ra: dict[str, Any]) -> None:
    data = {**ra, "hazards": {"animals": {"risk_level": "High"}}}
    assert schema_validator("risk-assessment").is_valid(data)
    data = {**ra, "hazards": {"animals": {"risk_level": "Severe"}}}
    assert not schema_validator("risk-assessment").is_valid(data)
    data = {**ra, "hazards": {"dogs": {}}}
    assert not schema_validator("risk-assessment").is_valid(data)


# --------------------------------------------------------------------------- labels and help


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, prop in schema.get("properties", {}).items():
        yield f"{schema.get('title')}.{name}", prop
    for definition in schema.get("$defs", {}).values():
        yield from _properties(definition)


@pytest.mark.parametrize("form", list(FORMS))
def test_every_field_has_a_label_and_help(form: str) -> None:
    props = list(_properties(FORMS[form].model_json_schema()))
    assert len(props) > 30
    unlabelled = [name for name, prop in props if not prop.get("title")]
    unhelped = [name for name, prop in props if not prop.get("description")]
    assert unlabelled == []
    assert unhelped == []


@pytest.mark.parametrize("form", list(FORMS))
def test_column_headers_are_unique_after_folding(form: str) -> None:
    keys = Counter(fold_header(c.header) for c in columns(FORMS[form]))
    assert [key for key, n in keys.items() if n > 1] == []
    assert all(keys)  # no header folds to nothing


def _leaves(model: type[BaseModel], path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every leaf field of a model, with lists expanded to their workbook slots."""
    for node in tree(model):
        if not node.in_workbook:
            continue
        if node.is_list:
            assert node.slots, f"{node.name}: a list needs workbook slots"
            for slot in range(node.slots):
                if node.is_part:
                    yield from _leaves(node.model, (*path, node.name, slot))
                else:
                    yield (*path, node.name, slot)
        elif node.is_part:
            yield from _leaves(node.model, (*path, node.name))
        else:
            yield (*path, node.name)


@pytest.mark.parametrize("form", list(FORMS))
def test_every_leaf_field_has_exactly_one_column(form: str) -> None:
    model = FORMS[form]
    paths = Counter(c.path for c in columns(model))
    assert [p for p, n in paths.items() if n > 1] == []
    assert set(paths) == set(_leaves(model))
    # the only field a workbook does not carry is the form's name: the sheet says it
    assert [n.name for n in tree(model) if not n.in_workbook] == ["form"]


@pytest.mark.parametrize(
    ("form", "path", "header"),
    [
        ("risk-assessment", ("staff", 1, "mobile"), "Staff member 2: Mobile number"),
        ("risk-assessment", ("vehicle", "registration"), "Vehicle: Registration number"),
        ("risk-assessment", ("hazards", "animals", "risk_level"), "Animals hazard: Risk Level"),
        ("risk-assessment", ("vulnerability", "cme"), "Is the pupil: CME"),
        ("risk-assessment", ("responsible_contact", "phone"),
         "Out-of-hours contact: Phone number"),
        ("visit-report", ("staff_attending", 2), "Staff attending 3"),
    ],
)
def test_nested_and_listed_fields_get_prefixed_headers(form: str, path: tuple[Any, ...],
                                                       header: str) -> None:
    by_path = {c.path: c.header for c in columns(FORMS[form])}
    assert by_path[path] == header
    assert label_for_path(FORMS[form], path) == header


@pytest.mark.parametrize(
    ("form", "required"),
    [
        ("risk-assessment", {"Name of Academy", "Name of pupil", "Class", "Date of Visit",
                             "Address to be visited", "Purpose of visit",
                             "Have you exhausted all other means of contact",
                             "Staff member 1: Name", "Details of why a home visit is required",
                             "Overall risk level"}),
        ("visit-report", {"Name of pupil", "Date of birth", "Class", "Staff attending 1",
                          "Date of Visit", "Time of Visit", "Purpose of visit",
                          "Reason for visit?", "Was the DSL consulted regarding your visit?",
                          "Was anyone home?", "Was a risk assessment completed/ consulted?",
                          "Did you exhaust all other methods of communication first?"}),
    ],
)
def test_required_columns(form: str, required: set[str]) -> None:
    assert {c.header for c in columns(FORMS[form]) if c.required} == required


# --------------------------------------------------------------------------- hazard matrix

# Appendix 1 of the ATT Home Visit Procedure, copied as printed (tab-separated).
APPENDIX_1 = """\
Hazards\tAggressive or violent parent/ pupil/ family member\tDriving\tMovement through public areas\tIllness of injury/ accident\tAttack by dog or other animal
Individuals at Risk\tMember of staff may be harmed\tMember of staff may be harmed\tMember of staff may be harmed\tMember of staff may be harmed\tMember of staff may be harmed
Severity of Harm\tMajor injury may occur\tVehicle breakdown, accident intruder in vehicle when unattended, use of mobile phone\tAttack Theft of property\tIllness or injury\tMajor injury may occur
Likelihood\tRemote Possibility\tRemote Possibility\tRemote Possibility\tRemote Possibility\tRemote Possibility
Risk Level\tLow\tLow\tLow\tLow\tLow
Controls\tRefer to home visit policy Risk reduced by: Informing DSL 2 person visit if aware of home circumstances Inform reception and sign out, so others are aware of your whereabouts Take a mobile phone for communication Arrange a code word that you can share with school contact if you are in danger\tMaintain vehicle properly Belong to a breakdown organisation Carry torch, phone etc for emergency Advise team or partner where you are going Phone in if plan changes Do not leave valuables in car (e.g., laptop) Avoid risky areas\tBack down from confrontation Call for help Use attack alarm Keep valuables secure and out of sight or disguised Surrender valuables if personal safety is at risk Use staff bus or public transport if available Post incident support\tAlert Emergency services if appropriate Take mobile communications Alert team members if able to Ensure access to phone Take prescribed medication as directed or as needed Complete injury at work protocol on return\tAvoid contact with animals Seek local advice before entering premises with animals Appropriate behaviour near animals —avoid alarming them, e.g. sudden movements
"""  # noqa: E501
HAZARD_ORDER = ["aggressive_person", "driving", "public_areas", "illness_or_injury", "animals"]
ROW_FIELDS = {"Individuals at Risk": "individuals_at_risk", "Severity of Harm": "severity_of_harm",
              "Likelihood": "likelihood", "Risk Level": "risk_level", "Controls": "controls"}


def _words(text: str) -> str:
    """Compare wording, not punctuation or line breaks (the paper wraps and uses dashes)."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _appendix() -> dict[str, dict[str, str]]:
    rows = [line.split("\t") for line in APPENDIX_1.splitlines()]
    table: dict[str, dict[str, str]] = {h: {} for h in HAZARD_ORDER}
    for row in rows[1:]:
        for hazard, cell in zip(HAZARD_ORDER, row[1:], strict=True):
            table[hazard][ROW_FIELDS[row[0]]] = cell
    return table


def _shown(value: Any) -> str:
    return value.label if isinstance(value, RiskLevel | Likelihood) else str(value)


@pytest.mark.parametrize("hazard", HAZARD_ORDER)
@pytest.mark.parametrize("cell", list(ROW_FIELDS.values()))
def test_hazard_matrix_defaults_to_appendix_1(hazard: str, cell: str) -> None:
    matrix = generic_matrix()
    expected = _appendix()[hazard][cell]
    assert _words(_shown(getattr(getattr(matrix, hazard), cell))) == _words(expected)


def test_hazard_matrix_is_in_the_appendix_order_with_its_labels() -> None:
    headings = APPENDIX_1.splitlines()[0].split("\t")[1:]
    fields = HazardMatrix.model_fields
    assert list(fields) == HAZARD_ORDER == list(GENERIC)
    for name, heading in zip(HAZARD_ORDER, headings, strict=True):
        # the appendix's "Illness of injury" is a typing slip for "Illness or injury"
        assert _words(fields[name].title or "") == _words(heading.replace(" of injury", " or "
                                                                          "injury"))


def test_generic_controls_are_one_per_line() -> None:
    controls = generic_matrix().driving.controls.splitlines()
    assert controls[0] == "Maintain vehicle properly"
    assert controls[-1] == "Avoid risky areas"
    assert len(controls) == 7


def test_a_form_without_hazards_gets_the_generic_assessment(ra: dict[str, Any]) -> None:
    form = RiskAssessment.model_validate(ra)
    assert form.hazards == generic_matrix()
    assert form.hazards.is_generic()
    assert form.hazards.highest_risk() is RiskLevel.LOW


def test_a_partial_override_keeps_the_rest_generic(ra: dict[str, Any]) -> None:
    ra["hazards"] = {"animals": {"likelihood": "Likely", "risk_level": "high",
                                 "controls": "Ask for the dog to be shut away", "severity_of_harm":
                                 "   "}}
    form = RiskAssessment.model_validate(ra)
    animals = form.hazards.animals
    assert animals.likelihood is Likelihood.LIKELY
    assert animals.risk_level is RiskLevel.HIGH
    assert animals.controls == "Ask for the dog to be shut away"
    # cells not given, or given blank, keep the appendix's wording
    assert animals.individuals_at_risk == "Member of staff may be harmed"
    assert animals.severity_of_harm == "Major injury may occur"
    generic = generic_matrix()
    for name in HAZARD_ORDER[:-1]:
        assert getattr(form.hazards, name) == getattr(generic, name)
    assert not form.hazards.is_generic()
    assert form.hazards.highest_risk() is RiskLevel.HIGH


def test_a_hazard_override_in_a_workbook_keeps_the_rest_generic(
    ra: dict[str, Any], tmp_path: Path
) -> None:
    ra["hazards"] = {"driving": {"risk_level": "Medium"}}
    form = RiskAssessment.model_validate(ra)
    path = write_workbook("risk-assessment", tmp_path / "ra.xlsx", [form])
    read = load_file(path).records[0].form
    assert read is not None
    assert read.hazards.driving.risk_level is RiskLevel.MEDIUM
    assert read.hazards.driving.controls == GENERIC["driving"]["controls"]
    assert read.hazards.animals == generic_matrix().animals


# --------------------------------------------------------------------------- hostile text


def _hostile(form: str, data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["pupil_name"] = HOSTILE_NAME
    if form == "risk-assessment":
        data["why_required"] = LONG_TEXT
        data["known_risks"] = EMOJI
        data["mitigation"] = "=HYPERLINK(\"http://example.invalid\")"
        data["staff"][0]["name"] = HOSTILE_NAME
    else:
        data["reason"] = LONG_TEXT
        data["discussed"] = EMOJI
        data["agreed"] = "=SUM(A1:A2)\n-1\n+1\n@home"
        data["staff_attending"][0] = HOSTILE_NAME
    return data


@pytest.fixture
def hostile(request: pytest.FixtureRequest, ra: dict[str, Any],
            report: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    form = request.param
    return form, _hostile(form, ra if form == "risk-assessment" else report)


def _texts(form: FormModel) -> dict[str, Any]:
    dumped = form.model_dump()
    if isinstance(form, RiskAssessment):
        return {"name": dumped["pupil_name"], "long": dumped["why_required"],
                "emoji": dumped["known_risks"], "formula": dumped["mitigation"],
                "staff": dumped["staff"][0]["name"]}
    assert isinstance(form, VisitReport)
    return {"name": dumped["pupil_name"], "long": dumped["reason"],
            "emoji": dumped["discussed"], "formula": dumped["agreed"],
            "staff": dumped["staff_attending"][0]}


@pytest.mark.parametrize("hostile", list(FORMS), indirect=True)
def test_hostile_text_survives_json_unchanged(hostile: tuple[str, dict[str, Any]],
                                              tmp_path: Path) -> None:
    _, data = hostile
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = load_file(path)
    assert [i.message for i in result.all_issues()] == []
    texts = _texts(result.records[0].form)
    assert texts["name"] == texts["staff"] == HOSTILE_NAME
    assert texts["long"] == LONG_TEXT and len(texts["long"]) == 5000
    assert texts["emoji"] == EMOJI
    assert texts["formula"] == (data.get("mitigation") or data.get("agreed"))


@pytest.mark.parametrize("hostile", list(FORMS), indirect=True)
def test_hostile_text_survives_a_workbook_unchanged(hostile: tuple[str, dict[str, Any]],
                                                    tmp_path: Path) -> None:
    form, data = hostile
    model = FORMS[form].model_validate(data)
    path = write_workbook(form, tmp_path / "hostile.xlsx", [model])
    result = load_file(path)
    assert [i.message for i in result.all_issues()] == []  # text starting "=" is no formula
    assert result.records[0].form == model
    texts = _texts(result.records[0].form)
    assert texts["name"] == HOSTILE_NAME and texts["long"] == LONG_TEXT
    assert texts["emoji"] == EMOJI


def test_too_long_text_is_refused_with_its_length(ra: dict[str, Any], tmp_path: Path) -> None:
    ra["address"] = "x" * 501
    path = tmp_path / "long.json"
    path.write_text(json.dumps(ra), encoding="utf-8")
    [issue] = load_file(path).records[0].issues
    assert issue.code == "too-long"
    assert issue.location.path == "$.address"
    assert "501 characters where at most 500" in issue.message


@given(st.dates())
def test_a_record_is_labelled_with_its_visit_date_as_strftime_writes_it(day: dt.date) -> None:
    form = VisitReport.model_validate(REPORT).model_copy(update={"visit_date": day})
    assert form.record_label() == f"{form.pupil_name}, {day.strftime('%d/%m/%Y')}"
