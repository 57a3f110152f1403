"""A new school.toml, commented line by line, for ``docgen init``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from docgen.config import DEFAULT_NAMING, REGISTER_NAME


@dataclass(frozen=True)
class SchoolAnswers:
    """What ``docgen init`` asks (or takes from its options)."""

    name: str = ""
    policy: str = "att"
    headteacher: str = ""
    dsl: str = ""


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def school_toml(answers: SchoolAnswers) -> str:
    """The text of a school.toml: every setting docgen reads, each explained, the ones still
    to fill marked EDIT."""
    name = answers.name or "EDIT: Name of your school or academy"
    return f"""\
# docgen's settings for one school (a trust keeps one file per academy).
# docgen finds this file by itself when you run it in this folder or a folder below it;
# or name it with --school. Lines starting with # are notes; EDIT marks what to fill in.

[school]
name = {_quoted(name)}
# trust = "Name of the multi-academy trust"
address = "EDIT: postal address on one line"
phone = "EDIT: main office number"
# logo = "logo.png"                    # PNG, JPEG or GIF, relative to this file
headteacher = {_quoted(answers.headteacher or "EDIT: headteacher's or principal's name")}
dsl = {_quoted(answers.dsl or "EDIT: Designated Safeguarding Lead's name")}

[documents]
policy = {_quoted(answers.policy)}                       # att or westside, or your own policy file
marking = "OFFICIAL-SENSITIVE"        # printed on every page
naming = {_quoted(DEFAULT_NAMING)}   # also {{pupil}}, {{reference}}, {{school}}
# templates = "our-templates"         # your own templates, relative to this file

# [export]                            # `docgen export` (CPOMS): see the README
# mapping = "our-system.toml"         # the columns your case-management system expects

[letters]
# Who signs the letters and who families call (`docgen letters`). Blank: the headteacher
# signs and the contact is the headteacher on the main office number.
# signatory = "Name of the person who signs"
# signatory_role = "Headteacher"
# contact = "Name of the attendance lead"
# contact_role = "Attendance Lead"
# contact_phone = "Their direct number"
# local_authority = "The local authority's attendance team (for notifications)"

[register]
# What docgen produced, when and for whom (used by reruns and `docgen history`).
# It holds pupils' names: keep it on the school's secure storage.
path = {_quoted(REGISTER_NAME)}
"""
