"""A form into its export record: the facts for the category table, the narrative, the people
to alert and the agencies involved. Pure: no files, no register."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.config import SchoolConfig
from docgen.documents.context import GENERIC_ALERT
from docgen.documents.producers import input_hash
from docgen.export.categories import CategoryTable
from docgen.export.conditions import Facts, report_findings
from docgen.export.mapping import Mapping
from docgen.export.narrative import (
    assessment_narrative,
    report_actions,
    report_narrative,
)
from docgen.export.record import Category, ExportRecord, record_id
from docgen.report import RecordResult, inert
from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.choices import JointVisit, LadoReferral, RiskLevel
from docgen.schemas.types import _FORBIDDEN


@dataclass(frozen=True)
class AssessmentInfo:
    """What a visit report's record takes from the risk assessment of its visit (gathered in
    the first pass over the run's records, whichever comes first)."""

    visit_key: str
    record_id: str  # of the assessment's own record
    risk: RiskLevel
    input_hash: str
    mobiles: tuple[str, ...]

    @property
    def alone(self) -> bool:
        """Above low risk: exported as a record of its own (ATT 7.1)."""
        return self.risk is not RiskLevel.LOW

    @classmethod
    def of(cls, ra: RiskAssessment) -> AssessmentInfo:
        key = ra.visit_key()
        return cls(key, record_id("risk-assessment", key), ra.overall_risk, input_hash(ra),
                   tuple(f"{m.name}: {m.mobile}" for m in ra.staff if m.mobile))


def _setting(text: str) -> str:
    """A name from school.toml, without anything invisible (it was not checked as a form
    field is)."""
    return " ".join(_FORBIDDEN.sub("", text).split())


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = " ".join(name.casefold().split())
        if name and key not in seen:
            seen.add(key)
            out.append(name)
    return out


@dataclass(frozen=True)
class Composer:
    config: SchoolConfig
    table: CategoryTable
    mapping: Mapping

    def categories(self, facts: Facts) -> list[Category]:
        """The table's categories, renamed as the mapping says."""
        return [Category.parse(self.mapping.rename(c.text()))
                for c in self.table.categories(facts)]

    def _dsl(self) -> str:
        return _setting(self.config.school.dsl) or "Designated Safeguarding Lead"

    def _head(self) -> str:
        return _setting(self.config.school.headteacher) or "Headteacher"

    def _mobiles(self, info: AssessmentInfo | None) -> list[str] | None:
        if not self.mapping.wants_mobiles:
            return None
        return list(info.mobiles) if info is not None else []

    def report(self, record: RecordResult, info: AssessmentInfo | None) -> ExportRecord:
        """The record of a usable visit report; ``info``: its risk assessment, if the run
        holds it."""
        report = record.form
        assert isinstance(report, VisitReport)
        key = report.visit_key()
        alerts = _alerts(record)
        facts = Facts(report.form_name, report.purpose, info.risk if info else None,
                      report_findings(report, alerts=bool(alerts)))
        incident = any(v is True for v in (report.anything_unusual, report.threatened,
                                           report.physical_intervention,
                                           report.allegation_made, report.left_for_safety))
        alert = [self._dsl(), *([self._head()] if incident else []),
                 *([report.inform_by] if report.inform_by else [])]
        return ExportRecord(
            id=record_id(report.form_name, key),
            record_type="visit-report",
            status="new",
            pupil_name=report.pupil_name,
            date_of_birth=report.date_of_birth,
            upn=report.upn,
            pupil_class=report.pupil_class,
            visit_reference=report.visit_reference,
            incident_date=report.visit_date,
            incident_time=report.visit_time,
            categories=self.categories(facts),
            incident_text=report_narrative(report),
            actions=report_actions(report),
            alerts=alerts,
            staff_to_alert=_unique(alert),
            reported_by=report.staff_attending[0],
            agencies_informed=_report_agencies(report),
            risk_level=info.risk.value if info else None,
            linked_records=[info.record_id] if info and info.alone else [],
            staff_mobiles=self._mobiles(info),
        )

    def assessment(self, record: RecordResult, report_id: str | None) -> ExportRecord:
        """The record of a risk assessment above low risk; ``report_id``: the record of its
        visit's report, if the run holds it."""
        ra = record.form
        assert isinstance(ra, RiskAssessment)
        alerts = _alerts(record)
        facts = Facts(ra.form_name, ra.purpose, ra.overall_risk,
                      frozenset({"safeguarding-alert"} if alerts else ()))
        high = ra.overall_risk is RiskLevel.HIGH
        return ExportRecord(
            id=record_id(ra.form_name, ra.visit_key()),
            record_type="risk-assessment",
            status="new",
            pupil_name=ra.pupil_name,
            date_of_birth=ra.date_of_birth,
            upn=ra.upn,
            pupil_class=ra.pupil_class,
            visit_reference=ra.visit_reference,
            incident_date=ra.visit_date,
            incident_time=ra.planned_start,
            categories=self.categories(facts),
            incident_text=assessment_narrative(ra),
            alerts=alerts,
            staff_to_alert=_unique([self._dsl(), *([self._head()] if high else [])]),
            reported_by=ra.assessed_by or ra.staff[0].name,
            agencies_informed=_joint_agencies(ra.joint_visit),
            risk_level=ra.overall_risk.value,
            linked_records=[report_id] if report_id else [],
            staff_mobiles=self._mobiles(AssessmentInfo.of(ra)),
        )


def _alerts(record: RecordResult) -> list[str]:
    """The record's safeguarding alerts: its errors that never block, by their headline."""
    return _unique([inert(i.alert or GENERIC_ALERT) for i in record.alerts])


def _report_agencies(report: VisitReport) -> list[str]:
    agencies = []
    if report.police_called or report.threat_police:
        agencies.append("Police")
    if report.social_care_referral:
        agencies.append("Children's social care")
    if report.authorities_notified_on is not None:
        agencies.append("Local authority (attendance)")
    if report.lado_referral is LadoReferral.REFERRED:
        agencies.append("Local Authority Designated Officer")
    return agencies


def _joint_agencies(joint: JointVisit | None) -> list[str]:
    return {JointVisit.POLICE: ["Police"],
            JointVisit.SOCIAL_CARE: ["Children's social care"],
            JointVisit.OTHER_PARTNER: ["Another safeguarding partner"]}.get(joint, []) \
        if joint is not None else []
