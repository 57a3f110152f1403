"""The checks, one module per form (and ``shared`` for those that read both). Importing the
package registers every rule in ``docgen.policy.registry.RULES``."""

from __future__ import annotations

from docgen.policy.rules import risk_assessment, shared, visit_report

__all__ = ["risk_assessment", "shared", "visit_report"]
