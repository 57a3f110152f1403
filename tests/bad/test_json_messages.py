"""JSON that the validation library would describe in its own words: a key holding half of
an emoji (a lone surrogate), numbers no form can hold (1e999, 5,000 digits), optional text
over its limit, a list of names with one far too long. Each gets a plain message at its
place; the other records of the file are still read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docgen.report import ExitCode

from .conftest import BAD, TODAY, files_in, run, unreadable


def test_a_broken_key_is_named_and_the_other_records_are_kept(tmp_path: Path) -> None:
    source = BAD / "surrogate-key.json"
    out = tmp_path / "out"
    result = run("render", source, "--out", out, "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert ('error   $[0]["pupil_class\\ud83d"] The key \'pupil_class\\ud83d\' contains a broken '
            "character (U+D83D: half of a character, such as an emoji, that was cut in two); "
            "retype the key. [invalid-key]") in result.output
    assert "unable to parse raw data" not in result.output
    assert "$[1] risk-assessment (Sam Second, 23/11/2026): valid" not in result.output  # quiet
    assert "1 written, 1 record" in result.output and "rejected" in result.output
    assert files_in(out) == ["2026-11-23_risk-assessment_Second-Sam.pdf"]


def test_a_broken_key_in_the_json_report_is_valid_json(tmp_path: Path) -> None:
    result = run("validate", BAD / "surrogate-key.json", "--format", "json")
    assert result.exit_code == ExitCode.INVALID
    report = json.loads(result.stdout)  # no lone surrogate reached the output
    first = report["files"][0]["records"][0]["issues"][0]
    assert first["location"]["path"] == '$[0]["pupil_class\\ud83d"]'
    assert report["stats"]["records"] == 2


def test_numbers_no_form_can_hold(tmp_path: Path) -> None:
    result = run("render", BAD / "infinite-number.json", "--out", tmp_path / "out",
                 "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert ("error   $.minutes_waited If nobody was home, how long did you wait (minutes)?: Not "
            "a whole number. Type digits only, e.g. 15. (given: '1e999') [invalid-number]"
            ) in result.output
    assert ("error   $.attendance_percent Pupil's attendance over the last three months (%): Out "
            "of range: give a number from 0 to 100. (given: '-1E400') [out-of-range]"
            ) in result.output
    assert "finite number" not in result.output and "'inf'" not in result.output
    assert files_in(tmp_path / "out") == []


def test_an_integer_of_thousands_of_digits() -> None:
    result = run("validate", BAD / "huge-integer.json", "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert ("error   $.minutes_waited If nobody was home, how long did you wait (minutes)?: Far "
            "too many digits for a number here. Type the number itself, e.g. 15.") in result.output
    assert "Exceeds the limit" not in result.output and "maximum size" not in result.output


def test_optional_text_over_its_limit_counts_characters(write_json: Callable[..., Path],
                                                        report: dict[str, Any]) -> None:
    report["discussed"] = "x" * 20_001
    result = run("validate", write_json(report), "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert ("error   $.discussed What was discussed?: Too long: 20001 characters where at most "
            "20000 are allowed. Shorten it.") in result.output
    assert "entries" not in result.output


def test_a_name_in_a_list_has_a_length_limit(write_json: Callable[..., Path],
                                             report: dict[str, Any]) -> None:
    report["staff_attending"] = ["Alex Adams", "B" * 100_000]
    result = run("validate", write_json(report), "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert ("error   $.staff_attending[1] Staff attending 2: Too long: 100000 characters where "
            "at most 120 are allowed. Shorten it. (given: 'BBBB") in result.output


def test_a_list_over_its_limit_still_counts_entries(write_json: Callable[..., Path],
                                                    report: dict[str, Any]) -> None:
    report["staff_attending"] = [f"Person {i}" for i in range(7)]
    result = run("validate", write_json(report), "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert "At most 6 entries are allowed for 'Staff attending'. [too-many]" in result.output


def test_millions_of_tiny_objects_are_refused_before_parsing(tmp_path: Path) -> None:
    """Six megabytes of "[{},{},...]" became two million objects: 2 GB and minutes."""
    path = tmp_path / "many.json"
    path.write_text("[" + ",".join(["{}"] * 2_000_000) + "]")
    result = run("validate", path)
    assert result.exit_code == ExitCode.USAGE
    assert unreadable(result.output, path, "holds more than 1,000,000 objects and lists, "
                      "more than a file of forms ever needs; split it into smaller files.")


def test_more_entries_than_a_file_may_hold(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text("[" + ",".join(["1"] * 100_001) + "]")
    result = run("validate", path)
    assert result.exit_code == ExitCode.USAGE
    assert unreadable(result.output, path, "holds more than 100,000 entries; at most 100,000 "
                      "forms are read from one file: split it into smaller files.")


def test_a_phone_number_padded_with_dashes(write_json: Callable[..., Path],
                                           ra: dict[str, Any]) -> None:
    """Eleven digits and 20,000 dashes passed as a UK number, printed on one line."""
    ra["staff"][0]["mobile"] = "07700 900001" + "-" * 20_000
    result = run("validate", write_json(ra), "--today", TODAY)
    assert result.exit_code == ExitCode.INVALID
    assert ("error   $.staff[0].mobile Staff member 1: Mobile number: '07700 900001-------"
            in result.output)
    assert "is too long for a phone number. Type a UK number" in result.output
