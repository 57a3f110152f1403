"""docgen: home-visit forms for UK schools, validated against the school's policy.

The entry points a Python user needs::

    import docgen

    report = docgen.validate(["visits.xlsx"], docgen.load_policy("att"))
    result = docgen.render(["visits.xlsx"], "out/", formats=("pdf", "docx"),
                           school=docgen.load_school("school.toml"))

They are imported on first use, so that ``import docgen.validation`` (or a worker process)
does not load the document renderers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS = {
    "validate": "docgen.validation",
    "render": "docgen.batch",
    "checkins": "docgen.batch",
    "load_policy": "docgen.policy",
    "load_school": "docgen.config",
    "Report": "docgen.report",
}

if TYPE_CHECKING:
    from docgen.batch import checkins, render
    from docgen.config import load_school
    from docgen.policy import load_policy
    from docgen.report import Report
    from docgen.validation import validate


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'docgen' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)


__all__ = ["Report", "__version__", "checkins", "load_policy", "load_school", "render",
           "validate"]
