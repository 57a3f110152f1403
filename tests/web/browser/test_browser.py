"""docgen in a real browser (Debian's Chromium, headless): the whole flow as people do it, on a
phone and a desktop, with every page checked by axe-core and photographed."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.web.browser.conftest import DESKTOP, PHONE, LiveServer
from tests.web.conftest import DAY, Account, ra_answers

HOSTILE = "Siobhán O'Brien-Smith & <Co>"
SCRIPT = "<script>window.hacked = 1</script> and <b>bold</b>"
_axe = Axe()


class Person:
    """One person at their own browser window."""

    def __init__(self, browser: Any, live: LiveServer, shots: Path | None, who: str,
                 device: dict[str, Any]) -> None:
        self.context = browser.new_context(base_url=live.url, **device)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.live = live
        self.shots = shots
        self.who = who
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and "DISCONNECTED" not in m.text
                     and self.errors.append(m.text))
        # what answered 4xx/5xx: the console's "Failed to load resource" does not say which
        self.failed: list[str] = []
        self.page.on("response", lambda r: r.status >= 400
                     and self.failed.append(f"{r.status} {r.request.method} {r.url}"))

    def sign_in(self, account: Account) -> None:
        page = self.page
        page.goto("/login")
        self.look("sign-in", axe=account.user.role == "staff")
        page.get_by_label("Username").fill(account.username)
        page.get_by_label("Password").fill(account.password)
        page.get_by_role("button", name="Sign in").click()
        if account.secret:
            page.wait_for_url("**/login/code")
            self.look("second-factor")
            page.get_by_label("Six-digit code").fill(account.code())
            page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()

    def look(self, name: str, *, axe: bool = True) -> None:
        """Check the page with axe-core (no serious or critical problem) and, when
        $DOCGEN_SCREENSHOTS names a folder, photograph the whole page to look at. ``axe``
        False: a page already checked in another state (axe takes a second a page)."""
        page = self.page
        if self.shots is not None:
            page.screenshot(path=str(self.shots / f"{self.who}-{name}.png"), full_page=True)
        if not axe:
            return
        results = _axe.run(page)
        bad = [v for v in results.response["violations"]
               if v.get("impact") in ("serious", "critical")]
        assert not bad, f"{name}: " + "; ".join(
            f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
            for v in bad)

    def close(self) -> None:
        assert not self.dialogs, f"a script ran: {self.dialogs}"
        self.context.close()


def fill_risk_assessment(page: Any) -> None:
    page.fill("[name='pupil_name']", HOSTILE)
    page.fill("[name='pupil_class']", "8A")
    page.fill("[name='address']", "1 High Street\nTown TN1 1AA")
    page.fill("[name='visit_date']", DAY.strftime("%d/%m/%Y"))
    page.check("[name='reason.concerns_from_academy']")
    page.select_option("[name='purpose']", "attendance")
    page.check("[name='other_contact_exhausted'][value='yes']")
    page.check("[name='parents_informed'][value='yes']")
    page.fill("[name='staff.0.mobile']", "07700 900001")
    page.check("[name='staff.0.dbs_checked'][value='yes']")
    page.fill("[name='staff.1.name']", "Bo Brown")
    page.fill("[name='staff.1.mobile']", "07700 900002")
    page.check("[name='staff.1.dbs_checked'][value='yes']")
    page.fill("[name='why_required']", SCRIPT)
    page.select_option("[name='overall_risk']", "low")
    page.fill("[name='planned_start']", "10:00")
    page.fill("[name='expected_return']", "11:00")
    page.check("[name='code_word_agreed'][value='yes']")


def test_the_whole_flow(browser: Any, live: LiveServer, shots: Path | None) -> None:
    web = live.web
    staff = Person(browser, live, shots, "staff-phone", PHONE)
    staff.sign_in(web["staff"])
    staff.look("my-visits-empty")
    page = staff.page
    page.get_by_role("button", name="New risk assessment").click()
    page.wait_for_url("**/forms/*")
    record = page.url.rsplit("/", 1)[1]
    staff.look("risk-assessment-new", axe=False)
    # a field error shows beside the field as they type, from docgen's own checks
    page.fill("[name='staff.0.mobile']", "12")
    page.locator("[data-issues='staff.0.mobile'] .issue.error").wait_for()
    assert "does not look like a UK number" in page.inner_text("[data-issues='staff.0.mobile']")
    fill_risk_assessment(page)
    page.locator("#save-state.saved").wait_for()
    # the connection drops: what is typed is kept and saved when it is back
    staff.context.set_offline(True)
    page.fill("[name='known_risks']", "A large dog; typed while offline")
    page.locator("#save-state.offline").wait_for()
    staff.look("risk-assessment-offline", axe=False)
    staff.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#save-state.saved").wait_for()
    stored = web.store.record(record)
    assert stored is not None and stored.data["known_risks"] == "A large dog; typed while offline"
    page.fill("[name='mitigation']", "Dog kept in another room.")
    page.locator("#save-state.saved").wait_for()
    staff.look("risk-assessment-filled")
    page.get_by_role("button", name="Submit for authorisation").click()
    page.get_by_text("Waiting for authorisation").first.wait_for()
    staff.look("risk-assessment-submitted")
    # the hostile text is shown literally and no script ran
    assert HOSTILE in page.inner_text("main")
    assert SCRIPT in page.inner_text("main")
    assert page.evaluate("window.hacked") is None

    # the DSL signs in with the second factor, reads it and authorises it
    dsl = Person(browser, live, shots, "dsl-desktop", DESKTOP)
    dsl.sign_in(web["dsl"])
    dsl.look("review")
    dsl.page.get_by_role("link", name=re.compile("Siobhán")).first.click()
    dsl.look("risk-assessment-to-authorise")
    dsl.page.get_by_role("button", name="Authorise this visit").click()
    dsl.page.get_by_text("Authorised", exact=True).first.wait_for()
    assert "Priya Shah" in dsl.page.inner_text(".document")
    dsl.look("risk-assessment-authorised", axe=False)
    stored = web.store.record(record)
    assert stored is not None and stored.status == "authorised"

    # the office watches the board; time passes, the first call is missed and turns red
    office = Person(browser, live, shots, "office-desktop", DESKTOP)
    office.sign_in(web["office"])
    office.page.wait_for_url("**/board")
    assert office.page.locator(".board-visit.overdue").count() == 0
    office.look("board", axe=False)
    web.clock.now = dt.datetime.combine(DAY, dt.time(10, 20))
    office.page.locator(".board-visit.overdue").wait_for()
    # red, whatever refresh of the board is on screen (expect retries until it holds)
    expect(office.page.locator(".call-overdue").first).to_have_css("background-color",
                                                                    "rgb(176, 0, 32)")
    advice = office.page.inner_text(".overdue-alert")
    assert "Call Sam Staff on 07700 900001" in advice and "police (999)" in advice
    office.look("board-overdue")
    office.page.locator(".call-overdue").first.get_by_role("button").click()
    office.page.wait_for_load_state()
    assert office.page.locator(".board-visit.overdue").count() == 0
    assert "made 10:20 by Olu Office" in office.page.inner_text(".board")
    office_phone = Person(browser, live, shots, "office-phone", PHONE)
    office_phone.sign_in(web["office"])
    office_phone.look("board", axe=False)

    # staff file the report (a welfare concern): it is at the top of the DSL's list at once
    page.goto("/visits")
    staff.look("my-visits")
    page.get_by_role("button", name="File the visit report").first.click()
    page.wait_for_url("**/forms/*")
    report = page.url.rsplit("/", 1)[1]
    # the questions inside the home wait, folded, until someone is found at home
    who = page.locator("[data-applies='who_was_home']")
    expect(who).to_have_attribute("data-state", "skipped")
    assert not page.is_visible("[name='who_was_home']")
    staff.look("visit-report-new", axe=False)
    page.check("[name='anyone_home'][value='no']")
    expect(page.locator("[data-applies='letter_left']")).to_have_attribute("data-state", "shown")
    page.check("[name='letter_left'][value='no']")
    # someone answers the door after all: the questions open as they are answered, live
    page.check("[name='anyone_home'][value='yes']")
    expect(who).to_have_attribute("data-state", "shown")
    # the answer given while nobody was home is kept, and says why
    expect(page.locator("[data-applies='letter_left'] [data-kept]")).to_contain_text(
        "does not apply, as somebody was home")
    staff.look("visit-report-kept", axe=False)
    # cleared: it folds away once the staff member has moved on (never under their finger)
    page.locator("[data-applies='letter_left'] input[value='']").check()
    for name in ("dsl_consulted", "other_methods_exhausted", "entered_property",
                 "adult_present", "welfare_concerns", "concerns_reported_to_dsl",
                 "pupil_seen"):
        page.check(f"[name='{name}'][value='yes']")
    page.check("[name='immediate_danger'][value='no']")
    page.select_option("[name='pupil_spoken_to']", "alone")
    for name, value in (("reason", "Attendance has fallen."), ("date_of_birth", "01/05/2013"),
                        ("who_was_home", "Mother"), ("discussed", "Attendance."),
                        ("welfare_details", "A bruise on the arm."),
                        ("arrival_time", "10:00"), ("leaving_time", "10:30")):
        page.fill(f"[name='{name}']", value)
    page.locator("#save-state.saved").wait_for()
    expect(page.locator("[data-applies='letter_left']")).to_have_attribute("data-state",
                                                                           "skipped")
    staff.look("visit-report-filled")
    page.get_by_role("button", name="File the report").click()
    page.get_by_text("Filed", exact=True).first.wait_for()
    staff.look("visit-report-filed")
    dsl.page.goto("/review")
    first = dsl.page.locator(".list-item").first
    assert "Welfare concern" in first.inner_text()
    assert first.locator("a").get_attribute("href") == f"/forms/{report}"
    dsl.look("review-welfare")

    # the DSL downloads the PDF: the hostile name printed literally
    dsl.page.goto(f"/forms/{record}")
    with dsl.page.expect_download() as download:
        dsl.page.get_by_role("link", name="Download PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert HOSTILE in text and "Priya Shah" in text
    dsl.page.goto("/access-log")
    assert "download-pdf" in dsl.page.inner_text("table")
    dsl.look("access-log")
    for person in (staff, dsl, office, office_phone):
        assert not person.errors, (person.who, person.errors, person.failed)
        person.close()


def test_what_a_staff_member_cannot_reach(browser: Any, live: LiveServer,
                                         shots: Path | None) -> None:
    web = live.web
    owner = web.store.add_record("risk-assessment", web["staff"].user.id,
                                 {"pupil_name": "Secret Pupil"})
    other = Person(browser, live, shots, "other-staff", PHONE)
    other.sign_in(web["staff2"])
    response = other.page.goto(f"/forms/{owner.id}")
    assert response is not None and response.status == 404
    assert "Secret Pupil" not in other.page.content()
    other.look("not-yours")
    for url in ("/review", "/access-log", "/board", "/users", f"/forms/{owner.id}/download/pdf"):
        response = other.page.goto(url)
        assert response is not None and response.status in (403, 404), url
        assert "Secret Pupil" not in other.page.content()
    other.look("not-for-your-role")
    # a forged post (no CSRF token), with the staff member's own cookies: refused, nothing saved
    mine = web.store.add_record("risk-assessment", web["staff2"].user.id, {"pupil_name": "Mine"})
    forged = other.context.request.post(f"/forms/{mine.id}",
                                        form={"pupil_name": "Forged", "action": "save"})
    assert forged.status == 403
    forged = other.context.request.post(f"/forms/{mine.id}/draft", form={"pupil_name": "Forged"})
    assert forged.status == 403
    stored = web.store.record(mine.id)
    assert stored is not None and stored.data["pupil_name"] == "Mine"
    other.close()


def test_every_other_page_is_accessible(browser: Any, live: LiveServer, shots: Path | None) -> None:
    """The pages the flow does not reach: set-up, accounts, printing and its progress, a
    message page."""
    web = live.web
    admin = Person(browser, live, shots, "admin-desktop", DESKTOP)
    admin.sign_in(web["admin"])
    admin.look("accounts")
    admin.page.get_by_label("Full name").fill("Priya Shah")
    admin.page.get_by_label("Role").select_option("dsl")
    admin.page.get_by_role("button", name="Add and make a set-up link").click()
    link = admin.page.locator(".alert.info .mono").inner_text()
    admin.look("accounts-link")
    admin.close()
    newcomer = Person(browser, live, shots, "new-dsl-phone", PHONE)
    newcomer.page.goto(link)
    newcomer.look("setup")
    newcomer.page.goto("/setup/not-a-real-token")
    newcomer.look("setup-expired")
    newcomer.close()
    filed = web.store.add_record("risk-assessment", web["staff"].user.id,
                                 ra_answers(pupil_name=HOSTILE))
    web.store.save_record(filed.id, filed.data, visit_date=DAY.isoformat(), welfare=False,
                          status="submitted")
    head = Person(browser, live, shots, "head-desktop", DESKTOP)
    head.sign_in(web["head"])
    head.page.goto("/jobs")
    head.look("printing")
    head.page.get_by_role("button", name="Run Print every submitted form").click()
    head.page.get_by_text("Done:").wait_for()
    head.look("printing-done")
    assert "1 written" in head.page.inner_text(".job") or "2 written" in \
        head.page.inner_text(".job")
    with head.page.expect_download() as download:
        head.page.get_by_role("link", name="Download the files (zip)").click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert {Path(n).suffix for n in names} >= {".pdf", ".docx", ".csv"}
    head.page.goto("/access-log")
    assert "download-print-forms" in head.page.inner_text("table")
    head.page.goto("/visits")
    head.look("my-visits-head")
    head.page.get_by_role("button", name="New risk assessment").click()
    head.page.fill("[name='visit_date']", "31/02/2026")
    head.page.locator("[data-issues='visit_date'] .issue.error").wait_for()
    head.look("risk-assessment-desktop", axe=False)
    head.close()
