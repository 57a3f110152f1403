"""The web forms ask what the printed forms ask, from the same declarations on the fields
(``field(when=..., asked_by=...)``): only what the school's policy asks, in its words; what
does not apply given the answers so far folded away under a line saying why, on every
re-render and in what autosave sends back; an answer given is never dropped."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from docgen.documents.applies import Applicability
from docgen.policy import load_policy
from docgen.schemas import FORMS, FormModel, RiskAssessment, VisitReport
from docgen.schemas.fields import FieldNode, tree
from docgen.web.draft import draft_form
from tests.web.conftest import DAY, WebSchool, csrf_of, make_school, ra_answers, sign_in
from tests.web.test_flow import HOSTILE, new_form, post

ATT, WESTSIDE = load_policy("att"), load_policy("westside")


def asked_only_by(model: type[FormModel], policy: Any, other: Any) -> set[str]:
    """The flat names (list items as ``staff.0.x``) of the questions ``other`` asks and
    ``policy`` does not, read from the fields' declarations."""
    def asks(p: Any, node: FieldNode) -> bool:
        return not node.asked_by or any(p.asks(a) for a in node.asked_by)

    names: set[str] = set()
    for node in tree(model):
        if asks(other, node) and not asks(policy, node):
            names.add(node.name)
        for child in node.children:
            if asks(other, child) and not asks(policy, child):
                names.add(f"{node.name}.0.{child.name}" if node.is_list
                          else f"{node.name}.{child.name}")
    return names


def controls(html: str) -> set[str]:
    """The names of the answers a page posts."""
    return set(re.findall(r'name="([a-z_][a-z0-9_.]*)"', html)) - {"csrf", "action", "_tried"}


def box(html: str, name: str) -> str:
    """The fold-away box of the question ``name`` (its opening tag and contents)."""
    found = re.search(rf'<details class="applies[^"]*" id="[^"]*" data-applies="{re.escape(name)}"'
                      r'.*?</details>', html, re.S)
    assert found, f"no box for {name}"
    return found.group(0)


def is_folded(html: str, name: str) -> bool:
    opening = box(html, name).split(">", 1)[0]
    return 'data-state="skipped"' in opening and " open" not in opening


@pytest.fixture
def westside(tmp_path: Path) -> Iterator[tuple[WebSchool, TestClient]]:
    web = make_school(tmp_path, policy="westside")
    client = TestClient(web.app, base_url="http://127.0.0.1")
    sign_in(client, web["staff"])
    yield web, client
    client.close()


def test_a_westside_form_asks_no_att_question_and_says_headteacher(
        westside: tuple[WebSchool, TestClient]) -> None:
    _web, staff = westside
    att_only = asked_only_by(RiskAssessment, WESTSIDE, ATT)
    assert {"concerns_consulted", "joint_visit"} <= att_only  # the declarations say so
    record = new_form(staff)
    page = post(staff, f"/forms/{record}", {**ra_answers(overall_risk="high",
                                                         known_risks="A large dog."),
                                            "action": "save"}).text
    assert not controls(page) & att_only
    assert "Principal" not in page
    assert "Lone visit approved by the headteacher" in box(page, "lone_visit_approved")
    report = post(staff, "/forms/new/visit-report", {}, page_url="/visits")
    page = report.text
    assert not controls(page) & asked_only_by(VisitReport, WESTSIDE, ATT)
    assert "Principal" not in page
    assert "Has anything unusual been reported to the headteacher?" in page


def test_an_att_form_asks_no_lone_visit_question_and_says_principal(
        web: WebSchool, client_for: Any) -> None:
    staff = client_for("staff")
    westside_only = asked_only_by(RiskAssessment, ATT, WESTSIDE)
    assert {"lone_visit_approved", "lone_working_assessment"} <= westside_only
    record = new_form(staff)  # one member of staff named so far: still not asked under ATT
    page = staff.get(f"/forms/{record}").text
    assert not controls(page) & westside_only
    assert "lone" not in page.casefold()
    assert "DSL and Principal consulted about the concerns" in page
    report = new_form(staff, "visit-report")
    page = staff.get(f"/forms/{report}").text
    assert "Has anything unusual been reported to the Principal?" in page
    assert "headteacher" not in page.casefold()


def test_westside_asks_a_lone_visit_only_while_one_member_of_staff_goes(
        westside: tuple[WebSchool, TestClient]) -> None:
    _web, staff = westside
    record = new_form(staff)
    alone = {k: v for k, v in ra_answers().items() if not k.startswith("staff.1.")}
    page = post(staff, f"/forms/{record}", {**alone, "action": "save"}).text
    assert not is_folded(page, "lone_visit_approved")
    assert "Lone visit approved by the headteacher" in page
    page = post(staff, f"/forms/{record}", {**ra_answers(), "action": "save"}).text
    assert is_folded(page, "lone_visit_approved")
    assert "Not asked while more than one member of staff goes on the visit" in page
    # folded, not gone: it can still be opened and answered without the page's script
    assert 'name="lone_visit_approved"' in box(page, "lone_visit_approved")


@pytest.mark.parametrize(("preset", "question", "applies", "does_not", "why"), [
    ("att", "joint_visit", {"overall_risk": "high"}, {"overall_risk": "low"},
     "the overall risk is not High"),
    ("westside", "vehicle", {"travel_mode": "vehicle"}, {"travel_mode": "on_foot"},
     "staff do not travel by car"),
    ("westside", "out_of_hours_reason", {"planned_start": "17:30", "expected_return": "18:30"},
     {}, "the visit is in school hours"),
])
def test_a_question_is_asked_only_while_it_applies(
        tmp_path: Path, preset: str, question: str, applies: dict[str, str],
        does_not: dict[str, str], why: str) -> None:
    web = make_school(tmp_path, policy=preset)
    with TestClient(web.app, base_url="http://127.0.0.1") as staff:
        sign_in(staff, web["staff"])
        record = new_form(staff)
        page = post(staff, f"/forms/{record}", {**ra_answers(**applies), "action": "save"}).text
        assert not is_folded(page, question)
        # the question itself left unanswered (an answer given would be kept and shown)
        unanswered = {k: v for k, v in ra_answers(**does_not).items()
                      if k != question and not k.startswith(question + ".")}
        page = post(staff, f"/forms/{record}", {**unanswered, "action": "save"}).text
        assert is_folded(page, question)
        assert f"Not asked while {why}" in box(page, question)


def report_values(**changes: str) -> dict[str, str]:
    values = {"pupil_name": "Jane Smith", "date_of_birth": "01/05/2013", "pupil_class": "8A",
              "staff_attending.0": "Sam Staff", "visit_date": DAY.strftime("%d/%m/%Y"),
              "visit_time": "10:00", "purpose": "attendance", "reason": "Attendance.",
              "dsl_consulted": "yes", "risk_assessment_done": "yes",
              "other_methods_exhausted": "yes", "anything_unusual": "no",
              "welfare_concerns": "no", "inform_others": "no", "threatened": "no",
              "allegation_made": "no", "left_for_safety": "no"}
    values.update(changes)
    return {k: v for k, v in values.items() if v}


# the questions asked only when somebody was home, as the report declares them
INSIDE_THE_HOME = [n.name for n in tree(VisitReport)
                   if n.when is not None and n.when.field == "anyone_home"
                   and n.when.values == (True,)]


def test_nobody_home_folds_the_inside_the_home_questions_on_re_render(
        web: WebSchool, client_for: Any) -> None:
    staff = client_for("staff")
    record = new_form(staff, "visit-report")
    assert {"who_was_home", "discussed", "pupil_seen"} <= set(INSIDE_THE_HOME)
    page = staff.get(f"/forms/{record}").text  # not answered yet: they wait for the answer
    for name in (*INSIDE_THE_HOME, "pupil_spoken_to"):  # (asked when the pupil was seen)
        assert is_folded(page, name), name
        assert "Asked once &#39;Was anyone home?&#39; is answered" in box(page, name), name
    page = post(staff, f"/forms/{record}", {**report_values(anyone_home="yes"),
                                            "action": "save"}).text
    for name in INSIDE_THE_HOME:
        assert not is_folded(page, name), name
    assert is_folded(page, "letter_left")
    page = post(staff, f"/forms/{record}", {**report_values(anyone_home="no"),
                                            "action": "save"}).text
    for name in INSIDE_THE_HOME:
        assert is_folded(page, name), name
        assert "Not asked while nobody was home" in box(page, name)
    assert not is_folded(page, "letter_left")


def test_an_answer_to_a_question_that_stops_applying_is_kept(web: WebSchool,
                                                             client_for: Any) -> None:
    staff = client_for("staff")
    record = new_form(staff, "visit-report")
    post(staff, f"/forms/{record}", {**report_values(anyone_home="yes", who_was_home=HOSTILE),
                                     "action": "save"})
    # nobody home after all: the page (as the browser posts it, the answer still in its box)
    page = post(staff, f"/forms/{record}", {**report_values(anyone_home="no",
                                                            who_was_home=HOSTILE),
                                            "action": "save"}).text
    kept = box(page, "who_was_home")
    assert not is_folded(page, "who_was_home")  # shown, with its answer, escaped
    assert "Siobhán O&#39;Brien-Smith &amp; &lt;Co&gt;" in kept
    assert "This question does not apply, as nobody was home. The answer given is kept" in kept
    stored = web.store.record(record)
    assert stored is not None and stored.data["who_was_home"] == HOSTILE
    # and the printed form prints it, as it prints every answer given
    pdf = staff.get(f"/forms/{record}/download/pdf")
    assert pdf.status_code == 200, pdf.text[:2000]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert HOSTILE in text


def test_autosave_sends_back_what_applies(web: WebSchool, client_for: Any) -> None:
    staff = client_for("staff")
    record = new_form(staff, "visit-report")
    token = csrf_of(staff.get(f"/forms/{record}").text)

    def save(**changes: str) -> dict[str, dict[str, str]]:
        response = staff.post(f"/forms/{record}/draft", data=report_values(**changes),
                              headers={"X-CSRF-Token": token})
        assert response.status_code == 200
        result: dict[str, dict[str, str]] = response.json()["applying"]
        return result

    applying = save(anyone_home="yes")
    assert applying["who_was_home"] == {"why": "", "kept": ""}
    assert applying["letter_left"]["why"] == "Not asked while somebody was home"
    applying = save(anyone_home="no", discussed="Attendance.")
    assert applying["who_was_home"] == {"why": "Not asked while nobody was home", "kept": ""}
    assert applying["discussed"]["why"] == ""  # answered: kept, and says why it is kept
    assert "does not apply, as nobody was home" in applying["discussed"]["kept"]
    assert applying["letter_left"]["why"] == ""
    stored = web.store.record(record)
    assert stored is not None and stored.data["discussed"] == "Attendance."


def test_an_answer_the_policy_does_not_ask_is_kept_and_shown(
        westside: tuple[WebSchool, TestClient]) -> None:
    web, staff = westside
    record = new_form(staff)
    page = post(staff, f"/forms/{record}", {**ra_answers(known_risks="A dog."),
                                            "concerns_consulted": "yes",
                                            "action": "save"}).text
    assert 'name="concerns_consulted"' in page
    assert "The school&#39;s policy does not ask this question" in page
    stored = web.store.record(record)
    assert stored is not None and stored.data["concerns_consulted"] == "yes"
    # saved again as the page posts it: still there
    post(staff, f"/forms/{record}", {**ra_answers(known_risks="A dog."),
                                     "concerns_consulted": "yes", "action": "save"})
    stored = web.store.record(record)
    assert stored is not None and stored.data["concerns_consulted"] == "yes"


@pytest.mark.parametrize("policy", [ATT, WESTSIDE], ids=["att", "westside"])
@pytest.mark.parametrize("data", [{}, {"anyone_home": "perhaps", "visit_date": "31/02/2026",
                                       "purpose": "???", "staff": "x", "visit_time": "25:00",
                                       "overall_risk": "huge", "vehicle": {"make": 3}}],
                         ids=["empty", "garbage"])
def test_every_condition_can_be_asked_of_any_draft(policy: Any, data: dict[str, Any]) -> None:
    """However little or badly a draft is filled in, what applies can be worked out."""
    for name, model in FORMS.items():
        form = draft_form(model, {**data, "form": name})
        applies = Applicability(form, policy)
        for node in tree(model):
            applies.skip(node, form)
