"""The incident text: full sentences, full names, no abbreviations, the staff's own words as
written, and every answer on the form told (one added to the form later too)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from docgen.config import SAMPLE_SCHOOL
from docgen.export.categories import default_table
from docgen.export.compose import AssessmentInfo, Composer
from docgen.export.mapping import default_mapping
from docgen.export.narrative import assessment_narrative, report_narrative
from docgen.schemas import RiskAssessment, VisitReport
from docgen.schemas.base import field
from docgen.validation import validate_record

TODAY = dt.date(2026, 11, 23)

EVERYTHING: dict[str, Any] = {  # every question of the report answered
    "upn": "A123456789012", "visit_reference": "HV-7", "letter_left": False,
    "anything_unusual": True, "unusual_details": "A man shouted from upstairs.",
    "property_condition": "Cold and damp.", "welfare_concerns": True,
    "welfare_details": "No food in the house.", "future_action": "Food bank referral.",
    "inform_others": True, "inform_who": "The school nurse.", "inform_by": "Bo Brown",
    "pupil_seen": True, "pupil_spoken_to": "with_parent", "spoken_to_with": "Ms J Smith",
    "concerns_reported_to_dsl": True, "immediate_danger": True, "police_called": True,
    "social_care_referral": True, "referral_date": "2026-11-20", "referral_by": "Dee Lead",
    "id_shown": True, "animals": "secured", "entered_bedroom": False, "door_open": True,
    "incident_reported": True, "threatened": True, "threat_police": True,
    "physical_intervention": True, "allegation_made": True, "lado_referral": "referred",
    "minutes_waited": 5, "left_for_safety": True, "safety_reported": False,
    "left_safely_reported": True, "attendance_percent": 64.5,
    "attendance_from": "2026-08-20", "attendance_to": "2026-11-19",
    "authorities_notified_on": "2026-11-21", "authorities_notified_by": "Sam Senior",
}


def full_report(report: dict[str, Any]) -> VisitReport:
    return VisitReport.model_validate({**report, **EVERYTHING})


def test_every_answer_is_told_in_sentences(report: dict[str, Any]) -> None:
    text = report_narrative(full_report(report))
    assert "Further answers" not in text  # each answer has its own sentence
    for sentence in [
        "On 20 November 2026 at 10:00, Alex Adams and Bo Brown made a home visit to Jane "
        "Smith (class 8A).",
        "The Designated Safeguarding Lead was consulted before the visit.",
        "Staff arrived at 10:00 and left at 10:30.",
        "Who was home: Mother",
        "Staff waited 5 minutes.",
        "The animals at the home were kept in another room or outside.",
        "Staff spoke to Jane Smith with a parent or carer present (Ms J Smith).",
        "Something unusual happened: A man shouted from upstairs.",
        "There were concerns for the welfare of the pupil: No food in the house.",
        "A referral was made to children's social care on 20 November 2026 by Dee Lead.",
        "It was referred to the Local Authority Designated Officer.",
        "This has not yet been reported in writing to the headteacher.",
        "Jane Smith's attendance from 20 August 2026 to 19 November 2026 was 64.5%.",
        "The authorities were notified of the low attendance on 21 November 2026 by Sam "
        "Senior.",
        "Bo Brown will pass on this information.",
    ]:
        assert sentence in text
    for abbreviation in ("DSL", "LADO", "RA ", "HT "):
        assert abbreviation not in text


def test_an_answer_the_narrative_does_not_know_is_still_told(report: dict[str, Any]) -> None:
    class Later(VisitReport):  # a field added to the form after the export was written
        pets: str | None = field("Names of the pets", "Any pets.", default=None)

    text = report_narrative(Later.model_validate({**report, "pets": "Rex; Tiddles"}))
    assert text.endswith("Further answers on the form:\nNames of the pets: Rex; Tiddles")


def test_nobody_home(report: dict[str, Any]) -> None:
    report.update(anyone_home=False, who_was_home=None, entered_property=None,
                  adult_present=None, letter_left=True, minutes_waited=20)
    text = report_narrative(VisitReport.model_validate(report))
    assert "Nobody was home. Staff waited 20 minutes. An academy home visit letter was left." \
        in text


def test_the_record_names_who_to_alert_and_which_agencies(report: dict[str, Any]) -> None:
    data = {**report, **EVERYTHING}
    record = validate_record(data, "att", today=TODAY)
    assert record.usable
    composer = Composer(SAMPLE_SCHOOL, default_table(), default_mapping())
    exported = composer.report(record, None)
    assert exported.staff_to_alert == ["D. Safeguarding-Lead", "A. Principal", "Bo Brown"]
    assert exported.agencies_informed == ["Police", "Children's social care",
                                          "Local authority (attendance)",
                                          "Local Authority Designated Officer"]
    assert exported.actions == [
        "Agreed with the family (to be reviewed by 4 December 2026): Jane will attend every "
        "day.", "Future action: Food bank referral.", "Bo Brown to inform: The school nurse."]
    texts = [c.text() for c in exported.categories]
    for expected in ("Safeguarding / Welfare concern", "Safeguarding / Immediate danger",
                     "Staff safety / Incident on a home visit",
                     "Allegation against staff / Home visit"):
        assert expected in texts


def test_an_assessment_above_low_risk_tells_its_risks_and_approvals(
        ra: dict[str, Any]) -> None:
    data = copy.deepcopy(ra)
    data.update(overall_risk="high", known_risks="A dog.", mitigation="Dog kept outside.",
                approved_by="Dee Lead", approved_on="2026-11-20", principal_permission=True,
                principal_name="Pat Head", joint_visit="police",
                hazards={"animals": {"likelihood": "likely", "risk_level": "high"}})
    form = RiskAssessment.model_validate(data)
    text = assessment_narrative(form)
    assert "Overall risk level: High." in text
    assert "Known risks: A dog." in text
    assert "Attack by dog or other animal (Likely, High)" in text
    assert ("The visit was authorised by Dee Lead (Designated Safeguarding Lead) on 20 "
            "November 2026.") in text
    assert "The Principal, Pat Head, gave permission for the visit." in text
    for kept_out in ("07700", "1 High Street", "AB12 CDE", "code word", "Code word"):
        assert kept_out not in text
    info = AssessmentInfo.of(form)
    assert info.alone and info.mobiles == ("Alex Adams: 07700 900001",
                                           "Bo Brown: 07700 900002")
