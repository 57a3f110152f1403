"""The rule registry: each check is a small function registered with an id, the forms it reads,
and a one-line title for the README.

Form rules hold whatever the school's policy: a leaving time before the arrival time is wrong
under any policy. They cite the form and cannot be switched off. Policy rules are switched on,
given a severity and a citation by the policy (``presets/*.toml`` or a school's own file).

A rule whose purpose is to make something be reported (a welfare concern to the DSL, a threat
to the police) ``never_blocks``: its errors are listed like any other, but the record's
documents are still produced, carrying the gap in a red banner headed by the rule's ``alert``.
Blocking such a record would stop the very document that reports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from docgen.policy.assessments import AssessmentLookup
from docgen.policy.model import Policy
from docgen.report import Severity
from docgen.schemas.base import FormModel
from docgen.schemas.fields import Path


@dataclass(frozen=True)
class Finding:
    """One breach of a rule, pointing at the field to fix."""

    message: str
    path: Path = ()
    value: Any = None
    alert: str | None = None  # for a rule that never blocks: a headline other than the rule's


@dataclass(frozen=True)
class CheckContext:
    """What a check may know beyond the form and the policy.

    ``assessments`` finds the risk assessment of a visit, for the checks of a report against
    it; None means none were looked up (the checks that need one then stay silent)."""

    today: dt.date = field(default_factory=dt.date.today)
    assessments: AssessmentLookup | None = None


CheckFn = Callable[[Any, Policy, CheckContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    forms: tuple[type[FormModel], ...]
    check: CheckFn
    form_rule: bool = False
    severity: Severity = Severity.ERROR  # for form rules only; policy rules take the policy's
    cite: str = ""  # for form rules only
    never_blocks: bool = False  # its errors are printed in a red banner, never block documents
    alert: str = ""  # the banner's headline, for a rule that never blocks


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    title: str,
    *forms: type[FormModel],
    form_rule: bool = False,
    severity: Severity = Severity.ERROR,
    cite: str = "",
    never_blocks: bool = False,
    alert: str = "",
) -> Callable[[CheckFn], CheckFn]:
    """Register a check. Form rules give their severity and citation here. A rule whose
    purpose is to make something be reported gives ``never_blocks=True`` and the ``alert``
    headline its document's banner prints, e.g. "Welfare concern not yet reported to the
    DSL: report it now"."""
    if never_blocks != bool(alert):
        raise ValueError(f"{rule_id}: a rule that never blocks needs its alert, and only it")

    def register(fn: CheckFn) -> CheckFn:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, title, forms, fn, form_rule, severity, cite,
                              never_blocks, alert)
        return fn

    return register


def rules_for(form: type[FormModel]) -> list[Rule]:
    return [r for r in RULES.values() if form in r.forms]
