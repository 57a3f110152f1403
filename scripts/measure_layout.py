"""Measure how long printing takes for text without spaces (issue 11: layout must grow
linearly with text length, never explode).

    .venv/bin/python scripts/measure_layout.py [--timeout SECONDS] [--out DIR]

Cases, each rendered in a child process killed after --timeout seconds:
  word-N       one field (the risk assessment's "why required") holding one N-character word
  text-N       the same field holding N characters of ordinary words, for comparison
  cell-N       one cell of the hazard matrix (driving: controls) holding one N-character word
               (set after validation: validation now refuses more than 2,000 characters there)
  limits-FORM  every free-text field of FORM filled to its limit with no spaces, every list
               filled to its most items

Prints, per case and format: seconds, pages (PDF) and bytes. With --out, the PDFs and DOCXs are
kept there for looking at.
"""

from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docgen.config import SAMPLE_SCHOOL
from docgen.documents.context import build_document
from docgen.policy import load_policy
from docgen.schemas import FORMS
from docgen.schemas.fields import tree

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    "risk-assessment": ROOT / "samples" / "att" / "high-risk.json",
    "visit-report": ROOT / "samples" / "att" / "welfare-concerns.json",
}
WORD = "Unbreakable-reference-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/"


def no_spaces(length: int) -> str:
    return (WORD * (length // len(WORD) + 1))[:length]


def words(length: int) -> str:
    return (("lorem ipsum dolor sit amet consectetur " * (length // 39 + 1))[:length]).strip()


def sample(form: str) -> dict[str, Any]:
    data = json.loads(SAMPLES[form].read_text("utf-8"))
    records = data if isinstance(data, list) else [data]
    return next(r for r in records if r["form"] == form)


def fill(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every free-text field at its longest, without spaces, and every list of
    parts at its most items."""
    out = copy.deepcopy(data)
    for node in tree(model):
        if node.is_part and node.is_list:
            items = list(out.get(node.name) or [{}])
            while node.max_length and len(items) < node.max_length:
                items.append(copy.deepcopy(items[-1]))
            out[node.name] = [fill(node.model, dict(item)) for item in items]
        elif node.is_part:
            current = out.get(node.name)
            out[node.name] = fill(node.model, current if isinstance(current, dict) else {})
        elif node.free_text and node.max_chars:
            text = no_spaces(node.max_chars)
            out[node.name] = [text] * (node.max_length or 1) if node.is_list else text
    return out


def case_data(case: str) -> dict[str, Any]:
    kind, _, arg = case.partition("-")
    if kind == "limits":
        return fill(FORMS[arg], sample(arg))
    data = sample("risk-assessment")
    length = int(arg)
    if kind != "cell":  # a cell is set after validation: see _form
        data["why_required"] = no_spaces(length) if kind == "word" else words(length)
    return data


def _form(case: str) -> Any:
    """The validated form of ``case``. A matrix cell is put in after validation, so that the
    layout of texts longer than the cell's limit can still be measured."""
    data = case_data(case)
    form = FORMS[data["form"]].model_validate(data)
    kind, _, arg = case.partition("-")
    if kind == "cell":
        hazards = form.hazards
        cell = hazards.driving.model_copy(update={"controls": no_spaces(int(arg))})
        form = form.model_copy(update={"hazards": hazards.model_copy(update={"driving": cell})})
    return form


def _render(case: str, fmt: str, out: str | None, queue: Any) -> None:
    from docgen.pipeline.workers import RendererSpec

    document = build_document(_form(case), SAMPLE_SCHOOL, load_policy("att"))
    render = RendererSpec().build(fmt)  # type: ignore[arg-type]
    start = time.perf_counter()
    data = render.render(document)
    seconds = time.perf_counter() - start
    pages = None
    if fmt == "pdf":
        import io

        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(data)).pages)
    if out:
        Path(out, f"{case}.{fmt}").write_bytes(data)
    queue.put((seconds, pages, len(data)))


def measure(case: str, fmt: str, timeout: float, out: str | None) -> str:
    queue: Any = multiprocessing.Queue()
    child = multiprocessing.Process(target=_render, args=(case, fmt, out, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return f"{case:24} {fmt:5} did not finish in {timeout:.0f} s"
    if child.exitcode != 0:
        return f"{case:24} {fmt:5} failed (exit {child.exitcode})"
    seconds, pages, size = queue.get()
    shown = f"{pages:4} pages" if pages is not None else "          "
    return f"{case:24} {fmt:5} {seconds:7.2f} s {shown} {size / 1000:8.0f} kB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--out", help="keep the documents in this folder")
    parser.add_argument("--formats", default="pdf,docx")
    parser.add_argument("cases", nargs="*", default=[
        "text-5000", "word-5000", "text-20000", "word-20000",
        "limits-risk-assessment", "limits-visit-report",
    ])
    args = parser.parse_args()
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    for case in args.cases:
        for fmt in args.formats.split(","):
            print(measure(case, fmt, args.timeout, args.out), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
