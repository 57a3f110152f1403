"""A safeguarding record is never blocked: a report whose only errors are gaps to be reported
(a welfare concern not yet with the DSL) is printed, PDF and Word, with the gap in a red banner
above the title; the run still says it is invalid."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from docgen.batch import render
from docgen.config import SAMPLE_SCHOOL
from docgen.documents.context import build_document
from docgen.policy import load_policy
from docgen.report import ExitCode
from docgen.validation import validate_record

TODAY = dt.date(2026, 11, 23)
HOSTILE_NAME = "Siobhán O'Brien-Smith & <Co>"
LONG_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100)[:5000]
HEADLINE = "Welfare concern not yet reported to the DSL: report it now"


def unreported(report: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(report)
    data.update({
        "pupil_name": HOSTILE_NAME,
        "welfare_concerns": True,
        "welfare_details": "Pupil had an unexplained bruise on the arm. " + LONG_TEXT[:3000],
        "immediate_danger": False,
        "concerns_reported_to_dsl": False,
    })
    data.update(changes)
    return data


def flat(text: str) -> str:
    return "".join(text.split())


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    body = docx.Document(io.BytesIO(path.read_bytes())).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                     for p in body.iter(qn("w:p")))


def test_unreported_welfare_concern_is_printed_with_the_banner(
        tmp_path: Path, report: dict[str, Any]) -> None:
    source = tmp_path / "visit.json"
    source.write_text(json.dumps([unreported(report)]), "utf-8")
    out = tmp_path / "out"
    result = render([source], out, formats=("pdf", "docx"), today=TODAY,
                    school=SAMPLE_SCHOOL, policy="att", register=False)
    assert result.exit_code == ExitCode.INVALID  # still an error until it is reported
    assert result.run is not None
    [record] = result.run.records
    assert record.status == "made" and record.errors == 1
    assert record.label == f"{HOSTILE_NAME}, 20/11/2026"
    paths = [f.path for f in record.files if f.status == "written"]
    assert sorted(p.suffix for p in paths) == [".docx", ".pdf"]
    for path in paths:
        text = pdf_text(path) if path.suffix == ".pdf" else docx_text(path)
        squashed = flat(text)
        # the banner, then the title: the first thing a reader sees
        assert flat(HEADLINE) in squashed
        assert squashed.index(flat(HEADLINE)) < squashed.index("HomeVisitReport")
        assert flat("report them to the DSL (or a deputy) as soon as possible") in squashed
        assert flat("§5.3 “you must report disclosures") in squashed  # the policy's words
        assert flat(HOSTILE_NAME) in squashed  # printed literally
        assert "Pupil had an unexplained bruise" in text


def test_a_reported_concern_has_no_banner(report: dict[str, Any]) -> None:
    record = validate_record(unreported(report, concerns_reported_to_dsl=True), "att",
                             today=TODAY)
    assert record.ok and record.usable
    assert record.form is not None
    document = build_document(record.form, SAMPLE_SCHOOL, load_policy("att"), record.issues)
    assert document.alerts == ()


def test_an_error_that_blocks_still_blocks(tmp_path: Path, report: dict[str, Any]) -> None:
    """A record that cannot be trusted (leaving before arriving) gets no document, whatever
    else it carries; the run says why."""
    source = tmp_path / "visit.json"
    source.write_text(json.dumps([unreported(report, leaving_time="09:00")]), "utf-8")
    out = tmp_path / "out"
    result = render([source], out, formats=("pdf",), today=TODAY, policy="att",
                    register=False)
    assert result.exit_code == ExitCode.INVALID
    assert result.run is not None
    [outcome] = result.run.records
    assert outcome.status == "rejected" and outcome.files == [] and outcome.errors == 2
    assert sorted(p.name for p in out.iterdir()) == ["manifest.csv", "manifest.json"]
    record = validate_record(unreported(report, leaving_time="09:00"), "att", today=TODAY)
    assert {i.code for i in record.errors} == {"report.times", "report.welfare-dsl"}
    assert not record.usable and [i.code for i in record.alerts] == ["report.welfare-dsl"]


def test_every_alert_of_a_report_is_in_the_banner(report: dict[str, Any]) -> None:
    data = unreported(report, immediate_danger=True, threatened=True,
                      unusual_details="Father raised a fist.")
    record = validate_record(data, "westside", today=TODAY)
    assert record.usable and not record.ok
    assert record.form is not None
    document = build_document(record.form, SAMPLE_SCHOOL, load_policy("westside"),
                              record.issues)
    assert [a.headline for a in document.alerts] == [  # the pupil's danger first
        "Pupil in immediate danger: police (999) not recorded as called. Call now",
        HEADLINE,
        "Incident not yet reported to the headteacher: report it now",
        "Threat or violence against staff: police not recorded as contacted",
    ]
    assert all(a.message and a.citation for a in document.alerts)
