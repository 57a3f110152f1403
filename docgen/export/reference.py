"""The export's reference for the README, from the code: the record field by field with the
CPOMS incident field each fills, the default mapping, the default category table and the
conditions a table may use (``make docs`` writes them; a test fails on drift)."""

from __future__ import annotations

from docgen.export.categories import default_table
from docgen.export.conditions import conditions
from docgen.export.mapping import default_mapping, mapping_toml
from docgen.export.record import CPOMS_KEY, ExportRecord


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def fields_markdown() -> str:
    lines = ["| CSV column (default mapping) | field | CPOMS incident field | what it holds |",
             "|---|---|---|---|"]
    for name, info in ExportRecord.model_fields.items():
        extra = info.json_schema_extra
        cpoms = extra.get(CPOMS_KEY, "") if isinstance(extra, dict) else ""
        lines.append(f"| {info.title} | `{name}` | {_cell(str(cpoms))} | "
                     f"{_cell(info.description or '')} |")
    return "\n".join(lines) + "\n"


def mapping_markdown() -> str:
    return "```toml\n" + mapping_toml(default_mapping()) + "```\n"


def categories_markdown() -> str:
    table = default_table()
    lines = ["| category | when any of these holds |", "|---|---|"]
    for rule in table.rules:
        name = rule.category + (f" / {rule.subcategory}" if rule.subcategory else "")
        lines.append(f"| {_cell(name)} | {', '.join(f'`{c}`' for c in rule.when)} |")
    if table.fallback is not None:
        fallback = table.fallback
        name = fallback.category + (f" / {fallback.subcategory}" if fallback.subcategory
                                    else "")
        lines.append(f"| {_cell(name)} | none of the above (the fallback) |")
    lines += ["", "| condition | holds when |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(text)} |" for name, text in conditions().items()]
    return "\n".join(lines) + "\n"
