"""What every response and every form post goes through: secure headers, sessions in cookies,
CSRF tokens.

- Headers: a Content Security Policy with no inline script or style (scripts and styles come
  from docgen's own static files), no framing, no referrer, and no caching of any page (they
  hold personal data); HSTS when served over HTTPS.
- Sessions: a random token in an HttpOnly, SameSite=Strict cookie (``Secure`` and the
  ``__Host-`` prefix over HTTPS); the database keeps only its hash.
- CSRF: every form carries a token derived (HMAC) from the visitor's cookie; a post without
  the right token is refused before anything is read or written. Before signing in, a
  pre-session cookie plays the same part for the sign-in form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
NO_STORE = "no-store, max-age=0"
STATIC_CACHE = "public, max-age=3600"
HSTS = "max-age=31536000"

CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecureHeaders:
    """ASGI middleware adding the secure headers to every HTTP response."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control"]
                for name, value in HEADERS.items():
                    headers.append((name.encode(), value.encode()))
                headers.append((b"cache-control",
                                (STATIC_CACHE if static else NO_STORE).encode()))
                if not static:
                    headers.append((b"pragma", b"no-cache"))
                if self.https:
                    headers.append((b"strict-transport-security", HSTS.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add_headers)


class Cookies:
    """The names and flags of docgen's cookies."""

    def __init__(self, *, secure: bool) -> None:
        self.secure = secure
        self.session = "__Host-docgen" if secure else "docgen"
        self.pre = "__Host-docgen-pre" if secure else "docgen-pre"

    def flags(self) -> dict[str, Any]:
        return {"httponly": True, "samesite": "strict", "secure": self.secure, "path": "/"}


def new_pre_session() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(secret: bytes, cookie: str) -> str:
    return hmac.new(secret, ("csrf:" + cookie).encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, cookie: str | None, given: str | None) -> bool:
    if not cookie or not given:
        return False
    return hmac.compare_digest(csrf_token(secret, cookie), given)


def client_of(request: Request) -> str:
    """Who is asking, for rate limiting: the client address (the proxy's X-Forwarded-For when
    the server is told to trust it, done by uvicorn)."""
    return request.client.host if request.client else "unknown"
