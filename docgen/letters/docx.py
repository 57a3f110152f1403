"""Print letters as Word files through a docxtpl template (``letters/letter.docx``).

The template sees ``letter`` (a ``Letter``) and ``logo`` (the school's logo, or None), in the
sandbox the forms use (``documents.docx``: strict names, every value escaped as XML text, even
through ``|safe``).

Speed: a letter is one page, and docxtpl's own way (open the package, clean its XML, compile the
template, render, fix, save every part) costs more than the letter. The renderer opens and
cleans the template once, compiles each templated part (the document, headers, footers) once,
and for each letter renders only those parts and the document's properties, writing every other
part as it already is. Rendering goes through docxtpl's own steps (its XML clean-up, line
breaks, table columns, drawing ids) on the same package, so a letter is what docxtpl makes of
it; every rendered part is parsed before it is written, so a template that makes broken XML
fails loudly. The same letter always gives the same bytes (fixed zip times and order).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Template, TemplateError
from lxml import etree
from markupsafe import escape

from docgen.documents.docx import _NOT_XML, LOGO_HEIGHT, _Sandbox
from docgen.documents.template_files import MAX_FILE_BYTES
from docgen.letters.letter import Letter
from docgen.letters.templates import (
    LAYOUT_DOCX,
    check_layout,
    find,
    read_template,
    sample_letter,
)

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TAGGED = re.compile(r"\{[{%]")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE = "docProps/core.xml"
_CORE_XML = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.'
    'org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/'
    '2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject>'
    "<dc:creator>docgen</dc:creator><dc:language>{language}</dc:language>"
    "<cp:revision>1</cp:revision></cp:coreProperties>"
)


class LetterDocxError(Exception):
    """A Word letter template that cannot be used; the message names the file."""


class _Part:
    """A templated part of the package: its name in the zip and its compiled template."""

    def __init__(self, name: str, part: Any, template: Template, is_document: bool) -> None:
        self.name = name
        self.part = part
        self.template = template
        self.is_document = is_document


class LetterDocxRenderer:
    """Renders letters with a Word template read, cleaned and compiled once."""

    def __init__(self, template_dir: Path | None = None) -> None:
        self.path = find(template_dir, LAYOUT_DOCX)
        try:
            data = read_template(template_dir, LAYOUT_DOCX, max_bytes=MAX_FILE_BYTES)[1]
            self._tpl: Any = DocxTemplate(io.BytesIO(data))
            self._tpl.render_init()
        except Exception as exc:  # a missing or damaged file
            raise LetterDocxError(f"cannot read the Word letter template {self.path}: "
                                  f"{exc}") from None
        self._env = _Sandbox()
        self._parts = [self._compile(name, part, xml, is_document)
                       for name, part, xml, is_document in _templated_parts(self._tpl)]
        self._static: dict[str, bytes] = {}
        self._static_key: tuple[Any, ...] = ()
        self._logos: dict[str, bytes] = {}

    def _compile(self, name: str, part: Any, xml: str, is_document: bool) -> _Part:
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)  # as docxtpl renders a part
        try:
            template = self._env.from_string(source)
        except TemplateError as exc:
            raise LetterDocxError(f"Word letter template {self.path}: {exc}") from None
        return _Part(name, part, template, is_document)

    @staticmethod
    def check(template_dir: Path | None) -> list[str]:
        """Problems with the Word template's placeholders, and with a sample letter."""
        path = find(template_dir, LAYOUT_DOCX)
        try:
            data = read_template(template_dir, LAYOUT_DOCX, max_bytes=MAX_FILE_BYTES)[1]
            tpl: Any = DocxTemplate(io.BytesIO(data))
            tpl.render_init()
            parts = list(_templated_parts(tpl))
        except Exception as exc:
            return [f"{path}: is not a Word (.docx) template docgen can read ({exc})"]
        env = _Sandbox()
        source = "".join(xml for _, _, xml, _ in parts)
        try:
            ast = env.parse(source)
        except TemplateError as exc:
            return [f"{path}: {exc}"]
        problems = check_layout(ast, str(path), env, {"logo": Any})
        if problems:
            return problems
        try:
            LetterDocxRenderer(template_dir).render(sample_letter())
        except Exception as exc:
            return [f"{path}: cannot print a sample letter: {exc}"]
        return []

    # ------------------------------------------------------------ rendering

    def render(self, letter: Letter) -> bytes:
        tpl = self._tpl
        tpl.docx_ids_index = 1000
        context = {"letter": letter, "logo": self._logo(letter)}
        rendered: dict[str, bytes] = {}
        for part in self._parts:
            tpl.current_rendering_part = part.part
            try:
                xml = part.template.render(context)
            except TemplateError as exc:  # includes the sandbox's SecurityError
                raise LetterDocxError(f"Word letter template {self.path}: {exc}") from None
            xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
            xml = (xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
                   .replace("%_}", "%}"))
            xml = tpl.resolve_listing(xml)
            try:
                etree.fromstring(xml.encode("utf-8"))
            except etree.XMLSyntaxError as exc:
                raise LetterDocxError(f"Word letter template {self.path} produced invalid "
                                      f"XML: {exc}") from None
            if part.is_document:
                tree = tpl.fix_tables(xml)
                tpl.fix_docpr_ids(tree)
                xml = etree.tostring(tree, encoding="unicode")
            rendered[part.name] = (_DECLARATION + xml).encode("utf-8")
        rendered[_CORE] = _core(letter)
        return self._zip(rendered)

    def render_many(self, letters: list[Letter]) -> list[bytes]:
        return [self.render(letter) for letter in letters]

    def _logo(self, letter: Letter) -> InlineImage | None:
        if not letter.school.logo:
            return None
        path = Path(letter.school.logo)
        if path.suffix.lower() == ".svg":
            return None
        data = self._logos.get(str(path))
        if data is None:
            try:
                data = path.read_bytes()
                Image.from_blob(data)
            except OSError as exc:
                raise LetterDocxError(f"cannot read the school logo {path}: {exc}") from None
            except UnrecognizedImageError:
                raise LetterDocxError(f"the school logo {path} is not a PNG, JPEG or GIF "
                                      "image") from None
            self._logos[str(path)] = data
        return InlineImage(self._tpl, io.BytesIO(data), height=LOGO_HEIGHT)

    def _zip(self, rendered: dict[str, bytes]) -> bytes:
        static = self._snapshot()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in static.items():
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                z.writestr(info, rendered.get(name, data))
        return out.getvalue()

    def _snapshot(self) -> dict[str, bytes]:
        """Every part of the package as saved, kept until the package changes (a logo is
        added to it the first time it is printed)."""
        package = self._tpl.docx.part.package
        key = tuple((str(p.partname), len(p.rels)) for p in package.iter_parts())
        if key != self._static_key:
            buffer = io.BytesIO()
            self._tpl.docx.save(buffer)
            with zipfile.ZipFile(buffer) as z:
                names = z.namelist()
                first = [n for n in names if n == "[Content_Types].xml"]
                self._static = {n: z.read(n) for n in first + sorted(set(names) - set(first))}
            self._static.setdefault(_CORE, b"")
            self._static_key = key
        return self._static


def _templated_parts(tpl: Any) -> list[tuple[str, Any, str, bool]]:
    """(zip name, part, cleaned XML, is the document) for each part with template tags."""
    out = []
    document = tpl.docx.part
    xml = tpl.patch_xml(tpl.xml_to_string(document._element))
    out.append((str(document.partname).lstrip("/"), document, xml, True))
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            raw = tpl.get_part_xml(part)
            if _TAGGED.search(raw):
                out.append((str(part.partname).lstrip("/"), part, tpl.patch_xml(raw), False))
    return out


def _core(letter: Letter) -> bytes:
    def clean(text: str) -> str:
        return str(escape(_NOT_XML.sub("", text)))

    return (_DECLARATION + _CORE_XML.format(
        title=clean(letter.title), subject=clean(letter.pupil),
        language=clean(letter.language))).encode("utf-8")
