"""Print letters as PDF: the layout template (``letter.html``) makes each letter's HTML,
WeasyPrint lays out many letters as one document, and the pages are split into one PDF per
letter.

Why in batches: part of every WeasyPrint document's time is fixed (parsing, the style cascade's
set-up, writing and subsetting the fonts), so ``render_many`` lays out a batch of letters in one
go and splits its pages (pypdf); ``render`` is a batch of one.

Why a letter's bytes never depend on its batch: a PDF embeds only the glyphs its pages use, so a
letter split from a batch would carry the glyphs of its batch-mates, and the same letter would
differ from one run to the next (a rerun after an interrupted run recognises a file docgen wrote
by its bytes). Each batch therefore starts with a page, dropped when splitting, that draws every
character of ``PRIMER`` in the letters' faces: every batch embeds the same glyphs, and a letter
whose text stays within them is the same whatever it was laid out with. A letter with any other
character (a name in another script) is laid out on its own. Each letter keeps only the fonts
and images its own pages use.

Safety: as for the forms (documents/pdf.py): the sandbox, autoescaping, and a fetcher that
serves only docgen's templates and fonts, the school's template folder and the logo.
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateError
from markupsafe import escape
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from docgen.documents.fetcher import TEMPLATE_DIR, LockedFetcher
from docgen.documents.template_files import TemplateFileRefused
from docgen.letters.letter import Letter
from docgen.letters.templates import (
    LAYOUT_CSS,
    LAYOUT_HTML,
    check_layout,
    find,
    loader,
    read_template,
    sample_letter,
    sandbox,
)

# The characters every batch draws first: Latin-1 and the punctuation letters use.
PRIMER = frozenset(chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x100))) | frozenset(
    "‘’‚“”„–—•…€‹›")
# How the pages of a batch are told apart, whatever the school's own CSS does.
_MECHANICS = """
.docgen-letter { page: letter; break-before: page; }
.docgen-primer { page: docgen-primer; break-after: page; font-size: 10pt; }
.docgen-primer p { margin: 0; white-space: normal; }
@page :nth(1 of letter) { counter-reset: page 1; }
"""
_ANCHOR = "docgen-letter-"
_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]+)")
# resources a page names in its content; the others are its batch-mates'
_NAMED_RESOURCES = ("/Font", "/XObject", "/ExtGState", "/Pattern", "/Shading")


class LetterPdfError(Exception):
    """A layout template that cannot be used, or a letter WeasyPrint could not lay out."""


def _remove_font_folder(font_config: FontConfiguration) -> None:
    folder = getattr(font_config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        font_config._folder = None


class LetterPdfRenderer:
    """Renders letters to PDF bytes; templates, style sheet and fonts are loaded once."""

    def __init__(self, template_dir: Path | None = None) -> None:
        self.template_dir = Path(template_dir).resolve() if template_dir else None
        if self.template_dir is not None and not self.template_dir.is_dir():
            raise LetterPdfError(f"template folder {self.template_dir} does not exist")
        self._env = _environment(self.template_dir)
        try:
            self._template: Template = self._env.get_template(LAYOUT_HTML)
        except TemplateError as exc:
            raise LetterPdfError(f"cannot load the letter template: {exc}") from None
        self._roots: tuple[Path, ...] = (TEMPLATE_DIR,) if self.template_dir is None \
            else (TEMPLATE_DIR, self.template_dir)
        self._base_url = (self._layout_dir()).as_uri() + "/"
        self.font_config = FontConfiguration()
        weakref.finalize(self, _remove_font_folder, self.font_config)
        fetcher = LockedFetcher(self._roots)
        try:
            css_path, css_bytes = read_template(self.template_dir, LAYOUT_CSS)
            css_text = css_bytes.decode()
        except (TemplateFileRefused, UnicodeDecodeError) as exc:
            raise LetterPdfError(f"cannot use the letter style sheet: {exc}") from None
        self._css = [CSS(string=css_text, base_url=css_path.as_uri(), url_fetcher=fetcher,
                         font_config=self.font_config),
                     CSS(string=_MECHANICS, font_config=self.font_config)]
        self._primer = _primer_html()

    def _layout_dir(self) -> Path:
        return find(self.template_dir, LAYOUT_HTML).parent

    @staticmethod
    def check(template_dir: Path | None) -> list[str]:
        """Problems with the layout template (placeholders, and a sample letter's HTML)."""
        env = _environment(template_dir)
        try:
            path, source = read_template(template_dir, LAYOUT_HTML)
            ast = env.parse(source.decode())
        except (TemplateError, UnicodeDecodeError) as exc:  # TemplateFileRefused too
            return [f"{find(template_dir, LAYOUT_HTML)}: {exc}"]
        problems = check_layout(ast, str(path), env, {"logo_url": Any})
        try:
            read_template(template_dir, LAYOUT_CSS)[1].decode()
        except TemplateFileRefused as exc:
            problems.append(str(exc))
        except UnicodeDecodeError:
            problems.append(f"{find(template_dir, LAYOUT_CSS)}: is not UTF-8 text; save it "
                            "as UTF-8")
        if problems:
            return problems
        try:
            env.get_template(LAYOUT_HTML).render(letter=sample_letter(), logo_url=None)
        except Exception as exc:  # a school's template may fail in any way
            return [f"{path}: cannot print a sample letter: {type(exc).__name__}: {exc}"]
        return []

    # ------------------------------------------------------------ HTML

    def letter_html(self, letter: Letter) -> str:
        """One letter's HTML, as the layout template makes it."""
        logo = _logo(letter)
        try:
            return self._template.render(letter=letter, logo_url=logo.as_uri() if logo else None)
        except Exception as exc:  # never half-print
            raise LetterPdfError(f"the letter template failed: {type(exc).__name__}: "
                                 f"{exc}") from None

    def page_html(self, letters: Sequence[Letter], *, primer: bool) -> str:
        """The HTML of a batch: the primer page (if any), then each letter in its own
        element."""
        language = letters[0].language if letters else "en-GB"
        title = escape(letters[0].title) if len(letters) == 1 else "Letters"
        parts = [f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
                 f'<title>{title}</title><meta name="generator" content="docgen"></head><body>']
        if primer:
            parts.append(self._primer)
        for i, letter in enumerate(letters):
            parts.append(f'<div class="docgen-letter" id="{_ANCHOR}{i}">')
            parts.append(self.letter_html(letter))
            parts.append("</div>")
        parts.append("</body></html>")
        return "".join(parts)

    # ------------------------------------------------------------ PDF

    def render(self, letter: Letter) -> bytes:
        return self.render_many([letter])[0]

    def render_many(self, letters: Sequence[Letter]) -> list[bytes]:
        """Each letter's PDF, in order. Letters within ``PRIMER`` are laid out together;
        any other on its own."""
        out: list[bytes | None] = [None] * len(letters)
        common = [i for i, letter in enumerate(letters) if batchable(letter)]
        if common:
            for i, data in zip(common, self._batch([letters[i] for i in common], primer=True),
                               strict=True):
                out[i] = data
        for i, letter in enumerate(letters):
            if out[i] is None:
                out[i] = self._batch([letter], primer=False)[0]
        return [data for data in out if data is not None]

    def _batch(self, letters: Sequence[Letter], *, primer: bool) -> list[bytes]:
        html = self.page_html(letters, primer=primer)
        logos = {logo for logo in (_logo(letter) for letter in letters) if logo}
        fetcher = LockedFetcher(self._roots, files=sorted(logos))
        document = HTML(string=html, base_url=self._base_url, url_fetcher=fetcher).render(
            stylesheets=self._css, font_config=self.font_config)
        starts: dict[int, int] = {}
        for number, page in enumerate(document.pages):
            for anchor in page.anchors:
                if anchor.startswith(_ANCHOR):
                    starts.setdefault(int(anchor[len(_ANCHOR):]), number)
        if sorted(starts) != list(range(len(letters))):
            raise LetterPdfError("a letter's pages could not be found in its batch")
        data = document.write_pdf()
        if not isinstance(data, bytes):  # pragma: no cover - WeasyPrint returns bytes
            raise LetterPdfError("WeasyPrint returned no PDF")
        bounds = [starts[i] for i in range(len(letters))] + [len(document.pages)]
        reader = PdfReader(io.BytesIO(data))
        return [_one_letter(reader, range(bounds[i], bounds[i + 1]), letter)
                for i, letter in enumerate(letters)]


def _environment(template_dir: Path | None) -> Any:
    env = sandbox()
    env.loader = loader(template_dir)
    return env


def _primer_html() -> str:
    chars = sorted(c for c in PRIMER if unicodedata.category(c)[0] != "Z")
    # in words of ten, so that breaking the lines is cheap
    text = escape(" ".join("".join(chars[i:i + 10]) for i in range(0, len(chars), 10)))
    return (f'<div class="docgen-primer" aria-hidden="true"><p>{text}</p>'
            f'<p><strong>{text}</strong></p><p><em>{text}</em></p></div>')


def _logo(letter: Letter) -> Path | None:
    logo = letter.school.logo
    return Path(logo).resolve() if logo else None


def letter_characters(letter: Letter) -> set[str]:
    chars: set[str] = set()
    for text in (*letter.texts(), letter.pupil, letter.contact, letter.school.address,
                 letter.school.phone, letter.school.trust):
        chars.update(text)
    return chars


def batchable(letter: Letter) -> bool:
    """The letter's text is within ``PRIMER`` (line breaks aside)."""
    return letter_characters(letter) - {"\n"} <= PRIMER


def _one_letter(reader: PdfReader, pages: range, letter: Letter) -> bytes:
    """The letter's pages as a PDF of their own, keeping only the fonts and images they
    use, with the letter's title and language."""
    writer = PdfWriter()
    for number in pages:
        page = reader.pages[number]
        _prune_resources(page)  # before copying: what is not referenced is not copied
        writer.add_page(page)
    writer.add_metadata({"/Title": f"{letter.title} – {letter.pupil}",
                         "/Author": letter.school.name, "/Creator": "docgen",
                         "/Producer": "docgen"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(letter.language)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _prune_resources(page: Any) -> None:
    """Keep only the resources the page's content names: WeasyPrint gives every page of a
    document the same resources, so a page split from a batch would carry its batch-mates'
    fonts and graphics states (and differ with its batch)."""
    resources = page.get("/Resources")
    if resources is None:
        return
    resources = resources.get_object()
    content = page.get_contents()
    data = content.get_data() if content is not None else b""
    named = {"/" + m.decode("latin-1") for m in _NAME.findall(data)}
    kept = DictionaryObject()
    for key, value in resources.items():
        if key in _NAMED_RESOURCES:
            entries = value.get_object()
            chosen = DictionaryObject({NameObject(name): ref for name, ref in entries.items()
                                       if name in named})
            kept[NameObject(key)] = chosen
        else:
            kept[NameObject(key)] = value
    page[NameObject("/Resources")] = kept
