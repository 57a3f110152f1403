"""The export for CPOMS (or another case-management system): one record per visit report, as
CSV, JSON and an upload bundle, with the PDFs attached; the register remembers what was sent.

Imported lazily, so that reading a school file (which names the export's conditions) does not
load the pipeline."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "export": "docgen.export.run",
    "ExportResult": "docgen.export.run",
    "ExportRecord": "docgen.export.record",
    "ExportFile": "docgen.export.record",
    "json_schema": "docgen.export.record",
    "Mapping": "docgen.export.mapping",
    "load_mapping": "docgen.export.mapping",
    "MappingError": "docgen.export.mapping",
}

if TYPE_CHECKING:
    from docgen.export.mapping import Mapping, MappingError, load_mapping
    from docgen.export.record import ExportFile, ExportRecord, json_schema
    from docgen.export.run import ExportResult, export


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'docgen.export' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)


__all__ = ["ExportFile", "ExportRecord", "ExportResult", "Mapping", "MappingError", "export",
           "json_schema", "load_mapping"]
