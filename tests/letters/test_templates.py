"""A school's own letter templates are checked before any letter is made (an unknown
placeholder, a required one missing, an element a letter cannot print: an error naming it), and
they run sandboxed with every value escaped."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx

from docgen.letters.docx import LetterDocxRenderer
from docgen.letters.kinds import KINDS
from docgen.letters.pdf import LetterPdfRenderer
from docgen.letters.templates import (
    OWN_DIR,
    LetterTemplateError,
    Wording,
    check,
    parse_wording,
    sample_letter,
)

CONCERN = KINDS["attendance-concern-1"]


def school_templates(tmp_path: Path, **files: str) -> Path:
    """A school's template folder with ``letters/<name>`` files (``__`` for ``/``)."""
    root = tmp_path / "our-templates"
    for name, text in files.items():
        path = root / "letters" / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    (root / "letters").mkdir(parents=True, exist_ok=True)
    return root


def test_docgen_s_own_templates_pass_their_checks() -> None:
    assert check(None, KINDS.values(), ("pdf", "docx")) == []


def test_a_misspelt_placeholder_is_named_and_nothing_is_checked_further(tmp_path: Path) -> None:
    source = (OWN_DIR / "wording" / "attendance-concern-1.html").read_text("utf-8")
    folder = school_templates(tmp_path, **{"wording__attendance-concern-1.html":
                                           source.replace("{{ possible }}",
                                                          "{{ posible }}")})
    problems = check(folder, [CONCERN], ())
    assert len(problems) == 2, problems
    assert "unknown placeholder {{ posible }} (did you mean possible?)" in problems[0]
    assert "attendance-concern-1.html" in problems[0]
    assert "the required placeholder {{ possible }} is missing" in problems[1]


def test_an_unknown_attribute_of_a_list_item_is_named(tmp_path: Path) -> None:
    folder = school_templates(tmp_path, **{"wording__attendance-concern-1.html": (
        "{{ pupil_name }} {{ period_from }} {{ period_to }} {{ possible }} {{ attended }} "
        "{{ attendance_percent }} {{ contact_name }} {{ contact_phone }} {{ missed }} "
        "{% for s in support %}{{ s }}{% endfor %}"
        "{% for a in absences %}{{ a.reson }}{% endfor %}")})
    problems = check(folder, [CONCERN], ())
    assert problems == [f"{folder}/letters/wording/attendance-concern-1.html: unknown "
                        "placeholder {{ a.reson }} (did you mean reason?)"]


def test_an_element_a_letter_cannot_print_is_refused(tmp_path: Path) -> None:
    source = (OWN_DIR / "wording" / "attendance-concern-1.html").read_text("utf-8")
    folder = school_templates(tmp_path, **{"wording__attendance-concern-1.html":
                                           source + '<img src="file:///etc/passwd">'})
    problems = check(folder, [CONCERN], ())
    assert len(problems) == 1 and "<img> cannot be used in a letter's wording" in problems[0]


def test_a_translated_wording_is_used(tmp_path: Path) -> None:
    source = (OWN_DIR / "wording" / "attendance-concern-1.html").read_text("utf-8")
    polish = source.replace("attendance at school", "frekwencja w szkole")
    folder = school_templates(tmp_path, **{"wording__attendance-concern-1.html": polish})
    assert check(folder, [CONCERN], ()) == []
    title, _ = Wording(folder).render(CONCERN, CONCERN.example())
    assert title == "Oliver's frekwencja w szkole"


def test_the_sandbox_stops_a_template_reaching_python(tmp_path: Path) -> None:
    source = (OWN_DIR / "wording" / "attendance-concern-1.html").read_text("utf-8")
    folder = school_templates(tmp_path, **{"wording__attendance-concern-1.html":
                                           source + "{{ pupil_name.__class__.__mro__ }}"})
    problems = check(folder, [CONCERN], ())
    assert problems and "unsafe" in problems[0].lower()


def test_values_are_text_however_they_look() -> None:
    context = {**CONCERN.example(), "pupil_name": "<b>x</b> & {{ y }}",
               "support": ["<script>alert(1)</script>"]}
    _, blocks = Wording().render(CONCERN, context)
    texts = [b.text for b in blocks]
    assert any("<b>x</b> & {{ y }}" in t for t in texts)
    assert "<script>alert(1)</script>" in texts
    assert all(not r.bold for b in blocks for r in b.runs if "<b>x</b>" in r.text)


def test_wording_html_becomes_blocks() -> None:
    title, blocks = parse_wording(
        "<h1>Subject  line</h1>\n<p>One <strong>bold</strong>\n and\tspaced<br>next</p>"
        "<ol><li>first</li><li>second</li></ol><table><tr><th>A</th><td>1</td></tr></table>")
    assert title == "Subject line"
    assert [(b.kind, b.text, b.number) for b in blocks[:3]] == [
        ("p", "One bold and spaced\nnext", 0), ("li", "first", 1), ("li", "second", 2)]
    assert [r.bold for r in blocks[0].runs] == [False, True, False]
    assert [[(c.text, c.header) for c in row] for row in blocks[3].rows] == [
        [("A", True), ("1", False)]]


def test_a_school_s_html_layout_is_checked(tmp_path: Path) -> None:
    layout = (OWN_DIR / "letter.html").read_text("utf-8")
    misspelt = layout.replace("{{ letter.date }}", "{{ letter.dated }}")
    folder = school_templates(tmp_path, **{"letter.html": misspelt})
    problems = LetterPdfRenderer.check(folder)
    assert any("unknown placeholder {{ letter.dated }} (did you mean date?)" in p
               for p in problems), problems
    assert any("required placeholder {{ letter.date }} is missing" in p for p in problems)


def _replace_in_docx(source: Path, target: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new).encode("utf-8")
            zout.writestr(info, data)


def test_a_school_s_word_letterhead_is_checked(tmp_path: Path) -> None:
    folder = school_templates(tmp_path)
    _replace_in_docx(OWN_DIR / "letter.docx", folder / "letters" / "letter.docx",
                     "letter.reference", "letter.refernce")
    problems = LetterDocxRenderer.check(folder)
    assert any("unknown placeholder {{ letter.refernce }} (did you mean reference?)" in p
               for p in problems), problems


def test_a_school_s_word_letterhead_prints_letters(tmp_path: Path) -> None:
    folder = school_templates(tmp_path)
    _replace_in_docx(OWN_DIR / "letter.docx", folder / "letters" / "letter.docx",
                     "Our reference: ", "Quote: ")
    assert LetterDocxRenderer.check(folder) == []
    data = LetterDocxRenderer(folder).render(sample_letter())
    text = "\n".join(c.text for t in open_docx(io.BytesIO(data)).tables
                     for row in t.rows for c in row.cells)
    assert "Quote: AC1-20261123-K7QA" in text


def test_a_broken_word_template_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    folder = school_templates(tmp_path)
    (folder / "letters" / "letter.docx").write_bytes(b"not a zip")
    problems = LetterDocxRenderer.check(folder)
    assert problems and "is not a Word (.docx) template" in problems[0]


def test_template_errors_at_render_time_name_the_file(tmp_path: Path) -> None:
    folder = school_templates(tmp_path, **{"wording__missed-you.html": "{{ 1 / 0 }}"})
    with pytest.raises(LetterTemplateError) as error:
        Wording(folder).render(KINDS["missed-you"], KINDS["missed-you"].example())
    assert "missed-you.html" in str(error.value)


def test_css_and_fonts_a_school_adds_are_served_only_from_its_folder(tmp_path: Path) -> None:
    folder = school_templates(tmp_path, **{
        "letter.css": (OWN_DIR / "letter.css").read_text("utf-8")
        + "\nbody { background: url(file:///etc/hostname); }"})
    shutil.copy(OWN_DIR / "letter.html", folder / "letters" / "letter.html")
    renderer = LetterPdfRenderer(folder)
    data = renderer.render(sample_letter())
    assert data.startswith(b"%PDF")
