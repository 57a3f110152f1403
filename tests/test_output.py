"""Files are written atomically, never over an existing file unless asked, under safe names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen.output import (
    NotARegularFile,
    OutputExists,
    atomic_write,
    file_stem,
    slug,
    split_name,
    unique_path,
    write_bytes,
)

PATTERN = "{date}_{form}_{surname}-{forename}"


def test_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    write_bytes(target, b"first")
    with pytest.raises(OutputExists):
        write_bytes(target, b"second")
    assert target.read_bytes() == b"first"
    write_bytes(target, b"third", overwrite=True)
    assert target.read_bytes() == b"third"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]  # no temp files left


def test_an_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "b.pdf"

    def half_then_fail(tmp: Path) -> None:
        tmp.write_bytes(b"half a document")
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        atomic_write(target, half_then_fail)
    assert list(tmp_path.iterdir()) == []


def test_a_file_appearing_during_the_write_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "c.pdf"

    def race(tmp: Path) -> None:
        tmp.write_bytes(b"ours")
        target.write_bytes(b"someone else's")

    with pytest.raises(OutputExists):
        atomic_write(target, race)
    assert target.read_bytes() == b"someone else's"


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        path = write_bytes(tmp_path / "d.pdf", b"x")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("name", "expected"), [
    ("Jane Smith", "2026-11-23_visit-report_Smith-Jane"),
    ("Siobhán O'Brien-Smith", "2026-11-23_visit-report_OBrien-Smith-Siobhan"),
    ("Zoë Ann de la Cruz", "2026-11-23_visit-report_Cruz-Zoe-Ann-de-la"),
    ("../../etc/passwd x", "2026-11-23_visit-report_x-etc-passwd"),
    ("Ωμέγα", "2026-11-23_visit-report_Omega"),
    ("李小龙 Lee", "2026-11-23_visit-report_Lee-LiXiaoLong"),
])
def test_names_are_predictable_and_safe(name: str, expected: str) -> None:
    forename, surname = split_name(name)
    stem = file_stem(PATTERN, date="2026-11-23", form="visit-report", surname=surname,
                     forename=forename)
    assert stem == expected
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")


def test_hostile_patterns_cannot_escape_the_folder() -> None:
    stem = file_stem("{surname}", surname="..")
    assert stem == "document"
    assert slug("a/b\\c:d*e?f") == "a-b-c-d-e-f"


def test_names_taken_earlier_in_a_run_get_a_number(tmp_path: Path) -> None:
    taken: set[str] = set()
    first = unique_path(tmp_path, "x", ".pdf", taken)
    second = unique_path(tmp_path, "x", ".pdf", taken)
    assert (first.name, second.name) == ("x.pdf", "x-2.pdf")


def test_links_devices_and_folders_are_never_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.pdf"
    real.write_bytes(b"keep")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    for target in (link, folder, Path("/dev/null")):
        with pytest.raises(NotARegularFile):
            write_bytes(target, b"x", overwrite=True)
    assert real.read_bytes() == b"keep"
    assert link.is_symlink()
