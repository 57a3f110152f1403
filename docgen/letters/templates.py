"""The letters' templates: the wording of each letter, and the layouts that print any letter
(an HTML page for PDF, a Word document), a school's own before docgen's.

A school's template folder (``documents.templates`` in school.toml, or ``--templates``) may hold
``letters/wording/NAME.html`` (its own wording, e.g. a translation), ``letters/letter.html`` and
``letters/letter.css`` (its letterhead for PDF), ``letters/letter.docx`` (for Word). Whatever it
lacks comes from docgen's own ``templates/letters``.

Every template is checked before any letter is made (``check``): each placeholder it uses must
be one the letter provides (``kinds``: the wording's; ``Letter``'s fields: the layouts'), every
required one must be there, and the template must render a sample letter. A problem names the
file and the placeholder, and nothing is rendered. Templates run in Jinja's sandbox with
autoescaping; wording may use only a few HTML elements (``parse_wording``), so that one wording
prints the same in PDF and Word.
"""

from __future__ import annotations

import dataclasses
import typing
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from docgen.documents.document import SchoolHeader
from docgen.documents.fetcher import TEMPLATE_DIR
from docgen.documents.template_files import (
    MAX_TEMPLATE_BYTES,
    BoundedSandbox,
    LockedLoader,
    TemplateFileRefused,
    read_inside,
)
from docgen.letters.kinds import KINDS, LetterKind, Placeholder
from docgen.letters.letter import Block, Cell, Letter, Run

LETTERS = "letters"
WORDING = "wording"
LAYOUT_HTML = "letter.html"
LAYOUT_CSS = "letter.css"
LAYOUT_DOCX = "letter.docx"
OWN_DIR = TEMPLATE_DIR / LETTERS
# The parts of a Letter a layout must print.
LAYOUT_REQUIRED = ("letter.body", "letter.recipient", "letter.date", "letter.reference",
                   "letter.confidential", "letter.salutation", "letter.signatory")


class LetterTemplateError(Exception):
    """Templates that cannot be used; ``problems`` lists each, naming its file."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def find(template_dir: Path | None, *parts: str) -> Path:
    """A school's file if it has one, else docgen's."""
    if template_dir is not None:
        own = Path(template_dir) / LETTERS / Path(*parts)
        if own.is_file():
            return own
    return OWN_DIR / Path(*parts)


def read_template(template_dir: Path | None, *parts: str,
                  max_bytes: int = MAX_TEMPLATE_BYTES) -> tuple[Path, bytes]:
    """The file ``find`` chooses and its bytes, read only if it is a regular file inside its
    own folder (a school's link to a file elsewhere is refused, ``TemplateFileRefused``)."""
    path = find(template_dir, *parts)
    inside = Path(template_dir) if template_dir is not None and not path.is_relative_to(
        OWN_DIR) else OWN_DIR
    return path, read_inside(path, inside, max_bytes=max_bytes)


def loader(template_dir: Path | None, *parts: str) -> LockedLoader:
    """A Jinja loader for ``letters/PARTS``: the school's folder first, then docgen's, each
    file confined to its own template folder."""
    searchpath = [(OWN_DIR.joinpath(*parts), OWN_DIR)]
    if template_dir is not None:
        searchpath.insert(0, (Path(template_dir) / LETTERS / Path(*parts), Path(template_dir)))
    return LockedLoader(searchpath)


def sandbox() -> SandboxedEnvironment:
    return BoundedSandbox(autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                                lstrip_blocks=True, keep_trailing_newline=False)


# --------------------------------------------------------------------------- wording


class Wording:
    """The wording templates, each compiled once."""

    def __init__(self, template_dir: Path | None = None) -> None:
        self.template_dir = template_dir
        self.env = sandbox()
        self.env.loader = loader(template_dir, WORDING)

    def path(self, kind: LetterKind) -> Path:
        return find(self.template_dir, WORDING, f"{kind.name}.html")

    def render(self, kind: LetterKind, context: Mapping[str, Any]) -> tuple[str, tuple[Block, ...]]:
        """The letter's subject line (its ``<h1>``, or the kind's title) and its body."""
        try:
            html = self.env.get_template(f"{kind.name}.html").render(context)
        except Exception as exc:  # a school's template may fail in any way (SecurityError ...)
            raise LetterTemplateError([f"{self.path(kind)}: {type(exc).__name__}: {exc}"]
                                      ) from None
        try:
            title, blocks = parse_wording(html)
        except ValueError as exc:
            raise LetterTemplateError([f"{self.path(kind)}: {exc}"]) from None
        return title or kind.title, blocks

    def check(self, kind: LetterKind) -> list[str]:
        path = self.path(kind)
        try:
            source = read_template(self.template_dir, WORDING, f"{kind.name}.html")[1].decode()
        except TemplateFileRefused as exc:
            return [str(exc)]
        except UnicodeDecodeError:
            return [f"{path}: is not UTF-8 text; save it as UTF-8"]
        where = str(path)
        try:
            ast = self.env.parse(source)
        except TemplateError as exc:
            return [f"{where}: {exc}"]
        problems: list[str] = []
        roots = {p.name: _placeholder_type(p) for p in (*kind.allowed.values(),)}
        used = check_names(ast, roots, problems, where, self.env)
        for name in kind.required:
            if name not in used:
                problems.append(f"{where}: the required placeholder {{{{ {name} }}}} is "
                                "missing; the letter must say it")
        if problems:
            return problems
        try:
            self.render(kind, kind.example())
        except LetterTemplateError as exc:
            return exc.problems
        except ValueError as exc:
            return [f"{where}: {exc}"]
        return []


def _placeholder_type(p: Placeholder) -> Any:
    if p.fields:
        return _List(_Fields(frozenset(p.fields)))
    return Any


# --------------------------------------------------------------------------- wording HTML

_BLOCKS = {"p": "p", "h2": "h", "h3": "h"}
_INLINE = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic"}
_ALLOWED = {"h1", "p", "h2", "h3", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
            "td", "br", "strong", "b", "em", "i", "span"}


class _WordingParser(HTMLParser):
    """A wording template's output, as the letter's blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.blocks: list[Block] = []
        self.runs: list[Run] = []
        self.kind: str | None = None
        self.bold = 0
        self.italic = 0
        self.lists: list[list[int]] = []  # each open list: [ordered, count]
        self.rows: list[tuple[Cell, ...]] | None = None
        self.cells: list[Cell] | None = None
        self.cell_header = False
        self.in_title = False
        self.title_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED:
            raise ValueError(f"<{tag}> cannot be used in a letter's wording; use p, h1 (the "
                             "subject line), h2, ul/ol and li, table, strong, em and br")
        if tag == "br":
            self._text("\n")
        elif tag == "h1":
            self._close()
            self.in_title = True
        elif tag in _BLOCKS:
            self._close()
            self.kind = _BLOCKS[tag]
        elif tag in ("ul", "ol"):
            self._close()
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self._close()
            self.kind = "li"
            if self.lists:
                self.lists[-1][1] += 1
        elif tag == "table":
            self._close()
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.runs = []
            self.cell_header = tag == "th"
        elif tag in _INLINE:
            setattr(self, _INLINE[tag], getattr(self, _INLINE[tag]) + 1)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self.in_title = False
            if self.title is None:
                self.title = _squash("".join(self.title_text))
            self.title_text = []
        elif tag in _BLOCKS or tag == "li":
            self._close()
        elif tag in ("ul", "ol"):
            self._close()
            if self.lists:
                self.lists.pop()
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append(Cell(_squash("".join(r.text for r in self.runs)),
                                   self.cell_header))
            self.runs = []
        elif tag == "tr" and self.rows is not None and self.cells is not None:
            if self.cells:
                self.rows.append(tuple(self.cells))
            self.cells = None
        elif tag == "table" and self.rows is not None:
            if self.rows:
                self.blocks.append(Block("table", rows=tuple(self.rows)))
            self.rows = None
        elif tag in _INLINE:
            setattr(self, _INLINE[tag], max(0, getattr(self, _INLINE[tag]) - 1))

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_text.append(data)
            return
        if self.rows is not None and self.cells is None:
            return  # white space between table rows
        # white space in the template (line breaks included) is one space, as in HTML
        text = " ".join(data.split())
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace() and text.strip():
            text += " "
        if text:
            self._text(text)

    def _text(self, text: str) -> None:
        if self.kind is None and self.rows is None:
            if not text.strip():
                return
            self.kind = "p"  # loose text is a paragraph of its own
        run = Run(text, bool(self.bold), bool(self.italic))
        if self.runs and (self.runs[-1].bold, self.runs[-1].italic) == (run.bold, run.italic):
            self.runs[-1] = Run(self.runs[-1].text + text, run.bold, run.italic)
        else:
            self.runs.append(run)

    def _close(self) -> None:
        if self.kind is None or self.rows is not None:
            return
        runs = _tidy(self.runs)
        if runs:
            number = 0
            if self.kind == "li" and self.lists and self.lists[-1][0]:
                number = self.lists[-1][1]
            kind: Any = self.kind
            self.blocks.append(Block(kind, runs, number=number))
        self.runs = []
        self.kind = None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _tidy(runs: list[Run]) -> tuple[Run, ...]:
    """Runs as a reader sees them: no double spaces, none at the ends or around a line break
    (``<br>``)."""
    out: list[Run] = []
    for run in runs:
        text = run.text
        while "  " in text:
            text = text.replace("  ", " ")
        if out and out[-1].text.endswith((" ", "\n")) and text.startswith(" "):
            text = text[1:]
        if text:
            out.append(Run(text, run.bold, run.italic))
    tidied = [Run(r.text.replace(" \n", "\n").replace("\n ", "\n"), r.bold, r.italic)
              for r in out]
    if tidied:
        tidied[0] = Run(tidied[0].text.lstrip(" "), tidied[0].bold, tidied[0].italic)
        tidied[-1] = Run(tidied[-1].text.rstrip(" "), tidied[-1].bold, tidied[-1].italic)
    return tuple(r for r in tidied if r.text)


def parse_wording(html: str) -> tuple[str | None, tuple[Block, ...]]:
    """A wording's rendered HTML as (subject line, blocks); ValueError for an element a letter
    cannot print."""
    parser = _WordingParser()
    parser.feed(unicodedata.normalize("NFC", html))
    parser.close()
    parser._close()
    return parser.title, tuple(parser.blocks)


# --------------------------------------------------------------------------- placeholders


@dataclasses.dataclass(frozen=True)
class _List:
    item: Any


@dataclasses.dataclass(frozen=True)
class _Fields:
    names: frozenset[str]


@cache
def _attributes(cls: type) -> dict[str, Any]:
    """A dataclass's fields with their types, and its properties (typed Any)."""
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        out[f.name] = _describe(hints.get(f.name, Any))
    for name, value in vars(cls).items():
        if isinstance(value, property):
            out[name] = Any
    return out


def _describe(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        args = typing.get_args(hint)
        item = args[0] if args else Any
        return _List(_describe(item) if len(args) == 2 and args[1] is Ellipsis else Any)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return hint
    return Any


def check_names(ast: nodes.Template, roots: Mapping[str, Any], problems: list[str],
                where: str, env: SandboxedEnvironment) -> set[str]:
    """Check every placeholder ``ast`` uses against ``roots`` (name -> a dataclass, a list of
    them, a list of ``_Fields``, or Any); record each unknown one in ``problems``. Returns the
    names and dotted paths used (``letter``, ``letter.body`` ...)."""
    used: set[str] = set()
    known = set(roots) | set(env.globals) | {"loop", "caller", "varargs", "kwargs"}
    undeclared = meta.find_undeclared_variables(ast)
    for name in sorted(undeclared - known):
        problems.append(f"{where}: unknown placeholder {{{{ {name} }}}}"
                        + _hint(name, roots))
    _Walker(roots, problems, where, used).walk(ast, {})
    return used


def _hint(name: str, options: Iterable[str]) -> str:
    import difflib

    guess = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean {guess[0]}?)" if guess else ""


class _Walker:
    def __init__(self, roots: Mapping[str, Any], problems: list[str], where: str,
                 used: set[str]) -> None:
        self.roots = roots
        self.problems = problems
        self.where = where
        self.used = used

    def walk(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self.walk(node.iter, scope)
            kind = self.resolve(node.iter, scope)[0]
            inner = dict(scope)
            item = kind.item if isinstance(kind, _List) else Any
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = item
            else:
                for name in node.target.find_all(nodes.Name):
                    inner[name.name] = Any
            for child in (*node.body, *node.else_):
                self.walk(child, inner)
            if node.test is not None:
                self.walk(node.test, inner)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for arg in getattr(node, "args", ()):
                inner[arg.name] = Any
            for child in node.body:
                self.walk(child, inner)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            for name in node.target.find_all(nodes.Name):
                scope[name.name] = Any
        if isinstance(node, nodes.Getattr | nodes.Name):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.walk(child, scope)

    def resolve(self, node: nodes.Node, scope: dict[str, Any]) -> tuple[Any, str]:
        """The type of an expression, and its dotted path for messages."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name], node.name
            self.used.add(node.name)
            return self.roots.get(node.name, Any), node.name
        if isinstance(node, nodes.Getattr):
            base, path = self.resolve(node.node, scope)
            full = f"{path}.{node.attr}"
            self.used.add(full)
            if isinstance(base, type) and dataclasses.is_dataclass(base):
                attributes = _attributes(base)
                if node.attr not in attributes:
                    self.problems.append(f"{self.where}: unknown placeholder {{{{ {full} }}}}"
                                         + _hint(node.attr, attributes))
                    return Any, full
                return attributes[node.attr], full
            if isinstance(base, _Fields):
                if node.attr not in base.names:
                    self.problems.append(f"{self.where}: unknown placeholder {{{{ {full} }}}}"
                                         + _hint(node.attr, base.names))
                return Any, full
            return Any, full
        if isinstance(node, nodes.Filter | nodes.Test):
            if node.node is not None:
                self.walk(node.node, scope)
            for child in (*node.args, *[k.value for k in node.kwargs]):
                self.walk(child, scope)
            return Any, "expression"
        self.walk(node, scope)
        return Any, "expression"


# --------------------------------------------------------------------------- layouts


def check_layout(ast: nodes.Template, where: str, env: SandboxedEnvironment,
                 extra: Mapping[str, Any]) -> list[str]:
    """A layout's placeholders: ``letter`` and its parts, plus ``extra`` (the logo)."""
    problems: list[str] = []
    used = check_names(ast, {"letter": Letter, **extra}, problems, where, env)
    for path in LAYOUT_REQUIRED:
        if path not in used:
            problems.append(f"{where}: the required placeholder {{{{ {path} }}}} is missing")
    return problems


def sample_letter(kind: LetterKind | None = None) -> Letter:
    """A letter with every part filled, to try a layout on."""
    kind = kind or KINDS["attendance-concern-1"]
    title, body = Wording().render(kind, kind.example())
    return Letter(
        kind=kind.name, title=title,
        school=SchoolHeader(name="Sample Academy", address="1 Example Road, Exampletown",
                            phone="01632 960000"),
        confidential="Private and confidential: to the parent or carer of Oliver Nowak",
        recipient=("Ms Anna Nowak", "12 Elm Road", "Eastmoor", "EM1 3AB"),
        date="23 November 2026", reference="AC1-20261123-K7QA", salutation="Dear Ms Nowak",
        body=body, closing="Yours sincerely", signatory="Thomas Adeyemi",
        signatory_role="Headteacher", pupil="Oliver Nowak",
        contact="Ms Joy Green, Attendance Lead: 01632 960457")


def check_wording(template_dir: Path | None, kinds: Iterable[LetterKind]) -> list[str]:
    wording = Wording(template_dir)
    problems: list[str] = []
    for kind in kinds:
        problems += wording.check(kind)
    return problems


def check(template_dir: Path | None, kinds: Iterable[LetterKind],
          formats: Iterable[str]) -> list[str]:
    """Every problem with the templates a run would use (none: they may be used)."""
    problems = check_wording(template_dir, kinds)
    formats = set(formats)
    if "pdf" in formats:
        from docgen.letters.pdf import LetterPdfRenderer

        problems += LetterPdfRenderer.check(template_dir)
    if "docx" in formats:
        from docgen.letters.docx import LetterDocxRenderer

        problems += LetterDocxRenderer.check(template_dir)
    return problems
