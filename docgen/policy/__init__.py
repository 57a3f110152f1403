"""Home-visit policies as data, and the checks they switch on.

Importing this package registers every rule (the modules of ``docgen.policy.rules``)."""

from __future__ import annotations

from docgen.policy import rules
from docgen.policy.engine import active_rules, check_form
from docgen.policy.loader import PRESETS, PolicyError, load_policy
from docgen.policy.model import Policy, RuleSetting
from docgen.policy.registry import RULES, CheckContext, Finding, Rule

del rules

__all__ = [
    "PRESETS",
    "RULES",
    "CheckContext",
    "Finding",
    "Policy",
    "PolicyError",
    "Rule",
    "RuleSetting",
    "active_rules",
    "check_form",
    "load_policy",
]
