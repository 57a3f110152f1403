"""Print a ``Document`` as a Word file through a docxtpl template.

The templates (``docgen/templates/docx``, built by scripts/build_docx_templates.py, or a
school's own folder holding ``document.docx`` and ``document-landscape.docx``) see two names:
``doc``, the Document, and ``logo``, the school's logo as an image or None. They run in Jinja's
sandbox (immutable: a template cannot change what it is given) with strict undefined names,
and every value is escaped as XML text, ``|safe`` included: a pupil's name or a free-text
answer prints literally, whatever characters it holds.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, Template, nodes
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from docgen.documents.document import Document
from docgen.documents.template_files import (
    MAX_FILE_BYTES,
    BoundedSandbox,
    TemplateFileRefused,
    read_inside,
)

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "docx"
PORTRAIT = "document.docx"
LANDSCAPE = "document-landscape.docx"
CONTEXT_NAMES = frozenset({"doc", "logo"})
LOGO_HEIGHT = Mm(16)
MAX_DOCX_TEMPLATE_BYTES = MAX_FILE_BYTES
MAX_DOCX_UNZIPPED_BYTES = 100 * 1024 * 1024

# Characters XML 1.0 cannot hold (controls other than tab and newline, lone surrogates, ...).
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>docgen</Application></Properties>'
)
_DROPPED = (RT.THUMBNAIL, RT.CUSTOM_PROPERTIES)


class DocxTemplateError(JinjaTemplateError):
    """A Word template that cannot print a document; the message names the template."""


class UndefinedNamesError(DocxTemplateError):
    """The template uses names the renderer does not provide."""


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` as XML text: escaped (unless already markup, e.g. from ``join``),
    without characters XML cannot hold, and with braces as character references so that
    docxtpl's post-processing (which rewrites ``{_{`` to ``{{``) never touches a value."""
    if isinstance(value, InlineImage):
        return value
    if hasattr(value, "__html__"):
        text = str(value.__html__())
    else:
        text = "" if value is None else str(value)
        text = str(escape(text.replace("\r\n", "\n").replace("\r", "\n")))
    text = _NOT_XML.sub("", text).replace("{", "&#123;").replace("}", "&#125;")
    return Markup(text)  # noqa: S704  # escaped above


def _plain(value: Any) -> Any:
    """The ``safe`` filter, disarmed: a school's template cannot print a value as raw XML
    (what is markup already, e.g. escaped by ``join``, stays as it is)."""
    if hasattr(value, "__html__"):
        return value
    return "" if value is None else str(value)


class _Sandbox(BoundedSandbox, ImmutableSandboxedEnvironment):
    """The sandbox, compiling each template part once: docxtpl hands over the same patched XML
    on every render, and compiling it is most of a render's time."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
        self.filters["safe"] = _plain
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: str | nodes.Template,
                    globals: MutableMapping[str, Any] | None = None,
                    template_class: type[Template] | None = None) -> Template:
        if not isinstance(source, str) or globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


class _DocxTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl is untyped
    """docxtpl's template, reusing the renderer's cleaned-up XML of each part."""

    def __init__(self, data: bytes, patched: dict[str, str]) -> None:
        super().__init__(io.BytesIO(data))
        self._patched = patched

    def patch_xml(self, src_xml: str) -> str:
        patched = self._patched.get(src_xml)
        if patched is None:
            patched = self._patched[src_xml] = super().patch_xml(src_xml)
        return patched


class DocxRenderer:
    """Renders documents with Word templates read once.

    ``template_dir`` is laid out like docgen's own ``templates`` folder: a school's Word
    templates go in its ``docx/`` subfolder, and any it does not supply are docgen's own.
    """

    def __init__(self, template_dir: Path | None = None) -> None:
        custom = Path(template_dir) / "docx" if template_dir else None
        if custom is not None and not Path(template_dir or "").is_dir():
            raise DocxTemplateError(f"template folder {template_dir} does not exist")
        self.template_dir = custom or TEMPLATE_DIR
        self._paths: dict[str, Path] = {}
        self._templates: dict[str, bytes] = {}
        for name in (PORTRAIT, LANDSCAPE):
            # a school's template must be a regular file inside its template folder once
            # links are followed (the fetcher's rule): never a link to a file elsewhere
            path, inside = TEMPLATE_DIR / name, TEMPLATE_DIR
            if custom is not None and os.path.lexists(custom / name):
                path, inside = custom / name, Path(template_dir or "")
            self._paths[name] = path
            try:
                data = read_inside(path, inside, max_bytes=MAX_DOCX_TEMPLATE_BYTES)
            except TemplateFileRefused as exc:
                raise DocxTemplateError(
                    f"cannot use the Word template: {exc} (a template folder holds {PORTRAIT} "
                    f"and {LANDSCAPE})") from None
            if not _is_docx(data):
                raise DocxTemplateError(f"{path} is not a Word (.docx) document")
            self._templates[name] = data
        self._env = _Sandbox()
        self._patched: dict[str, str] = {}
        self._checked: set[str] = set()

    def render(self, document: Document) -> bytes:
        name = LANDSCAPE if document.landscape else PORTRAIT
        template = _DocxTemplate(self._templates[name], self._patched)
        where = self._paths[name]
        try:
            self._check_names(name, template)
            context = {"doc": document, "logo": self._logo(template, document)}
            template.render(context, self._env, autoescape=True)
        except DocxTemplateError:
            raise
        except JinjaTemplateError as exc:  # includes the sandbox's SecurityError
            raise DocxTemplateError(f"Word template {where}: {exc}") from exc
        except SyntaxError as exc:  # lxml's XMLSyntaxError: the template made broken XML
            raise DocxTemplateError(f"Word template {where} produced invalid XML: {exc}") from exc
        _grid_widths_from_cells(template.docx)
        _set_properties(template.docx, document)
        out = io.BytesIO()
        template.save(out)
        return _fixed_times(out.getvalue())

    def _check_names(self, name: str, template: Any) -> None:
        if name in self._checked:
            return
        used = set(template.get_undeclared_template_variables(self._env))
        unknown = used - CONTEXT_NAMES - set(self._env.globals)
        if unknown:
            raise UndefinedNamesError(
                f"Word template {self._paths[name]} uses {', '.join(sorted(unknown))}, "
                f"which docgen does not provide; the template may use only "
                f"{', '.join(sorted(CONTEXT_NAMES))}"
            )
        self._checked.add(name)

    @staticmethod
    def _logo(template: Any, document: Document) -> InlineImage | None:
        if not document.school.logo:
            return None
        path = Path(document.school.logo)
        if path.suffix.lower() == ".svg":  # Word templates take raster images only
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocxTemplateError(f"cannot read the school logo {path}: {exc}") from exc
        try:
            Image.from_blob(data)
        except UnrecognizedImageError as exc:
            raise DocxTemplateError(f"the school logo {path} is not a PNG, JPEG or GIF image"
                                    ) from exc
        return InlineImage(template, io.BytesIO(data), height=LOGO_HEIGHT)


def _is_docx(data: bytes) -> bool:
    """A Word file, and not one that expands to far more than any template (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            return ("word/document.xml" in z.namelist() and len(infos) < 1000
                    and sum(i.file_size for i in infos) < MAX_DOCX_UNZIPPED_BYTES)
    except (zipfile.BadZipFile, ValueError):
        return False


def _grid_widths_from_cells(docx: Any) -> None:
    """A table whose first row gives every cell a width (a grid that names its column widths,
    e.g. the check-in sheet) gets those widths as its columns: docxtpl shares a table's width
    equally among the columns a ``{%tc for %}`` loop makes, and Word and LibreOffice lay out
    fixed tables by the grid."""
    for table in docx.element.body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        first = table.find(qn("w:tr"))
        if grid is None or first is None:
            continue
        widths = []
        for cell in first.findall(qn("w:tc")):
            tcw = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if tcw is None or tcw.get(qn("w:type")) != "dxa" or not int(tcw.get(qn("w:w"), 0)):
                break
            widths.append(tcw.get(qn("w:w")))
        columns = grid.findall(qn("w:gridCol"))
        if widths and len(widths) == len(columns) == len(first.findall(qn("w:tc"))):
            for column, w in zip(columns, widths, strict=True):
                column.set(qn("w:w"), w)


def _set_properties(docx: Any, document: Document) -> None:
    """Title, subject and language; nothing else from the template or the machine."""
    package = docx.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype in _DROPPED:
            del package.rels[rid]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _APP_XML
    props = docx.core_properties
    for name in ("keywords", "category", "comments", "last_modified_by", "identifier",
                 "content_status", "version"):
        setattr(props, name, "")
    props.title = _NOT_XML.sub("", document.title)
    props.subject = _NOT_XML.sub("", document.subject)
    props.language = document.language
    props.author = "docgen"
    props.revision = 1
    # no creation or modification time: the same document always gives the same bytes
    for child in list(props._element):
        if child.tag.endswith(("}created", "}modified")):
            props._element.remove(child)


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: a fixed, meaningless date


def _fixed_times(data: bytes) -> bytes:
    """The same zip with every entry dated ``_ZIP_TIME``, so a document's bytes depend only on
    its content (python-docx stamps each entry with the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            zout.writestr(fixed, zin.read(info))
    return out.getvalue()
