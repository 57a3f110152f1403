"""Accounts: roles, Argon2 passwords, the TOTP second factor, sign-in with rate limiting and
lock-out, one-time set-up links.

The DSL, the headteacher and the admin need a second factor (a six-digit code from an
authenticator app, as CPOMS requires). A username is locked for a while after repeated wrong
passwords, and a client making many failed attempts is slowed to a stop, whichever username it
tries. Messages never say whether a username exists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pyotp
from anyascii import anyascii
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from docgen.schemas.choices import AuthoriserRole
from docgen.web.store import RecordStore, User

ROLES = {
    "staff": "Staff",
    "office": "Office",
    "dsl": "Designated Safeguarding Lead",
    "headteacher": "Headteacher",
    "admin": "Administrator",
}
SECOND_FACTOR_ROLES = frozenset({"dsl", "headteacher", "admin"})
# The role on the form that a signed-in authoriser records.
AUTHORISER_ROLES = {"dsl": AuthoriserRole.DSL, "headteacher": AuthoriserRole.HEADTEACHER}
# Who reads every pupil's records (the safeguarding leads).
READERS = frozenset({"dsl", "headteacher"})

MIN_PASSWORD = 12
LOCK_AFTER = 5  # wrong passwords in a row lock the username ...
LOCK_FOR = dt.timedelta(minutes=15)  # ... for this long
CLIENT_WINDOW = dt.timedelta(minutes=15)
CLIENT_LIMIT = 20  # failed sign-ins from one client in the window before it must wait
SETUP_LIFETIME = dt.timedelta(days=3)
ISSUER = "docgen"

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("docgen: never a password")


class AuthError(Exception):
    """Why a sign-in or set-up step was refused, in words for the person."""


def needs_second_factor(role: str) -> bool:
    return role in SECOND_FACTOR_ROLES


def username_for(name: str, taken: set[str]) -> str:
    """A sign-in name from a person's name: ``Siobhán O'Brien`` -> ``siobhan.obrien``."""
    base = re.sub(r"[^a-z0-9]+", ".", anyascii(name).casefold().replace("'", "")).strip(".")
    base = base[:40] or "user"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problem(password: str, user: User) -> str | None:
    """What is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters (a few words together is easy to " \
               "remember)."
    folded = password.casefold()
    if user.username in folded or any(len(part) > 2 and part in folded
                                      for part in user.name.casefold().split()):
        return "Do not use your name in your password."
    if len(set(password)) < 5:
        return "That password is too easy to guess; use a few unrelated words."
    return None


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str, school: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username,
                                               issuer_name=f"{ISSUER} {school}"[:60])


def totp_step(secret: str, code: str, now: dt.datetime | None = None) -> int | None:
    """The time step a code is valid for (the current one, or one either side for a phone's
    clock a little out), or None."""
    code = re.sub(r"\s+", "", code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    moment = now or dt.datetime.now(dt.UTC)
    for offset in (0, -1, 1):
        when = moment + dt.timedelta(seconds=30 * offset)
        if totp.verify(code, for_time=when, valid_window=0):
            return int(when.timestamp()) // 30
    return None


@dataclass(frozen=True)
class SignIn:
    user: User
    verified: bool  # False: the second factor is still to come


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sign_in(store: RecordStore, username: str, password: str, client: str) -> SignIn:
    """Check a username and password; raises ``AuthError`` with what to tell the person."""
    now = _utc_now()
    if store.failed_sign_ins(client, now - CLIENT_WINDOW) >= CLIENT_LIMIT:
        raise AuthError("Too many failed sign-ins from this device. Wait 15 minutes and try "
                        "again, or ask the office.")
    key = username.strip().casefold()
    user = store.user_named(key)
    if user is not None and user.locked_until and user.locked_until > now.isoformat():
        store.add_sign_in(client, key, ok=False)
        raise AuthError("This account is locked for 15 minutes after repeated wrong "
                        "passwords. Try again later, or ask the administrator to unlock it.")
    if user is None or not user.active or user.password is None:
        _verify(_DUMMY_HASH, password)  # the same time whether or not the user exists
        store.add_sign_in(client, key, ok=False)
        raise AuthError("That username and password do not match an account.")
    if not _verify(user.password, password):
        failures = user.failures + 1
        locked = (now + LOCK_FOR).isoformat(timespec="seconds") if failures >= LOCK_AFTER \
            else None
        store.update_user(user.id, failures=0 if locked else failures, locked_until=locked)
        store.add_sign_in(client, key, ok=False)
        raise AuthError("That username and password do not match an account.")
    store.update_user(user.id, failures=0, locked_until=None)
    store.add_sign_in(client, key, ok=True)
    if _hasher.check_needs_rehash(user.password):
        store.update_user(user.id, password=hash_password(password))
    return SignIn(user, verified=not needs_second_factor(user.role))


def second_factor(store: RecordStore, user: User, code: str, client: str) -> None:
    """Check the six-digit code; raises ``AuthError``."""
    now = _utc_now()
    if store.failed_sign_ins(client, now - CLIENT_WINDOW) >= CLIENT_LIMIT:
        raise AuthError("Too many failed attempts from this device. Wait 15 minutes.")
    step = totp_step(user.totp_secret, code) if user.totp_secret else None
    if step is None or not store.claim_totp_step(user.id, step):
        store.add_sign_in(client, user.username, ok=False)
        raise AuthError("That code is not right. Type the six digits your authenticator app "
                        "shows now.")


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
