"""The letters as jobs in the browser (``docgen serve``, Jobs page): the letters the visit
forms filed there call for, and the "sorry we missed you" letters for the day's visits.

They run as ``docgen letters`` does on the same forms: templates checked first (a problem
stops the job, naming the file), the register's "do not send" marks and stages kept, the
letters recorded. The browser has no attendance export to read: attendance letters stay with
``docgen letters`` on the MIS export, and letters from forms go to "the parent or carer" at
the visit's address, as without ``--contacts``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from docgen.letters import templates
from docgen.letters.batch import LetterRendererSpec, batch_size, kinds_for
from docgen.letters.producer import MANIFEST_COLUMNS, LetterProducer, families_for
from docgen.pipeline import Format, Producer, Settings
from docgen.register.letters import LetterBook
from docgen.web.jobs import JobRequest, JobSpec

FORMATS: tuple[Format, ...] = ("pdf", "docx")
# Letters name a pupil and their family: the office works from the CLI with the MIS export;
# in the browser the roles that see every form make them.
ROLES = frozenset({"dsl", "headteacher"})


def _families(missed_you: bool) -> frozenset[str] | None:
    return families_for(["missed-you"]) if missed_you else None


def _producer(missed_you: bool) -> Callable[[JobRequest], Producer]:
    def make(request: JobRequest) -> Producer:
        config = request.school.config
        return LetterProducer(
            config, request.school.policy, today=request.day,
            wording=templates.Wording(config.template_dir()),
            book=LetterBook(request.register) if request.register is not None else None,
            families=_families(missed_you), combine=True)
    return make


def _check(missed_you: bool) -> Callable[[JobRequest], list[str]]:
    def check(request: JobRequest) -> list[str]:
        return templates.check(request.school.config.template_dir(),
                               kinds_for(_families(missed_you)), FORMATS)
    return check


def _settings(request: JobRequest, settings: Settings) -> Settings:
    return dataclasses.replace(
        settings, renderer=LetterRendererSpec(request.school.config.template_dir()),
        batch_size=batch_size(len(request.records), settings.jobs, len(settings.formats)),
        manifest_columns=MANIFEST_COLUMNS)


def _summary(producer: Producer) -> list[str]:
    counts = producer.counts if isinstance(producer, LetterProducer) else {}
    if not counts:
        return ["No letter is due from these forms."]
    made = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    return [f"Letters: {made}. letters.pdf in the zip has them all, in order, to print."]


JOBS = [
    JobSpec(
        name="letters",
        title="Make the letters the visits call for",
        description="Visit appointment letters from the risk assessments, the record of "
        "agreement and the note of a visit cancelled for safety from the visit reports: a PDF "
        "and a Word file each, and letters.pdf to print them all. Families marked "
        "\"do not send\" get none.",
        roles=ROLES,
        forms=("risk-assessment", "visit-report"),
        producer=_producer(False),
        formats=FORMATS,
        settings=_settings,
        check=_check(False),
        summary=_summary,
    ),
    JobSpec(
        name="missed-you",
        title="Print today's \"sorry we missed you\" letters",
        description="For staff to take on today's visits and leave when nobody is home.",
        roles=ROLES,
        forms=("risk-assessment",),
        producer=_producer(True),
        formats=FORMATS,
        today_only=True,
        settings=_settings,
        check=_check(True),
        summary=_summary,
    ),
]
