"""Security of the web app: headers on every response, CSRF on every form post, the role
checked on the server for every page, staff confined to their own forms, sessions and cookies,
no personal data in URLs or the server's log, and serving beyond this machine only over
HTTPS."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route

from docgen.web.server import Listen, RouteLog, ServeProblem, check_listen
from tests.web.conftest import WebSchool, csrf_of, ra_answers


def routes(web: WebSchool, method: str) -> list[str]:
    return [r.path for r in web.app.routes if isinstance(r, Route) and method in (r.methods or ())]


def fill(path: str, record: str) -> str:
    return (path.replace("{record_id}", record).replace("{kind}", "risk-assessment")
            .replace("{fmt}", "pdf").replace("{job_id}", "nojob").replace("{name}", "print-forms")
            .replace("{token}", "notatoken"))


def test_every_page_has_the_secure_headers(web: WebSchool, client_for: Any) -> None:
    client = client_for("staff")
    for path in ("/login", "/visits", "/no-such-page", "/static/app.css"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        if not path.startswith("/static/"):
            assert response.headers["cache-control"].startswith("no-store")


def test_pages_hold_no_inline_script_or_style(web: WebSchool, client_for: Any) -> None:
    client = client_for("dsl")
    record = web.store.add_record("risk-assessment", web["dsl"].user.id, ra_answers())
    for path in ("/login", "/visits", f"/forms/{record.id}", "/review", "/board", "/access-log",
                 "/jobs"):
        html = client.get(path).text
        assert "<script>" not in html and " style=" not in html and "<style" not in html
        assert " on" not in html.replace(" one", "").split("<body")[1].split(">")[0]


def test_the_session_cookie_is_httponly_and_samesite(web: WebSchool, client_for: Any) -> None:
    client = client_for()
    page = client.get("/login")
    response = client.post("/login", data={"username": web["staff"].username,
                                           "password": web["staff"].password,
                                           "csrf": csrf_of(page.text)}, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie


def test_https_cookies_are_secure_and_host_only(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from tests.web.conftest import make_school

    web = make_school(tmp_path)
    web.app.state.web.cookies.__init__(secure=True)
    client = TestClient(web.app, base_url="https://127.0.0.1")
    page = client.get("/login")
    response = client.post("/login", data={"username": web["staff"].username,
                                           "password": web["staff"].password,
                                           "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert response.headers["set-cookie"].startswith("__Host-docgen=")
    assert "Secure" in response.headers["set-cookie"]


def test_every_form_post_without_its_csrf_token_is_refused(web: WebSchool,
                                                           client_for: Any) -> None:
    client = client_for("dsl")
    record = web.store.add_record("risk-assessment", web["dsl"].user.id, {"pupil_name": "Kept"})
    posts = routes(web, "POST")
    assert len(posts) >= 10
    setup = web.store.add_setup_link(web["staff2"].user.id, dt.timedelta(hours=1))
    for path in posts:
        url = fill(path, record.id).replace("notatoken", setup)
        for token in ({}, {"csrf": "0" * 64}):
            response = client.post(url, data={"pupil_name": "Forged", "action": "save",
                                              **token})
            assert response.status_code == 403, url
    stored = web.store.record(record.id)
    assert stored is not None and stored.data == {"pupil_name": "Kept"}
    assert web.store.setup_user(setup) is not None  # the set-up link was not used
    # the token of another visitor's cookie does not do either
    other = client_for("staff2")
    stolen = csrf_of(other.get("/visits").text)
    response = client.post(f"/forms/{record.id}", data={"pupil_name": "Forged",
                                                        "csrf": stolen})
    assert response.status_code == 403


# what each role may open (200); anything else is refused (403), or not found (404) for a
# record that is not theirs
ALLOWED = {
    "staff": {"/visits"},
    "office": {"/board", "/board/live", "/jobs", "/board/sheet"},
    "dsl": {"/visits", "/review", "/review/live", "/access-log", "/board", "/board/live",
            "/jobs", "/board/sheet"},
    "head": {"/visits", "/review", "/review/live", "/access-log", "/board", "/board/live",
             "/jobs", "/board/sheet"},
    "admin": {"/users"},
}
PAGES = ["/visits", "/review", "/review/live", "/access-log", "/board", "/board/live", "/jobs",
         "/users", "/board/sheet"]


@pytest.mark.parametrize("role", list(ALLOWED))
def test_every_page_checks_the_role_on_the_server(web: WebSchool, client_for: Any,
                                                  role: str) -> None:
    client = client_for(role)
    for path in PAGES:
        response = client.get(path)
        expected = 200 if path in ALLOWED[role] else 403
        assert response.status_code == expected, (role, path)


def test_signed_out_visitors_reach_nothing(web: WebSchool, client_for: Any) -> None:
    client = client_for()
    record = web.store.add_record("risk-assessment", web["staff"].user.id,
                                  {"pupil_name": "Secret Pupil"})
    for path in routes(web, "GET"):
        if path in ("/login", "/setup/{token}"):
            continue
        response = client.get(fill(path, record.id), follow_redirects=False)
        assert response.status_code in (303, 401), path
        assert "Secret Pupil" not in response.text


def test_staff_reach_only_their_own_forms(web: WebSchool, client_for: Any) -> None:
    mine = web.store.add_record("risk-assessment", web["staff"].user.id,
                                ra_answers(pupil_name="Secret Pupil"))
    other = client_for("staff2")
    for path in ("/forms/{record_id}", "/forms/{record_id}/download/pdf",
                 "/forms/{record_id}/download/docx"):
        response = other.get(fill(path, mine.id))
        assert response.status_code == 404 and "Secret Pupil" not in response.text
    token = csrf_of(other.get("/visits").text)
    for path in ("/forms/{record_id}", "/forms/{record_id}/draft", "/forms/{record_id}/report",
                 "/forms/{record_id}/decide", "/board/{record_id}/call"):
        response = other.post(fill(path, mine.id), data={"csrf": token, "pupil_name": "X"})
        assert response.status_code in (403, 404), path
    assert "Secret Pupil" not in other.get("/visits").text
    # the DSL reads it once submitted, never a draft
    dsl = client_for("dsl")
    assert dsl.get(f"/forms/{mine.id}").status_code == 404
    web.store.save_record(mine.id, mine.data, visit_date=None, welfare=False,
                          status="submitted")
    assert "Secret Pupil" in dsl.get(f"/forms/{mine.id}").text


def test_urls_and_the_log_carry_no_personal_data(web: WebSchool, client_for: Any,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    from starlette.testclient import TestClient

    app = RouteLog(web.app, logging.getLogger("docgen.web.requests"))
    client = TestClient(app, base_url="http://127.0.0.1")  # type: ignore[arg-type]
    from tests.web.conftest import sign_in

    sign_in(client, web["staff"])
    page = client.get("/visits")
    created = client.post("/forms/new/risk-assessment", data={"csrf": csrf_of(page.text)})
    record = str(created.url).rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO, logger="docgen.web.requests"):
        client.post(f"/forms/{record}", data={**ra_answers(pupil_name="Zelda Quist"),
                                               "csrf": csrf_of(created.text)})
        client.get(f"/forms/{record}")
    text = caplog.text
    assert "/forms/{record_id}" in text
    assert record not in text and "Zelda" not in text
    assert "Zelda" not in str(created.url)


@pytest.mark.parametrize(("listen", "ok"), [
    (Listen("127.0.0.1", 8000), True),
    (Listen("localhost", 8000), True),
    (Listen("0.0.0.0", 8443), False),
    (Listen("0.0.0.0", 8443, behind_proxy=True), True),
])
def test_beyond_this_machine_only_over_https(listen: Listen, ok: bool) -> None:
    if ok:
        check_listen(listen)
    else:
        with pytest.raises(ServeProblem, match="unencrypted"):
            check_listen(listen)


def test_a_certificate_needs_its_key(tmp_path: Path) -> None:
    cert = tmp_path / "school.pem"
    cert.write_text("x")
    with pytest.raises(ServeProblem, match="both --cert and --key"):
        check_listen(Listen("0.0.0.0", 8443, cert=cert))
    with pytest.raises(ServeProblem, match="no such file"):
        check_listen(Listen("0.0.0.0", 8443, cert=cert, key=tmp_path / "missing.key"))


def test_no_form_sends_its_answers_in_a_url() -> None:
    """A GET form would put what is typed (a pupil's name) in the URL, the browser's history
    and the server's log: every form posts."""
    from docgen.web.app import HERE

    for template in (HERE / "templates").glob("*.html"):
        text = template.read_text("utf-8")
        assert 'method="get"' not in text.lower(), template.name
        assert text.count("<form") == text.count('method="post"'), template.name
