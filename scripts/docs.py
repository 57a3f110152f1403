"""Generate the parts of the documentation that the code knows best, so they cannot drift:
the README's list of checks and CLI reference, and docs/forms.md (every field of every form).

``python scripts/docs.py`` rewrites them; ``python scripts/docs.py --check`` fails if they are
stale (the test suite checks the same).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import click
from click.testing import CliRunner

from docgen.cli import cli
from docgen.documents.applies import FACT_WORDS
from docgen.export.reference import categories_markdown, fields_markdown, mapping_markdown
from docgen.policy import PRESETS, load_policy
from docgen.policy.catalogue import checks_markdown
from docgen.schemas import FORMS
from docgen.schemas.base import FormModel
from docgen.schemas.columns import columns
from docgen.schemas.fields import FieldNode, tree

ROOT = Path(__file__).resolve().parent.parent
HELP_WIDTH = 100


def cli_reference() -> str:
    parts = []
    settings = {**cli.context_settings, "terminal_width": HELP_WIDTH,
                "max_content_width": HELP_WIDTH}
    with click.Context(cli, info_name="docgen", **settings) as ctx:
        parts.append(f"```\n$ docgen --help\n{cli.get_help(ctx)}\n```")
        for name in cli.list_commands(ctx):
            command = cli.get_command(ctx, name)
            assert command is not None
            with click.Context(command, info_name=name, parent=ctx,
                               terminal_width=HELP_WIDTH,
                               max_content_width=HELP_WIDTH) as sub:
                parts.append(f"```\n$ docgen {name} --help\n{command.get_help(sub)}\n```")
    return "\n\n".join(parts) + "\n"


# The README's example session: real commands, run against the samples, output captured.
SESSION = [
    ["validate", "samples/att/visit-reports.xlsx", "--policy", "att"],
    ["validate", "samples/invalid/visit-reports-invalid.xlsx", "--policy", "att",
     "--today", "23/11/2026"],
    ["validate", "samples/westside/nobody-home.json", "--policy", "westside", "--quiet"],
]


def session_reference(root: Path = ROOT) -> str:
    """The session's commands, run in a fresh folder holding a copy of the samples: what a
    new user sees, whatever registers or school files lie around the checkout."""
    runner = CliRunner()
    blocks = []
    here = os.getcwd()
    scratch = Path(tempfile.mkdtemp(prefix="docgen-docs-"))
    shutil.copytree(root / "samples", scratch / "samples")
    os.chdir(scratch)
    try:
        for args in SESSION:
            result = runner.invoke(cli, args, color=False, terminal_width=HELP_WIDTH)
            shown = " ".join(args)
            blocks.append(f"$ docgen {shown}\n{result.output.rstrip()}\n$ echo $?\n"
                          f"{result.exit_code}")
    finally:
        os.chdir(here)
        shutil.rmtree(scratch, ignore_errors=True)
    return "```\n" + "\n\n".join(blocks) + "\n```\n"


def checks_reference() -> str:
    return checks_markdown([load_policy(p) for p in PRESETS])


def forms_reference() -> str:
    lines = ["# The forms, field by field", "",
             "Generated from the schemas by `make docs`; do not edit by hand. JSON uses the "
             "field path; a workbook uses the header. `*` marks a required field.", ""]
    for model in FORMS.values():
        lines += [f"## {model.form_title} (`{model.form_name}`)", "",
                  f"Workbook sheet: `{model.sheet_title}`.", "",
                  "| section | workbook header | JSON path | type | help |",
                  "|---|---|---|---|---|"]
        for col in columns(model):
            path = ".".join(str(p) if isinstance(p, str) else "[n]" for p in col.path)
            path = path.replace(".[n]", "[n]")
            kind = col.kind if col.kind != "choice" else "one of: " + "; ".join(col.choices)
            help_text = col.help.replace("|", "\\|")
            lines.append(f"| {col.section} | {col.header}{' *' if col.required else ''} | "
                         f"`{path}` | {kind} | {help_text} |")
        lines.append("")
        lines += provenance(model)
    return "\n".join(lines)


def _hinted(model: type[FormModel]) -> list[tuple[str, FieldNode]]:
    """Every declared field (parts' fields too) with its JSON path, in the form's order."""
    out: list[tuple[str, FieldNode]] = []

    def walk(nodes: tuple[FieldNode, ...], prefix: str) -> None:
        for node in nodes:
            if not node.in_workbook:
                continue
            path = f"{prefix}{node.name}{'[n]' if node.is_list else ''}"
            out.append((path, node))
            if node.is_part and node.type.__name__ != "HazardMatrix":
                walk(node.children, path + ".")

    walk(tree(model), "")
    return out


def provenance(model: type[FormModel]) -> list[str]:
    """Where the form departs from its paper form: the fields added, each with the policy
    paragraph or practice that justifies it, and every change of wording."""
    hinted = _hinted(model)
    lines = [f"### Beyond the paper form: fields added to {model.paper}", "",
             "Every other field is the paper form's, in its words.", ""]
    lines += _grouped([(path, node, node.source) for path, node in hinted if node.source])
    lines += ["", f"### Wording changed from {model.paper}", ""]
    lines += _grouped([(path, node, node.wording) for path, node in hinted if node.wording])
    lines += ["", "### Printed only when it applies", "",
              "A printed form leaves out a question that does not apply to the visit and was "
              "left empty, and says why in one line; an answer given is always printed. A "
              "blank form (`docgen render --blank`) asks every question.", ""]
    lines += _grouped([(path, node, _applies(model, node)) for path, node in hinted
                       if node.when is not None])
    lines += ["", "### Asked only under some policies", "",
              "A question tied to a policy's rules is asked (printed, and in the workbook "
              "`docgen template` makes) only under a policy that has one of them on.", ""]
    lines += _grouped([(path, node, _asked(node)) for path, node in hinted if node.asked_by])
    lines.append("")
    return lines


def _applies(model: type[FormModel], node: FieldNode) -> str:
    when = node.when
    assert when is not None
    if when.fact:
        return f"when {FACT_WORDS[when.fact]} (otherwise: {when.because})"
    siblings = {n.name: n for parent in [tree(model), *(n.children for _, n in _hinted(model))]
                for n in parent}
    control = siblings[when.field]
    shown = " or ".join(getattr(v, "label", None) or ("Yes" if v is True else "No"
                      if v is False else str(v)) for v in _as_values(control, when.values))
    return f"when '{control.label}' is {shown} (otherwise: {when.because})"


def _as_values(control: FieldNode, values: tuple[object, ...]) -> list[object]:
    if control.kind == "choice":
        return [control.type(v) for v in values]
    return list(values)


def _asked(node: FieldNode) -> str:
    asking = [p for p in PRESETS if any(load_policy(p).asks(n) for n in node.asked_by)]
    rules = ", ".join(f"`{n}`" for n in node.asked_by)
    return f"asked with {rules}: by {', '.join(asking) or 'neither preset'}"


def _grouped(entries: list[tuple[str, FieldNode, str]]) -> list[str]:
    """One bullet per reason: fields next to each other with the same reason share it."""
    groups: list[tuple[list[str], str]] = []
    for path, node, why in entries:
        named = f"**{node.label}** (`{path}`)"
        if groups and groups[-1][1] == why:
            groups[-1][0].append(named)
        else:
            groups.append(([named], why))
    return [f"- {', '.join(names)}: {why}" for names, why in groups]


def _replace(text: str, name: str, body: str) -> str:
    pattern = re.compile(
        rf"(<!-- generated:{name} -->\n)(.*?)(<!-- /generated:{name} -->)", re.DOTALL
    )
    if not pattern.search(text):
        raise ValueError(f"README has no <!-- generated:{name} --> section")
    return pattern.sub(lambda m: m.group(1) + body + m.group(3), text)


def expected_files(root: Path = ROOT) -> dict[Path, str]:
    """Each generated file with the content it should have."""
    readme = root / "README.md"
    text = readme.read_text("utf-8")
    text = _replace(text, "checks", checks_reference())
    text = _replace(text, "cli", cli_reference())
    text = _replace(text, "session", session_reference(root))
    text = _replace(text, "export-fields", fields_markdown())
    text = _replace(text, "export-mapping", mapping_markdown())
    text = _replace(text, "export-categories", categories_markdown())
    return {readme: text, root / "docs" / "forms.md": forms_reference()}


def main(argv: list[str]) -> int:
    stale = []
    for path, content in expected_files().items():
        current = path.read_text("utf-8") if path.exists() else None
        if current == content:
            continue
        if "--check" in argv:
            stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, "utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    if stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"stale: {names}; run `make docs`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
