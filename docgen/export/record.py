"""The export record: one per visit report (and one per risk assessment above low risk),
carrying what a CPOMS incident holds. docgen defines it because CPOMS publishes no import format;
each field says which CPOMS incident field it fills (``x-cpoms`` in its JSON Schema), and a
mapping file (``docgen.export.mapping``) lays it out for another system.

The model is the single source of the record: the JSON and its JSON Schema, the CSV columns
and their headers, the README's field table and the round trip back from a CSV all come from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)

from docgen.export.conditions import CATEGORY_SEPARATOR
from docgen.schemas.types import _FORBIDDEN

FORMAT: Literal["docgen-export"] = "docgen-export"
FORMAT_VERSION: Literal[1] = 1
RecordType = Literal["visit-report", "risk-assessment"]
Status = Literal["new", "amendment", "repeat"]
CPOMS_KEY = "x-cpoms"
_ID_PREFIX: dict[str, str] = {"visit-report": "VR", "risk-assessment": "RA"}
ID_PATTERN = r"^(VR|RA)-[0-9A-F]{16}$"


def record_id(record_type: str, visit_key: str) -> str:
    """The record's id: the same visit always gives the same id (the visit reference, or the
    pupil and date when there is none), and the id does not reveal them."""
    digest = hashlib.sha256(f"{record_type}\x00{visit_key}".encode()).hexdigest()
    return f"{_ID_PREFIX[record_type]}-{digest[:16].upper()}"


def _printable(value: str) -> str:
    bad = _FORBIDDEN.search(value)
    if bad is not None:
        raise ValueError(f"contains the control character U+{ord(bad.group()):04X}")
    return value


def _minutes(value: dt.time) -> dt.time:
    return value.replace(second=0, microsecond=0, tzinfo=None)


# Text: never empty (an absent value is null, so that a CSV cell reads back the same), no
# control characters but tab and newline.
Text = Annotated[str, Field(min_length=1), AfterValidator(_printable)]
Time = Annotated[
    dt.time,
    AfterValidator(_minutes),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:00)?$",
                    "description": "24-hour time, HH:MM"}),
]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


def rfield(label: str, cpoms: str, help: str, **kw: Any) -> Any:
    """A field of the record: its CSV header (``label``), the CPOMS incident field it fills,
    and what it holds."""
    return Field(title=label, description=help, json_schema_extra={CPOMS_KEY: cpoms}, **kw)


class Category(BaseModel):
    """A category of the school's system and, if it has one, a sub-category."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: Text
    subcategory: Text | None = None

    @field_validator("category")
    @classmethod
    def _no_separator(cls, value: str) -> str:
        if CATEGORY_SEPARATOR in f"{value} ":
            raise ValueError(f"a category cannot contain '{CATEGORY_SEPARATOR.strip()}' "
                             "between spaces")
        return value

    def text(self) -> str:
        if self.subcategory:
            return f"{self.category}{CATEGORY_SEPARATOR}{self.subcategory}"
        return self.category

    @classmethod
    def parse(cls, text: str) -> Category:
        category, _, sub = text.partition(CATEGORY_SEPARATOR)
        return cls(category=category, subcategory=sub or None)


ATTACHMENT_KINDS: dict[RecordType, str] = {"visit-report": "Visit report",
                                    "risk-assessment": "Risk assessment"}


class Attachment(BaseModel):
    """A PDF that goes with the record: in the export folder, and under ``attachments/`` in
    the upload bundle."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: RecordType = Field(description="Which form the PDF prints")
    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*\.pdf$")] = Field(
        description="The PDF's file name")
    sha256: Sha256 = Field(description="The SHA-256 of the PDF, to check it arrived whole")


class ExportRecord(BaseModel):
    """One record of the export, in the order of its CSV columns."""

    model_config = ConfigDict(extra="forbid", frozen=True,
                              json_schema_extra={"title": "Export record"})

    id: Annotated[str, Field(pattern=ID_PATTERN)] = rfield(
        "Record ID", "(none: keep it to match later exports)",
        "Stable: the same visit always has the same id (from its visit reference, or the "
        "pupil and date). VR- for a visit report, RA- for a risk assessment.")
    record_type: RecordType = rfield(
        "Record type", "(none)",
        "visit-report: the record of a home visit (ATT 6.2: a report on every visit is "
        "uploaded to CPOMS); risk-assessment: a specific risk assessment above low risk, "
        "uploaded on its own (ATT 7.1, Appendix 1).")
    status: Status = rfield(
        "Export status", "(none: tells the person uploading what to do)",
        "new: not exported before; amendment: exported before and changed since (add it to "
        "the earlier incident); repeat: exported before, unchanged, sent again with --all.")
    amends: Text | None = rfield(
        "Previously exported", "(none)",
        "For an amendment or a repeat: when the record was last exported and into which "
        "file.", default=None)
    changed_fields: list[Text] = rfield(
        "What changed", "(none)",
        "For an amendment: the fields that changed since it was last exported.",
        default_factory=list)
    pupil_name: Text = rfield("Pupil", "Student", "The pupil's full name.")
    date_of_birth: dt.date | None = rfield(
        "Date of birth", "Student (to pick the right one)", "The pupil's date of birth.",
        default=None)
    upn: Text | None = rfield("UPN", "Student (UPN)", "The pupil's Unique Pupil Number.",
                              default=None)
    pupil_class: Text | None = rfield("Year group or class", "Student (year group)",
                                      "As written on the form.", default=None)
    visit_reference: Text | None = rfield(
        "Visit reference", "(none: the incident text gives it too, to search by)",
        "The school's reference for the visit.", default=None)
    incident_date: dt.date = rfield("Incident date", "Date of incident",
                                    "The date of the visit.")
    incident_time: Time | None = rfield(
        "Incident time", "Time of incident",
        "When the visit took place (a risk assessment: its planned start).", default=None)
    categories: list[Category] = rfield(
        "Categories", "Categories (and sub-categories)",
        "From the school's category table, by the visit's purpose and findings.",
        default_factory=list)
    incident_text: Text = rfield(
        "Incident", "Incident description",
        "A factual narrative composed from the form: who went, who was home, whether they "
        "entered, whether the pupil was seen, what was observed, discussed and agreed; in "
        "full sentences and full names, the form's own words quoted as written.")
    actions: list[Text] = rfield(
        "Actions", "Actions taken",
        "Future actions and agreements, with who does them and by when where the form says.",
        default_factory=list)
    alerts: list[Text] = rfield(
        "Safeguarding alerts", "(none: add it to the incident text or alert the DSL)",
        "Gaps still to act on, never held back: e.g. a welfare concern not yet reported to "
        "the DSL. The visit report PDF carries them in its red banner.",
        default_factory=list)
    staff_to_alert: list[Text] = rfield(
        "Staff to alert", "Alert staff members",
        "The DSL; the headteacher for an incident, threat, allegation or a visit ended for "
        "safety; the member of staff the report says will pass the information on.",
        default_factory=list)
    linked_pupils: list[Text] = rfield(
        "Linked pupils", "Linked students",
        "Other pupils the form names, where a field holds them (the forms have no such field "
        "yet, so it is empty).", default_factory=list)
    reported_by: Text = rfield(
        "Reported by", "Reported by",
        "The first member of staff on the visit (a risk assessment: who completed it).")
    agencies_informed: list[Text] = rfield(
        "External agencies informed", "Agency involvement",
        "Police, children's social care, the local authority, the LADO: from the form's "
        "answers.", default_factory=list)
    risk_level: Literal["low", "medium", "high"] | None = rfield(
        "Risk level", "(none)",
        "The overall risk level of the visit's risk assessment, when the export holds it.",
        default=None)
    linked_records: list[Annotated[str, Field(pattern=ID_PATTERN)]] = rfield(
        "Linked records", "(none: the incident to link it to)",
        "The other record of the same visit in the export: a report's risk assessment above "
        "low risk, an assessment's report.", default_factory=list)
    attachments: list[Attachment] = rfield(
        "Attachments", "Files",
        "The PDFs to attach, with their SHA-256: the visit report and its risk assessment.",
        default_factory=list)
    staff_mobiles: list[Text] | None = rfield(
        "Staff mobiles", "(none)",
        "The mobiles staff carried on the visit, from its risk assessment: only when the "
        "mapping asks for them (a column uses this field); otherwise absent.", default=None)


# Fields that describe the export rather than the visit: not compared to tell an amendment.
EXPORT_FIELDS = frozenset({"status", "amends", "changed_fields", "linked_records"})


class ExportFile(BaseModel):
    """The JSON export: a format and its version, when it was made, and the records."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="docgen export")

    format: Literal["docgen-export"] = Field(FORMAT, description="Always docgen-export")
    format_version: Literal[1] = Field(FORMAT_VERSION,
                                       description="Changes when the record changes shape")
    exported_at: dt.datetime = Field(description="When the export was made (UTC)")
    school: str = Field(description="The school the records are from")
    records: list[ExportRecord]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a JSON export (``docgen schema export``)."""
    schema = ExportFile.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://docgen.invalid/schema/{FORMAT}/{FORMAT_VERSION}", **schema}


def field_label(name: str) -> str:
    """The CSV header and README name of a record field."""
    title = ExportRecord.model_fields[name].title
    return title or name
