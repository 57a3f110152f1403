"""Print a ``Document`` as a tagged PDF: a Jinja template makes HTML, WeasyPrint lays it out.

Safety: the template runs in Jinja's sandbox with autoescaping (a school's own templates too),
so staff-typed values print as text and a template cannot reach Python internals; WeasyPrint
reads files only through ``LockedFetcher`` (docgen's fonts and CSS, and the configured logo),
never the network.

Speed: the template, the style sheet and its fonts are loaded once per ``PdfRenderer``; reuse
one renderer for a batch.

Accessibility: output is PDF/UA-1 (tagged, with /Lang from ``<html lang>``, the title from
``<title>`` shown as the window title).
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import weakref
from pathlib import Path

from jinja2 import StrictUndefined, Template, TemplateError
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from docgen.documents.document import Document
from docgen.documents.fetcher import TEMPLATE_DIR, LockedFetcher
from docgen.documents.line_breaks import breakable
from docgen.documents.template_files import (
    BoundedSandbox,
    LockedLoader,
    TemplateFileRefused,
    read_inside,
)

TEMPLATE_NAME = "document.html"
STYLESHEET = Path("css") / "document.css"
PDF_VARIANT = "pdf/ua-1"


class PdfRenderError(Exception):
    """A template that cannot be used (syntax error, unknown variable, sandbox violation)."""


def _remove_font_folder(font_config: FontConfiguration) -> None:
    folder = getattr(font_config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        font_config._folder = None


class PdfRenderer:
    """Renders documents to PDF bytes. ``template_dir`` is laid out like docgen's own
    ``templates`` folder (``html/document.html``, ``css/document.css``); anything it lacks is
    taken from docgen's templates."""

    def __init__(self, template_dir: Path | None = None) -> None:
        own = TEMPLATE_DIR
        self.template_dir = Path(template_dir).resolve() if template_dir else own
        custom = self.template_dir != own
        if custom and not self.template_dir.is_dir():
            raise PdfRenderError(f"template folder {self.template_dir} does not exist")
        html_dirs = [self.template_dir / "html"] + ([own / "html"] if custom else [])
        self._env = BoundedSandbox(
            # a school's files must stay inside its folder, docgen's inside docgen's
            loader=LockedLoader([(html_dirs[0], self.template_dir)]
                                + ([(own / "html", own)] if custom else [])),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["breakable"] = breakable
        try:
            self._template: Template = self._env.get_template(TEMPLATE_NAME)
        except TemplateError as exc:
            raise PdfRenderError(f"cannot load the PDF template: {exc}") from None
        # docgen's templates always; a school's template folder for its own CSS, fonts, images.
        self._roots: tuple[Path, ...] = (own, self.template_dir) if custom else (own,)
        self._base_url = (html_dirs[0]).as_uri() + "/"
        css_path, css_folder = self.template_dir / STYLESHEET, self.template_dir
        if not os.path.lexists(css_path):
            css_path, css_folder = own / STYLESHEET, own
        try:
            css_text = read_inside(css_path, css_folder).decode()
        except (TemplateFileRefused, UnicodeDecodeError) as exc:
            raise PdfRenderError(f"cannot use the style sheet: {exc}") from None
        self.font_config = FontConfiguration()
        # WeasyPrint copies the @font-face fonts into a temporary folder that it removes when
        # the configuration is collected, which fails once the interpreter is shutting down:
        # remove it while the interpreter is still whole.
        weakref.finalize(self, _remove_font_folder, self.font_config)
        self.css_fetcher = LockedFetcher(self._roots)
        self._css = CSS(string=css_text, base_url=css_path.as_uri(),
                        url_fetcher=self.css_fetcher, font_config=self.font_config)

    def fetcher_for(self, document: Document) -> LockedFetcher:
        """A fresh fetcher for one document: the template folders plus its school's logo."""
        logo = self._logo(document)
        return LockedFetcher(self._roots, files=[logo] if logo else [])

    def render_html(self, document: Document) -> str:
        """The HTML WeasyPrint lays out (useful to debug a school's template)."""
        logo = self._logo(document)
        try:
            return self._template.render(doc=document, logo_url=logo.as_uri() if logo else None)
        except Exception as exc:  # a school's template may fail in any way; never half-print
            raise PdfRenderError(f"the PDF template failed: {type(exc).__name__}: {exc}") from None

    def render(self, document: Document, fetcher: LockedFetcher | None = None) -> bytes:
        """The PDF of ``document``. ``fetcher`` (by default ``fetcher_for(document)``) is the
        only way the layout may read a file; pass one to see what it served and refused."""
        html = self.render_html(document)
        fetcher = fetcher or self.fetcher_for(document)
        pdf = HTML(string=html, base_url=self._base_url, url_fetcher=fetcher).write_pdf(
            stylesheets=[self._css],
            font_config=self.font_config,
            pdf_variant=PDF_VARIANT,
        )
        if not isinstance(pdf, bytes):  # pragma: no cover - WeasyPrint returns bytes
            raise PdfRenderError("WeasyPrint returned no PDF")
        return pdf

    @staticmethod
    def _logo(document: Document) -> Path | None:
        logo = document.school.logo
        return Path(logo).resolve() if logo else None


def subsetting_note() -> str | None:
    """A one-line note when HarfBuzz's subsetter is missing (WeasyPrint then subsets fonts
    with fontTools, about 4x slower); ``None`` when it is installed."""
    if ctypes.util.find_library("harfbuzz-subset") is not None:
        return None
    return ("note: libharfbuzz-subset0 is not installed, so PDF output is about 4x slower "
            "(~350 ms instead of ~90 ms per one-page PDF); install it with "
            "`apt-get install libharfbuzz-subset0`.")
