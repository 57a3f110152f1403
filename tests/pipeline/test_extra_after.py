"""An extra's ``after`` hears what became of its file, while the run still holds the register:
how an export records what it sent only once its files are in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docgen.batch import resolve_school
from docgen.config import SAMPLE_SCHOOL
from docgen.documents.producers import FormProducer
from docgen.pipeline import Extra, FileOutcome, RunResult, Subject
from docgen.register import Register
from tests.pipeline.test_run import produce, write


def test_after_is_told_each_outcome_in_order(tmp_path: Path, report: dict[str, Any]) -> None:
    school = resolve_school(SAMPLE_SCHOOL, "att")
    heard: list[tuple[str, str, bool]] = []

    class Producer(FormProducer):
        def extras(self, result: RunResult) -> list[Extra]:
            def write_file(path: Path) -> None:
                path.write_text("data", "utf-8")

            def after(outcome: FileOutcome) -> None:
                # the file is in place (or refused) by the time it is heard of
                heard.append((outcome.path.name, outcome.status, outcome.path.exists()))

            return [Extra("a.csv", write_file, Subject(kind="export"), after=after),
                    Extra("b.json", write_file, Subject(kind="export"), after=after)]

    out = tmp_path / "out"
    out.mkdir()
    (out / "b.json").write_text("not docgen's")
    producer = Producer(school.config, school.policy)
    with Register.open(tmp_path / "register.sqlite") as register:
        produce([write(tmp_path, [report])], out, register=register, formats=("pdf",),
                producer=producer)
    assert heard == [("a.csv", "written", True), ("b.json", "refused", True)]
    assert (out / "b.json").read_text() == "not docgen's"
