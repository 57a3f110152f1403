"""The Word renderer: every label and answer of the document, in order, in a file that opens;
typed values printed literally; blank answers as lines; school templates sandboxed."""

from __future__ import annotations

import copy
import io
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from jinja2.exceptions import SecurityError

from docgen.config import SAMPLE_SCHOOL
from docgen.documents.context import build_document
from docgen.documents.document import (
    Answer,
    Block,
    Document,
    Grid,
    Notice,
    Row,
    SchoolHeader,
    Section,
)
from docgen.documents.docx import (
    TEMPLATE_DIR,
    DocxRenderer,
    DocxTemplateError,
    UndefinedNamesError,
)
from docgen.policy import load_policy
from docgen.validation import validate, validate_record

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_NAME = "Siobhán O'Brien-Smith & <Co>"
LONG_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100)[:4999] + "!"
HOSTILE_LINES = [
    'She said "quotes" & \'apostrophes\' <b>not bold</b>',
    "{{ not_a_var }} and {% if %} and {_{ x }_} and {%p endfor %}",
    "An emoji 🏠 and a tab\there",
]
NBSP = "\u00a0"


# --------------------------------------------------------------------------- helpers


@cache
def renderer() -> DocxRenderer:
    return DocxRenderer()


def sample_documents() -> Iterator[tuple[str, Document]]:
    for preset in ("att", "westside"):
        paths = sorted(str(p) for p in (ROOT / "samples" / preset).iterdir()
                       if p.suffix in (".json", ".xlsx"))
        report = validate(paths, preset)
        policy = load_policy(preset)
        for record in report.records:
            if record.ok:
                yield (f"{preset}:{record.location}",
                       build_document(record.form, SAMPLE_SCHOOL, policy, record.warnings))


SAMPLES = list(sample_documents())


@cache
def rendered(index: int) -> bytes:
    return renderer().render(SAMPLES[index][1])


def paragraph_text(p: Any) -> str:
    out = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag == qn("w:tab"):
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def story(element: Any) -> list[str]:
    """Every paragraph's text in document order, including those in (nested) tables."""
    return [paragraph_text(p) for p in element.iter(qn("w:p"))]


def body_text(data: bytes) -> str:
    """The body's text; a number printed unbroken (its spaces no-break spaces) reads as typed."""
    text = "\n".join(story(docx.Document(io.BytesIO(data)).element.body))
    return text.replace(NBSP, " ")


def header_footer_text(data: bytes) -> tuple[str, str]:
    section = docx.Document(io.BytesIO(data)).sections[0]
    return "\n".join(story(section.header._element)), "\n".join(story(section.footer._element))


def assert_in_order(expected: list[str], text: str) -> None:
    position = 0
    for item in expected:
        found = text.find(item, position)
        assert found >= 0, f"{item!r} missing (or out of order) after {text[:position][-80:]!r}"
        position = found + len(item)


def assert_no_stray_none(document: Document, text: str) -> None:
    """"None" prints only where staff typed it ("None known about the family")."""
    typed = [document.title, document.subject, document.marking, *document.texts(),
             *(n.field + n.citation for n in document.warnings)]
    assert text.count("None") == sum(t.count("None") for t in typed)


def rows_by_label(data: bytes) -> dict[str, list[Any]]:
    """Two-column question rows: label -> answer cells, in order."""
    out: dict[str, list[Any]] = {}
    for table in docx.Document(io.BytesIO(data)).tables:
        for row in table.rows:
            cells = row.cells
            if len(cells) == 2:
                out.setdefault(cells[0].text, []).append(cells[1])
    return out


def answer_rows(document: Document) -> Iterator[Row]:
    for section in document.sections:
        for block in section.blocks:
            yield from block.rows


def png(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x1f\x38\x64" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def school_template(tmp_path: Path, *texts: str) -> Path:
    """A school's template folder (laid out like docgen's own, Word templates in ``docx/``)
    whose documents hold ``texts`` as paragraphs."""
    root = tmp_path / "school-templates"
    folder = root / "docx"
    folder.mkdir(parents=True)
    made = docx.Document()
    for text in texts:
        made.add_paragraph(text)
    made.save(folder / "document.docx")
    shutil.copy(folder / "document.docx", folder / "document-landscape.docx")
    return root


def simple_document(**changes: Any) -> Document:
    base = Document(
        kind="test", title="Test form", school=SchoolHeader("Test School"), subject="Jane Smith",
        sections=(Section("Part one", (Block("fields", rows=(Row("Label", Answer("x")),)),)),),
    )
    return replace(base, **changes)


# --------------------------------------------------------------------------- every sample


def test_samples_cover_both_presets_and_forms() -> None:
    assert len(SAMPLES) >= 12
    assert {d.kind for _, d in SAMPLES} == {"risk-assessment", "visit-report"}
    assert any(d.warnings for _, d in SAMPLES)
    assert any(not d.warnings for _, d in SAMPLES)


@pytest.mark.parametrize("index", range(len(SAMPLES)), ids=[name for name, _ in SAMPLES])
def test_every_label_and_answer_in_reading_order(index: int) -> None:
    document = SAMPLES[index][1]
    data = rendered(index)
    text = body_text(data)
    assert_in_order(document.texts(), text)
    header, footer = header_footer_text(data)
    assert_no_stray_none(document, text + header + footer)
    assert document.school.name in header
    assert document.marking in header
    assert_in_order([document.title, document.subject, "Page", "of", document.marking], footer)
    assert ("For the reviewer: outstanding policy points" in text) == bool(document.warnings)


@pytest.mark.parametrize("index", range(len(SAMPLES)), ids=[name for name, _ in SAMPLES])
def test_tick_boxes_and_blank_lines(index: int) -> None:
    document = SAMPLES[index][1]
    cells = rows_by_label(rendered(index))
    seen: dict[str, int] = {}
    for row in answer_rows(document):
        n = seen[row.label] = seen.get(row.label, -1) + 1
        cell = cells[row.label][n]
        answer = row.answer
        if answer.options:
            for option in answer.options:
                assert f"{option.box}{NBSP}{option.label}" in cell.text
            assert cell.text.count("☒") == sum(o.ticked for o in answer.options)
        elif answer.blank:
            assert cell.text.strip() == ""
            lines = [p for p in cell.paragraphs if p.style.name == "Form Blank"]
            assert len(lines) == answer.lines
            assert all(p._p.pPr is not None for p in lines)
        else:
            assert [p.text for p in cell.paragraphs] == (answer.paragraphs or [""])


def test_warnings_box_lists_field_message_and_citation() -> None:
    _, document = next((n, d) for n, d in SAMPLES if "westside" in n and d.warnings
                          and "nobody-home" in n)
    text = body_text(renderer().render(document))
    box = text[text.index("For the reviewer"):]
    expected = []
    for notice in document.warnings:
        expected += [notice.field, notice.message, notice.citation]
    assert_in_order([e for e in expected if e], box)


def test_footer_has_page_fields_and_marking() -> None:
    data = renderer().render(simple_document(marking="OFFICIAL"))
    footer = docx.Document(io.BytesIO(data)).sections[0].footer._element
    instructions = " ".join(t.text for t in footer.iter(qn("w:instrText")))
    instructions += " ".join(f.get(qn("w:instr")) for f in footer.iter(qn("w:fldSimple")))
    assert "PAGE" in instructions.split()
    assert "NUMPAGES" in instructions.split()
    assert "OFFICIAL" in "\n".join(story(footer))


def test_core_properties_say_only_what_the_document_is() -> None:
    data = renderer().render(simple_document(title="Home Visit Report", subject="A & B"))
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "Home Visit Report"
    assert props.subject == "A & B"
    assert props.language == "en-GB"
    assert props.author == "docgen"
    for name in ("keywords", "category", "comments", "last_modified_by", "identifier",
                 "content_status", "version"):
        assert getattr(props, name) in ("", None), name
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
    assert not any("thumbnail" in n or n.startswith("customXml") for n in names)
    assert "Microsoft" not in app and "python-docx" not in app


def test_page_size_and_orientation() -> None:
    portrait = docx.Document(io.BytesIO(renderer().render(simple_document()))).sections[0]
    assert (portrait.page_width.mm, portrait.page_height.mm) == pytest.approx((210, 297), 0.5)
    wide = renderer().render(simple_document(landscape=True))
    landscape = docx.Document(io.BytesIO(wide)).sections[0]
    assert (landscape.page_width.mm, landscape.page_height.mm) == pytest.approx((297, 210), 0.5)


# --------------------------------------------------------------------------- hostile values


@pytest.fixture
def hostile(ra: dict[str, Any]) -> Document:
    data = copy.deepcopy(ra)
    data["pupil_name"] = HOSTILE_NAME
    data["why_required"] = "\n".join(HOSTILE_LINES)
    data["mitigation"] = LONG_TEXT
    data["staff"][0]["name"] = HOSTILE_NAME
    data["assessed_by"] = HOSTILE_NAME
    data["address"] = "Flat 1\n\n2 Quote's Yard & Sons\nTown <TN1>"
    record = validate_record(data, "att")
    assert record.ok, record.issues
    return build_document(record.form, SAMPLE_SCHOOL, load_policy("att"), record.warnings)


def test_hostile_values_print_literally(hostile: Document) -> None:
    data = renderer().render(hostile)
    text = body_text(data)
    for line in HOSTILE_LINES:
        assert line in text
    assert text.count(HOSTILE_NAME) >= 3
    assert LONG_TEXT in text
    assert_in_order(hostile.texts(), text)
    _header, footer = header_footer_text(data)
    assert HOSTILE_NAME in footer  # the subject
    assert_no_stray_none(hostile, text)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert HOSTILE_NAME in props.subject


def test_hostile_document_is_well_formed_xml(hostile: Document) -> None:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(renderer().render(hostile))) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(z.read(name))  # raises if any part is broken


def test_long_rows_may_split_short_rows_may_not(hostile: Document) -> None:
    opened = docx.Document(io.BytesIO(renderer().render(hostile)))
    split: dict[bool, list[str]] = {True: [], False: []}
    for table in opened.tables:
        for row in table.rows:
            cant = row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}")
            if cant is not None:
                split[cant.get(qn("w:val")) == "true"].append(row.cells[0].text)
    assert "What steps have you taken to mitigate these risks (if applicable)" in split[False]
    assert "Name of pupil" in split[True]


def test_grid_header_rows_repeat_and_matrix_emphasis_is_bold() -> None:
    _, document = next((n, d) for n, d in SAMPLES if "att" in n and "high-risk" in n)
    opened = docx.Document(io.BytesIO(renderer().render(document)))
    matrix = next(t for t in opened.tables if t.rows[0].cells[0].text == "Hazards")
    assert matrix.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    grid = next(b.grid for s in document.sections for b in s.blocks
                if b.grid is not None and b.grid.kind == "matrix")
    assert len(matrix.columns) == len(grid.columns)
    for cells, row in zip(grid.rows, matrix.rows[1:], strict=True):
        for answer, cell in zip(cells, row.cells, strict=True):
            bold = {r.bold for p in cell.paragraphs for r in p.runs if r.text}
            assert bold == {answer.emphasis or answer.header}


# --------------------------------------------------------------------------- grids


def grid_document(*grids: Grid, landscape: bool = False) -> Document:
    return simple_document(
        kind="checkins", landscape=landscape,
        sections=(Section("Visits", tuple(Block("grid", grid=g) for g in grids)),),
    )


@pytest.mark.parametrize("width", [1, 2, 3, 5, 9])
def test_grid_columns_follow_the_data(width: int) -> None:
    columns = tuple(f"Column {i}" for i in range(width))
    rows = tuple(tuple(Answer(f"r{r}c{c}") for c in range(width)) for r in range(3))
    data = renderer().render(grid_document(Grid(columns, rows, caption="Grid")))
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert [c.text for c in table.rows[0].cells] == list(columns)
    assert len(table._tbl.tblGrid.findall(qn("w:gridCol"))) == width
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        [a.text for a in cells] for cells in rows]


def test_grid_rows_with_a_long_cell_may_split() -> None:
    rows = ((Answer("short"), Answer(LONG_TEXT)), (Answer("short"), Answer("also short")))
    data = renderer().render(grid_document(Grid(("A", "B"), rows)))
    table = docx.Document(io.BytesIO(data)).tables[0]
    flags = [row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}").get(qn("w:val"))
             for row in table.rows]
    assert flags == ["true", "false", "true"]
    assert LONG_TEXT in body_text(data)


def test_check_in_sheet_is_landscape_with_a_wide_grid() -> None:
    columns = ("Visit", "Staff and mobiles", "Address", "Vehicle", "Starts", "Back by",
               "Office calls", "Back at", "Out of hours")
    rows = (
        (Answer("HV-1", header=True), Answer("Alex Adams  07700 900001\nBo Brown  07700 900002"),
         Answer("1 High Street\nTown"), Answer(blank=True), Answer("10:00"), Answer("11:00"),
         Answer("☐ 10:10"), Answer("☐ at ________"), Answer("In school hours")),
    )
    document = replace(grid_document(Grid(columns, rows, caption="Visits"), landscape=True),
                       title="Office check-in sheet", subject="Visits on 24/11/2026",
                       notes=("Never write the code word on this sheet.",))
    data = renderer().render(document)
    opened = docx.Document(io.BytesIO(data))
    assert opened.sections[0].page_width > opened.sections[0].page_height
    assert_in_order(document.texts(), body_text(data))
    assert document.notes[0] in body_text(data)
    assert "Sign-off" not in body_text(data)
    assert len(opened.tables[0].columns) == len(columns)


def test_empty_grid_prints_its_header_row() -> None:
    data = renderer().render(grid_document(Grid(("Name", "Phone"), ())))
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Name", "Phone"]
    assert len(table.rows) == 1


def test_answer_without_text_prints_an_empty_cell_not_none() -> None:
    document = simple_document(sections=(Section("", (
        Block("fields", rows=(Row("Empty", Answer()), Row("Blank", Answer(blank=True, lines=3)))),
    )),))
    data = renderer().render(document)
    cells = rows_by_label(data)
    assert cells["Empty"][0].text == ""
    assert len(cells["Blank"][0].paragraphs) == 3
    assert "None" not in body_text(data)


# --------------------------------------------------------------------------- the logo


def test_logo_prints_in_the_header(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    document = simple_document(school=SchoolHeader("Logo School", logo=str(logo)))
    data = renderer().render(document)
    # the first page's masthead, as the PDF's: the logo on the left, then the school
    header = docx.Document(io.BytesIO(data)).sections[0].first_page_header
    logo_cell, details, marking = header.tables[0].rows[0].cells
    assert logo_cell._element.findall(f".//{qn('w:drawing')}")
    assert details.paragraphs[0].text == "Logo School"
    assert marking.paragraphs[0].text == document.marking
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())


def test_no_logo_no_image() -> None:
    data = renderer().render(simple_document())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(n.startswith("word/media/") for n in z.namelist())


def test_broken_logo_is_a_clear_error(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"not an image")
    with pytest.raises(DocxTemplateError, match="logo"):
        renderer().render(simple_document(school=SchoolHeader("S", logo=str(logo))))


# --------------------------------------------------------------------------- school templates


def test_a_school_template_renders(tmp_path: Path) -> None:
    folder = school_template(tmp_path, "{{ doc.school.name }}: {{ doc.title }}",
                             "{%p for section in doc.sections %}", "{{ section.title }}",
                             "{%p endfor %}")
    data = DocxRenderer(folder).render(simple_document(title="A <b> & C"))
    assert body_text(data) == "Test School: A <b> & C\nPart one"


def test_school_template_cannot_print_values_as_raw_xml(tmp_path: Path) -> None:
    folder = school_template(tmp_path, "{{ doc.title | safe }}",
                             "{{ doc.sections[0].blocks[0].rows[0].answer.paragraphs | join }}")
    document = simple_document(
        title="</w:t></w:r><w:r><w:t>injected",
        sections=(Section("S", (Block("fields", rows=(
            Row("L", Answer("a {_{ b }_} <c>\n& d")),)),)),),
    )
    text = body_text(DocxRenderer(folder).render(document))
    assert text == "</w:t></w:r><w:r><w:t>injected\na {_{ b }_} <c>& d"


def test_template_with_an_unknown_name_is_refused(tmp_path: Path) -> None:
    folder = school_template(tmp_path, "{{ doc.title }} {{ school_motto }}")
    with pytest.raises(UndefinedNamesError, match="school_motto"):
        DocxRenderer(folder).render(simple_document())


def test_template_with_an_undefined_attribute_fails(tmp_path: Path) -> None:
    folder = school_template(tmp_path, "{{ doc.no_such_thing }}")
    with pytest.raises(DocxTemplateError, match="no_such_thing"):
        DocxRenderer(folder).render(simple_document())


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ doc.__class__.__init__.__globals__ }}",
    "{{ doc.texts.__func__.__globals__ }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
])
def test_school_template_runs_sandboxed(tmp_path: Path, attack: str) -> None:
    folder = school_template(tmp_path, attack)
    with pytest.raises(DocxTemplateError) as raised:
        DocxRenderer(folder).render(simple_document())
    assert isinstance(raised.value.__cause__, SecurityError)


def test_templates_are_read_once(tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(TEMPLATE_DIR, root / "docx")
    once = DocxRenderer(root)
    first = body_text(once.render(simple_document()))
    shutil.rmtree(root)
    assert body_text(once.render(simple_document())) == first


def test_a_school_folder_supplies_only_what_it_changes(tmp_path: Path) -> None:
    root = school_template(tmp_path, "Portrait of {{ doc.title }}")
    (root / "docx" / "document-landscape.docx").unlink()
    renderer = DocxRenderer(root)
    assert body_text(renderer.render(simple_document())) == "Portrait of Test form"
    landscape = body_text(renderer.render(simple_document(landscape=True)))
    assert "Test form" in landscape and "Portrait of" not in landscape  # docgen's own


def test_missing_template_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DocxTemplateError, match="does not exist"):
        DocxRenderer(tmp_path / "nowhere")


def test_template_that_is_not_a_word_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "docx").mkdir()
    for name in ("document.docx", "document-landscape.docx"):
        (tmp_path / "docx" / name).write_text("{{ doc.title }}")
    with pytest.raises(DocxTemplateError, match="not a Word"):
        DocxRenderer(tmp_path)


def test_template_making_broken_xml_is_a_clear_error(tmp_path: Path) -> None:
    folder = school_template(tmp_path, "{{ doc.title }}")
    for name in ("document.docx", "document-landscape.docx"):
        made = docx.Document(str(folder / "docx" / name))
        header = made.sections[0].header
        table = header.add_table(1, 1, made.sections[0].page_width)
        table.cell(0, 0).paragraphs[0].text = "{%p if false %}"  # opens inside a cell
        header.add_paragraph("{%p endif %}")  # closes outside the table
        made.save(str(folder / "docx" / name))
    with pytest.raises(DocxTemplateError, match="invalid XML"):
        DocxRenderer(folder).render(simple_document())


def test_warnings_only_when_there_are_warnings() -> None:
    notice = Notice("Field & <x>", "Message {{ x }}", "Policy “quote”")
    data = renderer().render(simple_document(warnings=(notice,)))
    text = body_text(data)
    assert_in_order(["For the reviewer: outstanding policy points", "Field & <x>",
                     "Message {{ x }}", "Policy “quote”"], text)
    assert "For the reviewer" not in body_text(renderer().render(simple_document()))


def test_committed_templates_are_what_the_build_script_makes(tmp_path: Path) -> None:
    """docgen/templates/docx is generated: edit scripts/build_docx_templates.py, then run
    `make templates`."""
    import subprocess
    import sys

    script = TEMPLATE_DIR.parents[2] / "scripts" / "build_docx_templates.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True,
                   capture_output=True)
    for name in ("document.docx", "document-landscape.docx"):
        assert (tmp_path / name).read_bytes() == (TEMPLATE_DIR / name).read_bytes(), name
