"""The printable document carries every label and every value of the input, in the form's
order. tests/render/test_docx.py and test_pdf.py then check each format carries the document,
so together: input -> document -> file loses nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from docgen.config import SAMPLE_SCHOOL, load_school
from docgen.documents.context import Words, build_document
from docgen.documents.document import Document
from docgen.policy import load_policy
from docgen.schemas.base import FormModel
from docgen.schemas.columns import columns
from docgen.schemas.types import Choice, display
from docgen.validation import validate, validate_record

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [(policy, path) for policy in ("att", "westside")
           for path in sorted((ROOT / "samples" / policy).glob("*.json"))]


def value_at(form: FormModel, path: tuple[Any, ...]) -> Any:
    node: Any = form
    for step in path:
        if node is None:
            return None
        node = (node[step] if step < len(node) else None) if isinstance(step, int) \
            else getattr(node, step)
    return node


def printed(value: Any, words: Words) -> list[str]:
    """How a value shows in a document's text: tick boxes print every option's label, lists
    print numbered lines, free text prints line by line; roles in the policy's words."""
    if isinstance(value, bool):
        return ["Yes", "No"]
    if isinstance(value, Choice):
        return [words(value.label)]
    return [line for line in display(value).split("\n") if line]


def in_order(needles: list[str], haystack: list[str]) -> None:
    position = 0
    for needle in needles:
        while position < len(haystack) and needle not in haystack[position]:
            position += 1
        assert position < len(haystack), f"{needle!r} missing or out of order"


@pytest.mark.parametrize(("policy", "path"), SAMPLES, ids=[f"{p}-{f.stem}" for p, f in SAMPLES])
def test_every_label_and_value_is_in_the_document_in_order(policy: str, path: Path) -> None:
    report = validate([path], policy)
    for record in report.records:
        form = record.form
        assert form is not None
        chosen = load_policy(policy)
        words = Words(chosen.wording)
        doc = build_document(form, SAMPLE_SCHOOL, chosen, record.warnings)
        texts = doc.texts()
        expected: list[str] = []
        for column in columns(type(form)):
            value = value_at(form, column.path)
            if column.path[0] == "hazards" or value is None:
                continue  # the matrix prints by hazard; checked below
            if not any(isinstance(step, int) for step in column.path):
                expected.append(words(column.label))  # a list's items print under its own
            expected += printed(value, words)
        # labels are printed once per field; list items repeat the item's fields
        for needle in expected:
            assert any(needle in t for t in texts), f"{needle!r} not printed"
        # and the answered fields' labels in the form's order (list items' labels repeat;
        # skip them). A question not answered may be left out as not applying: test_applies.
        labels = [c.label for c in columns(type(form))
                  if c.path[0] != "hazards" and not any(isinstance(p, int) for p in c.path)
                  and value_at(form, c.path) is not None]
        in_order([words(label) for label in dict.fromkeys(labels)], texts)


def test_the_hazard_matrix_prints_every_cell(ra: dict[str, Any]) -> None:
    ra["hazards"] = {"driving": {"likelihood": "likely", "risk_level": "medium",
                                 "controls": "Use the school car\nPark facing out"}}
    ra["overall_risk"] = "medium"
    record = validate_record(ra, "att")
    assert record.form is not None
    doc = build_document(record.form, SAMPLE_SCHOOL, load_policy("att"))
    grid = next(b.grid for s in doc.sections for b in s.blocks
                if b.grid is not None and b.grid.kind == "matrix")
    assert grid.columns[1:] == ("Aggressive or violent parent/ pupil/ family member",
                                "Driving", "Movement through public areas",
                                "Illness or injury/ accident", "Attack by dog or other animal")
    assert [row[0].text for row in grid.rows] == [
        "Individuals at Risk", "Severity of Harm", "Likelihood", "Risk Level", "Controls"]
    driving = [row[2] for row in grid.rows]
    assert [c.text for c in driving[2:]] == ["Likely", "Medium",
                                             "Use the school car\nPark facing out"]
    assert [c.emphasis for c in driving] == [False, False, True, True, True]
    assert not any(c.emphasis for row in grid.rows for c in row[3:])


def test_unanswered_fields_print_blank_lines_never_none(ra: dict[str, Any]) -> None:
    del ra["parents_informed"]
    record = validate_record(ra, "att")
    assert record.form is not None
    doc = build_document(record.form, SAMPLE_SCHOOL, load_policy("att"))
    rows = {row.label: row.answer for s in doc.sections for b in s.blocks for row in b.rows}
    assert rows["UPN"].blank and rows["UPN"].text == ""
    # the question carries the mark of Appendix 1's footnote
    assert rows["Are there any known risks about this property or when visiting this family? **"]\
        .lines > 1
    unanswered = rows["Have the parents/carers been told about the visit in advance?"]
    assert unanswered.blank and [o.ticked for o in unanswered.options] == [False, False]
    assert "None" not in doc.texts()


def test_sign_off_lines_name_the_school_dsl_when_the_form_does_not() -> None:
    config = load_school(ROOT / "samples" / "school.toml")
    report = validate([ROOT / "samples" / "att" / "nobody-home.json"], "att")
    visit_report = next(r for r in report.records if r.form_name == "visit-report")
    doc: Document = build_document(visit_report.form, config, load_policy("att"))
    assert [(s.role, s.name) for s in doc.signoffs] == [
        ("Staff member on the visit", "Helen Brooks"),
        ("Staff member on the visit", "Sophie Grant"),
        ("Report received by (DSL)", "Priya Shah")]
