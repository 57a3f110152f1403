"""Letters as PDF: laid out in batches, each letter the same bytes whatever its batch; the
pipeline falls back to one at a time when a batch fails; the combined PDF."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pypdf import PdfReader

from docgen.letters.combine import combine_pdfs
from docgen.letters.kinds import KINDS
from docgen.letters.letter import Letter
from docgen.letters.pdf import LetterPdfRenderer, batchable
from docgen.letters.templates import sample_letter
from docgen.pipeline.workers import Renderers, RendererSpec, Task, render_with


@pytest.fixture(scope="module")
def renderer() -> LetterPdfRenderer:
    return LetterPdfRenderer()


def variant(name: str, kind: str = "attendance-concern-1") -> Letter:
    base = sample_letter(KINDS[kind])
    return dataclasses.replace(base, pupil=name, recipient=(f"Ms {name}", *base.recipient[1:]),
                               confidential=f"Private and confidential: to the parent or "
                                            f"carer of {name}")


def test_a_letter_is_the_same_alone_or_in_any_batch(renderer: LetterPdfRenderer) -> None:
    letters = [variant("Amy Good"), variant("Zoë Quinn", "la-notification"),
               variant("Łukasz Wójcik"), variant("Bo Brown", "visit-appointment")]
    assert [batchable(x) for x in letters] == [True, True, False, True]
    together = renderer.render_many(letters)
    alone = [renderer.render(x) for x in letters]
    assert together == alone
    assert renderer.render_many(letters[::-1]) == alone[::-1]
    reader = PdfReader(io.BytesIO(together[2]))
    assert "Łukasz Wójcik" in reader.pages[0].extract_text()
    assert reader.metadata.title == "Oliver's attendance at school – Łukasz Wójcik"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    # each letter carries only the fonts its own pages use
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert 1 <= len(fonts) <= 3


def test_the_primer_page_is_not_part_of_any_letter(renderer: LetterPdfRenderer) -> None:
    [data] = renderer.render_many([variant("Amy Good")])
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 1
    assert "Amy Good" in pages[0].extract_text()
    assert "ÿ" not in pages[0].extract_text()


class _Flaky:
    """A batch renderer whose batches fail when any document is 'bad'."""

    calls: ClassVar[list[str]] = []

    def render(self, document: Any) -> bytes:
        _Flaky.calls.append("one")
        if document.kind == "bad":
            raise RuntimeError("bad letter")
        return document.kind.encode()

    def render_many(self, documents: list[Any]) -> list[bytes]:
        _Flaky.calls.append("many")
        if any(d.kind == "bad" for d in documents):
            raise RuntimeError("one of them is bad")
        return [d.kind.encode() for d in documents]


@dataclasses.dataclass(frozen=True)
class _Doc:
    kind: str


@dataclasses.dataclass(frozen=True)
class _FlakySpec(RendererSpec):
    def build(self, fmt: Any) -> Any:
        return _Flaky()


def test_a_failing_batch_is_rendered_again_one_by_one() -> None:
    _Flaky.calls = []
    renderers = Renderers(_FlakySpec())
    tasks = [Task(1, _Doc("a"), "pdf"), Task(2, _Doc("bad"), "pdf"), Task(3, _Doc("c"), "pdf")]
    results = render_with(renderers, tasks, timeout=10)
    assert [(r.id, r.data) for r in results] == [(1, b"a"), (2, None), (3, b"c")]
    assert "internal error" in results[1].error
    assert _Flaky.calls == ["many", "one", "one", "one"]
    _Flaky.calls = []
    good = [Task(1, _Doc("a"), "pdf"), Task(2, _Doc("b"), "pdf")]
    assert [r.data for r in render_with(renderers, good, timeout=10)] == [b"a", b"b"]
    assert _Flaky.calls == ["many"]


def test_combining_shares_fonts_and_adds_blank_backs(tmp_path: Path,
                                                     renderer: LetterPdfRenderer) -> None:
    paths = []
    for i, letter in enumerate(renderer.render_many([variant(f"Pupil {n}") for n in range(5)])):
        path = tmp_path / f"{i}.pdf"
        path.write_bytes(letter)
        paths.append(path)
    combined = tmp_path / "letters.pdf"
    assert combine_pdfs(paths, combined) == 5
    assert combined.stat().st_size < sum(p.stat().st_size for p in paths) * 0.5
    texts = [p.extract_text() for p in PdfReader(combined).pages]
    assert [f"Pupil {n}" in t for n, t in enumerate(texts)] == [True] * 5
    assert combine_pdfs(paths, combined, duplex=True) == 10
    pages = PdfReader(combined).pages
    assert [bool(p.extract_text().strip()) for p in pages] == [True, False] * 5
