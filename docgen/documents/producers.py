"""The producers of the forms: each record's own document (``FormProducer``), the office
check-in sheet made from a day's risk assessments (``CheckinProducer``) and a blank form to
fill in by hand (``BlankProducer``). Each only builds plain ``Document``s and names them; the
pipeline renders and writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from docgen.config import SchoolConfig
from docgen.documents.checkins import checkin_document
from docgen.documents.context import blank_document, build_document
from docgen.output import file_stem, split_name
from docgen.pipeline.plan import Extra, Plan, Planned, Subject, digest
from docgen.pipeline.run import RunResult
from docgen.policy import Policy
from docgen.policy.assessments import AssessmentSummary
from docgen.report import RecordResult
from docgen.schemas import FormModel, RiskAssessment, get_form
from docgen.schemas.types import display


def subject_of(form: FormModel) -> Subject:
    return Subject(kind=form.form_name, visit_key=form.visit_key(), pupil=form.pupil_name,
                   visit_date=form.visit_date, reference=form.visit_reference or "")


def input_hash(form: FormModel) -> str:
    """A digest of the record as validated (the same answers always give the same digest)."""
    return digest(form.model_dump_json())


def form_stem(form: FormModel, config: SchoolConfig) -> str:
    """The file name (without suffix) the school's naming pattern gives this form."""
    forename, surname = split_name(form.pupil_name)
    return file_stem(
        config.documents.naming,
        date=form.visit_date.isoformat(),
        form=form.form_name,
        surname=surname,
        forename=forename,
        pupil=form.pupil_name,
        reference=form.visit_reference or "",
        school=config.school.name,
    )


class FormProducer:
    """One document per risk assessment or visit report, carrying its warnings."""

    command = "render"

    def __init__(self, config: SchoolConfig, policy: Policy) -> None:
        self.config = config
        self.policy = policy

    def ignores(self, record: RecordResult) -> str:
        return ""

    def plan(self, record: RecordResult) -> Plan:
        form = record.form
        assert form is not None  # the pipeline plans usable records only
        document = build_document(form, self.config, self.policy, record.issues)
        summary = (AssessmentSummary.of(form, record.location)
                   if isinstance(form, RiskAssessment) else None)
        return Plan([Planned(form_stem(form, self.config), document, subject_of(form),
                             input_hash(form), summary)])

    def finish(self) -> Sequence[Planned]:
        return ()

    def extras(self, result: RunResult) -> Sequence[Extra]:
        return ()


class CheckinProducer:
    """The check-in sheet for one day, from the risk assessments of that day's visits."""

    command = "checkins"

    def __init__(self, day: dt.date, config: SchoolConfig, policy: Policy) -> None:
        self.day = day
        self.config = config
        self.policy = policy
        self.visits: list[RiskAssessment] = []
        self.assessments = 0  # risk assessments seen, of any day
        self.other_forms = 0  # visit reports and the like: not planned visits

    def ignores(self, record: RecordResult) -> str:
        if record.form_name != RiskAssessment.form_name:
            self.other_forms += 1
            return ("not a risk assessment: the check-in sheet lists planned visits, from "
                    "their risk assessments")
        self.assessments += 1
        return ""

    def plan(self, record: RecordResult) -> Plan:
        form = record.form
        assert isinstance(form, RiskAssessment)
        if form.visit_date != self.day:
            return Plan(note=f"a visit on {display(form.visit_date)}, not on this sheet")
        self.visits.append(form)
        return Plan(note=f"on the check-in sheet for {display(self.day)}")

    def finish(self) -> Sequence[Planned]:
        if not self.visits:
            return ()
        document = checkin_document(self.visits, self.day, self.config, self.policy)
        stem = file_stem("{date}_office-check-in-sheet", date=self.day.isoformat())
        inputs = digest("".join(input_hash(ra) for ra in self.visits))
        return [Planned(stem, document, Subject(kind="checkins", visit_date=self.day), inputs)]

    def extras(self, result: RunResult) -> Sequence[Extra]:
        return ()

class BlankProducer:
    """A blank form for filling in by hand: every question the school's policy asks, with
    tick boxes and lines to write on. It needs no records."""

    command = "render"

    def __init__(self, form: str, config: SchoolConfig, policy: Policy) -> None:
        self.model = get_form(form)
        self.config = config
        self.policy = policy

    def ignores(self, record: RecordResult) -> str:
        return "a blank form is made from no record"

    def plan(self, record: RecordResult) -> Plan:  # pragma: no cover - ignores every record
        return Plan(note="a blank form is made from no record")

    def finish(self) -> Sequence[Planned]:
        document = blank_document(self.model, self.config, self.policy)
        stem = file_stem("blank-{form}", form=self.model.form_name)
        # the same school and policy always give the same form: a rerun leaves it unchanged
        made_from = digest("|".join((self.model.form_name, self.policy.model_dump_json(),
                                     self.config.model_dump_json())))
        return [Planned(stem, document, Subject(kind=self.model.form_name), made_from)]

    def extras(self, result: RunResult) -> Sequence[Extra]:
        return ()
