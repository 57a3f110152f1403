"""The pipeline: every usable record gets its documents, every other record is reported (and
has its manifest row), reruns write only what changed and never replace what docgen did not
write, one failure or overrun never stops the run, and any number of jobs gives the same files.
The renderers are fakes (tests/pipeline/fakes.py); tests/documents/ test the real ones."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from docgen.batch import Batch, checkin_note, resolve_school
from docgen.config import SAMPLE_SCHOOL
from docgen.documents.producers import CheckinProducer, FormProducer
from docgen.pipeline import Plan, Planned, RunResult, Settings
from docgen.pipeline.manifest import read_rows
from docgen.register import Register
from docgen.report import ExitCode, RecordResult
from tests.pipeline.fakes import CountingExecutor, FakeSpec

TODAY = dt.date(2026, 11, 23)


def write(tmp_path: Path, records: list[dict[str, Any]], name: str = "visits.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(records), "utf-8")
    return path


def produce(paths: Sequence[Path], out: Path, *, formats: tuple[Any, ...] = ("pdf", "docx"),
            spec: FakeSpec | None = None, register: Register | None = None,
            overwrite: bool = False, jobs: int = 1, timeout: float | None = 30,
            producer: Any = None, executor: Any = None, policy: str = "att",
            memory_mb: int | None = 2048) -> RunResult:
    school = resolve_school(SAMPLE_SCHOOL, policy)
    batch = Batch(paths, school.policy, today=TODAY)
    settings = Settings(out_dir=out, formats=formats, overwrite=overwrite, jobs=jobs,
                        timeout=timeout, renderer=spec or FakeSpec(), policy=school.policy.id,
                        executor=executor, worker_memory_mb=memory_mb)
    producer = producer or FormProducer(school.config, school.policy)
    return batch.produce(producer, settings, register=register)


def files(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("manifest."))


def written(result: RunResult) -> list[Path]:
    return [f.path for f in result.files() if f.status in ("written", "replaced")]


def test_each_valid_record_gets_a_document_per_format(
        tmp_path: Path, report: dict[str, Any], ra: dict[str, Any]) -> None:
    out = tmp_path / "out"
    result = produce([write(tmp_path, [report, ra])], out)
    assert result.exit_code == ExitCode.OK
    assert files(out) == [
        "2026-11-20_visit-report_Smith-Jane.docx", "2026-11-20_visit-report_Smith-Jane.pdf",
        "2026-11-23_risk-assessment_Smith-Jane.docx",
        "2026-11-23_risk-assessment_Smith-Jane.pdf",
    ]
    pdf = (out / "2026-11-20_visit-report_Smith-Jane.pdf").read_text("utf-8")
    assert pdf.startswith("pdf\n") and "Home Visit Report" in pdf and "Jane Smith" in pdf
    assert [r.status for r in result.records] == ["made", "made"]


def test_an_invalid_record_gets_no_document_but_a_manifest_row(
        tmp_path: Path, report: dict[str, Any]) -> None:
    bad = copy.deepcopy(report)
    bad["visit_date"] = "31/02/2026"
    out = tmp_path / "out"
    result = produce([write(tmp_path, [bad, report])], out)
    assert result.exit_code == ExitCode.INVALID
    assert [r.status for r in result.records] == ["rejected", "made"]
    assert files(out) == ["2026-11-20_visit-report_Smith-Jane.docx",
                          "2026-11-20_visit-report_Smith-Jane.pdf"]
    rows = list(read_rows(out))
    assert [(r["record"], r["outcome"], r["errors"]) for r in rows] == [
        (1, "rejected", 1), (2, "made", 0)]
    assert rows[0]["json_path"] == "$[0]" and rows[0]["documents"] == []
    assert "fix the record" in rows[0]["note"]


def test_a_rerun_writes_nothing_and_says_unchanged(tmp_path: Path, report: dict[str, Any],
                                                   ra: dict[str, Any]) -> None:
    source = write(tmp_path, [report, ra])
    out = tmp_path / "out"
    with Register.open(tmp_path / "register.sqlite") as register:
        first = produce([source], out, register=register)
        before = {p: p.stat().st_mtime_ns for p in out.iterdir()
                  if not p.name.startswith("manifest")}
        second = produce([source], out, register=register)
    assert first.counts() == {"written": 4}
    assert second.counts() == {"unchanged": 4} and second.exit_code == ExitCode.OK
    assert {p: p.stat().st_mtime_ns for p in before} == before  # not touched
    assert [r.status for r in second.records] == ["unchanged", "unchanged"]


def test_without_a_register_a_rerun_still_recognises_its_own_files(
        tmp_path: Path, report: dict[str, Any]) -> None:
    """The same bytes as docgen would write now: docgen's own (a run killed before it could
    record them), so unchanged; no register needed."""
    source = write(tmp_path, [report])
    out = tmp_path / "out"
    produce([source], out)
    again = produce([source], out)
    assert again.counts() == {"unchanged": 2} and again.exit_code == ExitCode.OK


def test_a_corrected_record_is_replaced_only_with_overwrite(
        tmp_path: Path, report: dict[str, Any], ra: dict[str, Any]) -> None:
    out = tmp_path / "out"
    with Register.open(tmp_path / "register.sqlite") as register:
        produce([write(tmp_path, [report, ra])], out, register=register)
        corrected = copy.deepcopy(report)
        corrected["discussed"] = "Attendance, and the bus to school"
        source = write(tmp_path, [corrected, ra])
        refused = produce([source], out, register=register)
        assert refused.exit_code == ExitCode.OUTPUT
        assert [r.status for r in refused.records] == ["refused", "unchanged"]
        reasons = {f.reason for f in refused.files() if f.status == "refused"}
        assert reasons == {"was made by docgen from an earlier version of this record (or "
                           "with other settings or templates); use --overwrite to replace it."}
        replaced = produce([source], out, register=register, overwrite=True)
    assert replaced.counts() == {"replaced": 2, "unchanged": 2}
    assert "the bus to school" in (out / "2026-11-20_visit-report_Smith-Jane.pdf").read_text()


def test_a_file_docgen_did_not_write_or_one_edited_since_is_never_replaced(
        tmp_path: Path, report: dict[str, Any]) -> None:
    source = write(tmp_path, [report])
    out = tmp_path / "out"
    out.mkdir()
    theirs = out / "2026-11-20_visit-report_Smith-Jane.pdf"
    theirs.write_text("someone's own file")
    with Register.open(tmp_path / "register.sqlite") as register:
        result = produce([source], out, register=register)
        assert theirs.read_text() == "someone's own file"
        [pdf, docx_file] = result.records[0].files
        assert pdf.status == "refused" and "docgen did not write it" in pdf.reason
        assert docx_file.status == "written"
        # the DOCX edited by hand after docgen wrote it
        docx_file.path.write_bytes(docx_file.path.read_bytes() + b"edited")
        again = produce([source], out, register=register)
    reasons = [f.reason for f in again.files()]
    assert any("was changed since docgen wrote it" in r for r in reasons)
    assert docx_file.path.read_bytes().endswith(b"edited")
    assert again.exit_code == ExitCode.OUTPUT


def test_links_and_folders_are_never_replaced_even_with_overwrite(
        tmp_path: Path, report: dict[str, Any]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("precious")
    (out / "2026-11-20_visit-report_Smith-Jane.pdf").symlink_to(target)
    (out / "2026-11-20_visit-report_Smith-Jane.docx").mkdir()
    result = produce([write(tmp_path, [report])], out, overwrite=True)
    assert {f.status for f in result.files()} == {"refused"}
    assert all("never replaces it" in f.reason for f in result.files())
    assert target.read_text() == "precious"


def test_one_failing_document_does_not_stop_the_run(
        tmp_path: Path, report: dict[str, Any]) -> None:
    other = copy.deepcopy(report)
    other["pupil_name"] = "Sam Jones"
    out = tmp_path / "out"
    result = produce([write(tmp_path, [report, other])], out,
                     spec=FakeSpec(fail_for="Jane Smith"))
    assert result.exit_code == ExitCode.OUTPUT
    assert [r.status for r in result.records] == ["failed", "made"]
    failed = result.records[0].files[0]
    assert "internal error" in failed.reason and "log" in failed.reason
    assert any("template exploded" in line for line in result.log)  # details: the log only
    assert files(out) == ["2026-11-20_visit-report_Jones-Sam.docx",
                          "2026-11-20_visit-report_Jones-Sam.pdf"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_over_its_time_limit_is_stopped_and_the_rest_completes(
        tmp_path: Path, report: dict[str, Any], jobs: int) -> None:
    other = copy.deepcopy(report)
    other["pupil_name"] = "Sam Jones"
    out = tmp_path / "out"
    result = produce([write(tmp_path, [report, other])], out, formats=("pdf",), jobs=jobs,
                     timeout=0.5, spec=FakeSpec(hang_for="Jane Smith"))
    assert [r.status for r in result.records] == ["failed", "made"]
    assert "took longer than 0.5 seconds" in result.records[0].files[0].reason
    assert files(out) == ["2026-11-20_visit-report_Jones-Sam.pdf"]


def test_a_document_that_would_exhaust_memory_fails_alone(
        tmp_path: Path, report: dict[str, Any]) -> None:
    other = copy.deepcopy(report)
    other["pupil_name"] = "Sam Jones"
    out = tmp_path / "out"
    result = produce([write(tmp_path, [report, other])], out, formats=("pdf",), jobs=2,
                     spec=FakeSpec(hog_for="Jane Smith"), memory_mb=512)
    assert [r.status for r in result.records] == ["failed", "made"]
    assert "ran out of memory" in result.records[0].files[0].reason
    assert files(out) == ["2026-11-20_visit-report_Jones-Sam.pdf"]


def test_a_producer_that_raises_costs_one_record(tmp_path: Path,
                                                 report: dict[str, Any]) -> None:
    school = resolve_school(SAMPLE_SCHOOL, "att")

    class Broken(FormProducer):
        def plan(self, record: RecordResult) -> Plan:
            if record.location.path == "$[0]":
                raise ValueError("bug")
            return super().plan(record)

    other = copy.deepcopy(report)
    other["pupil_name"] = "Sam Jones"
    out = tmp_path / "out"
    result = produce([write(tmp_path, [report, other])], out,
                     producer=Broken(school.config, school.policy))
    assert [r.status for r in result.records] == ["failed", "made"]
    assert result.exit_code == ExitCode.OUTPUT and "records failed" in result.counts()


def test_the_same_name_twice_in_a_run_gets_a_number(tmp_path: Path,
                                                    report: dict[str, Any]) -> None:
    later = copy.deepcopy(report)
    later["visit_time"] = "14:00"
    later["arrival_time"], later["leaving_time"] = "14:00", "14:30"
    out = tmp_path / "out"
    produce([write(tmp_path, [report, later])], out, formats=("pdf",))
    assert files(out) == ["2026-11-20_visit-report_Smith-Jane-2.pdf",
                          "2026-11-20_visit-report_Smith-Jane.pdf"]


def test_the_same_visit_in_two_files_is_made_once(tmp_path: Path,
                                                 report: dict[str, Any]) -> None:
    first = write(tmp_path, [report], "a.json")
    second = write(tmp_path, [report], "b.json")
    out = tmp_path / "out"
    result = produce([first, second], out, formats=("pdf",))
    assert [r.status for r in result.records] == ["made", "skipped"]
    assert "the same visit as" in result.records[1].note
    assert files(out) == ["2026-11-20_visit-report_Smith-Jane.pdf"]


def test_an_invalid_copy_then_its_correction_makes_the_correction(
        tmp_path: Path, report: dict[str, Any]) -> None:
    bad = copy.deepcopy(report)
    bad["dsl_consulted"] = "maybe"
    out = tmp_path / "out"
    result = produce([write(tmp_path, [bad, report])], out, formats=("pdf",))
    assert [r.status for r in result.records] == ["rejected", "made"]
    assert files(out) == ["2026-11-20_visit-report_Smith-Jane.pdf"]


def test_jobs_one_and_two_give_identical_files_and_manifest(
        tmp_path: Path, report: dict[str, Any], ra: dict[str, Any]) -> None:
    records = []
    for i in range(9):
        for base in (report, ra):
            record = copy.deepcopy(base)
            record["pupil_name"] = f"Pupil {'Jones' if i % 2 else 'Smith'} {i}"
            records.append(record)
    source = write(tmp_path, records)
    outs = {}
    for jobs in (1, 2):
        outs[jobs] = tmp_path / f"out{jobs}"
        result = produce([source], outs[jobs], jobs=jobs)
        assert result.counts() == {"written": 36}
    names = files(outs[1])
    assert names == files(outs[2]) and len(names) == 36
    for name in [*names, "manifest.csv"]:
        assert (outs[1] / name).read_bytes() == (outs[2] / name).read_bytes(), name


def test_only_a_few_documents_are_in_flight(tmp_path: Path, report: dict[str, Any]) -> None:
    records = []
    for i in range(40):
        record = copy.deepcopy(report)
        record["pupil_name"] = f"Pupil Number {i}"
        records.append(record)
    executor = CountingExecutor()
    out = tmp_path / "out"
    result = produce([write(tmp_path, records)], out, jobs=2, executor=executor)
    assert result.counts() == {"written": 80}
    assert executor.most <= 4  # two per job, whatever the number of records


def test_temporary_files_left_by_an_interrupted_run_are_removed(
        tmp_path: Path, report: dict[str, Any]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    leftovers = [out / ".2026-11-20_visit-report_Smith-Jane.pdf.k2j3h4g5.docgen-tmp",
                 out / ".old-style.pdf.ab12cd34.tmp"]
    for path in leftovers:
        path.write_bytes(b"half")
    kept = out / ".hidden-notes.txt"
    kept.write_text("mine")
    result = produce([write(tmp_path, [report])], out)
    assert result.removed_leftovers == 2
    assert not any(p.exists() for p in leftovers) and kept.exists()


def test_the_manifest_reads_back(tmp_path: Path, report: dict[str, Any]) -> None:
    out = tmp_path / "out"
    produce([write(tmp_path, [report])], out, formats=("pdf",))
    [row] = list(read_rows(out))
    [document] = row["documents"]
    assert document["path"] == "2026-11-20_visit-report_Smith-Jane.pdf"
    assert document["outcome"] == "written" and len(document["sha256"]) == 64
    import hashlib
    assert hashlib.sha256((out / document["path"]).read_bytes()).hexdigest() \
        == document["sha256"]
    import csv
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        [csv_row] = list(csv.DictReader(fh))
    assert csv_row["pupil"] == "Jane Smith" and csv_row["sha256"] == document["sha256"]
    assert csv_row["outcome"] == "made"


def test_a_manifest_docgen_did_not_write_is_not_replaced(tmp_path: Path,
                                                        report: dict[str, Any]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.csv").write_text("our own list\n")
    result = produce([write(tmp_path, [report])], out, formats=("pdf",))
    assert (out / "manifest.csv").read_text() == "our own list\n"
    assert [p.name for p, _ in result.manifest_refused] == ["manifest.csv"]
    assert result.exit_code == ExitCode.OUTPUT


# --------------------------------------------------------------------------- check-in sheet


def checkins(paths: Sequence[Path], out: Path, day: dt.date = dt.date(2026, 11, 23),
             **kw: Any) -> tuple[RunResult, CheckinProducer]:
    school = resolve_school(SAMPLE_SCHOOL, "att")
    producer = CheckinProducer(day, school.config, school.policy)
    result = produce(paths, out, producer=producer, formats=("pdf",), **kw)
    return result, producer


def test_checkins_write_one_sheet_for_the_day(tmp_path: Path, ra: dict[str, Any]) -> None:
    other = copy.deepcopy(ra)
    other["pupil_name"] = "Sam Jones"
    another_day = copy.deepcopy(ra)
    another_day["visit_date"] = "2026-11-24"
    out = tmp_path / "out"
    result, _ = checkins([write(tmp_path, [ra, other, another_day])], out)
    assert files(out) == ["2026-11-23_office-check-in-sheet.pdf"]
    assert [r.status for r in result.records] == ["nothing", "nothing", "nothing", "made"]
    assert result.records[0].note == "on the check-in sheet for 23/11/2026"
    assert result.records[2].note == "a visit on 24/11/2026, not on this sheet"
    assert result.records[3].index is None and result.records[3].form == "checkins"


def test_checkins_given_visit_reports_say_so(tmp_path: Path, report: dict[str, Any]) -> None:
    from docgen.batch import BatchResult

    out = tmp_path / "out"
    result, producer = checkins([write(tmp_path, [report])], out)
    batch = BatchResult(run=result)
    checkin_note(batch, producer, dt.date(2026, 11, 23))
    assert "these are visit reports, not risk assessments" in batch.note
    assert batch.exit_code == ExitCode.INVALID
    assert files(out) == []


def test_checkins_leave_invalid_risk_assessments_off_and_report_them(
        tmp_path: Path, ra: dict[str, Any]) -> None:
    bad = copy.deepcopy(ra)
    bad["pupil_name"] = "Sam Jones"
    bad["planned_start"] = "25:00"
    out = tmp_path / "out"
    result, producer = checkins([write(tmp_path, [ra, bad])], out)
    assert [r.status for r in result.records] == ["nothing", "rejected", "made"]
    assert len(producer.visits) == 1 and result.exit_code == ExitCode.INVALID


def test_a_plan_can_hold_several_documents(tmp_path: Path, report: dict[str, Any]) -> None:
    school = resolve_school(SAMPLE_SCHOOL, "att")

    class Twice(FormProducer):
        def plan(self, record: RecordResult) -> Plan:
            [one] = super().plan(record).outputs
            return Plan([one, Planned(one.stem + "_copy", one.document, one.subject,
                                      one.input_hash)])

    out = tmp_path / "out"
    result = produce([write(tmp_path, [report])], out, formats=("pdf",),
                     producer=Twice(school.config, school.policy))
    assert files(out) == ["2026-11-20_visit-report_Smith-Jane.pdf",
                          "2026-11-20_visit-report_Smith-Jane_copy.pdf"]
    assert len(result.records[0].files) == 2


def test_files_made_from_the_whole_run_are_written_after_the_documents(
        tmp_path: Path, report: dict[str, Any]) -> None:
    """A producer's extras (a combined PDF, an export's CSV): written once every document
    is; the same bytes again are unchanged; docgen's own earlier one is replaced; a file
    docgen did not write is refused."""
    from docgen.pipeline import Extra, Subject

    school = resolve_school(SAMPLE_SCHOOL, "att")

    class WithList(FormProducer):
        note = "first"

        def extras(self, result: RunResult) -> list[Extra]:
            names = [f.path.name for f in result.files()]

            def write(path: Path) -> None:
                path.write_text(self.note + "\n" + "\n".join(names), "utf-8")

            return [Extra("list.txt", write, Subject(kind="list"))]

    source = write(tmp_path, [report])
    out = tmp_path / "out"
    producer = WithList(school.config, school.policy)
    with Register.open(tmp_path / "register.sqlite") as register:
        first = produce([source], out, register=register, formats=("pdf",), producer=producer)
        assert (out / "list.txt").read_text().splitlines() == [
            "first", "2026-11-20_visit-report_Smith-Jane.pdf"]
        assert first.records[-1].files[0].status == "written"
        again = produce([source], out, register=register, formats=("pdf",), producer=producer)
        assert again.records[-1].files[0].status == "unchanged"
        producer.note = "second"
        changed = produce([source], out, register=register, formats=("pdf",),
                          producer=producer)
        assert changed.records[-1].files[0].status == "replaced"
        (out / "list.txt").write_text("edited by hand")
        refused = produce([source], out, register=register, formats=("pdf",),
                          producer=producer)
    assert refused.records[-1].files[0].status == "refused"
    assert (out / "list.txt").read_text() == "edited by hand"
    assert refused.exit_code == ExitCode.OUTPUT
