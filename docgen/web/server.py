"""Serving the web app: where it listens, and whether it may.

Bound to 127.0.0.1 unless a host is given. Serving beyond this machine needs HTTPS: a
certificate and key (uvicorn serves TLS itself), or the statement that docgen sits behind the
school's HTTPS proxy (then only the proxy on this machine may reach it, and its
X-Forwarded-Proto/For headers are trusted). Pupils' records never cross a network in clear.

uvicorn's access log is off: it would write every URL. docgen logs the route's pattern and the
status only, never an id, a query or a name.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass
from pathlib import Path

from docgen.batch import School
from docgen.web.app import WebSettings, create_app
from docgen.web.security import ASGIApp, Message, Receive, Scope, Send
from docgen.web.store import RECORDS_NAME, RecordStore

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class ServeProblem(Exception):
    """Serving as asked would be unsafe or cannot work; the message says what to do."""


@dataclass(frozen=True)
class Listen:
    host: str
    port: int
    cert: Path | None = None
    key: Path | None = None
    behind_proxy: bool = False

    @property
    def https(self) -> bool:
        return self.cert is not None or self.behind_proxy

    @property
    def url(self) -> str:
        scheme = "https" if self.cert else "http"
        host = socket.gethostname() if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104
        host = f"[{host}]" if ":" in host else host
        return f"{scheme}://{host}:{self.port}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def check_listen(listen: Listen) -> None:
    """Refuse what would put pupils' records on a network without HTTPS."""
    if (listen.cert is None) != (listen.key is None):
        raise ServeProblem("give both --cert and --key (the certificate and its private key).")
    for path in (listen.cert, listen.key):
        if path is not None and not path.is_file():
            raise ServeProblem(f"{path}: no such file.")
    if not is_loopback(listen.host) and listen.cert is None and not listen.behind_proxy:
        raise ServeProblem(
            f"serving on {listen.host} would send pupils' records across the network "
            "unencrypted. Give a certificate (--cert FILE --key FILE), or, if docgen sits "
            "behind the school's HTTPS proxy, say so with --behind-proxy.")


def records_path(school: School) -> Path:
    """The records database: beside the register."""
    return school.config.register_path().with_name(RECORDS_NAME)


def settings_for(school: School, *, https: bool, output: Path | None = None,
                 store: RecordStore | None = None) -> WebSettings:
    register = school.config.register_path()
    return WebSettings(
        school=school,
        store=store or RecordStore.open(records_path(school)),
        register_path=register,
        output=output or register.with_name("docgen-web-output"),
        https=https,
    )


class RouteLog:
    """ASGI middleware writing one line per request: method, route pattern, status."""

    def __init__(self, app: ASGIApp, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = [0]

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            route = scope.get("route")
            pattern = getattr(route, "path", None) or ("/static" if str(
                scope.get("path", "")).startswith("/static/") else "(no route)")
            self.logger.info("%s %s %s", scope.get("method"), pattern, status[0])


def serve(school: School, listen: Listen) -> None:
    """Serve until stopped (Ctrl-C)."""
    import uvicorn

    check_listen(listen)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = settings_for(school, https=listen.https)
    app = create_app(settings)
    logger = logging.getLogger("docgen.web.requests")
    config = uvicorn.Config(
        RouteLog(app, logger), host=listen.host, port=listen.port, access_log=False,
        ssl_certfile=str(listen.cert) if listen.cert else None,
        ssl_keyfile=str(listen.key) if listen.key else None,
        proxy_headers=listen.behind_proxy,
        forwarded_allow_ips="127.0.0.1" if listen.behind_proxy else None,
        server_header=False, log_level="info",
    )
    uvicorn.Server(config).run()
