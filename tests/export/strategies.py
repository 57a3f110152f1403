"""Hypothesis strategies for export records full of hostile values: formula-like text, commas,
quotes, newlines, semicolons, apostrophes, non-ASCII names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from docgen.export.record import ATTACHMENT_KINDS, Attachment, Category, ExportRecord
from docgen.schemas.types import _FORBIDDEN

HOSTILE = [
    "=1+1", "+SUM(A1:A2)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=tab", "'=A1", "''@x",
    "+44 7700 900123", "-12.5", "a,b,c", '"quoted", he said', "line one\nline two\n\nthree",
    "Siobhán O'Brien-Smith & <Co>", "x; y;; z;", ";", "; leading", "trailing ;", "名前",
    "Zoë Ødegaard", "🙂 emoji", "  spaces  ", "\u2028separator", "<script>alert(1)</script>",
    "a\tb", "Bobby'); DROP TABLE records;--",
]

text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(min_size=1, max_size=40),
    st.tuples(st.sampled_from(HOSTILE), st.text(max_size=10)).map("".join),
).map(lambda s: _FORBIDDEN.sub("", s)).filter(bool)
optional = st.none() | text
items = st.lists(text, max_size=3)
days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
record_ids = st.from_regex(r"\A(VR|RA)-[0-9A-F]{16}\Z")
category_names = text.filter(lambda s: " / " not in f"{s} ")
categories = st.builds(Category, category=category_names, subcategory=st.none() | text)
attachments = st.builds(
    Attachment, kind=st.sampled_from(list(ATTACHMENT_KINDS)),
    file=st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,30}\.pdf\Z"),
    sha256=st.from_regex(r"\A[0-9a-f]{64}\Z"))


def records(*, mobiles: Any = None) -> st.SearchStrategy[ExportRecord]:
    """Export records; ``mobiles``: the strategy for staff_mobiles (absent by default)."""
    return st.builds(
        ExportRecord,
        id=record_ids, record_type=st.sampled_from(["visit-report", "risk-assessment"]),
        status=st.sampled_from(["new", "amendment", "repeat"]), amends=optional,
        changed_fields=items, pupil_name=text, date_of_birth=st.none() | days,
        upn=optional, pupil_class=optional, visit_reference=optional, incident_date=days,
        incident_time=st.none() | st.times(), categories=st.lists(categories, max_size=3),
        incident_text=text, actions=items, alerts=items, staff_to_alert=items,
        linked_pupils=items, reported_by=text, agencies_informed=items,
        risk_level=st.none() | st.sampled_from(["low", "medium", "high"]),
        linked_records=st.lists(record_ids, max_size=2),
        attachments=st.lists(attachments, max_size=2),
        staff_mobiles=mobiles if mobiles is not None else st.none(),
    )
