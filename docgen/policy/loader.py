"""Load a policy: a preset by name, or a school's own TOML or YAML file."""

from __future__ import annotations

import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from docgen.files import FileProblem
from docgen.policy.model import Policy
from docgen.policy.registry import RULES
from docgen.report import inert
from docgen.settings_file import (
    MAX_PROBLEMS,
    excerpt,
    listed,
    long_texts,
    read_text,
    text_problems,
    validation_problems,
    yaml_problem,
)

PRESETS = ("att", "westside")
MAX_POLICY_BYTES = 1_000_000
# A citation is quoted briefly (the presets' longest is 328 characters) and printed with every
# warning it backs; the policy's name and document are printed in each citation.
MAX_POLICY_TEXT = 1_000


class PolicyError(Exception):
    """A policy file that cannot be used; the message says what to change."""


class _PolicyYamlLoader(yaml.SafeLoader):
    """YAML 1.1 reads an unquoted 9:30 as the base-60 number 570; in a policy file it is a
    time of day (``school_day.start``, ``evening_from``), so keep it as the text written.

    Aliases (``*name``) are refused: a few lines of nested aliases stand for a billion values
    (the "billion laughs"), which validation would then walk; a policy never needs them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a policy file; write the "
                "value out", event.start_mark)
        return super().compose_node(parent, index)


def _number_or_time(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    if ":" in str(node.value):
        return loader.construct_scalar(node)
    if node.tag.endswith(":int"):
        return loader.construct_yaml_int(node)
    return loader.construct_yaml_float(node)


_PolicyYamlLoader.add_constructor("tag:yaml.org,2002:int", _number_or_time)
_PolicyYamlLoader.add_constructor("tag:yaml.org,2002:float", _number_or_time)


def _preset_text(name: str) -> str:
    return resources.files("docgen.policy").joinpath("presets", f"{name}.toml").read_text("utf-8")


def load_policy(spec: str | Path) -> Policy:
    """``att``, ``westside``, or the path of a school's policy file (.toml, .yaml, .yml)."""
    name = spec.strip().lower() if isinstance(spec, str) else ""
    if name in PRESETS:
        return _build(tomllib.loads(_preset_text(name)), f"preset '{name}'")
    path = Path(spec)
    if not path.exists() and not path.is_symlink():  # a broken link or a loop: said when read
        guess = difflib.get_close_matches(name, PRESETS, n=1, cutoff=0.5)
        hint = f" Did you mean '{guess[0]}'?" if guess else ""
        raise PolicyError(
            f"'{inert(str(spec))}' is neither a preset ({', '.join(PRESETS)}) nor an existing "
            f"policy file.{hint}"
        )
    return _build(_read(path), str(path))


def _read(path: Path) -> dict[str, Any]:
    """The policy file's settings. Whatever the path points at (a link to a system file, a
    binary, a pipe), an error names the place, never the file's lines."""
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml"):
        raise PolicyError(f"{path}: a policy file ends in .toml, .yaml or .yml.")
    try:
        text = read_text(path, max_bytes=MAX_POLICY_BYTES)
    except FileProblem as exc:
        raise PolicyError(f"{path}: {exc.message}") from None
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        else:
            data = yaml.load(text, Loader=_PolicyYamlLoader)  # noqa: S506 (a SafeLoader)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {inert(str(exc))[:200]}") from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: not valid YAML: {yaml_problem(exc)}") from None
    except RecursionError:
        raise PolicyError(f"{path}: nested too deeply to be a policy file.") from None
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: expected a table of settings at the top level.")
    problems = text_problems(data, multiline=True) + long_texts(data, MAX_POLICY_TEXT)
    if problems:
        raise PolicyError(f"{path}: {listed(problems)}")
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _build(data: dict[str, Any], source: str) -> Policy:
    if "rules" in data and data["rules"] is None:  # YAML `rules:` with nothing under it
        del data["rules"]
    parent = data.pop("extends", None)
    if parent is not None:
        if parent not in PRESETS:
            raise PolicyError(
                f"{source}: 'extends' must name a preset ({', '.join(PRESETS)}), not "
                f"'{excerpt(parent)}'."
            )
        data = _merge(tomllib.loads(_preset_text(parent)), data)
    rules = data.setdefault("rules", {})
    if not isinstance(rules, dict):
        raise PolicyError(
            f"{source}: 'rules' must be a table with one entry per rule id, e.g. "
            '[rules."ra.staff-dbs"] with severity = "error".'
        )
    unknown = sorted(str(r) for r in set(rules) - set(RULES))
    if unknown:
        shown = ", ".join(excerpt(r) for r in unknown[:MAX_PROBLEMS])
        more = f" and {len(unknown) - MAX_PROBLEMS} more" if len(unknown) > MAX_PROBLEMS else ""
        raise PolicyError(
            f"{source}: unknown rule id(s) {shown}{more}. `docgen checks` lists the rule ids."
        )
    form_rules = sorted(r for r in rules if RULES[r].form_rule)
    if form_rules:
        raise PolicyError(
            f"{source}: {', '.join(form_rules)} check the form itself and apply under every "
            "policy; remove them from the policy file."
        )
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(f"{source}: {validation_problems(exc)}") from None
