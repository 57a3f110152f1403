"""Something other than a file where a document would go: a folder, a symbolic link, a named
pipe with the document's name. docgen never replaces it, and says why once, the same with and
without --overwrite (it used to say "use --overwrite", then refuse with it)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from docgen.output import NotARegularFile, OutputExists, check_target, write_bytes
from docgen.report import ExitCode

from .conftest import TODAY, run

STEM = "2026-11-23_risk-assessment_Smith-Jane"


def _occupy(out: Path, kind: str) -> Path:
    target = out / f"{STEM}.pdf"
    out.mkdir()
    if kind == "folder":
        target.mkdir()
    elif kind == "link":
        (out / "real.pdf").write_bytes(b"keep me")
        target.symlink_to(out / "real.pdf")
    elif kind == "broken link":
        target.symlink_to(out / "nowhere.pdf")
    else:
        os.mkfifo(target)
    return target


@pytest.mark.parametrize("kind", ["folder", "link", "broken link", "pipe"])
@pytest.mark.parametrize("overwrite", [False, True])
def test_the_real_reason_once(tmp_path: Path, ra: dict[str, Any], kind: str,
                              overwrite: bool) -> None:
    if kind == "pipe" and not hasattr(os, "mkfifo"):
        pytest.skip("named pipes need a POSIX system")
    source = tmp_path / "visit.json"
    source.write_text(json.dumps(ra), "utf-8")
    out = tmp_path / "out"
    target = _occupy(out, kind)
    args = ["render", str(source), "--out", str(out), "--today", TODAY]
    result = run(*args, *(["--overwrite"] if overwrite else []))
    assert result.exit_code == ExitCode.OUTPUT
    assert (f"refused {target}: is a link, a folder or another special file: docgen never "
            "replaces it. Move it away or choose another output folder.") in result.output
    assert "use --overwrite" not in result.output
    assert result.output.count(str(target)) == 1
    if kind == "link":
        assert (out / "real.pdf").read_bytes() == b"keep me"
        assert target.is_symlink()


@pytest.mark.parametrize(("kind", "shown"), [
    ("folder", "a folder"), ("link", "a symbolic link"), ("broken link", "a symbolic link"),
    ("pipe", "a named pipe"),
])
def test_the_writer_names_what_stands_there(tmp_path: Path, kind: str, shown: str) -> None:
    if kind == "pipe" and not hasattr(os, "mkfifo"):
        pytest.skip("named pipes need a POSIX system")
    target = _occupy(tmp_path / "out", kind)
    for overwrite in (False, True):
        with pytest.raises(NotARegularFile) as caught:
            check_target(target, overwrite=overwrite)
        assert caught.value.reason == (
            f"is {shown}, which docgen never replaces, even with --overwrite; move it away "
            "or write somewhere else")


def test_init_says_the_real_reason_once(tmp_path: Path) -> None:
    target = tmp_path / "school.toml"
    target.symlink_to(tmp_path / "elsewhere.toml")
    for extra in ([], ["--overwrite"]):
        result = run("init", "--name", "X", "--output", target, *extra)
        assert result.exit_code == ExitCode.USAGE
        assert result.output == (f"Error: {target} is a symbolic link, which docgen never "
                                 "replaces, even with --overwrite; move it away or write "
                                 "somewhere else\n")
    assert not (tmp_path / "elsewhere.toml").exists()


def test_an_existing_file_still_says_use_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")
    with pytest.raises(OutputExists) as caught:
        check_target(target)
    assert caught.value.reason == "already exists; use --overwrite to replace it"
    check_target(target, overwrite=True)
    write_bytes(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new"


def test_a_folder_is_refused_by_the_writer_too(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").mkdir()
    with pytest.raises(NotARegularFile) as caught:
        write_bytes(tmp_path / "x.pdf", b"x", overwrite=True)
    assert str(caught.value) == (f"{tmp_path / 'x.pdf'} is a folder, which docgen never "
                                 "replaces, even with --overwrite; move it away or write "
                                 "somewhere else")
