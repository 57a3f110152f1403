"""A school's template folder holding symbolic links out of it: a template that includes,
imports or extends a link to a file elsewhere, a template or a style sheet that is itself such
a link, an ``html`` folder that is one, a Word template that is one, and a named pipe in place
of a template. None may print the file it leads to; the refusal names the file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from docgen.config import SAMPLE_SCHOOL
from docgen.documents.context import build_document
from docgen.documents.document import Document
from docgen.documents.docx import TEMPLATE_DIR as DOCX_TEMPLATES
from docgen.documents.docx import DocxRenderer, DocxTemplateError
from docgen.documents.pdf import PdfRenderer, PdfRenderError
from docgen.policy import load_policy
from docgen.report import ExitCode
from docgen.schemas import FORMS

from .conftest import TODAY, files_in, pdf_text, run, run_guarded

SECRET = "root:x:0:0:secret-line-from-outside"
PAGE = ('<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body>{body}'
        "</body></html>")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside every template folder, like /etc/passwd."""
    path = tmp_path / "elsewhere" / "passwd"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "school-templates"
    (root / "html").mkdir(parents=True)
    return root


@pytest.fixture
def document(ra: dict[str, Any]) -> Document:
    return build_document(FORMS["risk-assessment"].model_validate(ra), SAMPLE_SCHOOL,
                          load_policy("att"))


@pytest.mark.parametrize("statement", [
    '{% include "secret.html" %}',
    '{% import "secret.html" as s %}',
    '{% from "secret.html" import x %}',
])
def test_a_template_cannot_pull_in_a_link_out(folder: Path, outside: Path, statement: str,
                                              document: Document) -> None:
    (folder / "html" / "secret.html").symlink_to(outside)
    (folder / "html" / "document.html").write_text(PAGE.format(body=statement))
    renderer = PdfRenderer(folder)
    fetcher = renderer.fetcher_for(document)
    with pytest.raises(PdfRenderError) as caught:
        renderer.render(document, fetcher)
    message = str(caught.value)
    assert f"{folder / 'html' / 'secret.html'} leads outside the template folder" in message
    assert SECRET not in message
    assert fetcher.served == [] and fetcher.refused == []  # nothing was laid out


def test_a_template_cannot_extend_a_link_out(folder: Path, outside: Path,
                                             document: Document) -> None:
    (folder / "html" / "base.html").symlink_to(outside)
    (folder / "html" / "document.html").write_text('{% extends "base.html" %}')
    with pytest.raises(PdfRenderError) as caught:
        PdfRenderer(folder).render(document)
    assert "base.html leads outside the template folder" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_the_template_itself_a_link_out(folder: Path, outside: Path) -> None:
    (folder / "html" / "document.html").symlink_to(outside)
    with pytest.raises(PdfRenderError) as caught:
        PdfRenderer(folder)
    assert "document.html leads outside the template folder" in str(caught.value)


def test_the_html_folder_a_link_out(folder: Path, outside: Path) -> None:
    (outside.parent / "document.html").write_text(
        PAGE.format(body='{% include "passwd" %}'))
    (folder / "html").rmdir()
    (folder / "html").symlink_to(outside.parent)
    with pytest.raises(PdfRenderError) as caught:
        PdfRenderer(folder)
    assert "leads outside the template folder" in str(caught.value)


def test_a_link_inside_the_folder_is_fine(folder: Path, document: Document) -> None:
    """The rule is the fetcher's: links are followed, as long as they stay inside."""
    (folder / "html" / "page.html").write_text(PAGE.format(body="<p>{{ doc.title }}</p>"))
    (folder / "html" / "document.html").symlink_to(folder / "html" / "page.html")
    pdf = PdfRenderer(folder).render(document)
    assert "Home Visit Risk Assessment" in pdf_text(pdf)


def test_the_style_sheet_a_link_out(folder: Path, outside: Path) -> None:
    (folder / "css").mkdir()
    (folder / "css" / "document.css").symlink_to(outside)
    with pytest.raises(PdfRenderError) as caught:
        PdfRenderer(folder)
    assert "document.css leads outside the template folder" in str(caught.value)


def test_a_word_template_a_link_out(folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "confidential.docx"
    other.parent.mkdir(exist_ok=True)
    shutil.copy(DOCX_TEMPLATES / "document.docx", other)
    (folder / "docx").mkdir()
    (folder / "docx" / "document.docx").symlink_to(other)
    with pytest.raises(DocxTemplateError) as caught:
        DocxRenderer(folder)
    assert "document.docx leads outside the template folder" in str(caught.value)


def test_from_the_command_line_nothing_is_printed(folder: Path, outside: Path,
                                                  tmp_path: Path, ra: dict[str, Any]) -> None:
    (folder / "html" / "secret.html").symlink_to(outside)
    (folder / "html" / "document.html").write_text(
        PAGE.format(body='{% include "secret.html" %}'))
    source = tmp_path / "visit.json"
    source.write_text(json.dumps(ra), "utf-8")
    out = tmp_path / "out"
    result = run("render", source, "--templates", folder, "--out", out, "--today", TODAY)
    assert result.exit_code != ExitCode.OK
    assert "secret.html leads outside the template folder" in result.output
    assert SECRET not in result.output
    assert files_in(out) == []


def test_a_named_pipe_for_a_template_is_refused_without_waiting(folder: Path, tmp_path: Path,
                                                                ra: dict[str, Any]) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes need a POSIX system")
    os.mkfifo(folder / "html" / "document.html")
    source = tmp_path / "visit.json"
    source.write_text(json.dumps(ra), "utf-8")
    out = tmp_path / "out"
    done = run_guarded("render", source, "--templates", folder, "--out", out,
                       "--today", TODAY)
    assert done.returncode != ExitCode.OK
    assert "document.html is not a regular file (a named pipe)" in done.stdout + done.stderr
    assert files_in(out) == []


def test_the_run_fingerprint_never_reads_a_link_out(folder: Path, outside: Path) -> None:
    """A rerun notices a changed template by a digest of the template folder: a link out is
    not read for it (a link to a 10 GB file would be read whole), only named."""
    from docgen.pipeline.workers import RendererSpec

    (folder / "html" / "document.html").write_text(PAGE.format(body="<p>x</p>"))
    (folder / "html" / "secret.html").symlink_to(outside)
    spec = RendererSpec(folder)
    before = spec.fingerprint()
    outside.write_text("changed outside the folder\n")
    assert spec.fingerprint() == before
    (folder / "html" / "document.html").write_text(PAGE.format(body="<p>y</p>"))
    assert spec.fingerprint() != before


@pytest.mark.parametrize("setting", ["/", "/usr", "."])
def test_a_folder_that_is_not_a_template_folder(tmp_path: Path, setting: str) -> None:
    """templates = "/" had every run digest the whole disk (a rerun notices a changed
    template by reading the template folder)."""
    from docgen.config import ConfigError, load_school

    path = tmp_path / "school.toml"
    path.write_text(f'[school]\nname = "X"\n[documents]\ntemplates = "{setting}"\n')
    with pytest.raises(ConfigError) as caught:
        load_school(path)
    folder = (tmp_path / setting).resolve()
    assert str(caught.value) == (
        f"{path}: documents.templates: {folder} is not a template folder: it has none of "
        "html/, css/, docx/, letters/ (lay it out like docgen's templates folder).")
    result = run("render", tmp_path, "--templates", folder, "--out", tmp_path / "out")
    assert result.exit_code == ExitCode.USAGE
    assert "is not a template folder" in result.output


@pytest.mark.parametrize(("payload", "says"), [
    ('{{ "x" * 10**9 }}', "more than 1,000,000 characters or items with one '*'"),
    ('{{ 10**9 * "x" }}', "more than 1,000,000 characters or items with one '*'"),
    ("{{ [0] * 10**8 }}", "more than 1,000,000 characters or items with one '*'"),
    ("{{ 2 ** (10 ** 10) }}", "a number too large to print"),
    ('{% set s = namespace(x="x" * 1000) %}{% for i in range(20) %}{% set s.x = s.x + s.x %}'
     "{% endfor %}{{ s.x|length }}", "more than 1,000,000 characters or items with one '+'"),
    ("{{ lipsum(1000000) }}", "'lipsum' is undefined"),
])
def test_a_template_cannot_make_a_memory_bomb(folder: Path, document: Document, payload: str,
                                              says: str) -> None:
    """The sandbox limits range() to 100,000 items, but "x" * 10**9 made a gigabyte."""
    (folder / "html" / "document.html").write_text(PAGE.format(body=f"<p>{payload}</p>"))
    with pytest.raises(PdfRenderError) as caught:
        PdfRenderer(folder).render_html(document)
    assert says in str(caught.value)


def test_padding_filters_are_clamped_and_ordinary_arithmetic_works(folder: Path,
                                                                   document: Document) -> None:
    (folder / "html" / "document.html").write_text(PAGE.format(
        body='<p>{{ 2 ** 10 }} {{ "ab" * 3 }} [{{ "x"|center(10 ** 9) }}]</p>'))
    html = PdfRenderer(folder).render_html(document)
    padded = html.split("[", 1)[1].split("]", 1)[0]
    assert "1024 ababab" in html and len(padded) == 1000


def test_a_word_template_cannot_make_a_memory_bomb(tmp_path: Path, document: Document) -> None:
    from docx import Document as WordDocument

    root = tmp_path / "word"
    (root / "docx").mkdir(parents=True)
    for name in ("document.docx", "document-landscape.docx"):
        word = WordDocument()
        word.add_paragraph('{{ "x" * 10**9 }}')
        word.save(str(root / "docx" / name))
    with pytest.raises(DocxTemplateError) as caught:
        DocxRenderer(root).render(document)
    assert "more than 1,000,000 characters" in str(caught.value)
