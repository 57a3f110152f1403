"""The letters and the CPOMS export run from the browser's Jobs page: the same producers as the
command line, on the forms filed in the browser; their files come as one zip; a rerun sends
nothing twice; a template problem stops the job and is named; roles decide who sees them."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from starlette.testclient import TestClient

from docgen.register import Register
from docgen.register.exports import ExportLog
from tests.web.conftest import DAY, WebSchool, csrf_of, make_school, sign_in
from tests.web.test_flow import HOSTILE, post, submitted_ra


def authorised_ra(staff: Any, dsl: Any, **changes: str) -> str:
    record = submitted_ra(staff, **changes)
    response = post(dsl, f"/forms/{record}/decide", {"action": "authorise"},
                    page_url=f"/forms/{record}")
    assert response.status_code == 200
    return record


def filed_report(web: WebSchool, staff: Any, ra: str) -> str:
    response = post(staff, f"/forms/{ra}/report", {}, page_url="/visits")
    report = str(response.url).rsplit("/", 1)[1]
    stored = web.store.record(report)
    assert stored is not None
    answers = dict(stored.data, reason="Attendance.", dsl_consulted="yes", anyone_home="yes",
                   other_methods_exhausted="yes", date_of_birth="01/05/2013",
                   welfare_concerns="no", who_was_home="Mother", entered_property="yes",
                   adult_present="yes", arrival_time="10:00", leaving_time="10:30",
                   discussed="Attendance and the bus to school.",
                   visit_date=DAY.strftime("%d/%m/%Y"), action="submit")
    response = post(staff, f"/forms/{report}", answers)
    assert response.status_code == 200, response.text[:2000]
    return report


def run_job(client: Any, name: str) -> tuple[str, str]:
    """Start job ``name``; wait for it; return its id and its finished status part."""
    page = client.get("/jobs")
    assert f"/jobs/run/{name}" in page.text
    response = client.post(f"/jobs/run/{name}", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 200
    job_id = str(response.url).rsplit("/", 1)[1]
    deadline = time.monotonic() + 180
    while True:
        live = client.get(f"/jobs/{job_id}/live").text
        if 'data-state="running"' not in live:
            return job_id, live
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.2)


def zip_of(client: Any, job_id: str) -> zipfile.ZipFile:
    response = client.get(f"/jobs/{job_id}/download")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_letters_from_the_browser(web: WebSchool, client_for: Any) -> None:
    staff, dsl = client_for("staff"), client_for("dsl")
    authorised_ra(staff, dsl, pupil_name=HOSTILE)
    job_id, live = run_job(dsl, "letters")
    assert 'data-state="done"' in live, live
    assert "Letters: 1 visit-appointment." in live
    archive = zip_of(dsl, job_id)
    names = archive.namelist()
    assert "letters.pdf" in names and "manifest.csv" in names
    letter = [n for n in names if "visit-appointment" in n and n.endswith(".pdf")]
    assert len(letter) == 1 and any(n.endswith(".docx") for n in names)
    text = pdf_text(archive.read(letter[0]))
    assert "Private and confidential" in text and HOSTILE in text
    assert "23 November 2026" in text
    # run again: the same letter is not made twice
    job_id, live = run_job(dsl, "letters")
    assert 'data-state="done"' in live, live
    with Register.open(web.settings.register_path or "") as register:
        rows = register.db.execute("SELECT letter FROM letters").fetchall()
    assert [r[0] for r in rows] == ["visit-appointment"]


def test_the_missed_you_letters_are_for_todays_visits(web: WebSchool,
                                                     client_for: Any) -> None:
    staff, dsl = client_for("staff"), client_for("dsl")
    authorised_ra(staff, dsl, pupil_name="Aaron Able")
    job_id, live = run_job(dsl, "missed-you")
    assert 'data-state="done"' in live, live
    names = zip_of(dsl, job_id).namelist()
    assert any("missed-you" in n for n in names), names
    assert not any("visit-appointment" in n for n in names)


def test_a_broken_letter_template_stops_the_job_and_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "ours" / "letters" / "wording"
    folder.mkdir(parents=True)
    (folder / "visit-appointment.html").write_text("<p>{{ pupil_nmae }}</p>", "utf-8")
    school_file = tmp_path / "school.toml"
    school_file.write_text('[school]\nname = "Test Academy"\n[documents]\n'
                           'templates = "ours"\n', "utf-8")
    web = make_school(tmp_path, school_file=school_file)
    clients: list[TestClient] = []

    def client_for(key: str) -> TestClient:
        client = TestClient(web.app, base_url="http://127.0.0.1")
        clients.append(client)
        sign_in(client, web[key])
        return client

    try:
        dsl = client_for("dsl")
        authorised_ra(client_for("staff"), dsl)
        _, live = run_job(dsl, "letters")
    finally:
        for client in clients:
            client.close()
    assert 'data-state="failed"' in live
    assert "Nothing was made" in live and "{{ pupil_nmae }}" in live


def test_the_export_from_the_browser_sends_each_visit_once(web: WebSchool,
                                                          client_for: Any) -> None:
    staff, dsl = client_for("staff"), client_for("dsl")
    ra = authorised_ra(staff, dsl, pupil_name=HOSTILE)
    filed_report(web, staff, ra)
    job_id, live = run_job(dsl, "export")
    assert 'data-state="done"' in live, live
    archive = zip_of(dsl, job_id)
    names = archive.namelist()
    [table] = [n for n in names if n.startswith("export-") and n.endswith(".csv")]
    assert any(n.startswith("export-") and n.endswith(".zip") for n in names)
    rows = list(csv.DictReader(io.StringIO(archive.read(table).decode("utf-8-sig"))))
    assert len(rows) == 1
    assert HOSTILE in " ".join(rows[0].values())
    # again: nothing is sent twice
    job_id, live = run_job(dsl, "export")
    assert 'data-state="done"' in live, live
    assert "not exported again" in live
    with Register.open(web.settings.register_path or "") as register:
        exports = ExportLog(register).exports(limit=10, with_records=True)
    assert sum(len(e.records) for e in exports) == 1


def test_only_the_dsl_and_headteacher_run_letters_and_exports(web: WebSchool,
                                                            client_for: Any) -> None:
    for role in ("office", "staff"):
        client = client_for(role)
        page = client.get("/jobs")
        assert "/jobs/run/letters" not in page.text and "/jobs/run/export" not in page.text
        token = csrf_of(client.get("/visits" if role == "staff" else "/board").text)
        for name in ("letters", "export", "missed-you"):
            assert client.post(f"/jobs/run/{name}", data={"csrf": token}).status_code == 403
    head = client_for("head")
    page = head.get("/jobs")
    assert "/jobs/run/letters" in page.text and "/jobs/run/export" in page.text
