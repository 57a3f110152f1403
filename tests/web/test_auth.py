"""Accounts: Argon2 hashes, the second factor, lock-out after wrong passwords, a limit per
client, one-time set-up links."""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path
from typing import Any

import pyotp
import pytest

from docgen.web import auth
from docgen.web.store import RecordStore
from tests.web.conftest import PASSWORD, WebSchool, csrf_of, sign_in


def test_passwords_are_kept_as_argon2_hashes(web: WebSchool) -> None:
    user = web.store.user(web["staff"].user.id)
    assert user is not None and user.password is not None
    assert user.password.startswith("$argon2id$") and PASSWORD not in user.password


def test_the_records_database_is_readable_by_its_owner_only(web: WebSchool) -> None:
    for path in web.folder.glob("docgen-records.sqlite*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_database_from_a_newer_docgen_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "records.sqlite"
    RecordStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    from docgen.web.store import StoreError

    with pytest.raises(StoreError, match="newer docgen"):
        RecordStore.open(path)


def test_dsl_headteacher_and_admin_need_the_second_factor(web: WebSchool,
                                                          client_for: Any) -> None:
    client = client_for()
    page = client.get("/login")
    response = client.post("/login", data={"username": web["dsl"].username,
                                           "password": PASSWORD, "csrf": csrf_of(page.text)})
    assert str(response.url).endswith("/login/code")
    assert client.get("/review", follow_redirects=False).status_code == 303  # not yet in
    wrong = client.post("/login/code", data={"code": "000000", "csrf": csrf_of(response.text)})
    assert wrong.status_code == 400 and "not right" in wrong.text
    code = web["dsl"].code()
    ok = client.post("/login/code", data={"code": code, "csrf": csrf_of(wrong.text)})
    assert ok.status_code == 200 and "Review" in ok.text
    assert client.get("/review").status_code == 200
    # the same code cannot be used again (replay)
    other = client_for()
    page = other.get("/login")
    response = other.post("/login", data={"username": web["dsl"].username,
                                          "password": PASSWORD, "csrf": csrf_of(page.text)})
    again = other.post("/login/code", data={"code": code, "csrf": csrf_of(response.text)})
    assert again.status_code == 400
    assert {"staff", "office"}.isdisjoint(auth.SECOND_FACTOR_ROLES)


def test_repeated_wrong_passwords_lock_the_account(web: WebSchool, client_for: Any) -> None:
    client = client_for()
    for _ in range(auth.LOCK_AFTER):
        page = client.get("/login")
        response = client.post("/login", data={"username": web["staff"].username,
                                               "password": "wrong password",
                                               "csrf": csrf_of(page.text)})
        assert response.status_code == 400
        assert "do not match an account" in response.text
    page = client.get("/login")
    response = client.post("/login", data={"username": web["staff"].username,
                                           "password": PASSWORD, "csrf": csrf_of(page.text)})
    assert response.status_code == 400 and "locked for 15 minutes" in response.text
    # the administrator unlocks it
    user = web.store.user(web["staff"].user.id)
    assert user is not None and user.locked_until
    web.store.update_user(user.id, failures=0, locked_until=None)
    sign_in(client, web["staff"])


def test_one_client_trying_many_usernames_is_stopped(web: WebSchool, client_for: Any) -> None:
    client = client_for()
    for n in range(auth.CLIENT_LIMIT - 1):  # as if guessed (an Argon2 check each is slow)
        web.store.add_sign_in("testclient", f"nobody{n}", ok=False)
    page = client.get("/login")
    client.post("/login", data={"username": "nobody", "password": "guess",
                                "csrf": csrf_of(page.text)})
    page = client.get("/login")
    response = client.post("/login", data={"username": web["office"].username,
                                           "password": PASSWORD, "csrf": csrf_of(page.text)})
    assert response.status_code == 400 and "Too many failed sign-ins" in response.text


def test_unknown_usernames_get_the_same_answer(web: WebSchool, client_for: Any) -> None:
    client = client_for()
    page = client.get("/login")
    unknown = client.post("/login", data={"username": "nobody", "password": "x",
                                          "csrf": csrf_of(page.text)})
    page = client.get("/login")
    known = client.post("/login", data={"username": web["staff"].username, "password": "x",
                                        "csrf": csrf_of(page.text)})
    assert re.sub(r'value="[^"]*"', "", unknown.text) == re.sub(r'value="[^"]*"', "",
                                                                 known.text)


def test_a_set_up_link_works_once(web: WebSchool, client_for: Any) -> None:
    user, token = __import__("docgen.web", fromlist=["add_user"]).add_user(
        web.store, "Siobhán O'Brien-Smith", "dsl")
    assert user.username == "siobhan.obrien.smith"
    client = client_for()
    page = client.get(f"/setup/{token}")
    assert page.status_code == 200 and "siobhan.obrien.smith" in page.text
    assert 'src="data:image/svg+xml' in page.text  # the QR code for the authenticator app
    secret = page.text.split('id="totp-key">')[1].split("<")[0].replace(" ", "")
    weak = client.post(f"/setup/{token}", data={"password": "short", "password2": "short",
                                                "code": "", "csrf": csrf_of(page.text)})
    assert weak.status_code == 400 and "at least 12 characters" in weak.text
    secret = weak.text.split('id="totp-key">')[1].split("<")[0].replace(" ", "")
    good = "paper lantern orchard quietly"
    done = client.post(f"/setup/{token}", data={
        "password": good, "password2": good, "code": pyotp.TOTP(secret).now(),
        "csrf": csrf_of(weak.text)})
    assert done.status_code == 200 and "Your account is ready" in done.text
    assert client.get(f"/setup/{token}").status_code == 404  # used
    stored = web.store.user(user.id)
    assert stored is not None and stored.totp_secret == secret


def test_an_expired_set_up_link_is_refused(web: WebSchool, client_for: Any) -> None:
    token = web.store.add_setup_link(web["staff"].user.id, dt.timedelta(seconds=-1))
    assert client_for().get(f"/setup/{token}").status_code == 404


def test_usernames_are_plain_and_unique() -> None:
    assert auth.username_for("Priya Shah", set()) == "priya.shah"
    assert auth.username_for("Priya Shah", {"priya.shah"}) == "priya.shah2"
    assert auth.username_for("<script>", set()) == "script"


def test_totp_accepts_a_phone_clock_a_little_out() -> None:
    secret = pyotp.random_base32()
    now = dt.datetime.now(dt.UTC)
    earlier = pyotp.TOTP(secret).at(now - dt.timedelta(seconds=30))
    assert auth.totp_step(secret, earlier, now) is not None
    older = pyotp.TOTP(secret).at(now - dt.timedelta(seconds=120))
    assert auth.totp_step(secret, older, now) is None
