"""school.toml: the school, its logo, its policy, its marking, its file naming."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.config import SAMPLE_SCHOOL, ConfigError, load_school

ROOT = Path(__file__).resolve().parents[1]


def test_without_a_file_the_sample_school_is_clearly_fictional() -> None:
    assert load_school(None) is SAMPLE_SCHOOL
    assert "fictional" in SAMPLE_SCHOOL.school.name
    assert SAMPLE_SCHOOL.documents.marking == "OFFICIAL-SENSITIVE"


def test_sample_school_file_loads_with_its_logo() -> None:
    config = load_school(ROOT / "samples" / "school.toml")
    assert config.school.name == "Brookfield Academy (sample)"
    assert config.school.logo == (ROOT / "samples" / "logo-brookfield.png").resolve()
    assert config.policy_spec() == "att"


def test_unauthorised_visits_on_the_check_in_sheet_carry_a_banner_unless_left_off() -> None:
    assert SAMPLE_SCHOOL.documents.unauthorised_visits == "banner"
    westside = load_school(ROOT / "samples" / "westside-school.toml")
    assert westside.documents.unauthorised_visits == "banner"


def test_policy_file_is_relative_to_the_school_file(tmp_path: Path) -> None:
    (tmp_path / "policy.toml").write_text('extends = "att"\n')
    path = tmp_path / "school.toml"
    path.write_text('[school]\nname = "X"\n[documents]\npolicy = "policy.toml"\n')
    assert load_school(path).policy_spec() == str((tmp_path / "policy.toml").resolve())


@pytest.mark.parametrize(("text", "message"), [
    ('[school]\nname = "X"\nmotto = "y"\n', "motto"),
    ("[documents]\n", "school"),
    ('[school]\nname = "X"\n[documents]\nnaming = "{date}_{nhs_number}"\n', "nhs_number"),
    ('[school]\nname = "X"\n[documents]\nnaming = "fixed"\n', "at least one"),
    ('[school]\nname = "X"\nlogo = "missing.png"\n', "does not exist"),
    ('[school]\nname = "X"\nlogo = "school.toml"\n', "must be a"),
    ("not toml = = =", "not valid TOML"),
    ('[school]\nname = "X"\n[documents]\nunauthorised_visits = "hide"\n',
     "unauthorised_visits.*'banner' or 'leave-off'"),
])
def test_bad_configuration_says_what_to_change(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "school.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_school(path)


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_school("nowhere/school.toml")


def test_template_folder_is_relative_to_the_school_file(tmp_path: Path) -> None:
    (tmp_path / "our-templates" / "css").mkdir(parents=True)
    path = tmp_path / "school.toml"
    path.write_text('[school]\nname = "X"\n[documents]\ntemplates = "our-templates"\n')
    assert load_school(path).template_dir() == (tmp_path / "our-templates").resolve()
    path.write_text('[school]\nname = "X"\n[documents]\ntemplates = "missing"\n')
    with pytest.raises(ConfigError, match="does not exist"):
        load_school(path)


@pytest.mark.parametrize("pattern", ["{date:%Y}", "{date:d}", "{date!x}", "{date:{0}}",
                                     "{date", "{}", "{0}"])
def test_naming_patterns_that_cannot_format_are_refused(tmp_path: Path, pattern: str) -> None:
    path = tmp_path / "school.toml"
    path.write_text(f'[school]\nname = "X"\n[documents]\nnaming = "{pattern}"\n')
    with pytest.raises(ConfigError, match="naming"):
        load_school(path)
