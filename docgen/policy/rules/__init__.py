"""The checks, one module per form (``shared`` for those that read both;
``visit_report_assessment`` for a report checked against its risk assessment). Importing the
package registers every rule in ``docgen.policy.registry.RULES``."""

from __future__ import annotations

from docgen.policy.rules import risk_assessment, shared, visit_report, visit_report_assessment

__all__ = ["risk_assessment", "shared", "visit_report", "visit_report_assessment"]
