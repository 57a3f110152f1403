"""The risk assessment behind a visit report: the few facts of an assessment that a report is
checked against (who was to go, on which day, whether and when the visit was authorised), and
where to find them by visit.

A report and its assessment are matched by ``FormModel.visit_key()``: the school's visit
reference when given, else the pupil and the date. ``AssessmentIndex`` holds the assessments
given in one run; the register, which keeps those docgen printed, is a second
``AssessmentLookup``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from docgen.report import Location, RecordResult
from docgen.schemas import RiskAssessment
from docgen.schemas.choices import RiskLevel


def name_key(name: str) -> str:
    """A person's name as compared across forms: case and spacing do not matter."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class AssessmentSummary:
    """What a report is checked against, from one risk assessment."""

    visit_key: str
    visit_date: dt.date
    staff: tuple[str, ...]  # names, as written on the assessment
    authorised_on: dt.date | None
    authorised: bool  # who authorised it, their role and the date are all recorded
    overall_risk: RiskLevel
    location: Location  # where the assessment was read from, to name it in messages

    @classmethod
    def of(cls, ra: RiskAssessment, location: Location) -> AssessmentSummary:
        return cls(
            visit_key=ra.visit_key(),
            visit_date=ra.visit_date,
            staff=tuple(member.name for member in ra.staff),
            authorised_on=ra.authorised_on,
            authorised=None not in (ra.authorised_by, ra.authoriser_role, ra.authorised_on),
            overall_risk=ra.overall_risk,
            location=location,
        )

    def has_staff(self, name: str) -> bool:
        return name_key(name) in {name_key(s) for s in self.staff}


class AssessmentLookup(Protocol):
    """Finds the risk assessment of a visit."""

    def find(self, visit_key: str) -> AssessmentSummary | None: ...


class Lookups:
    """Several places to look, in order: the run's own assessments, then the register."""

    def __init__(self, *lookups: AssessmentLookup) -> None:
        self.lookups = lookups

    def find(self, visit_key: str) -> AssessmentSummary | None:
        for lookup in self.lookups:
            found = lookup.find(visit_key)
            if found is not None:
                return found
        return None


class AssessmentIndex:
    """Risk assessments by visit, in memory. The first assessment of a visit wins: a later
    copy of the same visit is a duplicate, flagged as such by validation."""

    def __init__(self, summaries: Iterable[AssessmentSummary] = ()) -> None:
        self._by_key: dict[str, AssessmentSummary] = {}
        for summary in summaries:
            self.add(summary)

    def add(self, summary: AssessmentSummary) -> None:
        self._by_key.setdefault(summary.visit_key, summary)

    def find(self, visit_key: str) -> AssessmentSummary | None:
        return self._by_key.get(visit_key)

    def __len__(self) -> int:
        return len(self._by_key)

    @classmethod
    def from_records(cls, records: Iterable[RecordResult]) -> AssessmentIndex:
        """Every risk assessment that parsed, whatever its other problems: a report is
        checked against the assessment as it was written."""
        return cls(
            AssessmentSummary.of(record.form, record.location)
            for record in records
            if isinstance(record.form, RiskAssessment)
        )
