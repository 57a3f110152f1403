"""Inputs, policies and school files that are not regular files: a named pipe (which would
block a plain read forever), a device (which never ends), a folder, a symbolic-link loop, a
broken link. Each is refused with a plain message naming the file, exit 2, no output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docgen.files import FileProblem, read_regular
from docgen.report import ExitCode

from .conftest import TODAY, files_in, run, run_guarded, unreadable


@pytest.mark.parametrize(("option", "name"), [
    (None, "visits.json"), (None, "visits.xlsx"), ("--policy", "policy.toml"),
    ("--school", "school.toml"),
])
def test_a_named_pipe_is_refused_without_waiting(
    tmp_path: Path, fifo: Callable[[str], Path], ra: dict[str, Any], option: str | None,
    name: str,
) -> None:
    pipe = fifo(name)
    good = tmp_path / "visit.json"
    good.write_text(json.dumps(ra), "utf-8")
    out = tmp_path / "out"
    args: list[str | Path] = ["render", pipe if option is None else good, "--out", out,
                              "--today", TODAY]
    if option is not None:
        args += [option, pipe]
    done = run_guarded(*args)
    assert done.returncode == ExitCode.USAGE, done.stdout + done.stderr
    shown = done.stdout + done.stderr
    assert f"{pipe}" in shown
    assert "is not a regular file (a named pipe)" in shown
    assert "Traceback" not in shown
    assert files_in(out) == []


@pytest.mark.parametrize("name", ["zero.json", "zero.xlsx"])
def test_a_device_is_refused_not_read(device_link: Callable[[str], Path], tmp_path: Path,
                                      name: str) -> None:
    link = device_link(name)
    result = run("validate", link)
    assert result.exit_code == ExitCode.USAGE
    assert unreadable(result.output, link, "is not a regular file (a character device)")


def test_a_device_named_directly_is_refused() -> None:
    result = run("validate", "/dev/zero")
    assert result.exit_code == ExitCode.USAGE
    assert unreadable(result.output, Path("/dev/zero"),
                      "is not a regular file (a character device)")


def test_a_device_as_policy_or_school_file(device_link: Callable[[str], Path], tmp_path: Path,
                                            ra: dict[str, Any]) -> None:
    good = tmp_path / "visit.json"
    good.write_text(json.dumps(ra), "utf-8")
    for option, name in (("--policy", "policy.yaml"), ("--school", "school.toml")):
        link = device_link(name)
        result = run("render", good, option, link, "--out", tmp_path / "out")
        assert result.exit_code == ExitCode.USAGE, result.output
        assert f"{link}: is not a regular file (a character device)" in result.output
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize("name", ["loop.json", "loop.xlsx"])
def test_a_link_loop_says_so(link_loop: Callable[[str], Path], name: str) -> None:
    loop = link_loop(name)
    result = run("validate", loop)
    assert result.exit_code == ExitCode.USAGE
    assert unreadable(result.output, loop, "is a link loop: a symbolic link on the way leads "
                      "back to itself; give the path of the file itself.")
    assert "internal error" not in result.output


def test_a_link_loop_as_policy_or_school_file(link_loop: Callable[[str], Path],
                                              tmp_path: Path) -> None:
    policy = link_loop("policy.toml")
    result = run("checks", "--policy", policy)
    assert result.exit_code == ExitCode.USAGE
    assert f"{policy}: is a link loop" in result.output
    school = link_loop("school.toml")
    result = run("render", tmp_path, "--school", school, "--out", tmp_path / "out")
    assert result.exit_code == ExitCode.USAGE
    assert f"{school}: is a link loop" in result.output


def test_a_broken_link_says_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "visits.json"
    link.symlink_to(tmp_path / "moved-away.json")
    result = run("validate", link)
    assert result.exit_code == ExitCode.USAGE
    assert "is a symbolic link to a file that does not exist" in result.output


def test_a_folder_of_inputs_reports_what_it_cannot_read(
    tmp_path: Path, fifo: Callable[[str], Path], link_loop: Callable[[str], Path],
    ra: dict[str, Any],
) -> None:
    """Nothing in a folder is skipped silently: a pipe or a loop named like a form file is
    reported, and the real file is still read."""
    folder = tmp_path
    (folder / "visit.json").write_text(json.dumps(ra), "utf-8")
    fifo("pipe.json")
    link_loop("loop.json")
    result = run("validate", folder, "--today", TODAY)
    assert result.exit_code == ExitCode.USAGE
    assert unreadable(result.output, folder / "pipe.json", "is not a regular file")
    assert unreadable(result.output, folder / "loop.json", "is a link loop")
    assert "visit.json: ok" in result.output
    assert "1 record: 1 valid" in result.output


def test_a_folder_named_like_a_form_file_is_searched_not_read(tmp_path: Path,
                                                               ra: dict[str, Any]) -> None:
    inner = tmp_path / "november.json"
    inner.mkdir()
    (inner / "visit.json").write_text(json.dumps(ra), "utf-8")
    result = run("validate", tmp_path, "--today", TODAY)
    assert result.exit_code == ExitCode.OK, result.output
    assert "1 record: 1 valid" in result.output


def test_the_size_a_file_reports_is_not_trusted() -> None:
    """/proc files report a size of 0; reading goes on in chunks up to the cap."""
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("needs /proc")
    assert status.stat().st_size == 0
    assert b"Name:" in read_regular(status, max_bytes=1_000_000)
    with pytest.raises(FileProblem) as caught:
        read_regular(status, max_bytes=10)
    assert caught.value.too_large


def test_a_file_larger_than_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(30 * 1024 * 1024)  # sparse: takes no room
    result = run("validate", big)
    assert result.exit_code == ExitCode.USAGE
    assert unreadable(result.output, big, "is too large for a JSON file of forms (at most 20 MB)")
