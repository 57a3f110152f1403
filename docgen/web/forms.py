"""A form's web page, made from the same field tree as the workbook and the printed document
(``docgen.schemas.fields.tree``): sections, labels, help, dropdowns, tick boxes, the hazard
matrix. Answers travel as flat names (``staff.0.mobile``, ``hazards.driving.likelihood``), are
kept as typed (a draft is whatever was typed, valid or not), and become the nested data that
``docgen.validation.validate_record`` checks, exactly as a JSON file would be.

The page asks what the printed form asks (``docgen.documents.applies``, from the fields'
``when`` and ``asked_by``), in the policy's words: a question the school's policy does not ask
is left off; one that does not apply given the answers so far is folded away under a line
saying why (still on the page, so it can be answered anyway and is posted with the rest). An
answer given is always shown, with a note when its question does not apply. The page's script
refolds the questions as answers change, from what the server sends back (``applying``).

Some fields are not typed on the web because the web records them from the login: who
authorised the visit, in which role and when, and the Principal's permission for a high-risk
visit (``RECORDED_FROM_LOGIN``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from docgen.documents.applies import Applicability
from docgen.documents.context import Words
from docgen.policy import Policy
from docgen.report import Issue
from docgen.schemas import FormModel, RiskAssessment
from docgen.schemas.base import Part
from docgen.schemas.fields import FieldNode, by_name, tree
from docgen.schemas.types import Choice, display
from docgen.web.draft import draft_form

RECORDED_FROM_LOGIN: dict[str, frozenset[str]] = {
    RiskAssessment.form_name: frozenset({
        "authorised_by", "authoriser_role", "authorised_on", "approved_by", "approved_on",
        "principal_permission", "principal_name",
    }),
}
MAX_VALUE = 20_000  # characters kept of one answer (the schema's limits are lower)
KEPT_NOT_ASKED = ("The school's policy does not ask this question. The answer given is kept "
                  "and printed; clear it if it is not wanted.")
KEPT_NOT_APPLYING = ("This question does not apply, as {why}. The answer given is kept and "
                     "printed; clear it if it is not wanted.")


@dataclass
class Widget:
    """One control (or group of controls) on the page."""

    name: str  # the flat name, e.g. "staff.0.mobile"
    kind: str  # text, long, date, time, number, yesno, tick, choice, group, list
    label: str
    help: str
    required: bool
    value: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for choices
    children: list[Widget] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    max_length: int | None = None
    summary: str = ""  # a folded group's one-line summary (a hazard's level)
    folded: bool = False  # shown folded (<details>) until opened
    addable: bool = False  # a list that can take another item
    conditional: bool = False  # applies only to some visits (``field(when=...)``)
    skipped: str = ""  # not answered and does not apply: the line saying why it is folded away
    kept: str = ""  # answered, though not asked or not applying: says so
    run: bool = False  # folded away for the same reason as the question before it

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-")

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)


@dataclass
class PageSection:
    title: str
    widgets: list[Widget]

    @property
    def anchor(self) -> str:
        return "s-" + re.sub(r"[^a-z0-9]+", "-", self.title.casefold()).strip("-")

    @property
    def problems(self) -> int:
        return sum(_count(w) for w in self.widgets)


def _count(widget: Widget) -> int:
    return sum(1 for i in widget.issues if i.is_error) + sum(_count(c) for c in widget.children)


def _visible(model: type[FormModel], node: FieldNode) -> bool:
    return node.in_workbook and node.name not in RECORDED_FROM_LOGIN.get(model.form_name, ())


def _default(parent: type[BaseModel] | None, node: FieldNode, owner: str | None) -> Any:
    """What a blank answer stands for (the hazard matrix's generic assessment)."""
    if parent is not None and owner is not None and issubclass(parent, Part):
        return parent.blank_means.get(owner, {}).get(node.name)
    return None


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Choice):
        return value.value
    return display(value)


class Asking:
    """What the page asks of one draft under one policy, in its words: the printed form's
    rules (``Applicability``) applied to the answers typed so far."""

    def __init__(self, form: Any, policy: Policy, values: Mapping[str, str]) -> None:
        self.applies = Applicability(form, policy)
        self.words = Words(policy.wording)
        self.values = values
        self.parts: list[Any] = []  # list items read on their own: alive while asked about

    def item(self, model: type[BaseModel], data: dict[str, Any]) -> Any:
        """A list item's draft (``Applicability`` knows a part by its identity: kept alive)."""
        part = draft_form(model, data)
        self.parts.append(part)
        return part

    def answered(self, name: str) -> bool:
        """Whether anything is typed for the field ``name`` (or anywhere inside it)."""
        inside = name + "."
        return any(v and (k == name or k.startswith(inside)) for k, v in self.values.items())

    def state(self, node: FieldNode, owner: Any, name: str) -> tuple[bool, str, str]:
        """Whether the question is on the page at all; the line saying why it is folded away
        ("": it is not); and the note an answer to a question not asked or not applying
        carries."""
        if not self.answered(name):
            reason = self.applies.skip(node, owner)
            if reason == "":  # the policy does not ask it
                return False, "", ""
            if reason is None:
                return True, "", ""
            waiting = self.waiting_on(node, owner)
            if waiting is not None:
                return True, f"Asked once '{self.words(waiting.label)}' is answered", ""
            return True, f"Not asked while {self.words(reason)}", ""
        if not self.applies.asked(node):
            return True, "", KEPT_NOT_ASKED
        why = self.applies.not_applying(node, owner) if owner is not None else None
        return True, "", KEPT_NOT_APPLYING.format(why=self.words(why)) if why else ""


    def waiting_on(self, node: FieldNode, owner: Any) -> FieldNode | None:
        """The question whose answer, not given yet, decides whether ``node`` applies (through
        its condition's own condition, if need be); None when an answer given decides it."""
        when = node.when
        if when is None or not when.field or owner is None:
            return None
        if getattr(owner, when.field, None) is not None:
            return None
        model: type[BaseModel] = type(owner)
        control = by_name(model)[when.field]
        if self.applies.not_applying(control, owner) is None:
            return control
        return self.waiting_on(control, owner)


def page(model: type[FormModel], values: Mapping[str, str], issues: Sequence[Issue] = (), *,
         policy: Policy, form: FormModel | None = None) -> list[PageSection]:
    """The form's sections, each with its controls filled from ``values``: the questions the
    policy asks, in its words, those not applying folded away. ``form`` is the validated form
    of ``values``, when they make one (else they are read as a draft)."""
    draft = form if form is not None else draft_form(model, nested(model, values))
    asking = Asking(draft, policy, values)
    sections: list[PageSection] = []
    for node in tree(model):
        if not _visible(model, node):
            continue
        widget = _widget(node, node.name, values, asking, draft)
        if widget is None:
            continue
        title = asking.words(node.section or model.form_title)
        if not sections or sections[-1].title != title:
            sections.append(PageSection(title, []))
        sections[-1].widgets.append(widget)
    for section in sections:
        _mark_runs(section.widgets)
    attach(sections, [worded(i, asking.words) for i in issues])
    return sections


def _mark_runs(widgets: Sequence[Widget]) -> None:
    """Questions folded away for the reason of the one before them say it once (the page's
    script marks them again as it refolds)."""
    before: Widget | None = None
    for widget in widgets:
        widget.run = bool(widget.skipped and before is not None
                          and before.skipped == widget.skipped)
        _mark_runs(widget.children)
        before = widget


def applying(sections: Sequence[PageSection]) -> dict[str, dict[str, str]]:
    """For each question that applies only to some visits: why it is folded away ("" if it is
    not) and the note its answer carries, for the page's script to refold the page."""
    return {w.name: {"why": w.skipped, "kept": w.kept}
            for w in _walk([w for s in sections for w in s.widgets]) if w.conditional}


def worded(issue: Issue, words: Words) -> Issue:
    """The issue in the policy's words ("Principal" or "headteacher")."""
    return dataclasses.replace(issue, message=words(issue.message),
                               field=words(issue.field) if issue.field else issue.field)


def _widget(node: FieldNode, name: str, values: Mapping[str, str], asking: Asking,
            owner: Any, *, tick: bool = False, default: Any = None) -> Widget | None:
    """The control of ``node`` (a field of ``owner``, the form or a part of it), or None when
    the policy does not ask it."""
    shown, skipped, kept = asking.state(node, owner, name)
    if not shown:
        return None
    words = asking.words
    common: dict[str, Any] = {"name": name, "label": words(node.label),
                              "help": words(node.help),
                              "required": node.required and default is None,
                              "conditional": node.when is not None, "skipped": skipped,
                              "kept": kept}
    value = getattr(owner, node.name, None) if owner is not None else None
    if node.is_list:
        count = sum(1 for i in range(node.max_length or 1)
                    if any(k == f"{name}.{i}" or k.startswith(f"{name}.{i}.")
                           for k, v in values.items() if v))
        shown_items = min(node.max_length or 1, max(node.slots or 1, count + 1))
        items = []
        for i in range(shown_items):
            item = f"{name}.{i}"
            label = f"{words(node.header_prefix)} {i + 1}"
            if node.is_part:
                part = asking.item(node.model, _build(node.children, values, item + "."))
                child = _part(node, item, values, asking, part)
                child.label = label
                child.required = i < node.min_items
            else:
                child = _leaf(node, item, values, words, label=label,
                              required=i < node.min_items)
            items.append(child)
        return Widget(kind="list", children=items,
                      addable=shown_items < (node.max_length or 1), **common)
    if node.is_part:
        widget = _part(node, name, values, asking, value)
        widget.conditional, widget.skipped, widget.kept = common["conditional"], skipped, kept
        return widget
    return _leaf(node, name, values, words, tick=tick, default=default, **{
        k: common[k] for k in ("conditional", "skipped", "kept")})


def _part(node: FieldNode, name: str, values: Mapping[str, str], asking: Asking,
          value: Any) -> Widget:
    model = node.model
    tick = bool(getattr(model, "tick_boxes", False))
    pairs = [(widget, child) for widget, child in (
        (_widget(child, f"{name}.{child.name}", values, asking, value,
                 tick=tick and child.kind == "yesno", default=_default(model, child, None)),
         child) for child in node.children) if widget is not None]
    children = [widget for widget, _ in pairs]
    widget = Widget(name=name, kind="group", label=asking.words(node.label),
                    help=asking.words(node.help), required=node.required, children=children)
    blank_means = getattr(model, "blank_means", {}) if issubclass(model, Part) else {}
    if blank_means:  # the hazard matrix: each hazard folded, showing its level
        for child, hazard in pairs:
            generic = blank_means.get(hazard.name, {})
            for cell, cell_node in zip(child.children, hazard.children, strict=True):
                if not values.get(cell.name) and cell_node.name in generic:
                    cell.value = _as_text(generic[cell_node.name])
                cell.required = False
            child.folded = True
            child.summary = _hazard_summary(child)
    return widget


def _hazard_summary(widget: Widget) -> str:
    parts = []
    for cell in widget.children:
        if cell.kind == "choice":
            parts.append(dict(cell.options).get(cell.value, cell.value))
    return " · ".join(p for p in parts if p)


def _leaf(node: FieldNode, name: str, values: Mapping[str, str], words: Words, *,
          tick: bool = False, label: str | None = None, required: bool | None = None,
          default: Any = None, **state: Any) -> Widget:
    kind = {"long": "long", "date": "date", "time": "time", "yesno": "yesno",
            "choice": "choice", "integer": "number", "number": "number"}.get(node.kind, "text")
    if tick:
        kind = "tick"
    options: tuple[tuple[str, str], ...] = ()
    if node.kind == "choice":
        options = tuple((m.value, words(m.label)) for m in node.type)
    value = values.get(name, "")
    if not value and default is not None:
        value = _as_text(default)
    return Widget(
        name=name, kind=kind, label=label or words(node.label), help=words(node.help),
        required=node.required if required is None else required, value=value,
        options=options, max_length=node.max_length if node.kind in ("text", "long") else None,
        **state,
    )


def _walk(widgets: Sequence[Widget]) -> list[Widget]:
    out: list[Widget] = []
    for widget in widgets:
        out.append(widget)
        out.extend(_walk(widget.children))
    return out


def issue_name(issue: Issue) -> str:
    """The flat name of the field an issue is about: ``$.staff[0].mobile`` -> ``staff.0.mobile``
    ("" for the form as a whole)."""
    path = issue.location.path or ""
    path = re.sub(r"\[(\d+)\]", r".\1", path)
    path = re.sub(r"\[\"([^\"]*)\"\]", r".\1", path)
    return path.removeprefix("$").lstrip(".")


def attach(sections: Sequence[PageSection], issues: Sequence[Issue]) -> list[Issue]:
    """Put each issue on its field's widget (or the nearest group holding it); return those
    that belong to no widget on the page."""
    by_name = {w.name: w for w in _walk([w for s in sections for w in s.widgets])}
    loose: list[Issue] = []
    for issue in issues:
        name = issue_name(issue)
        while name and name not in by_name:
            name = name.rpartition(".")[0]
        if name:
            by_name[name].issues.append(issue)
        else:
            loose.append(issue)
    return loose


# --------------------------------------------------------------------------- answers


def known_names(model: type[FormModel]) -> set[str]:
    """Every flat name the form's page can post (list items up to their limit)."""
    names: set[str] = set()

    def walk(nodes: Sequence[FieldNode], prefix: str) -> None:
        for node in nodes:
            if prefix == "" and not _visible(model, node):
                continue
            name = prefix + node.name
            if node.is_list:
                for i in range(node.max_length or 1):
                    if node.is_part:
                        walk(node.children, f"{name}.{i}.")
                    else:
                        names.add(f"{name}.{i}")
            elif node.is_part:
                walk(node.children, name + ".")
            else:
                names.add(name)

    walk(tree(model), "")
    return names


def answers(model: type[FormModel], posted: Mapping[str, str]) -> dict[str, str]:
    """The answers of a posted page, as typed: only the form's own names, blanks dropped."""
    allowed = known_names(model)
    out = {}
    for name, value in posted.items():
        if name in allowed and isinstance(value, str) and value.strip():
            out[name] = value.replace("\r\n", "\n")[:MAX_VALUE]
    return out


def nested(model: type[FormModel], values: Mapping[str, str]) -> dict[str, Any]:
    """The answers as the nested data of a JSON record (what validation takes). A list item
    left wholly blank is no item; a tick box posted is ticked."""
    return {"form": model.form_name, **_build(tree(model), values, "")}


def _build(nodes: Sequence[FieldNode], values: Mapping[str, str], prefix: str) -> dict[str, Any]:
    """The nested data of the fields ``nodes`` whose flat names start with ``prefix``."""
    data: dict[str, Any] = {}
    for node in nodes:
        name = prefix + node.name
        if node.is_list:
            items: list[Any] = []
            for i in range(node.max_length or 1):
                if node.is_part:
                    item = _build(node.children, values, f"{name}.{i}.")
                    if item:
                        items.append(item)
                elif values.get(f"{name}.{i}"):
                    items.append(values[f"{name}.{i}"])
            if items:
                data[node.name] = items
        elif node.is_part:
            part = _build(node.children, values, name + ".")
            if part:
                data[node.name] = part
        elif values.get(name):
            data[node.name] = values[name]
    return data


def flat(model: type[FormModel], data: Mapping[str, Any]) -> dict[str, str]:
    """Nested data (a JSON record) as the page's flat answers: to start a form from another
    (a report from its risk assessment)."""
    out: dict[str, str] = {}

    def walk(value: Any, name: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{name}.{key}" if name else str(key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{name}.{i}")
        elif value is not None and value != "":
            out[name] = "yes" if value is True else "no" if value is False else _as_text(value)

    walk(dict(data), "")
    allowed = known_names(model)
    return {k: v for k, v in out.items() if k in allowed}
