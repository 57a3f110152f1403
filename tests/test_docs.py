"""The README's generated sections and docs/forms.md match the code."""

from __future__ import annotations

from docgen.docs import expected_files


def test_generated_docs_are_current() -> None:
    stale = [str(path) for path, content in expected_files().items()
             if not path.exists() or path.read_text("utf-8") != content]
    assert not stale, f"run `make docs`: stale {stale}"


def test_readme_opens_with_the_two_commands() -> None:
    readme = next(p for p in expected_files() if p.name == "README.md").read_text("utf-8")
    first_block = readme.split("```")[1]
    assert first_block.strip().splitlines()[0].startswith("make demo")
    assert first_block.strip().splitlines()[1].startswith("make test")
