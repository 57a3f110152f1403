"""The only way WeasyPrint may read a file while printing a PDF.

A document carries values typed by staff (names, free text) and, for a school's own templates,
markup written by the school. Neither may make the renderer read the file system or the
network: WeasyPrint's default fetcher follows ``http(s)``, ``ftp``, ``data:`` and any
``file://`` URL it meets in an ``<img>``, ``<link>``, ``@import``, ``@font-face`` or SVG.

``LockedFetcher`` serves regular files under a few trusted folders (docgen's templates: its
fonts and CSS) plus an exact list of single files (the school's configured logo), and refuses
everything else: other schemes, remote hosts, ``..`` segments, symbolic links that lead
outside, missing files. It has no urllib handlers at all, so even a call that bypassed
``fetch`` could not reach the network. Every refusal is recorded in ``refused``.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib import request
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

# What a template folder may serve: style sheets, fonts and images, nothing else.
SERVED_SUFFIXES = frozenset({
    ".css", ".ttf", ".otf", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".gif", ".svg",
})
MAX_BYTES = 8 * 1024 * 1024

_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
}


class RefusedURL(ValueError):
    """A URL the locked fetcher will not serve. WeasyPrint logs it and leaves the resource out
    (an image prints its alt text, a font falls back)."""


class LockedFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint is untyped
    """Serve files under ``roots`` (suffixes in ``SERVED_SUFFIXES``) and exactly ``files``;
    refuse everything else and remember it in ``refused``."""

    def __init__(self, roots: Iterable[Path] = (TEMPLATE_DIR,), files: Iterable[Path] = ()):
        # allowed_protocols and fail_on_errors are read by WeasyPrint's own helpers.
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False,
                         fail_on_errors=False)
        # Drop every urllib handler (HTTP, FTP, data:, file:) URLFetcher installed.
        request.OpenerDirector.__init__(self)
        self.roots: tuple[Path, ...] = tuple(Path(r).resolve() for r in roots)
        self.files: frozenset[Path] = frozenset(Path(f).resolve() for f in files)
        self.refused: list[str] = []
        self.served: list[str] = []

    # --------------------------------------------------------------------------- API

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            path = self.allowed_path(url)
            body = path.read_bytes()
        except RefusedURL:
            self.refused.append(url)
            raise
        except OSError as exc:
            self.refused.append(url)
            raise RefusedURL(f"cannot read {url}: {exc.strerror or exc}") from None
        self.served.append(url)
        return URLFetcherResponse(path.as_uri(), body, {"Content-Type": _content_type(path)})

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> URLFetcherResponse:
        """urllib's entry point, routed through the same checks (never through handlers)."""
        return self.fetch(url.full_url if isinstance(url, request.Request) else str(url))

    def allowed_path(self, url: str) -> Path:
        """The resolved file ``url`` names, if it may be served; else ``RefusedURL``."""
        if not isinstance(url, str) or "\x00" in url:
            raise RefusedURL("not a URL")
        try:
            parts = urlsplit(url)
        except ValueError:
            raise RefusedURL(f"malformed URL: {url}") from None
        if parts.scheme.lower() != "file":
            raise RefusedURL(f"only packaged files are served, not {parts.scheme or 'a'}: URL")
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"remote file URL refused: {url}")
        raw = unquote(parts.path)
        if "\x00" in raw or "\\" in raw:
            raise RefusedURL(f"malformed path: {url}")
        if ".." in raw.split("/"):
            raise RefusedURL(f"path traversal refused: {url}")
        candidate = Path(request.url2pathname(parts.path))
        if not candidate.is_absolute():
            raise RefusedURL(f"relative file URL refused: {url}")
        try:
            path = candidate.resolve(strict=True)  # follows symbolic links
        except (OSError, RuntimeError):
            raise RefusedURL(f"no such file: {url}") from None
        if not path.is_file():
            raise RefusedURL(f"not a regular file: {url}")
        if path in self.files:
            return _small(path, url)
        if path.suffix.lower() in SERVED_SUFFIXES and any(
            path.is_relative_to(root) for root in self.roots
        ):
            return _small(path, url)
        raise RefusedURL(f"outside docgen's templates and the configured logo: {url}")


def _small(path: Path, url: str) -> Path:
    if path.stat().st_size > MAX_BYTES:
        raise RefusedURL(f"file too large: {url}")
    return path


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
