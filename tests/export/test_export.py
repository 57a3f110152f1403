"""The export end to end (with renderers that lay nothing out: tests/pipeline/fakes.py): one
record per visit report, a risk assessment above low risk as a record of its own, the PDFs
attached with their SHA-256, nothing lost and nothing sent twice across runs, an invalid
report held back and a flagged one sent."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from docgen.config import SAMPLE_SCHOOL
from docgen.csvfile import read_rows
from docgen.export.formats import read_csv, read_json
from docgen.export.mapping import Column, Mapping, default_mapping
from docgen.export.record import json_schema
from docgen.export.run import ExportError, ExportResult, export, mark_uploaded
from docgen.register import Register
from docgen.register.exports import ExportLog
from docgen.report import ExitCode
from tests.pipeline.fakes import FakeSpec

TODAY = dt.date(2026, 11, 23)
START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
SCHEMA = jsonschema.Draft202012Validator(json_schema())


@pytest.fixture
def visit(report: dict[str, Any], ra: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A visit's report and its risk assessment (medium risk, approved), by reference."""
    ra.update(visit_reference="HV-1", visit_date="2026-11-20", authorised_on="2026-11-19",
              overall_risk="medium", approved_by="Dee Lead", approved_on="2026-11-19")
    report.update(visit_reference="HV-1")
    return {"report": report, "ra": ra}


class Exporter:
    """Runs exports into one folder and register, each a minute after the last."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.out = tmp_path / "out"
        self.register = tmp_path / "register.sqlite"
        self.runs = 0

    def inputs(self, *records: dict[str, Any], name: str = "visits.json") -> Path:
        path = self.tmp / name
        path.write_text(json.dumps(list(records)), "utf-8")
        return path

    def __call__(self, *records: dict[str, Any], **options: Any) -> ExportResult:
        options.setdefault("renderer", FakeSpec())
        options.setdefault("register", self.register)
        options.setdefault("school", SAMPLE_SCHOOL)
        self.runs += 1
        result = export([self.inputs(*records)], options.pop("out", self.out), policy="att",
                        today=TODAY, jobs=1, now=START + dt.timedelta(minutes=self.runs),
                        **options)
        for f in result.files:
            if f.path.suffix == ".json":
                SCHEMA.validate(json.loads(f.path.read_bytes()))  # every JSON export
        return result

    def csv(self, result: ExportResult, mapping: Mapping | None = None) -> Any:
        [path] = [f.path for f in result.files if f.path.suffix == ".csv"]
        return read_csv(path.read_bytes(), mapping or default_mapping())

    def json(self, result: ExportResult) -> Any:
        [path] = [f.path for f in result.files if f.path.suffix == ".json"]
        return read_json(path.read_bytes())


@pytest.fixture
def exporter(tmp_path: Path) -> Exporter:
    return Exporter(tmp_path)


def test_one_record_per_report_and_one_for_an_assessment_above_low_risk(
        exporter: Exporter, visit: dict[str, Any]) -> None:
    result = exporter(visit["report"], visit["ra"])
    assert result.exit_code == ExitCode.OK
    csv_records = exporter.csv(result)
    json_file = exporter.json(result)
    assert csv_records == json_file.records == result.records
    report, assessment = sorted(result.records, key=lambda r: r.record_type, reverse=True)
    assert report.record_type == "visit-report" and assessment.record_type == "risk-assessment"
    assert report.id.startswith("VR-") and assessment.id.startswith("RA-")
    assert report.linked_records == [assessment.id]
    assert assessment.linked_records == [report.id]
    assert report.risk_level == "medium"
    assert [c.text() for c in report.categories] == ["Attendance / Home visit"]
    assert "Safeguarding / Home visit risk assessment" in [c.text()
                                                           for c in assessment.categories]
    assert report.staff_to_alert == ["D. Safeguarding-Lead"]
    assert report.reported_by == "Alex Adams"
    assert "Alex Adams and Bo Brown made a home visit to Jane Smith" in report.incident_text
    assert "What was agreed: Jane will attend every day." in report.incident_text
    # the PDFs: the report's own and its assessment's, each written once, checksums right
    kinds = [a.kind for a in report.attachments]
    assert kinds == ["visit-report", "risk-assessment"]
    assert assessment.attachments == report.attachments[1:]
    for attachment in report.attachments:
        data = (exporter.out / attachment.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == attachment.sha256
    pdfs = sorted(p.name for p in exporter.out.glob("*.pdf"))
    assert pdfs == sorted(a.file for a in report.attachments)


def test_the_same_visit_always_has_the_same_id(exporter: Exporter,
                                               visit: dict[str, Any]) -> None:
    first = exporter(visit["report"], register=False)
    visit["report"]["discussed"] = "Something else entirely."
    second = exporter(visit["report"], register=False, out=exporter.tmp / "other")
    assert first.records[0].id == second.records[0].id


def test_three_runs_new_then_nothing_then_an_amendment(exporter: Exporter,
                                                       visit: dict[str, Any]) -> None:
    first = exporter(visit["report"], visit["ra"])
    assert [r.status for r in first.records] == ["new", "new"]
    assert first.export_id is not None

    again = exporter(visit["report"], visit["ra"])
    assert again.exit_code == ExitCode.OK
    assert again.records == [] and again.files == []
    assert len(again.skipped) == 2
    assert all("already exported" in why and "unchanged" in why for _, why in again.skipped)
    assert sorted(p.suffix for p in exporter.out.iterdir() if p.suffix != ".pdf") == [
        ".csv", ".csv", ".json", ".json"]  # the first export's, and the manifests

    visit["report"]["discussed"] = "Attendance, and the bus route to school."
    visit["report"]["future_action"] = "Call on Friday."
    third = exporter(visit["report"], visit["ra"])
    [amended] = third.records
    assert amended.status == "amendment"
    assert amended.changed_fields == ["Incident", "Actions"]
    first_csv = next(f.path.name for f in first.files if f.path.suffix == ".csv")
    assert amended.amends is not None and first_csv in amended.amends
    assert exporter.csv(third) == [amended]
    # the amended report's PDF is a new file; the one already sent is left as it was
    old = next(a.file for a in first.records[0].attachments if a.kind == "visit-report")
    new = next(a.file for a in amended.attachments if a.kind == "visit-report")
    assert old != new and (exporter.out / old).exists()

    with Register.open(exporter.register) as register:
        exports = ExportLog(register).exports()
    assert [e.counts for e in exports] == [{"amendment": 1}, {"new": 2}]
    assert exports[0].records[0].changed == ["Incident", "Actions"]
    assert {f.kind for f in exports[1].files} == {"csv", "json"}
    assert exports[0].user and exports[0].exported_at


def test_all_sends_unchanged_records_again(exporter: Exporter, visit: dict[str, Any]) -> None:
    exporter(visit["report"])
    again = exporter(visit["report"], again=True)
    [record] = again.records
    assert record.status == "repeat" and record.amends is not None


def test_reports_exported_without_their_assessment_are_not_amendments(
        exporter: Exporter, visit: dict[str, Any]) -> None:
    exporter(visit["report"], visit["ra"])
    without = exporter(visit["report"])
    assert without.records == []
    assert len(without.skipped) == 1
    # and once the assessment comes, a report first exported without it is amended
    other = copy.deepcopy(visit)
    for form in other.values():
        form["visit_reference"] = "HV-2"
    exporter(other["report"])
    later = exporter(other["report"], other["ra"])
    statuses = {r.record_type: r.status for r in later.records}
    assert statuses == {"visit-report": "amendment", "risk-assessment": "new"}
    report = next(r for r in later.records if r.record_type == "visit-report")
    assert report.changed_fields == ["Risk level", "Attachments"]


def test_an_invalid_report_is_held_back_and_a_flagged_one_sent(
        exporter: Exporter, report: dict[str, Any]) -> None:
    bad = copy.deepcopy(report)
    bad["visit_date"] = "31/02/2026"
    flagged = copy.deepcopy(report)
    flagged.update(pupil_name="Siobhán O'Brien-Smith & <Co>", welfare_concerns=True,
                   welfare_details="A bruise on her arm; she said she fell.",
                   concerns_reported_to_dsl=False, immediate_danger=False)
    result = exporter(bad, flagged)
    assert result.exit_code == ExitCode.INVALID
    run = result.batch.run
    assert run is not None
    assert [r.status for r in run.records[:2]] == ["rejected", "made"]
    assert run.records[0].errors == 1
    [record] = result.records
    assert record.pupil_name == "Siobhán O'Brien-Smith & <Co>"
    assert record.alerts == ["Welfare concern not yet reported to the DSL: report it now"]
    assert "Safeguarding / Action needed" in [c.text() for c in record.categories]
    assert ("The concerns have not yet been reported to the Designated Safeguarding Lead."
            in record.incident_text)
    assert exporter.csv(result) == [record]


def test_the_bundle_lists_every_file_with_a_checksum_that_holds(
        exporter: Exporter, visit: dict[str, Any]) -> None:
    result = exporter(visit["report"], visit["ra"], bundle="upload.zip")
    assert sorted(f.path.name for f in result.files) == ["upload.csv", "upload.json",
                                                         "upload.zip"]
    with zipfile.ZipFile(exporter.out / "upload.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = sorted(zf.namelist())
        contents = {name: zf.read(name) for name in names}
    listed = {f["name"]: f for f in manifest["files"]}
    assert sorted([*listed, "manifest.json"]) == names
    for name, entry in listed.items():
        assert hashlib.sha256(contents[name]).hexdigest() == entry["sha256"]
        assert len(contents[name]) == entry["bytes"]
        loose = exporter.out / name.removeprefix("attachments/")
        assert loose.read_bytes() == contents[name]  # the same bytes as in the folder
    assert manifest["format"] == "docgen-export-bundle"
    assert [r["id"] for r in manifest["records"]] == [r.id for r in result.records]
    for record, entry in zip(result.records, manifest["records"], strict=True):
        assert entry["attachments"] == [f"attachments/{a.file}" for a in record.attachments]
    assert read_json(contents["upload.json"]).records == result.records


def test_an_export_never_replaces_an_earlier_one(exporter: Exporter,
                                                 visit: dict[str, Any]) -> None:
    exporter(visit["report"], bundle="upload.zip")
    with pytest.raises(ExportError) as caught:
        exporter(visit["report"], bundle="upload.zip", again=True)
    assert caught.value.exit_code == ExitCode.OUTPUT
    assert "already exists" in str(caught.value)


def test_an_assessment_before_its_report_is_still_attached(exporter: Exporter,
                                                           visit: dict[str, Any]) -> None:
    low = copy.deepcopy(visit["ra"])
    low.update(overall_risk="low", approved_by=None, approved_on=None)
    result = exporter(low, visit["report"])
    [record] = result.records
    assert [a.kind for a in record.attachments] == ["visit-report", "risk-assessment"]
    for attachment in record.attachments:
        assert (exporter.out / attachment.file).exists()
    assert record.risk_level == "low" and record.linked_records == []


def test_a_low_risk_assessment_without_its_report_is_not_exported(
        exporter: Exporter, visit: dict[str, Any]) -> None:
    visit["ra"].update(overall_risk="low", approved_by=None, approved_on=None)
    result = exporter(visit["ra"])
    assert result.records == [] and result.exit_code == ExitCode.OK
    run = result.batch.run
    assert run is not None and run.records[0].status == "nothing"
    assert "exported with its visit's report" in run.records[0].note


def test_two_reports_of_one_visit_reference_are_not_both_sent(
        exporter: Exporter, visit: dict[str, Any]) -> None:
    second = copy.deepcopy(visit["report"])
    second.update(visit_time="14:00", arrival_time="14:00", leaving_time="14:30")
    result = exporter(visit["report"], second)
    assert len(result.records) == 1
    assert result.exit_code == ExitCode.INVALID
    assert "same visit reference" in result.problems[0]


def test_staff_mobiles_leave_only_when_the_mapping_asks(exporter: Exporter,
                                                        visit: dict[str, Any]) -> None:
    plain = exporter(visit["report"], visit["ra"])
    ra_pdf = next(a.file for a in plain.records[0].attachments if a.kind == "risk-assessment")
    everything = b"".join(p.read_bytes() for p in exporter.out.iterdir() if p.is_file())
    assert b"07700 900001" not in everything
    assert b"left out of this copy" in (exporter.out / ra_pdf).read_bytes()
    assert all(r.staff_mobiles is None for r in plain.records)

    asking = Mapping(columns=[*default_mapping().columns,
                              Column(header="Staff mobiles", field="staff_mobiles")])
    out = exporter.tmp / "with-mobiles"
    result = exporter(visit["report"], visit["ra"], mapping=asking, out=out, register=False)
    report = next(r for r in result.records if r.record_type == "visit-report")
    assert report.staff_mobiles == ["Alex Adams: 07700 900001", "Bo Brown: 07700 900002"]
    assert exporter.csv(result, asking) == result.records
    ra_pdf = next(a.file for a in report.attachments if a.kind == "risk-assessment")
    assert b"07700 900001" in (out / ra_pdf).read_bytes()


def test_nothing_of_the_code_word_question_leaves(exporter: Exporter,
                                                  visit: dict[str, Any]) -> None:
    result = exporter(visit["report"], visit["ra"])
    for f in result.files:
        text = f.path.read_text("utf-8-sig").casefold()
        assert "code word" not in text and "safe word" not in text


def test_a_pdf_that_could_not_be_made_is_sent_later_as_an_amendment(
        exporter: Exporter, visit: dict[str, Any]) -> None:
    broken = exporter(visit["report"], renderer=FakeSpec(fail_for="Jane Smith"))
    assert broken.exit_code == ExitCode.OUTPUT
    [record] = broken.records
    assert record.attachments == []
    assert "could not be made" in broken.problems[0]
    fixed = exporter(visit["report"])
    [again] = fixed.records
    assert again.status == "amendment" and again.changed_fields == ["Attachments"]
    assert [a.kind for a in again.attachments] == ["visit-report"]


def test_list_and_mark_uploaded(exporter: Exporter, visit: dict[str, Any],
                                tmp_path: Path) -> None:
    school = tmp_path / "school.toml"
    school.write_text('[school]\nname = "Test"\n[register]\npath = "register.sqlite"\n')
    first = exporter(visit["report"], school=school, register=True)
    csv_path = next(f.path for f in first.files if f.path.suffix == ".csv")
    entry, marked = mark_uploaded(csv_path, school)
    assert marked and entry.uploaded_at and entry.uploaded_by
    _, again = mark_uploaded(csv_path, school)
    assert not again
    moved = tmp_path / "copy.csv"
    moved.write_bytes(csv_path.read_bytes())
    entry, _ = mark_uploaded(moved, school)  # a copy elsewhere is known by its content
    assert Path(entry.path) == csv_path.resolve()
    moved.write_bytes(b"edited")
    with pytest.raises(ExportError, match="not a file docgen exported"):
        mark_uploaded(moved, school)
    header, rows = read_rows(io.StringIO(csv_path.read_text("utf-8"), newline=""))
    assert header[0] == "Record ID" and len(rows) == 1
