"""Run a form through every rule its policy switches on, and turn findings into issues."""

from __future__ import annotations

from docgen.policy.model import Policy
from docgen.policy.registry import CheckContext, Rule, rules_for
from docgen.report import Issue, Severity, make_issue
from docgen.schemas.base import FormModel
from docgen.schemas.parse import Locator
from docgen.schemas.types import display

ActiveRule = tuple[Rule, Severity, str]


def active_rules(form: type[FormModel], policy: Policy) -> list[ActiveRule]:
    """The rules that apply to ``form`` under ``policy``, with their severity and citation."""
    out = []
    for rule in rules_for(form):
        if rule.form_rule:
            out.append((rule, rule.severity, rule.cite))
            continue
        setting = policy.setting(rule.id)
        if setting is not None:
            cite = f"{policy.name}: {setting.cite}" if setting.cite else policy.name
            out.append((rule, Severity(setting.severity), cite))
    return out


def check_form(
    form: FormModel, policy: Policy, locate: Locator, ctx: CheckContext | None = None,
    rules: list[ActiveRule] | None = None,
) -> list[Issue]:
    """Every finding of the policy's rules on ``form``. ``rules`` saves a batch working out
    ``active_rules`` again for every record."""
    ctx = ctx or CheckContext()
    issues = []
    for rule, severity, cite in rules if rules is not None else active_rules(type(form), policy):
        for finding in rule.check(form, policy, ctx):
            place = locate(finding.path)
            issues.append(
                make_issue(
                    rule.id,
                    finding.message,
                    place.location,
                    severity=severity,
                    field=place.label if finding.path else None,
                    value=None if finding.value is None else display(finding.value),
                    rule=rule.id,
                    citation=cite,
                    blocking=not rule.never_blocks,
                    alert=(finding.alert or rule.alert) if rule.never_blocks else None,
                )
            )
    return issues
