"""Only what applies is printed, as the school's policy asks it and in its words: the printed
document leaves out the questions that do not apply to the visit (saying why), the questions
the policy does not ask, and never an answer given. A blank form asks everything the policy
asks, with room to write."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from docgen.config import SAMPLE_SCHOOL
from docgen.documents.applies import FACTS, declared_conditions
from docgen.documents.context import Words, blank_document, build_document
from docgen.documents.document import Answer, Document, Section
from docgen.policy import RULES, Policy, load_policy
from docgen.policy.model import FEATURES
from docgen.schemas import FORMS, RiskAssessment, VisitReport
from docgen.schemas.fields import tree
from docgen.validation import validate_record
from tests.conftest import RA, REPORT, TODAY


def document(data: dict[str, Any], policy: str = "att") -> Document:
    chosen = load_policy(policy)
    record = validate_record(data, chosen, today=TODAY)
    assert record.form is not None, [i.message for i in record.issues]
    return build_document(record.form, SAMPLE_SCHOOL, chosen, record.issues)


def section(doc: Document, title: str) -> Section:
    return next(s for s in doc.sections if s.title == title)


def labels(doc: Document) -> list[str]:
    """Every printed question: rows, and grids by their caption and columns."""
    out = []
    for s in doc.sections:
        for block in s.blocks:
            out += [row.label for row in block.rows]
            if block.grid is not None:
                out += [block.grid.caption, *block.grid.columns]
    return out


def answers(doc: Document) -> dict[str, Answer]:
    return {row.label: row.answer for s in doc.sections for b in s.blocks for row in b.rows}


def nobody_home(data: dict[str, Any]) -> dict[str, Any]:
    for name in ("who_was_home", "entered_property", "adult_present", "discussed", "agreed",
                 "agreement_review_date"):
        data.pop(name, None)
    data.update(anyone_home=False, letter_left=True)
    return data


# --------------------------------------------------------------------------- the declarations


def test_every_condition_names_a_field_beside_it_or_a_known_fact_and_a_known_rule() -> None:
    declared = declared_conditions()
    assert len(declared) > 40
    for _, model, node in declared:
        for name in node.asked_by:
            assert name in RULES or name in FEATURES, (node.name, name)
        if node.when is not None:
            assert node.when.because, node.name
            if node.when.fact:
                assert node.when.fact in FACTS
            else:
                assert node.when.field in model.model_fields


def test_conditions_are_in_the_json_schema_for_other_readers() -> None:
    schema = VisitReport.model_json_schema()
    meta = schema["properties"]["who_was_home"]["x-docgen"]
    assert meta["when"] == {"field": "anyone_home", "fact": "", "because": "nobody was home",
                            "values": [True]}
    assert RiskAssessment.model_json_schema()["properties"]["principal_name"]["x-docgen"][
        "asked_by"] == ["ra.high-risk-permission"]


# --------------------------------------------------------------------------- what applies


def test_nobody_home_leaves_out_the_conversation_and_says_why(report: dict[str, Any]) -> None:
    doc = document(nobody_home(report))
    printed = labels(doc)
    for question in ("Who was home?", "Did you enter the property?", "What was discussed?",
                     "What was agreed?", "Was an appropriate adult present while you were "
                     "inside?", "Did you see the pupil?", "Did you speak to the pupil?"):
        assert question not in printed
    details = section(doc, "Details of the visit")
    assert ("Not applicable, as nobody was home: Who was home? · Did you enter the property? · "
            "What was discussed? · What was agreed?") in details.not_applicable
    # what still applies when nobody answered the door is still asked
    assert {"Did anything unusual happen?", "What time did you arrive?",
            "What future action will you take?"} <= set(printed)
    # a section none of whose questions apply is one line saying why
    safety = section(doc, "The pupil's safety")
    assert safety.blocks == ()
    assert safety.not_applicable == (
        "This section did not apply: nobody was home; there were no welfare concerns.",)
    # and the letter question, which only a visit where nobody was home asks, is printed
    assert "Did you leave an academy home visit letter if they were not home?" in printed


def test_somebody_home_asks_the_conversation_not_the_letter(report: dict[str, Any]) -> None:
    printed = labels(document(report))
    assert {"Who was home?", "What was discussed?", "Did you see the pupil?"} <= set(printed)
    assert "Did you leave an academy home visit letter if they were not home?" not in printed


def test_an_answer_given_is_printed_even_where_its_question_does_not_apply(
        report: dict[str, Any]) -> None:
    data = nobody_home(report)
    data["discussed"] = "Spoke to a neighbour over the fence."
    doc = document(data)
    assert answers(doc)["What was discussed?"].text == "Spoke to a neighbour over the fence."
    assert not any("What was discussed?" in line
                   for line in section(doc, "Details of the visit").not_applicable)


def test_a_visit_on_foot_prints_no_vehicle_table(ra: dict[str, Any]) -> None:
    ra.update(travel_mode="on_foot")
    del ra["vehicle"]
    doc = document(ra, "westside")
    assert "Vehicle" not in labels(doc)
    assert ("Not applicable, as staff do not travel by car: Vehicle"
            in section(doc, "Visit arrangements").not_applicable)
    by_car = document(copy.deepcopy(RA), "westside")
    assert {"Vehicle", "Registration number"} <= set(labels(by_car))


def test_the_out_of_hours_block_only_when_the_visit_is_outside_school_hours(
        ra: dict[str, Any]) -> None:
    in_hours = labels(document(copy.deepcopy(ra), "westside"))
    assert "Why the visit must be outside school hours" not in in_hours
    assert "Out-of-hours responsible contact" not in in_hours
    ra.update(planned_start="17:30", expected_return="18:30",
              out_of_hours_reason="Parents work until five.",
              responsible_contact={"name": "Sam Senior", "phone": "07700 900999"})
    evening = labels(document(ra, "westside"))
    assert {"Why the visit must be outside school hours",
            "Out-of-hours responsible contact"} <= set(evening)


def test_the_high_risk_approvals_only_when_the_risk_is_high(ra: dict[str, Any]) -> None:
    low = document(copy.deepcopy(ra))
    high_questions = {"Principal's permission for a high-risk visit",
                      "Principal granting permission", "Joint visit with a safeguarding partner"}
    assert not high_questions & set(labels(low))
    assert [s.role for s in low.signoffs] == ["Risk assessment completed by",
                                              "Authorised by (DSL)"]
    ra.update(overall_risk="high", hazards={"aggressive_person": {"risk_level": "high"}},
              approved_by="Dr Allen", approved_on="2026-11-20", principal_permission=True,
              principal_name="Dr Allen", joint_visit="police")
    high = document(ra)
    assert high_questions <= set(labels(high))
    assert high.signoffs[-1].role == "Permission for a high-risk visit (Principal)"
    assert high.signoffs[-1].name == "Dr Allen"


@pytest.mark.parametrize("known", ["None", "None known", "N/A", "No", "none.", "n/a"])
def test_known_risks_written_as_none_are_no_known_risks(ra: dict[str, Any], known: str) -> None:
    ra["known_risks"] = known
    record = validate_record(ra, "att", today=TODAY)
    assert record.ok
    codes = {i.code for i in record.issues}
    assert not codes & {"ra.mitigation", "ra.known-risks-low", "ra.concerns-consulted",
                        "ra.reassess-hazards"}
    assert "What steps have you taken to mitigate these risks (if applicable)" \
        not in labels(document(ra))


def test_known_risks_recorded_still_call_for_mitigation(ra: dict[str, Any]) -> None:
    ra["known_risks"] = "Large dog at the address"
    codes = {i.code for i in validate_record(ra, "att", today=TODAY).issues}
    assert {"ra.mitigation", "ra.known-risks-low", "ra.concerns-consulted"} <= codes


# --------------------------------------------------------------------------- each policy's form


def test_westside_says_headteacher_and_asks_no_att_only_question(ra: dict[str, Any],
                                                                 report: dict[str, Any]) -> None:
    ra["authoriser_role"] = "headteacher"
    ra.update(overall_risk="high", hazards={"aggressive_person": {"risk_level": "high"}})
    for doc in (document(ra, "westside"), document(report, "westside"),
                blank_document(RiskAssessment, SAMPLE_SCHOOL, load_policy("westside")),
                blank_document(VisitReport, SAMPLE_SCHOOL, load_policy("westside"))):
        text = " ".join(doc.texts())
        assert "Principal" not in text
        printed = labels(doc)
        for att_only in ("Specific risk assessment approved by",
                         "DSL and Principal consulted about the concerns",
                         "Principal's permission for a high-risk visit",
                         "Joint visit with a safeguarding partner",
                         "Did you tell the academy when you had left the home?"):
            assert att_only not in printed
    role = answers(document(ra, "westside"))["Role of the person authorising"]
    assert [o.label for o in role.options if o.ticked] == ["Headteacher"]


def test_att_asks_nothing_about_a_lone_visit_and_says_principal(
        ra: dict[str, Any], report: dict[str, Any]) -> None:
    report.update(anything_unusual=True, unusual_details="A neighbour shouted.",
                  incident_reported=True)
    for doc in (document(ra), document(report),
                blank_document(RiskAssessment, SAMPLE_SCHOOL, load_policy("att")),
                blank_document(VisitReport, SAMPLE_SCHOOL, load_policy("att"))):
        text = " ".join(doc.texts())
        assert "Lone visit" not in text and "Lone-working" not in text
        assert "headteacher" not in text.casefold()
    assert "Has anything unusual been reported to the Principal?" in labels(document(report))


def test_westside_staff_grid_asks_its_training_att_does_not(ra: dict[str, Any]) -> None:
    for member in ra["staff"]:
        member.pop("home_visit_trained", None)
        member.pop("violence_training", None)
    att = labels(document(copy.deepcopy(ra)))
    assert "DBS check in place" in att and "Trained in preventing violence" not in att
    blank = labels(blank_document(RiskAssessment, SAMPLE_SCHOOL, load_policy("westside")))
    assert {"Trained in home visiting", "Trained in preventing violence"} <= set(blank)


def test_the_forms_own_notes_print_in_the_policys_words(ra: dict[str, Any],
                                                          report: dict[str, Any]) -> None:
    doc = document(ra)
    assert doc.instructions_heading == ("Notes from the ATT Home Visit Procedure, Appendix 1 "
                                        "(Home Visit Risk Assessment)")
    notes = " ".join(doc.instructions)
    for words in ("“Home Visits Folder”", "uploaded to CPOMS",
                  "the Principal must grant permission", "joint safeguarding partner visit"):
        assert words in notes
    details = section(doc, "Details of the visit")
    question = next(row.label for b in details.blocks for row in b.rows
                    if row.label.startswith("Are there any known risks"))
    assert question.endswith(" **")
    assert details.footnotes == ("** New assessment of likelihood and risk should be made if "
                                 "there are concerns for the address, family or pupil being "
                                 "visited. If there are any concerns, the DSL and Principal "
                                 "must be consulted.",)
    assert document(report).instructions == (
        "To be included on CPOMS, as a record of the visit (either as a form uploaded, or "
        "including the content below)",)
    westside = document(report, "westside")
    assert "CPOMS" not in " ".join(westside.instructions)
    assert westside.instructions[0] == ("Any issues or incidents during a home visit will be "
                                        "reported to the headteacher.")


def test_words_replace_whole_words_keeping_a_capital() -> None:
    att = Words(load_policy("att").wording)
    assert att("Lone visit approved by the headteacher") == \
        "Lone visit approved by the Principal"
    assert att("Headteacher / Principal") == "Principal"
    assert att("headteachers' meeting") == "headteachers' meeting"  # not a whole word
    westside = Words(load_policy("westside").wording)
    assert westside("Principal's permission") == "Headteacher's permission"
    assert westside("report it to the headteacher / Principal") == \
        "report it to the headteacher"


# --------------------------------------------------------------------------- how answers print


def test_staff_answers_print_as_tick_boxes_and_mobiles_unbroken(ra: dict[str, Any]) -> None:
    doc = document(ra, "westside")
    grid = next(b.grid for s in doc.sections for b in s.blocks
                if b.grid is not None and b.grid.caption.startswith("Which staff"))
    columns = list(grid.columns)
    first = grid.rows[0]
    dbs = first[columns.index("DBS check in place")]
    assert [(o.label, o.ticked) for o in dbs.options] == [("Yes", True), ("No", False)]
    mobile = first[columns.index("Mobile number")]
    assert mobile.text == "07700 900001" and mobile.unbroken
    trained = grid.rows[1][columns.index("Trained in home visiting")]
    assert trained.blank and [o.ticked for o in trained.options] == [False, False]


def test_sign_off_lines_read_naturally() -> None:
    deputy = load_policy("att").model_copy(update={"deputy_dsl_may_authorise": True})
    record = validate_record(copy.deepcopy(RA), deputy, today=TODAY)
    assert record.form is not None
    doc = build_document(record.form, SAMPLE_SCHOOL, deputy)
    assert [s.role for s in doc.signoffs] == ["Risk assessment completed by",
                                              "Authorised by (DSL or Deputy DSL)"]
    westside = document(copy.deepcopy(RA) | {"authoriser_role": "headteacher"}, "westside")
    assert westside.signoffs[1].role == "Authorised by (Headteacher)"
    report = document(copy.deepcopy(REPORT))
    assert [s.role for s in report.signoffs] == ["Staff member on the visit",
                                                 "Staff member on the visit",
                                                 "Report received by (DSL)"]


# --------------------------------------------------------------------------- blank forms


@pytest.mark.parametrize("policy", ["att", "westside"])
@pytest.mark.parametrize("form", list(FORMS))
def test_a_blank_form_asks_every_question_its_policy_asks(form: str, policy: str) -> None:
    chosen: Policy = load_policy(policy)
    model = FORMS[form]
    doc = blank_document(model, SAMPLE_SCHOOL, chosen)
    printed = labels(doc)
    rows = answers(doc)
    for node in tree(model):
        if not node.in_workbook or (node.is_part and not node.is_list and node.name == "hazards"):
            continue
        asked = not node.asked_by or any(chosen.asks(name) for name in node.asked_by)
        label = Words(chosen.wording)(node.label)
        assert any(p.startswith(label) for p in printed) == asked, (node.name, asked)
        answer = next((a for lab, a in rows.items() if lab.startswith(label)), None)
        if answer is not None and not node.is_part:
            assert answer.blank and not answer.text  # room to write, nothing written
            if node.kind in ("yesno", "choice"):
                assert answer.options and not any(o.ticked for o in answer.options)
            elif node.long:
                assert answer.lines > 1
    assert all(not s.not_applicable for s in doc.sections)
    assert doc.subject == "blank form"
    assert doc.signoffs and all(s.role for s in doc.signoffs)


def test_a_blank_risk_assessment_lists_every_purpose_to_tick() -> None:
    doc = blank_document(RiskAssessment, SAMPLE_SCHOOL, load_policy("att"))
    purpose = answers(doc)["Purpose of visit"]
    assert len(purpose.options) == 13 and not any(o.ticked for o in purpose.options)
    staff = next(b.grid for s in doc.sections for b in s.blocks
                 if b.grid is not None and b.grid.caption.startswith("Which staff"))
    assert len(staff.rows) == 3  # the workbook's three staff slots, to fill in by hand
