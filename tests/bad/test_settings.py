"""Policy files and school files that are not what they claim: a link to a file holding
secrets, a binary, a YAML syntax error next to a password, a right-to-left override in the
school's name, a logo that is not an image or is a decompression bomb. The error names the
file and the key or line; it never repeats the file's lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docgen.config import ConfigError, load_school
from docgen.policy import PolicyError, load_policy
from docgen.report import ExitCode

from .conftest import BAD, TODAY, files_in, png_header_only, run

SECRET = "hunter2-do-not-print"


@pytest.fixture
def secrets_file(tmp_path: Path) -> Path:
    """A system-like file with a secret on every line, outside any policy folder."""
    path = tmp_path / "etc" / "shadow-like"
    path.parent.mkdir()
    path.write_text("".join(f"user{i}:{SECRET}:19000:0:99999:7:::\n" for i in range(50)))
    return path


@pytest.mark.parametrize("suffix", [".toml", ".yaml", ".yml"])
def test_a_policy_link_to_a_system_file_never_echoes_it(tmp_path: Path, secrets_file: Path,
                                                        suffix: str) -> None:
    link = tmp_path / f"policy{suffix}"
    link.symlink_to(secrets_file)
    result = run("checks", "--policy", link)
    assert result.exit_code == ExitCode.USAGE
    assert result.output.startswith(f"Error: {link}: ")
    assert SECRET not in result.output
    assert "user1" not in result.output


def test_a_yaml_syntax_error_is_located_not_quoted() -> None:
    path = BAD / "policy-not-yaml.yaml"
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert message == f"{path}: not valid YAML: mapping values are not allowed here (line 4, " \
                      "column 33)"
    assert "hunter2" not in message


def test_a_yaml_file_of_many_unknown_keys_lists_a_few_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    long_key = "k" * 200
    path.write_text("extends: att\n"
                    + "".join(f"{long_key}{i}: {SECRET}\n" for i in range(300)))
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert SECRET not in message
    assert message.endswith("; and 295 more problems")  # 5 shown of 300
    assert len(message) < 1200
    assert long_key not in message  # each key cut to a short excerpt


def test_a_binary_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_bytes((BAD / "logo-not-an-image.png").read_bytes() + b"\x89\xff\x00" * 10)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value) == f"{path}: is not UTF-8 text (byte 69); save it as UTF-8."


def test_a_value_echoed_by_a_check_is_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(f'extends = "att"\nauthorisers = ["{SECRET * 20}"]\n')
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: authorisers.0: ")
    assert SECRET * 2 not in message


def test_a_policy_citation_with_a_text_direction_control(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('extends = "att"\n[rules."ra.staff-dbs"]\nseverity = "error"\n'
                    'cite = "\u202e1.3 Every visit"\n')
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value) == (
        f"{path}: rules.ra.staff-dbs.cite: contains a text-direction control (U+202E), which "
        "makes the text print in a different order from how it is stored; retype the value "
        "without it."
    )


# --------------------------------------------------------------------------- school.toml


def test_a_right_to_left_override_in_the_school_name(tmp_path: Path,
                                                     ra: dict[str, Any]) -> None:
    source = tmp_path / "visit.json"
    source.write_text(json.dumps(ra), "utf-8")
    path = BAD / "school-rtl-override.toml"
    result = run("render", source, "--school", path, "--out", tmp_path / "out",
                 "--today", TODAY)
    assert result.exit_code == ExitCode.USAGE
    assert result.output == (
        f"Error: {path}: school.name: contains a text-direction control (U+202E), which makes "
        "the text print in a different order from how it is stored; retype the value without "
        "it.\n"
    )
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize(("text", "says"), [
    ('[school]\nname = """Two\nlines"""\n', "school.name: contains a line break"),
    ('[school]\nname = "X\\u0007"\n', "school.name: contains an invisible control character "
                                      "(U+0007)"),
    ('[school]\nname = "X"\n[documents]\nmarking = "OFFICIAL\\u2066"\n',
     "documents.marking: contains a text-direction control (U+2066)"),
    ('[school]\nname = "X"\naddress = "1 Road\\tTown"\n', "school.address: contains an "
                                                          "invisible control character (U+0009)"),
])
def test_school_values_follow_the_forms_text_rules(school: Callable[..., Path], text: str,
                                                   says: str) -> None:
    path = school(text)
    with pytest.raises(ConfigError) as caught:
        load_school(path)
    assert str(caught.value).startswith(f"{path}: {says}")


def test_a_school_file_link_to_a_system_file(tmp_path: Path, secrets_file: Path) -> None:
    link = tmp_path / "school.toml"
    link.symlink_to(secrets_file)
    with pytest.raises(ConfigError) as caught:
        load_school(link)
    assert str(caught.value).startswith(f"{link}: not valid TOML: ")
    assert SECRET not in str(caught.value)


def test_a_school_value_echoed_is_cut_short(school: Callable[..., Path]) -> None:
    path = school(f'[school]\nname = "X"\n[documents]\nnaming = "{{{SECRET * 20}}}"\n')
    with pytest.raises(ConfigError) as caught:
        load_school(path)
    assert str(caught.value).startswith(f"{path}: documents.naming: ")
    assert SECRET * 3 not in str(caught.value)


# --------------------------------------------------------------------------- the logo


def _school_with_logo(school: Callable[..., Path], logo: bytes | None, name: str) -> Path:
    path = school(f'[school]\nname = "X"\nlogo = "{name}"\n')
    if logo is not None:
        (path.parent / name).write_bytes(logo)
    return path


@pytest.mark.parametrize(("name", "logo", "says"), [
    ("logo.png", (BAD / "logo-not-an-image.png").read_bytes(),
     "is not a PNG, JPEG or GIF image; save the logo as one of these."),
    ("bomb.png", png_header_only(20_000, 20_000),
     "has far more pixels than a logo needs; at most 4000x4000 is used."),
    ("wide.png", png_header_only(6_000, 100), "the logo is 6000x100 pixels; at most 4000x4000"),
    ("cut.png", (Path(__file__).resolve().parents[2] / "samples" / "logo-brookfield.png")
     .read_bytes()[:400], "is damaged"),
    ("empty.gif", b"", "is not a PNG, JPEG or GIF image"),
])
def test_a_logo_that_cannot_print_is_refused_when_the_school_file_is_read(
    school: Callable[..., Path], name: str, logo: bytes, says: str, tmp_path: Path,
    ra: dict[str, Any],
) -> None:
    path = _school_with_logo(school, logo, name)
    with pytest.raises(ConfigError) as caught:
        load_school(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: school.logo: ")
    assert says in message
    # and from the command line: exit 2, nothing printed without its logo
    source = tmp_path / "visit.json"
    source.write_text(json.dumps(ra), "utf-8")
    result = run("render", source, "--school", path, "--to", "pdf", "--to", "docx",
                 "--out", tmp_path / "out", "--today", TODAY)
    assert result.exit_code == ExitCode.USAGE
    assert says in result.output
    assert files_in(tmp_path / "out") == []


def test_a_logo_that_is_a_device(school: Callable[..., Path],
                                 device_link: Callable[[str], Path]) -> None:
    path = school('[school]\nname = "X"\nlogo = "zero.png"\n')
    (path.parent / "zero.png").symlink_to("/dev/zero")
    with pytest.raises(ConfigError) as caught:
        load_school(path)
    assert str(caught.value) == (f"{path}: school.logo: the logo /dev/zero is not a regular "
                                 "file (a character device); give the path of a file.")


def test_a_real_logo_of_any_allowed_kind_loads(school: Callable[..., Path]) -> None:
    from PIL import Image

    for fmt, name in (("PNG", "a.png"), ("JPEG", "b.jpg"), ("GIF", "c.gif")):
        path = school(f'[school]\nname = "X"\nlogo = "{name}"\n')
        Image.new("RGB", (300, 120), "navy").save(path.parent / name, fmt)
        assert load_school(path).school.logo == (path.parent / name).resolve()


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    """Nine lines of nested aliases stand for a billion values (the "billion laughs");
    validating them ran for minutes. A policy never needs an alias."""
    lines = ["extends: att", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    lines += ["purposes: *a8"]
    path = tmp_path / "policy.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value) == (f"{path}: not valid YAML: aliases (*name) are not allowed in "
                                 "a policy file; write the value out (line 3, column 10)")


def test_a_citation_is_quoted_briefly(tmp_path: Path) -> None:
    """A 200,000-character citation printed with every warning it backs (48 pages)."""
    path = tmp_path / "policy.toml"
    path.write_text('extends = "att"\n[rules."ra.staff-dbs"]\nseverity = "warning"\n'
                    f'cite = "{"A" * 200_000}"\n')
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value) == (f"{path}: rules.ra.staff-dbs.cite: 200,000 characters, where "
                                 "at most 1,000 are printed; shorten it")
