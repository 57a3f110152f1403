"""Load a policy: a preset by name, or a school's own TOML or YAML file."""

from __future__ import annotations

import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from docgen.policy.model import Policy
from docgen.policy.registry import RULES

PRESETS = ("att", "westside")
MAX_POLICY_BYTES = 1_000_000


class PolicyError(Exception):
    """A policy file that cannot be used; the message says what to change."""


class _PolicyYamlLoader(yaml.SafeLoader):
    """YAML 1.1 reads an unquoted 9:30 as the base-60 number 570; in a policy file it is a
    time of day (``school_day.start``, ``evening_from``), so keep it as the text written."""


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
    if not path.exists():
        guess = difflib.get_close_matches(name, PRESETS, n=1, cutoff=0.5)
        hint = f" Did you mean '{guess[0]}'?" if guess else ""
        raise PolicyError(
            f"'{spec}' is neither a preset ({', '.join(PRESETS)}) nor an existing policy "
            f"file.{hint}"
        )
    return _build(_read(path), str(path))


def _read(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_POLICY_BYTES:
            raise PolicyError(f"{path}: too large for a policy file.")
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read it ({exc}).") from exc
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix in (".yaml", ".yml"):
            data = yaml.load(text, Loader=_PolicyYamlLoader)  # noqa: S506 (a SafeLoader)
        else:
            raise PolicyError(f"{path}: a policy file ends in .toml, .yaml or .yml.")
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise PolicyError(f"{path}: not valid {suffix[1:].upper()}: {exc}") from exc
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: expected a table of settings at the top level.")
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
                f"{source}: 'extends' must name a preset ({', '.join(PRESETS)}), not '{parent}'."
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
        raise PolicyError(
            f"{source}: unknown rule id(s) {', '.join(unknown)}. "
            "`docgen checks` lists the rule ids."
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
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise PolicyError(f"{source}: {problems}") from exc
