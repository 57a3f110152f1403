"""One measurement, in a process of its own: ``python -m bench.measure CASE ARGS...`` does one
piece of work and prints one JSON line: the seconds the work took (imports excluded, on both
sides) and the process's peak memory (its own, and its largest worker's).

Each case has a docgen side and a baseline side: the raw library doing the same work in the
plainest reasonable way.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _peak_kb(who: int) -> int:
    return int(resource.getrusage(who).ru_maxrss)


def _own_peak_kb() -> int:
    """This process's own peak resident memory (VmHWM). ru_maxrss is not it on Linux: a
    process started by the bench inherits the bench's peak as its starting value."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return _peak_kb(resource.RUSAGE_SELF)


def _report(seconds: float, **extra: Any) -> None:
    print(json.dumps({"seconds": seconds, "rss_kb": _peak_kb(resource.RUSAGE_SELF),
                      "children_rss_kb": _peak_kb(resource.RUSAGE_CHILDREN),
                      "own_peak_kb": _own_peak_kb(), **extra}))


def _timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# --------------------------------------------------------------------------- validate


def validate_raw(workbook: str) -> None:
    import openpyxl

    def work() -> None:
        wb = openpyxl.load_workbook(workbook, read_only=True)
        for _ in wb["Visit report"].iter_rows(values_only=True):
            pass
        wb.close()

    _report(_timed(work))


def validate_docgen(workbook: str) -> None:
    from docgen.policy import load_policy
    from docgen.validation import Checker

    policy = load_policy("att")

    def work() -> None:
        for file in Checker([workbook], policy):
            for _record in file:
                pass
            file.result()

    _report(_timed(work))


# --------------------------------------------------------------------------- documents


def _documents(source: str) -> list[Any]:
    """The Documents docgen prints for the records of ``source`` (built before timing)."""
    from docgen.config import SAMPLE_SCHOOL
    from docgen.documents.context import build_document
    from docgen.policy import load_policy
    from docgen.validation import validate

    policy = load_policy("att")
    report = validate([source], policy)
    return [build_document(r.form, SAMPLE_SCHOOL, policy, r.issues)
            for r in report.records if r.form is not None]


def pdf_raw(source: str, out: str) -> None:
    """A plain WeasyPrint loop: one ``HTML(string=...).write_pdf()`` per document, on the same
    HTML, CSS and fonts as docgen, the same tagged PDF (style sheet and fonts loaded once), in
    one process."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from docgen.documents.pdf import PDF_VARIANT, PdfRenderer

    renderer = PdfRenderer()
    pages = [renderer.render_html(d) for d in _documents(source)]
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    base = renderer._base_url

    def work() -> None:
        fonts = FontConfiguration()
        css = CSS(filename=str(renderer.template_dir / "css" / "document.css"), font_config=fonts)
        for i, html in enumerate(pages):
            data = HTML(string=html, base_url=base).write_pdf(
                stylesheets=[css], font_config=fonts, pdf_variant=PDF_VARIANT)
            (folder / f"{i}.pdf").write_bytes(data)

    _report(_timed(work), documents=len(pages))


def docx_raw(source: str, out: str) -> None:
    """A plain docxtpl loop: per document, load the template, render with autoescape, save."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from docgen.documents.docx import PORTRAIT, TEMPLATE_DIR

    documents = _documents(source)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    env = Environment(autoescape=True)

    def work() -> None:
        for i, document in enumerate(documents):
            template = DocxTemplate(TEMPLATE_DIR / PORTRAIT)
            template.render({"doc": document, "logo": None}, env, autoescape=True)
            buffer = io.BytesIO()
            template.save(buffer)
            (folder / f"{i}.docx").write_bytes(buffer.getvalue())

    _report(_timed(work), documents=len(documents))


def docgen_render(source: str, out: str, fmt: str, jobs: str, register: str) -> None:
    """docgen as a user runs it: check, build, render on the default number of cores, write,
    manifest, register."""
    import docgen

    done: list[Any] = []

    def work() -> None:
        result = docgen.render([source], out, formats=(fmt,), register=Path(register),
                               jobs=int(jobs) or None, overwrite=True)
        if result.run is None or result.run.exit_code:
            raise SystemExit(f"docgen failed: {result.to_dict()}")
        done.append(result.run)

    seconds = _timed(work)
    # what was written, not found unchanged: a rerun into a used folder would time nothing
    _report(seconds, written=done[0].counts().get("written", 0))


LIBREOFFICE_CHUNK = 200  # files per invocation: a single soffice stops after ~250


def libreoffice(docx_folder: str, out: str) -> None:
    """LibreOffice headless converting the same documents from DOCX, 200 to an invocation
    (one invocation given a thousand files converts about 250 and exits as if it had
    finished), with a profile of its own; every document must come out."""
    import subprocess
    import tempfile

    files = sorted(str(p) for p in Path(docx_folder).glob("*.docx"))
    profile = tempfile.mkdtemp(prefix="bench-lo-")

    def work() -> None:
        for i in range(0, len(files), LIBREOFFICE_CHUNK):
            subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                            "--norestore", "--convert-to", "pdf", "--outdir", out,
                            *files[i:i + LIBREOFFICE_CHUNK]], check=True, capture_output=True)

    seconds = _timed(work)
    made = len(list(Path(out).glob("*.pdf")))
    if made != len(files):
        raise SystemExit(f"LibreOffice made {made} PDFs of {len(files)} documents")
    _report(seconds, documents=len(files))


# --------------------------------------------------------------------------- letters

LETTER_DATE = "2026-11-23"


def _letters(source: str) -> list[Any]:
    """The Letters docgen makes from an attendance export (built before timing)."""
    import datetime as dt

    from docgen.config import SAMPLE_SCHOOL
    from docgen.letters.mis import AttendanceFile
    from docgen.letters.producer import LetterProducer
    from docgen.letters.templates import Wording
    from docgen.policy import load_policy

    producer = LetterProducer(SAMPLE_SCHOOL, load_policy("att"), wording=Wording(),
                              today=dt.date.fromisoformat(LETTER_DATE))
    out = []
    for record in AttendanceFile(source):
        out += [planned.document for planned in producer.plan(record).outputs]
    return out


def letters_pdf_raw(source: str, out: str) -> None:
    """A plain WeasyPrint loop: one ``HTML(string=...).write_pdf()`` per letter, on the same
    HTML (each letter's page as docgen lays it out alone), the same style sheets and fonts
    (loaded once), in one process."""
    _weasyprint_letters(source, out, per_document=1)


def letters_pdf_batched_raw(source: str, out: str) -> None:
    """Plain WeasyPrint laying out the same letters ``MAX_LETTERS`` to a document (one
    ``write_pdf`` per document, nothing split): what laying letters out together saves over
    one document each, whoever does it."""
    from docgen.letters.batch import MAX_LETTERS

    _weasyprint_letters(source, out, per_document=MAX_LETTERS)


def _weasyprint_letters(source: str, out: str, *, per_document: int) -> None:
    from weasyprint import HTML

    from docgen.letters.pdf import LetterPdfRenderer

    renderer = LetterPdfRenderer()
    letters = _letters(source)
    pages = [renderer.page_html(letters[i:i + per_document], primer=False)
             for i in range(0, len(letters), per_document)]
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    base = renderer._base_url

    def work() -> None:
        for i, html in enumerate(pages):
            data = HTML(string=html, base_url=base).write_pdf(
                stylesheets=renderer._css, font_config=renderer.font_config)
            (folder / f"{i}.pdf").write_bytes(data)

    _report(_timed(work), documents=len(letters), per_document=per_document)


def letters_docx_raw(source: str, out: str) -> None:
    """A plain docxtpl loop: per letter, load the template, render with autoescape, save."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from docgen.letters.templates import OWN_DIR

    letters = _letters(source)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    env = Environment(autoescape=True)

    def work() -> None:
        for i, letter in enumerate(letters):
            template = DocxTemplate(OWN_DIR / "letter.docx")
            template.render({"letter": letter, "logo": None}, env, autoescape=True)
            buffer = io.BytesIO()
            template.save(buffer)
            (folder / f"{i}.docx").write_bytes(buffer.getvalue())

    _report(_timed(work), documents=len(letters))


def docgen_letters(source: str, out: str, fmt: str, register: str) -> None:
    """docgen as a user runs it: read and check the export, decide each letter, render on the
    default number of cores, write, letters.pdf, manifest, register."""
    import datetime as dt

    from docgen.letters import letters

    done: list[Any] = []

    def work() -> None:
        result = letters([source], out, formats=(fmt,), register=Path(register),
                         today=dt.date.fromisoformat(LETTER_DATE), overwrite=True,
                         school=None)
        if result.run is None or result.exit_code:
            raise SystemExit(f"docgen failed: {result.to_dict()}")
        done.append(result.run)

    seconds = _timed(work)
    _report(seconds, written=done[0].counts().get("written", 0))


def letters_combine(folder: str, count: str, out: str) -> None:
    """letters.pdf from the first ``count`` letters docgen wrote into ``folder``: the time and
    the peak memory of combining them."""
    from docgen.letters.combine import combine_pdfs

    paths = sorted(p for p in Path(folder).glob("*.pdf")
                   if p.name not in ("letters.pdf", "notifications.pdf"))[:int(count)]

    def work() -> None:
        combine_pdfs(paths, Path(out), duplex=True)

    seconds = _timed(work)
    _report(seconds, documents=len(paths), size=Path(out).stat().st_size,
            letters_size=sum(p.stat().st_size for p in paths))


CASES: dict[str, Callable[..., None]] = {
    "validate-raw": validate_raw,
    "validate-docgen": validate_docgen,
    "pdf-raw": pdf_raw,
    "docx-raw": docx_raw,
    "docgen-render": docgen_render,
    "libreoffice": libreoffice,
    "letters-pdf-raw": letters_pdf_raw,
    "letters-pdf-batched-raw": letters_pdf_batched_raw,
    "letters-docx-raw": letters_docx_raw,
    "docgen-letters": docgen_letters,
    "letters-combine": letters_combine,
}

if __name__ == "__main__":
    CASES[sys.argv[1]](*sys.argv[2:])
