"""Which categories a record gets: the school's category table (``[[export.categories]]`` in
school.toml) or docgen's default (``default-categories.toml``), read against the record's
facts (``docgen.export.conditions``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from docgen.config import CategoryName, CategoryRule, ExportSettings
from docgen.export.conditions import Facts
from docgen.export.record import Category

DEFAULT_TABLE = Path(__file__).with_name("default-categories.toml")


def _category(name: CategoryName) -> Category:
    return Category(category=name.category, subcategory=name.subcategory or None)


@dataclass(frozen=True)
class CategoryTable:
    rules: tuple[CategoryRule, ...]
    fallback: CategoryName | None

    def categories(self, facts: Facts) -> list[Category]:
        """Every category whose rule holds, in the table's order, each once; the fallback
        when none does."""
        out: list[Category] = []
        for rule in self.rules:
            category = _category(rule)
            if category not in out and any(facts.holds(c) for c in rule.when):
                out.append(category)
        if not out and self.fallback is not None:
            out.append(_category(self.fallback))
        return out

    @property
    def uses_risk(self) -> bool:
        """True when a rule depends on the risk assessment's level."""
        return any(c.startswith("risk:") for rule in self.rules for c in rule.when)

    def texts(self) -> list[str]:
        """Every category the table can give, as text ('Category / Sub-category')."""
        names: list[CategoryName] = [*self.rules, *([self.fallback] if self.fallback else [])]
        out: list[str] = []
        for name in names:
            text = _category(name).text()
            if text not in out:
                out.append(text)
        return out


def default_table() -> CategoryTable:
    data = tomllib.loads(DEFAULT_TABLE.read_text("utf-8"))
    try:
        settings = ExportSettings.model_validate(data)
    except ValidationError as exc:  # pragma: no cover - the shipped file is tested
        raise RuntimeError(f"{DEFAULT_TABLE}: {exc}") from None
    assert settings.categories is not None
    return CategoryTable(tuple(settings.categories), settings.fallback)


def table_for(settings: ExportSettings) -> CategoryTable:
    """The school's table, or docgen's default; the school's fallback, or the default's."""
    default = default_table()
    rules = tuple(settings.categories) if settings.categories is not None else default.rules
    return CategoryTable(rules, settings.fallback or default.fallback)
