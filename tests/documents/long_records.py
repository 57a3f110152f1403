"""A long, messy risk assessment and visit report: every question answered that can be, six
members of staff, 5,000-character answers, a hostile name, a changed hazard matrix with long
controls, a high-risk visit out of hours. What a form must still print well."""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import HOSTILE_NAME, RA, REPORT

LONG_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 100)[:5000]
PARAGRAPHS = "\n".join(
    f"{i}. The mother said the family had moved twice since September; the younger brother "
    "answered the door and said nobody else was in." for i in range(1, 25)
)


def long_risk_assessment() -> dict[str, Any]:
    ra = copy.deepcopy(RA)
    staff = [
        {"name": f"{HOSTILE_NAME} {i}", "role": "Attendance and Welfare Officer (Education "
         "Welfare Service, seconded)", "mobile": f"07700 90010{i}", "dbs_checked": True,
         "home_visit_trained": i % 2 == 0, "violence_training": True}
        for i in range(6)
    ]
    ra.update({
        "pupil_name": HOSTILE_NAME,
        "address": "Flat 12b, Riverside Court\n" + "Long Lane\n" * 3 + "Millbrook MB6 1EW",
        "vulnerability": {"cp_cin_early_help": True, "other": True,
                          "other_details": "Young carer for a parent with a long illness"},
        "reason": {"requested_by_la": True, "concerns_from_academy": True},
        "purpose": "welfare_check",
        "parents_informed": False,
        "unannounced_reason": LONG_TEXT[:1900],
        "staff": staff,
        "why_required": LONG_TEXT,
        "known_risks": PARAGRAPHS,
        "mitigation": LONG_TEXT,
        "hazards": {
            "aggressive_person": {"likelihood": "likely", "risk_level": "high",
                                  "controls": PARAGRAPHS},
            "animals": {"likelihood": "possible", "risk_level": "medium",
                        "severity_of_harm": LONG_TEXT[:1500]},
        },
        "overall_risk": "high",
        "approved_by": "Dr Ruth Allen", "approved_on": "2026-11-19",
        "concerns_consulted": True,
        "principal_permission": True, "principal_name": "Dr Ruth Allen",
        "joint_visit": "police",
        "planned_start": "17:30", "expected_return": "19:00",
        "out_of_hours_reason": LONG_TEXT[:1900],
        "responsible_contact": {"name": "Sam Senior", "phone": "07700 900999"},
    })
    return ra


def long_visit_report() -> dict[str, Any]:
    report = copy.deepcopy(REPORT)
    report.update({
        "pupil_name": HOSTILE_NAME,
        "staff_attending": [f"{HOSTILE_NAME} {i}" for i in range(6)],
        "purpose": "tutoring",
        "reason": LONG_TEXT,
        "who_was_home": PARAGRAPHS[:1990],
        "anything_unusual": True,
        "unusual_details": LONG_TEXT,
        "property_condition": LONG_TEXT,
        "welfare_concerns": True,
        "welfare_details": LONG_TEXT,
        "concerns_reported_to_dsl": True,
        "immediate_danger": False,
        "discussed": LONG_TEXT,
        "agreed": PARAGRAPHS,
        "future_action": LONG_TEXT,
        "inform_others": True,
        "inform_who": LONG_TEXT[:1900],
        "inform_by": HOSTILE_NAME,
        "pupil_seen": True,
        "pupil_spoken_to": "with_parent",
        "spoken_to_with": "Mother",
        "social_care_referral": True,
        "referral_date": "2026-11-20",
        "referral_by": "Dee Lead",
        "id_shown": True,
        "animals": "secured",
        "entered_bedroom": False,
        "door_open": True,
        "incident_reported": True,
        "threatened": False,
        "allegation_made": False,
        "left_for_safety": False,
        "left_safely_reported": True,
    })
    return report
