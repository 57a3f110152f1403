"""The CPOMS export as a job in the browser (``docgen serve``, Jobs page): the visit reports
filed there (with their risk assessments) exported as ``docgen export --bundle`` does, into
the job's zip: the CSV, the JSON, the upload bundle and each record's PDFs.

The register decides, as on the command line: a record already exported and unchanged is
not sent again, a changed one goes as an amendment, and the export is recorded. The mapping
file is checked before anything is made.
"""

from __future__ import annotations

import datetime as dt

from docgen.export.categories import table_for
from docgen.export.compose import Composer
from docgen.export.mapping import Mapping, MappingError, load_mapping
from docgen.export.producer import (
    DATA_FORMATS,
    AttachmentNames,
    ExportOptions,
    ExportProducer,
    VisitIndex,
)
from docgen.export.run import export_name
from docgen.pipeline import Producer
from docgen.register.exports import ExportLog
from docgen.web.jobs import JobRequest, JobSpec


def _mapping(request: JobRequest) -> Mapping:
    config = request.school.config
    mapping = load_mapping(config.mapping_path())
    mapping.check_categories(table_for(config.export).texts())
    return mapping


def _check(request: JobRequest) -> list[str]:
    try:
        _mapping(request)
    except MappingError as exc:
        return [str(exc)]
    return []


def _producer(request: JobRequest) -> Producer:
    if request.out_dir is None:
        raise ValueError("an export job needs its output folder")
    config = request.school.config
    mapping = _mapping(request)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    names = AttachmentNames(request.out_dir, config, mapping.wants_mobiles)
    visits = VisitIndex(names)
    for record in request.records:  # the first pass: which visits have a report
        visits.record(record, [])
    options = ExportOptions(formats=DATA_FORMATS, name=export_name(now), bundle=True)
    log = ExportLog(request.register) if request.register is not None else None
    return ExportProducer(config, request.school.policy,
                          Composer(config, table_for(config.export), mapping), visits,
                          options, log=log, now=now)


def _summary(producer: Producer) -> list[str]:
    if not isinstance(producer, ExportProducer):
        return []
    notes = [f"{label}: not exported again ({why})" for label, why in producer.skipped]
    notes += producer.problems
    if producer.landed:
        notes.append("Upload the bundle in the download (the .zip inside it) to the "
                     "case-management system.")
    return notes


JOBS = [
    JobSpec(
        name="export",
        title="Export visit reports for CPOMS",
        description="One record per visit report, with its risk assessment: CSV, JSON and an "
        "upload bundle with the PDFs. Records already exported and unchanged are not sent "
        "again.",
        roles=frozenset({"dsl", "headteacher"}),
        forms=("risk-assessment", "visit-report"),
        producer=_producer,
        check=_check,
        summary=_summary,
    ),
]
