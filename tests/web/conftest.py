"""A school on the web for tests: a records database and register in the test's folder, a
clock the test moves, and one signed-up account per role (passwords and TOTP secrets known)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from docgen.batch import resolve_school
from docgen.web import RecordStore, WebSettings, add_user, create_app
from docgen.web.auth import hash_password, needs_second_factor
from docgen.web.store import User

PASSWORD = "correct horse battery staple"
_HASHED: list[str] = []


def password_hash() -> str:
    """The accounts' password hash, made once (Argon2 is slow on purpose)."""
    if not _HASHED:
        _HASHED.append(hash_password(PASSWORD))
    return _HASHED[0]
DAY = dt.date(2026, 11, 23)  # a Monday in term


class Clock:
    """The server's idea of now (local time); tests move it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Account:
    user: User
    password: str
    secret: str | None

    @property
    def username(self) -> str:
        return self.user.username

    def code(self, offset: int = 0) -> str:
        assert self.secret is not None
        when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30 * offset)
        return pyotp.TOTP(self.secret).at(when)


@dataclass
class WebSchool:
    folder: Path
    store: RecordStore
    clock: Clock
    app: Starlette
    settings: WebSettings
    accounts: dict[str, Account] = field(default_factory=dict)

    def add(self, key: str, name: str, role: str) -> Account:
        user, _ = add_user(self.store, name, role)
        secret = pyotp.random_base32() if needs_second_factor(role) else None
        self.store.update_user(user.id, password=password_hash(), totp_secret=secret)
        fresh = self.store.user(user.id)
        assert fresh is not None
        self.accounts[key] = Account(fresh, PASSWORD, secret)
        return self.accounts[key]

    def __getitem__(self, key: str) -> Account:
        return self.accounts[key]


def make_school(folder: Path, policy: str = "att", live_seconds: float = 15.0,
                school_file: Path | None = None) -> WebSchool:
    school = resolve_school(school_file, policy, search=False)
    store = RecordStore.open(folder / "docgen-records.sqlite")
    clock = Clock(dt.datetime.combine(DAY, dt.time(9, 0)))
    settings = WebSettings(school=school, store=store,
                           register_path=folder / "docgen-register.sqlite",
                           output=folder / "web-output", clock=clock, live_seconds=live_seconds)
    web = WebSchool(folder, store, clock, create_app(settings), settings)
    web.add("staff", "Sam Staff", "staff")
    web.add("staff2", "Tia Other", "staff")
    web.add("office", "Olu Office", "office")
    web.add("dsl", "Priya Shah", "dsl")
    web.add("head", "Hana Head", "headteacher")
    web.add("admin", "Ade Admin", "admin")
    return web


@pytest.fixture
def web(tmp_path: Path) -> WebSchool:
    return make_school(tmp_path)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, account: Account) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"username": account.username,
                                           "password": account.password,
                                           "csrf": csrf_of(page.text)})
    assert response.status_code == 200, response.text[:500]
    if account.secret:
        assert "/login/code" in str(response.url)
        response = client.post("/login/code", data={"code": account.code(),
                                                     "csrf": csrf_of(response.text)})
        assert response.status_code == 200


@pytest.fixture
def client_for(web: WebSchool) -> Iterator[object]:
    """client_for("staff") -> a TestClient signed in as that account."""
    clients: list[TestClient] = []

    def make(key: str | None = None) -> TestClient:
        client = TestClient(web.app, base_url="http://127.0.0.1")
        clients.append(client)
        if key is not None:
            sign_in(client, web[key])
        return client

    yield make
    for client in clients:
        client.close()


def ra_answers(**changes: str) -> dict[str, str]:
    """A risk assessment's answers as the web page posts them, for a visit on DAY."""
    answers = {
        "academy": "Test Academy",
        "pupil_name": "Jane Smith",
        "pupil_class": "8A",
        "address": "1 High Street\nTown TN1 1AA",
        "visit_date": DAY.strftime("%d/%m/%Y"),
        "reason.concerns_from_academy": "yes",
        "purpose": "attendance",
        "other_contact_exhausted": "yes",
        "parents_informed": "yes",
        "staff.0.name": "Sam Staff",
        "staff.0.mobile": "07700 900001",
        "staff.0.dbs_checked": "yes",
        "staff.0.home_visit_trained": "yes",
        "staff.0.violence_training": "yes",
        "staff.1.name": "Bo Brown",
        "staff.1.mobile": "07700 900002",
        "staff.1.dbs_checked": "yes",
        "staff.1.violence_training": "yes",
        "why_required": "Attendance has fallen.",
        "overall_risk": "low",
        "assessed_by": "Sam Staff",
        "assessor_is_slt": "yes",
        "planned_start": "10:00",
        "expected_return": "11:00",
        "code_word_agreed": "yes",
        "travel_mode": "vehicle",
        "vehicle.make": "Ford",
        "vehicle.model": "Focus",
        "vehicle.registration": "AB12 CDE",
        "vehicle.colour": "Blue",
        "vehicle.school_approved": "yes",
    }
    answers.update(changes)
    return answers
