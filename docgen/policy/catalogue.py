"""Every check, as a table: for ``docgen checks`` and the README (generated, never hand-kept)."""

from __future__ import annotations

from typing import Any

from docgen.policy.model import Policy
from docgen.policy.registry import RULES


def catalogue(policies: list[Policy]) -> list[dict[str, Any]]:
    """One row per rule: id, form(s), title, and per policy its severity and citation."""
    rows = []
    for rule in RULES.values():
        row: dict[str, Any] = {
            "id": rule.id,
            "forms": [f.form_name for f in rule.forms],
            "title": rule.title,
            "kind": "form" if rule.form_rule else "policy",
            "never_blocks": rule.never_blocks,
            "policies": {},
        }
        for policy in policies:
            if rule.form_rule:
                row["policies"][policy.id] = {"severity": rule.severity.value,
                                              "cite": rule.cite}
            else:
                setting = policy.rules.get(rule.id)
                row["policies"][policy.id] = (
                    {"severity": setting.severity, "cite": setting.cite}
                    if setting else {"severity": "off", "cite": ""}
                )
        rows.append(row)
    return rows


def checks_markdown(policies: list[Policy]) -> str:
    """A Markdown table of every check with its severity per policy, then the citations."""
    rows = catalogue(policies)
    ids = [p.id for p in policies]
    head = "| check | form | what it checks | " + " | ".join(ids) + " |"
    sep = "|---|---|---|" + "---|" * len(ids)
    lines = [head, sep]
    for row in rows:
        forms = ", ".join(row["forms"])
        cells = [row["policies"][i]["severity"] for i in ids]
        title = row["title"] + (" *(never blocks)*" if row["never_blocks"] else "")
        lines.append(f"| `{row['id']}` | {forms} | {title} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("*(never blocks)*: the check's purpose is to make something be reported; its "
                 "error is listed, and the record's document is still printed, with the gap in "
                 "a red banner at the top.")
    lines.append("")
    lines.append("Form checks hold under every policy and cite the form they come from. "
                 "Policy checks cite the paragraph they enforce:")
    lines.append("")
    for policy in policies:
        lines.append(f"**{policy.name}** ({policy.document}):")
        lines.append("")
        for row in rows:
            entry = row["policies"][policy.id]
            if row["kind"] == "policy" and entry["severity"] != "off":
                lines.append(f"- `{row['id']}`: {entry['cite']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def checks_text(policy: Policy) -> str:
    """The checks one policy runs, for a terminal."""
    lines = [f"{policy.name} ({policy.id}): {policy.document}", ""]
    for row in catalogue([policy]):
        entry = row["policies"][policy.id]
        if entry["severity"] == "off":
            continue
        title = row["title"] + (" (never blocks)" if row["never_blocks"] else "")
        lines.append(f"{entry['severity']:<8} {row['id']:<28} {title}")
        if entry["cite"]:
            lines.append(f"{'':<37} {entry['cite']}")
    return "\n".join(lines)
