"""The whole flow through the app's pages (no browser): staff submit, the DSL authorises from
the login, the office records calls, a report with a welfare concern goes to the top of the
DSL's list, downloads are real documents, and every view and download is in the access log."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from pypdf import PdfReader

from docgen.register import Register
from tests.web.conftest import DAY, WebSchool, csrf_of, ra_answers

HOSTILE = "Siobhán O'Brien-Smith & <Co>"


def new_form(client: Any, kind: str = "risk-assessment") -> str:
    page = client.get("/visits")
    response = client.post(f"/forms/new/{kind}", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 200
    return str(response.url).rsplit("/", 1)[1]


def post(client: Any, url: str, data: dict[str, str], page_url: str | None = None) -> Any:
    page = client.get(page_url or url)
    return client.post(url, data={**data, "csrf": csrf_of(page.text)})


def submitted_ra(client: Any, **changes: str) -> str:
    record = new_form(client)
    response = post(client, f"/forms/{record}", {**ra_answers(**changes), "action": "submit"})
    assert response.status_code == 200, response.text[:2000]
    assert "Waiting for authorisation" in response.text
    return record


def test_a_draft_keeps_what_was_typed_and_shows_errors_beside_fields(web: WebSchool,
                                                                     client_for: Any) -> None:
    staff = client_for("staff")
    record = new_form(staff)
    response = post(staff, f"/forms/{record}", {"pupil_name": HOSTILE, "visit_date": "31/02/2026",
                                                "action": "submit"})
    assert response.status_code == 400  # not submitted: errors to put right
    assert "Not submitted yet" in response.text
    # the typed value is back in its field, escaped; the error sits in the field's own box
    assert 'value="Siobhán O&#39;Brien-Smith &amp; &lt;Co&gt;"' in response.text
    assert 'data-issues="visit_date"><p class="issue error">' in response.text.replace("\n", "")
    stored = web.store.record(record)
    assert stored is not None and stored.status == "draft"
    assert stored.data["pupil_name"] == HOSTILE


def test_autosave_returns_the_checks_of_each_field(web: WebSchool, client_for: Any) -> None:
    staff = client_for("staff")
    record = new_form(staff)
    page = staff.get(f"/forms/{record}")
    response = staff.post(f"/forms/{record}/draft", data={"staff.0.mobile": "12"},
                          headers={"X-CSRF-Token": csrf_of(page.text)})
    result = response.json()
    assert any("does not look like a UK number" in i["message"]
               for i in result["fields"]["staff.0.mobile"])
    assert result["errors"] > 0
    stored = web.store.record(record)
    assert stored is not None and stored.data["staff.0.mobile"] == "12"


def test_policy_checks_come_with_their_citation(web: WebSchool, client_for: Any) -> None:
    staff = client_for("staff")
    record = new_form(staff)
    answers = {k: v for k, v in ra_answers().items() if not k.startswith("staff.1.")}
    response = post(staff, f"/forms/{record}", {**answers, "action": "save"})
    box = response.text.split('data-issues="staff.1.name">')[1].split("</div>")[0]
    assert "1 member of staff named; the policy requires 2" in box
    assert "Policy: ATT Home Visit Procedure: §1.3 “Home visits will always be conducted by " \
           "two members of staff”" in box


def test_whole_flow(web: WebSchool, client_for: Any) -> None:
    staff, dsl, office = client_for("staff"), client_for("dsl"), client_for("office")
    record = submitted_ra(staff, pupil_name=HOSTILE)
    # the authorisation fields are never typed by staff
    page = staff.get(f"/forms/{record}")
    assert 'name="authorised_by"' not in page.text
    # the DSL reads it as the document and authorises it; the name comes from the login
    review = dsl.get("/review")
    assert f"/forms/{record}" in review.text
    response = post(dsl, f"/forms/{record}/decide", {"action": "authorise"},
                    page_url=f"/forms/{record}")
    assert response.status_code == 200
    stored = web.store.record(record)
    assert stored is not None and stored.status == "authorised"
    assert stored.data["authorised_by"] == "Priya Shah"
    assert stored.data["authorised_on"] == DAY.strftime("%d/%m/%Y")  # the server's today
    assert "Priya Shah" in response.text
    # the office's board: the first call is due at 10:10; at 10:20 it is overdue and red
    web.clock.now = dt.datetime.combine(DAY, dt.time(10, 20))
    board = office.get("/board/live")
    assert "OVERDUE" in board.text and "Call overdue" in board.text
    assert "Call Sam Staff on 07700 900001; Bo Brown on 07700 900002 now" in board.text
    assert "police (999)" in board.text
    response = post(office, f"/board/{record}/call", {"due": f"{DAY.isoformat()}T10:10"},
                    page_url="/board")
    assert response.status_code == 200
    board = office.get("/board/live")
    assert "Call overdue" not in board.text and "✓ made 10:20 by Olu Office" in board.text
    # staff file the report, with a welfare concern: it heads the DSL's list at once
    other = submitted_ra(staff, pupil_name="Aaron Able")
    response = post(staff, f"/forms/{other}/report", {}, page_url="/visits")
    calm = str(response.url).rsplit("/", 1)[1]
    report = dict(reason="Attendance.", dsl_consulted="yes", anyone_home="yes",
                  other_methods_exhausted="yes", date_of_birth="01/05/2013",
                  welfare_concerns="no", who_was_home="Mother", entered_property="yes",
                  adult_present="yes", arrival_time="10:00", leaving_time="10:30",
                  discussed="Attendance.", visit_date=DAY.strftime("%d/%m/%Y"))
    assert post(staff, f"/forms/{calm}", {**_report_values(web, calm), **report,
                                           "action": "submit"}).status_code == 200
    response = post(staff, f"/forms/{record}/report", {}, page_url="/visits")
    worried = str(response.url).rsplit("/", 1)[1]
    response = post(staff, f"/forms/{worried}", {
        **_report_values(web, worried), **report, "welfare_concerns": "yes",
        "welfare_details": "Bruise on arm.", "concerns_reported_to_dsl": "yes",
        "immediate_danger": "no", "pupil_seen": "yes", "pupil_spoken_to": "alone",
        "action": "submit"})
    assert response.status_code == 200, response.text[:3000]
    lists = dsl.get("/review/live").text
    reports = lists.split('id="waiting-h"')[0]
    assert reports.index(f"/forms/{worried}") < reports.index(f"/forms/{calm}")
    assert "Welfare concern" in reports
    # the DSL downloads the PDF: a real PDF of this visit, with the name printed literally
    pdf = dsl.get(f"/forms/{record}/download/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert HOSTILE in text and "Priya Shah" in text
    docx = dsl.get(f"/forms/{record}/download/docx")
    assert docx.content[:2] == b"PK"
    # every view and download is in the register's access log, viewable by the DSL
    with Register.open(web.settings.register_path or "") as register:
        actions = [(e.user, e.action) for e in register.access_log(record_id=record)]
    assert (web["dsl"].username, "download-pdf") in actions
    assert (web["dsl"].username, "download-docx") in actions
    assert (web["dsl"].username, "view") in actions
    log = post(dsl, "/access-log", {"pupil": HOSTILE})  # posted: a name is never in a URL
    assert "download-pdf" in log.text and "Siobhán O&#39;Brien-Smith &amp; &lt;Co&gt;" in log.text


def _report_values(web: WebSchool, record: str) -> dict[str, str]:
    stored = web.store.record(record)
    assert stored is not None
    return dict(stored.data)


def test_returned_with_a_comment_goes_back_to_staff(web: WebSchool, client_for: Any) -> None:
    staff, dsl = client_for("staff"), client_for("dsl")
    record = submitted_ra(staff)
    post(dsl, f"/forms/{record}/decide", {"action": "return", "comment": "Add the <dog>."},
         page_url=f"/forms/{record}")
    stored = web.store.record(record)
    assert stored is not None and stored.status == "returned"
    page = staff.get(f"/forms/{record}")
    assert "Returned for changes" in page.text and "Add the &lt;dog&gt;." in page.text
    assert 'name="pupil_name"' in page.text  # editable again


def test_high_risk_needs_the_headteachers_permission_too(web: WebSchool,
                                                         client_for: Any) -> None:
    staff, dsl, head = client_for("staff"), client_for("dsl"), client_for("head")
    record = submitted_ra(staff, overall_risk="high", joint_visit="not_needed",
                          concerns_consulted="yes")
    post(dsl, f"/forms/{record}/decide", {"action": "authorise"}, page_url=f"/forms/{record}")
    stored = web.store.record(record)
    assert stored is not None and stored.status == "submitted"  # not yet: no permission
    assert stored.data["authorised_by"] == "Priya Shah"
    page = head.get(f"/forms/{record}")
    assert "Give permission for this high-risk visit" in page.text
    post(head, f"/forms/{record}/decide", {"action": "permit"}, page_url=f"/forms/{record}")
    stored = web.store.record(record)
    assert stored is not None and stored.status == "authorised"
    assert stored.data["principal_name"] == "Hana Head"


def test_staff_cannot_authorise_their_own(web: WebSchool, client_for: Any) -> None:
    staff = client_for("staff")
    record = submitted_ra(staff)
    response = post(staff, f"/forms/{record}/decide", {"action": "authorise"},
                    page_url=f"/forms/{record}")
    assert response.status_code == 403
    stored = web.store.record(record)
    assert stored is not None and stored.status == "submitted"
    assert "authorised_by" not in stored.data


def test_under_westside_the_headteacher_authorises(tmp_path: Any) -> None:
    from starlette.testclient import TestClient

    from tests.web.conftest import make_school, sign_in

    web = make_school(tmp_path, policy="westside")
    clients = {key: TestClient(web.app, base_url="http://127.0.0.1")
               for key in ("staff", "dsl", "head")}
    for key, client in clients.items():
        sign_in(client, web[key])
    record = submitted_ra(clients["staff"], **{"staff.1.violence_training": "yes",
                                               "staff.1.home_visit_trained": "yes"})
    page = clients["dsl"].get(f"/forms/{record}")
    assert page.status_code == 200 and "Authorise this visit" not in page.text
    refused = post(clients["dsl"], f"/forms/{record}/decide", {"action": "authorise"},
                   page_url=f"/forms/{record}")
    assert refused.status_code in (403, 404)  # not theirs to decide
    post(clients["head"], f"/forms/{record}/decide", {"action": "authorise"},
         page_url=f"/forms/{record}")
    stored = web.store.record(record)
    assert stored is not None and stored.status == "authorised"
    assert stored.data["authoriser_role"] == "headteacher"
    assert stored.data["authorised_by"] == "Hana Head"
    for client in clients.values():
        client.close()


def test_a_new_form_is_not_a_page_of_red(web: WebSchool, client_for: Any) -> None:
    """Blank answers are counted, and shown beside their fields once a submission is tried."""
    staff = client_for("staff")
    record = new_form(staff)
    page = staff.get(f"/forms/{record}")
    assert "Required: fill in" not in page.text
    missing = int(page.text.split('data-count="missing">')[1].split("<")[0])
    assert missing >= 5
    tried = post(staff, f"/forms/{record}", {"action": "submit"})
    assert tried.status_code == 400
    assert "Required: fill in &#39;Name of pupil&#39;" in tried.text
    assert 'name="_tried" value="1"' in tried.text  # the page's script keeps showing them
    stored = web.store.record(record)
    assert stored is not None
    result = staff.post(f"/forms/{record}/draft", data={**stored.data, "_tried": "1"},
                        headers={"X-CSRF-Token": csrf_of(tried.text)}).json()
    shown = int(tried.text.split('data-count="missing">')[1].split("<")[0])
    assert result["missing"] == shown and "pupil_name" in result["fields"]


def test_long_free_text_and_empty_optional_fields(web: WebSchool, client_for: Any) -> None:
    staff, dsl = client_for("staff"), client_for("dsl")
    long_text = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100)[:5000]
    record = submitted_ra(staff, why_required=long_text, known_risks="", mitigation="")
    page = dsl.get(f"/forms/{record}")
    assert long_text in page.text  # the whole answer, as the printed document shows it
    docx = dsl.get(f"/forms/{record}/download/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    too_big = staff.post(f"/forms/{record}", content=b"x" * (5 * 1024 * 1024),
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert too_big.status_code == 413
