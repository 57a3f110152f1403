"""The PDF renderer: every label and answer prints, in order; staff-typed values print as text
and never fetch anything; the locked fetcher refuses everything but docgen's own files and the
configured logo; the PDF is tagged (PDF/UA-1) with a language and a title."""

from __future__ import annotations

import ctypes.util
import dataclasses
import io
import socket
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from docgen.config import SAMPLE_SCHOOL
from docgen.documents import pdf as pdf_module
from docgen.documents.context import build_document
from docgen.documents.document import (
    Answer,
    Block,
    Document,
    Grid,
    Notice,
    Option,
    Row,
    SchoolHeader,
    Section,
)
from docgen.documents.fetcher import TEMPLATE_DIR, LockedFetcher, RefusedURL
from docgen.documents.pdf import PdfRenderer, PdfRenderError, subsetting_note
from docgen.policy import load_policy
from docgen.validation import validate, validate_record
from tests.documents.pages import layout_problems, pages

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [(preset, ROOT / "samples" / preset) for preset in ("att", "westside")]

HOSTILE_NAME = "Siobhán O'Brien-Smith & <Co>"
IMG_FILE = '<img src="file:///etc/passwd">'
IMG_HTTP = '<img src="http://example.com/x.png">'
LINK_CSS = '<link rel=stylesheet href="http://example.com/a.css">'
JINJA = "{{ 7*7 }}"
EMOJI = "Smiled 😀 at the door"
LONG_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100)[:5000]


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def renderer() -> PdfRenderer:
    return PdfRenderer()


def squash(text: str) -> str:
    """All whitespace removed: line wrapping, non-breaking spaces and table cells no longer
    matter, only the characters and their order."""
    return "".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    return [page.text for page in pages(pdf)]


def body_text(pdf: bytes, doc: Document) -> str:
    """The text of every page without its running header and footer, so text that flows
    across a page break reads on."""
    pages = page_texts(pdf)
    out = []
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        furniture = [f"{doc.school.name} · {doc.title} · {doc.subject} · Page {number} of "
                     f"{len(pages)} · {doc.marking}"]
        if number > 1:
            furniture.append(doc.marking)
        for item in furniture:
            at = flat.rfind(item)
            assert at >= 0, f"page {number} lacks its header/footer {item!r}"
            flat = flat[:at] + flat[at + len(item):]
        for section in doc.sections:  # the heading of a section continued on the page
            flat = flat.replace(f"{section.title} (continued)", "", 1)
        out.append(flat)
    return " ".join(out)


def assert_in_order(text: str, expected: list[str]) -> None:
    hay = squash(text)
    pos = 0
    for item in expected:
        needle = squash(item)
        at = hay.find(needle, pos)
        assert at >= 0, (
            f"{item!r} is missing or out of order; the text after the last match reads "
            f"{hay[pos:pos + 120]!r}"
        )
        pos = at + len(needle)


def sample_documents() -> Iterator[Any]:
    """The documents of the JSON samples (the sample workbooks hold the same visits:
    tests/test_samples.py)."""
    for preset, folder in SAMPLES:
        policy = load_policy(preset)
        report = validate(sorted(folder.glob("*.json")), policy)
        for n, record in enumerate(report.records):
            assert record.form is not None, record.issues
            doc = build_document(record.form, SAMPLE_SCHOOL, policy, record.warnings)
            yield pytest.param(doc, id=f"{preset}-{n:02d}-{doc.kind}-{doc.subject}")


SAMPLE_DOCS = list(sample_documents())


def hostile_document(data: dict[str, Any], logo: Path | None = None) -> Document:
    record = validate_record(data, "att")
    assert record.form is not None, [i.message for i in record.issues]
    doc = build_document(record.form, SAMPLE_SCHOOL, load_policy("att"), record.warnings)
    if logo is not None:
        doc = dataclasses.replace(doc, school=dataclasses.replace(doc.school, logo=str(logo)))
    return doc


def tiny_png(path: Path) -> Path:
    """A valid 1x1 PNG, written without any imaging library."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\x1f\x3a\x5f"))
           + chunk(b"IEND", b""))
    path.write_bytes(png)
    return path


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any attempt to open a socket is recorded and fails."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


# --------------------------------------------------------------------------- samples


@pytest.mark.parametrize("doc", SAMPLE_DOCS)
def test_sample_prints_every_label_and_answer_in_order(
    renderer: PdfRenderer, doc: Document, no_network: list[Any]
) -> None:
    fetcher = renderer.fetcher_for(doc)
    pdf = renderer.render(doc, fetcher)
    text = body_text(pdf, doc)
    assert_in_order(text, doc.texts())
    # empty optional fields print as lines to fill in, never as "None"
    if not any("None" in t for t in doc.texts()):
        assert "None" not in text
    # the reviewer's box only when there is something to review
    assert ("For the reviewer: outstanding policy points" in text) == bool(doc.warnings)
    for notice in doc.warnings:
        assert_in_order(text, [notice.field, notice.message, notice.citation])
    assert fetcher.refused == []
    assert not no_network
    # and its pages read well on paper: no page of headings only, no heading ending a page,
    # the sign-off whole, a continued section named at the top of its page
    assert layout_problems(pdf, doc) == []
    assert len(page_texts(pdf)) <= 3


def test_samples_cover_warnings_and_both_forms() -> None:
    docs = [p.values[0] for p in SAMPLE_DOCS]
    assert {d.kind for d in docs} == {"risk-assessment", "visit-report"}
    assert any(d.warnings for d in docs)
    assert any(not d.warnings for d in docs)


def test_tick_boxes_keep_their_characters(renderer: PdfRenderer) -> None:
    doc = next(p.values[0] for p in SAMPLE_DOCS if p.values[0].kind == "visit-report")
    text = " ".join(" ".join(page_texts(renderer.render(doc))).split())
    boxes = [
        " ".join(f"{o.box} {o.label}" for o in row.answer.options)
        for s in doc.sections for b in s.blocks for row in b.rows if row.answer.options
    ]
    assert boxes
    for expected in boxes:
        assert expected in text


def test_footer_title_language_and_tags(renderer: PdfRenderer) -> None:
    doc = SAMPLE_DOCS[0].values[0]
    pdf = renderer.render(doc)
    reader = PdfReader(io.BytesIO(pdf))
    first = " ".join(reader.pages[0].extract_text().split())
    assert f"Page 1 of {len(reader.pages)}" in first
    assert f"{doc.title} · {doc.subject} · Page 1 of" in first
    assert first.rstrip().endswith(doc.marking)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata is not None
    assert reader.metadata.title == f"{doc.title} – {doc.subject}"
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp  # PDF/UA-1 identification
    assert reader.pdf_header == "%PDF-1.7"


def test_page_size_follows_orientation(renderer: PdfRenderer) -> None:
    doc = SAMPLE_DOCS[0].values[0]
    box = PdfReader(io.BytesIO(renderer.render(doc))).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait


def struct_roles(pdf: bytes) -> dict[str, list[Any]]:
    """The tag tree's structure types, each with the /Alt texts found on them."""
    roles: dict[str, list[Any]] = {}
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"].get_object()
    todo = [root]
    while todo:
        node = todo.pop()
        if "/S" in node:
            roles.setdefault(str(node["/S"]), []).append(node.get("/Alt"))
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids]
        for kid in kids:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                todo.append(kid)
    return roles


def test_tag_tree_has_headings_tables_and_logo_alt(
    renderer: PdfRenderer, ra: dict[str, Any], tmp_path: Path
) -> None:
    doc = hostile_document(ra, logo=tiny_png(tmp_path / "logo.png"))
    roles = struct_roles(renderer.render(doc))
    for role in ("/Document", "/H1", "/H2", "/Table", "/TR", "/TH", "/TD", "/Figure"):
        assert role in roles, role
    assert roles["/Figure"] == [f"{doc.school.name} logo"]


def test_line_breaks_are_kept(renderer: PdfRenderer, ra: dict[str, Any]) -> None:
    ra["why_required"] = "First line.\nSecond line.\n\nAfter a blank line."
    doc = hostile_document(ra)
    text = "\n".join(page_texts(renderer.render(doc)))
    lines = [line.strip() for line in text.splitlines()]
    street = next(i for i, line in enumerate(lines) if line.endswith("1 High Street"))
    assert lines[street + 1] == "Town TN1 1AA"
    at = lines.index("Second line.")
    assert lines[at - 1].endswith("First line.")
    assert "After a blank line." in lines[at + 1:at + 3]


# --------------------------------------------------------------------------- check-in sheet


def checkin_sheet(rows: int = 24) -> Document:
    columns = ("Visit", "Pupil", "Address", "Staff", "Mobile", "Leaves", "Due back",
               "Check-in 1", "Check-in 2", "Returned safely", "Office initials")
    cells = tuple(
        (Answer(f"HV-2026-{n:03d}"), Answer(f"Pupil {n}"), Answer(f"{n} High Street\nTown"),
         Answer("Alex Adams\nBo Brown"), Answer("07700 900001"), Answer("14:00"),
         Answer("15:00"), Answer(blank=True), Answer(blank=True),
         Answer(options=(Option("Yes", False), Option("No", False))), Answer(blank=True))
        for n in range(1, rows + 1)
    )
    return Document(
        kind="checkins",
        title="Home visit check-in sheet",
        school=SchoolHeader(name="Sample Academy (fictional)", address="1 Example Road"),
        subject="Thursday 12 November 2026",
        sections=(Section("Visits today", (Block("grid", grid=Grid(columns, cells)),)),),
        landscape=True,
    )


def test_checkin_sheet_is_landscape_with_repeating_headings(renderer: PdfRenderer) -> None:
    doc = checkin_sheet()
    pdf = renderer.render(doc)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    assert len(reader.pages) > 1
    assert_in_order(body_text(pdf, doc), doc.texts())
    for page in reader.pages[1:]:  # the heading row repeats on every page
        assert_in_order(page.extract_text(), ["Visit", "Pupil", "Address", "Office initials"])
    text = " ".join(page_texts(pdf))
    assert "Signatures" not in text
    assert "None" not in text


def test_office_checkin_sheet(renderer: PdfRenderer) -> None:
    from docgen.documents.checkins import checkin_document
    from docgen.schemas import RiskAssessment

    policy = load_policy("westside")
    report = validate([ROOT / "samples" / "westside"], policy)
    visits = [r.form for r in report.records if isinstance(r.form, RiskAssessment)]
    assert visits
    doc = checkin_document(visits, visits[0].visit_date, SAMPLE_SCHOOL, policy)
    pdf = renderer.render(doc)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = body_text(pdf, doc)
    assert_in_order(text, doc.texts())
    assert "None" not in text
    assert "differ from the generic" not in text  # the matrix legend only


def test_matrix_emphasis_and_legend(renderer: PdfRenderer) -> None:
    doc = next(p.values[0] for p in SAMPLE_DOCS
               if any(c.emphasis for s in p.values[0].sections for b in s.blocks
                      if b.grid for r in b.grid.rows for c in r))
    html = renderer.render_html(doc)
    assert 'class="emphasis"' in html
    assert "differ from the generic risk assessment" in " ".join(
        page_texts(renderer.render(doc)))


def test_blank_answers_print_write_in_lines(renderer: PdfRenderer) -> None:
    doc = Document(
        kind="test", title="Blank form", school=SchoolHeader(name="School"),
        subject="Nobody",
        sections=(Section("Details", (Block("fields", rows=(
            Row("What happened?", Answer(blank=True, lines=4)),
            Row("UPN", Answer(blank=True)),
        )),)),),
    )
    html = renderer.render_html(doc)
    assert html.count('class="rule"') == 5
    text = " ".join(page_texts(renderer.render(doc)))
    assert "None" not in text


# --------------------------------------------------------------------------- hostile values


@pytest.fixture
def hostile_ra(ra: dict[str, Any]) -> dict[str, Any]:
    ra["pupil_name"] = HOSTILE_NAME
    ra["staff"][0]["name"] = IMG_FILE
    ra["why_required"] = f"{IMG_HTTP}\n{LINK_CSS}"
    ra["known_risks"] = f"{JINJA} {EMOJI}"
    ra["mitigation"] = LONG_TEXT
    ra["assessed_by"] = JINJA
    return ra


def test_hostile_values_print_as_text_and_fetch_nothing(
    renderer: PdfRenderer, hostile_ra: dict[str, Any], no_network: list[Any]
) -> None:
    doc = hostile_document(hostile_ra)
    html = renderer.render_html(doc).replace("\u200b", "")  # long runs' break opportunities
    # escaped: no element was created from a value
    assert "<img" not in html
    assert "<link" not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    fetcher = renderer.fetcher_for(doc)
    pdf = renderer.render(doc, fetcher)
    assert fetcher.refused == [] and fetcher.served == []  # nothing was even asked for
    assert not no_network

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    text = body_text(pdf, doc)
    for value in (HOSTILE_NAME, IMG_FILE, IMG_HTTP, LINK_CSS, JINJA, EMOJI):
        assert squash(value) in squash(text), value
    assert "49" not in text  # {{ 7*7 }} was not evaluated
    assert squash(LONG_TEXT) in squash(text)  # all 5,000 characters, across pages
    assert_in_order(text, doc.texts())
    assert reader.metadata is not None
    assert HOSTILE_NAME in doc.subject
    assert reader.metadata.title == f"{doc.title} – {doc.subject}"


def test_hostile_visit_report(
    renderer: PdfRenderer, report: dict[str, Any], no_network: list[Any]
) -> None:
    report["pupil_name"] = HOSTILE_NAME
    report["staff_attending"] = [IMG_FILE, LINK_CSS]
    report["discussed"] = f"{JINJA}\n{IMG_HTTP}\n{EMOJI}"
    report["agreed"] = LONG_TEXT
    doc = hostile_document(report)
    fetcher = renderer.fetcher_for(doc)
    pdf = renderer.render(doc, fetcher)
    assert fetcher.refused == []
    text = body_text(pdf, doc)
    assert_in_order(text, doc.texts())
    assert "49" not in text
    assert not no_network


def test_unbroken_long_word_wraps(renderer: PdfRenderer, ra: dict[str, Any]) -> None:
    ra["known_risks"] = "X" * 3000
    doc = hostile_document(ra)
    pdf = renderer.render(doc)
    assert "X" * 3000 in squash(body_text(pdf, doc))


def test_configured_logo_is_the_only_file_served(
    renderer: PdfRenderer, ra: dict[str, Any], tmp_path: Path, no_network: list[Any]
) -> None:
    logo = tiny_png(tmp_path / "logo.png")
    doc = hostile_document(ra, logo=logo)
    html = renderer.render_html(doc)
    assert html.count("<img") == 1
    fetcher = renderer.fetcher_for(doc)
    pdf = renderer.render(doc, fetcher)
    assert fetcher.served == [logo.as_uri()]
    assert fetcher.refused == []
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].images  # the logo is drawn
    assert not no_network


def test_missing_logo_prints_alt_text(renderer: PdfRenderer, ra: dict[str, Any],
                                      tmp_path: Path) -> None:
    doc = hostile_document(ra, logo=tmp_path / "gone.png")
    fetcher = renderer.fetcher_for(doc)
    renderer.render(doc, fetcher)
    assert fetcher.refused == [(tmp_path / "gone.png").as_uri()]


# --------------------------------------------------------------------------- the fetcher


@pytest.fixture
def fetcher(tmp_path: Path) -> LockedFetcher:
    return LockedFetcher(files=[tiny_png(tmp_path / "logo.png")])


FONT = TEMPLATE_DIR / "fonts" / "LiberationSans-Regular.ttf"
CSS_FILE = TEMPLATE_DIR / "css" / "document.css"


def test_fetcher_serves_fonts_css_and_logo(fetcher: LockedFetcher, tmp_path: Path) -> None:
    font = fetcher.fetch(FONT.as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    assert font.content_type == "font/ttf"
    css = fetcher.fetch(CSS_FILE.as_uri() + "?v=1#x")  # query and fragment ignored
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    logo = fetcher.fetch((tmp_path / "logo.png").as_uri())
    assert logo.content_type == "image/png"
    assert fetcher.fetch("file://localhost" + FONT.as_posix()).read()
    assert fetcher.refused == []
    assert len(fetcher.served) == 4


def test_fetcher_has_no_network_handlers(fetcher: LockedFetcher) -> None:
    assert fetcher.handlers == []


REFUSED = [
    "http://example.com/x.png",
    "https://example.com/a.css",
    "HTTP://EXAMPLE.COM/x.png",
    "ftp://example.com/x.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "data:text/css,body{color:red}",
    "javascript:alert(1)",
    "gopher://example.com/",
    "file:///etc/passwd",
    "file://example.com/etc/passwd",
    "file:///etc/hostname",
    f"file://{TEMPLATE_DIR.as_posix()}/fonts/../../../../etc/passwd",
    f"file://{TEMPLATE_DIR.as_posix()}/fonts/%2e%2e/%2E%2E/%2e%2e/%2e%2e/etc/passwd",
    f"file://{TEMPLATE_DIR.as_posix()}/fonts/..%2f..%2f..%2f..%2fetc/passwd",
    f"file://{TEMPLATE_DIR.as_posix()}/fonts/missing.ttf",
    f"file://{TEMPLATE_DIR.as_posix()}/html/document.html",  # not a font, style or image
    f"file://{TEMPLATE_DIR.as_posix()}/fonts/README.md",
    f"file://{TEMPLATE_DIR.as_posix()}/fonts",  # a folder
    f"file://{TEMPLATE_DIR.as_posix()}/fonts/DejaVuSans.ttf%00.png",
    "fonts/LiberationSans-Regular.ttf",  # relative: no base
    "//example.com/x.png",
    "",
]


@pytest.mark.parametrize("url", REFUSED)
def test_fetcher_refuses(fetcher: LockedFetcher, url: str, no_network: list[Any]) -> None:
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.served == []
    assert not no_network


def test_fetcher_refuses_siblings_of_the_logo(fetcher: LockedFetcher, tmp_path: Path) -> None:
    sibling = tiny_png(tmp_path / "other.png")
    with pytest.raises(RefusedURL):
        fetcher.fetch(sibling.as_uri())


def test_fetcher_resolves_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    (root / "fonts").mkdir(parents=True)
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    (root / "fonts" / "escape.css").symlink_to(secret)
    (root / "fonts" / "ok.css").write_text("p {}")
    (tmp_path / "link-to-root").symlink_to(root)
    locked = LockedFetcher(roots=[root])
    with pytest.raises(RefusedURL):
        locked.fetch((root / "fonts" / "escape.css").as_uri())
    assert locked.fetch((root / "fonts" / "ok.css").as_uri()).read() == b"p {}"
    # a link into the root is fine: what counts is where the file really is
    assert locked.fetch((tmp_path / "link-to-root" / "fonts" / "ok.css").as_uri()).read()
    assert locked.refused == [(root / "fonts" / "escape.css").as_uri()]


def test_fetcher_open_goes_through_the_same_checks(fetcher: LockedFetcher,
                                                   no_network: list[Any]) -> None:
    from urllib.request import Request

    with pytest.raises(RefusedURL):
        fetcher.open("http://example.com/")
    with pytest.raises(RefusedURL):
        fetcher.open(Request("https://example.com/"))
    with pytest.raises(RefusedURL):
        fetcher("ftp://example.com/")
    assert len(fetcher.refused) == 3
    assert not no_network


# --------------------------------------------------------------------------- school templates


def school_templates(tmp_path: Path, html: str, css: str | None = None) -> Path:
    folder = tmp_path / "school"
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "document.html").write_text(html, "utf-8")
    if css is not None:
        (folder / "css").mkdir()
        (folder / "css" / "document.css").write_text(css, "utf-8")
    return folder


def test_school_template_cannot_fetch_anything(tmp_path: Path, no_network: list[Any]) -> None:
    html = """<!DOCTYPE html><html lang="{{ doc.language }}"><head><title>{{ doc.title }}</title>
<link rel="stylesheet" href="http://example.com/a.css">
<style>@import url(https://example.com/b.css); @font-face { font-family: X;
 src: url(http://example.com/f.ttf) } body { background: url(file:///etc/passwd) }</style>
</head><body><h1>{{ doc.title }}</h1>
<img src="http://example.com/x.png" alt="x"><img src="file:///etc/passwd" alt="y">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="z">
<img src="../../../../../../etc/passwd" alt="w">
<object data="ftp://example.com/o.svg"></object>
<p>{{ doc.subject }}</p></body></html>"""
    folder = school_templates(tmp_path, html)
    renderer = PdfRenderer(folder)
    doc = SAMPLE_DOCS[0].values[0]
    fetcher = renderer.fetcher_for(doc)
    pdf = renderer.render(doc, fetcher)
    assert pdf.startswith(b"%PDF")
    refused = set(fetcher.refused) | set(renderer.css_fetcher.refused)
    for url in ("http://example.com/a.css", "https://example.com/b.css",
                "http://example.com/f.ttf", "file:///etc/passwd",
                "http://example.com/x.png", "ftp://example.com/o.svg"):
        assert url in refused
    assert any(u.startswith("data:") for u in refused)
    assert fetcher.served == []
    assert not no_network


def test_school_css_is_used_and_locked(tmp_path: Path, no_network: list[Any]) -> None:
    folder = school_templates(
        tmp_path,
        '<html lang="en-GB"><head><title>T</title></head><body><p>{{ doc.title }}</p></body>'
        "</html>",
        css="@import url(http://example.com/x.css); p { color: red }",
    )
    renderer = PdfRenderer(folder)
    assert renderer.css_fetcher.refused == ["http://example.com/x.css"]
    assert renderer.render(SAMPLE_DOCS[0].values[0]).startswith(b"%PDF")
    assert not no_network


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ doc.__class__.__init__.__globals__ }}",
    "{{ doc.texts.__globals__['__builtins__'] }}",
    "{{ lipsum.__globals__.os.popen('id').read() }}",
    "{{ cycler.__init__.__globals__.os.system('true') }}",
    "{{ self._TemplateReference__context }}",
    "{{ doc.school.__reduce_ex__(2) }}",
    "{% include '../../../../../../../etc/passwd' %}",
    "{% include '/etc/passwd' %}",
    "{{ config }}",
    "{{ range(10**9)|list|length }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_school_template_sandbox_escapes_fail_safely(tmp_path: Path, payload: str) -> None:
    html = ('<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body>'
            f"<p>{payload}</p></body></html>")
    folder = school_templates(tmp_path, html)
    renderer = PdfRenderer(folder)
    doc = SAMPLE_DOCS[0].values[0]
    fetcher = renderer.fetcher_for(doc)
    with pytest.raises(PdfRenderError) as caught:
        renderer.render(doc, fetcher)
    assert "root:" not in str(caught.value)
    assert fetcher.served == [] and fetcher.refused == []  # nothing was laid out


def test_school_template_syntax_error_fails_at_load(tmp_path: Path) -> None:
    folder = school_templates(tmp_path, "<html>{% if %}</html>")
    with pytest.raises(PdfRenderError, match="cannot load the PDF template"):
        PdfRenderer(folder)


def test_missing_school_template_folder(tmp_path: Path) -> None:
    with pytest.raises(PdfRenderError, match="does not exist"):
        PdfRenderer(tmp_path / "nowhere")


def test_school_template_values_are_escaped(tmp_path: Path, hostile_ra: dict[str, Any]) -> None:
    folder = school_templates(
        tmp_path,
        '<html lang="en-GB"><head><title>{{ doc.title }}</title></head><body>'
        "<p>{{ doc.subject }}</p></body></html>",
    )
    renderer = PdfRenderer(folder)
    html = renderer.render_html(hostile_document(hostile_ra))
    assert "Siobhán O&#39;Brien-Smith &amp; &lt;Co&gt;" in html


def test_school_template_falls_back_to_docgen_macros(tmp_path: Path) -> None:
    folder = school_templates(
        tmp_path,
        '{% from "macros.html" import fields %}<html lang="en-GB"><head><title>T</title>'
        "</head><body>{% for s in doc.sections %}{% for b in s.blocks %}"
        '{% if b.kind == "fields" %}{{ fields(b.rows) }}{% endif %}{% endfor %}{% endfor %}'
        "</body></html>",
    )
    doc = SAMPLE_DOCS[0].values[0]
    pdf = PdfRenderer(folder).render(doc)
    assert doc.sections[0].blocks[0].rows[0].label in " ".join(page_texts(pdf))


# --------------------------------------------------------------------------- misc


def test_warnings_box(renderer: PdfRenderer) -> None:
    base = SAMPLE_DOCS[0].values[0]
    doc = dataclasses.replace(base, warnings=(
        Notice("Visit authorised by", "Needs the DSL's <b>signature</b>.", "Policy 5.1"),
    ))
    text = " ".join(" ".join(page_texts(renderer.render(doc))).split())
    assert ("For the reviewer: outstanding policy points Visit authorised by: "
            "Needs the DSL's <b>signature</b>. (Policy 5.1)") in text
    text = " ".join(page_texts(renderer.render(dataclasses.replace(base, warnings=()))))
    assert "For the reviewer" not in text


def test_subsetting_note(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ctypes.util.find_library

    def missing(name: str) -> str | None:
        return None if name == "harfbuzz-subset" else real(name)

    monkeypatch.setattr(pdf_module.ctypes.util, "find_library", missing)
    note = subsetting_note()
    assert note is not None
    assert "apt-get install libharfbuzz-subset0" in note
    assert "4x slower" in note
    assert "\n" not in note
    monkeypatch.setattr(pdf_module.ctypes.util, "find_library", lambda name: "libx.so.0")
    assert subsetting_note() is None
