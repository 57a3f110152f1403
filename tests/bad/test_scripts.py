"""The world's scripts in a PDF: Chinese, Urdu, emoji and Indic names and notes print with the
Noto fonts scripts/install-system-deps.sh installs (they printed as empty boxes), and a
character that no font on the computer has is warned about at its field."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import docgen.glyphs
from docgen.glyphs import coverage, missing_glyphs
from docgen.report import ExitCode

from .conftest import TODAY, docx_text, pdf_text, run

CHINESE = "李小龙"
URDU = "اسکول میں حاضری کم ہو گئی ہے"
EMOJI = "👍🙂👨\u200d👩\u200d👧🇬🇧❤️"
HINDI = "बच्चा बीमार था"
UNASSIGNED = "\u0378"  # no character yet: no font can have it


def _fonts_in(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.fixture(scope="module")
def installed() -> None:
    fonts = coverage()
    assert fonts is not None, "fontconfig cannot be loaded"
    lacking = [text for text in (CHINESE, URDU, EMOJI, HINDI) if missing_glyphs(text, fonts)]
    assert not lacking, (f"no font for {lacking}: run scripts/install-system-deps.sh "
                         "(fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji)")


def test_names_and_notes_in_many_scripts_print(installed: None, tmp_path: Path,
                                               ra: dict[str, Any]) -> None:
    ra["pupil_name"] = f"{CHINESE} Li"
    ra["why_required"] = f"{URDU}\n{EMOJI}\n{HINDI}"
    source = tmp_path / "visit.json"
    source.write_text(json.dumps(ra, ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    result = run("render", source, "--to", "pdf", "--to", "docx", "--out", out,
                 "--today", TODAY)
    assert result.exit_code == ExitCode.OK, result.output
    assert "no-glyph" not in result.output
    [pdf] = out.glob("*.pdf")
    data = pdf.read_bytes()
    fonts = _fonts_in(data)
    assert {"Noto-Sans-CJK-SC", "Noto-Naskh-Arabic", "Noto-Color-Emoji",
            "Noto-Sans-Devanagari"} <= fonts, fonts
    text = pdf_text(data)
    assert CHINESE in text and HINDI.split()[0] in text
    [word] = out.glob("*.docx")
    assert f"{URDU}\n{EMOJI}\n{HINDI}" in docx_text(word.read_bytes())


def test_a_character_no_font_has_is_warned_at_its_field(tmp_path: Path,
                                                        ra: dict[str, Any]) -> None:
    ra["known_risks"] = f"A dog called Rex {UNASSIGNED}."
    ra["mitigation"] = "Ask for the dog to be shut away."
    source = tmp_path / "visit.json"
    source.write_text(json.dumps(ra, ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    result = run("render", source, "--out", out, "--today", TODAY)
    assert result.exit_code == ExitCode.OK, result.output  # a warning: the PDF is still made
    assert ("warning $.known_risks Are there any known risks about this property or when "
            "visiting this family?: No font on this computer can print '\\u0378' (U+0378): "
            "the PDF shows an empty box instead (the Word document is not affected). Install a "
            "font that has it (on Debian: fonts-noto-core, fonts-noto-cjk, "
            "fonts-noto-color-emoji), or check the text. [no-glyph]") in result.output
    assert len(list(out.glob("*.pdf"))) == 1


class _LatinOnly:
    """The fonts of a computer without the Noto fonts."""

    def __contains__(self, ch: str) -> bool:
        return ord(ch) < 0x0530


def test_without_the_fonts_every_field_is_named(monkeypatch: pytest.MonkeyPatch,
                                                write_json: Callable[..., Path],
                                                report: dict[str, Any]) -> None:
    monkeypatch.setattr(docgen.glyphs, "coverage", _LatinOnly)
    report["pupil_name"] = f"{CHINESE} Li"
    report["staff_attending"] = ["Alex Adams", "Dipa ঘোষ"]
    report["discussed"] = "Zażółć gęślą jaźń, Καλημέρα, Здравствуйте"  # all covered
    report["agreed"] = "一二三四五六七 " + EMOJI
    result = run("validate", write_json(report), "--format", "json", "--today", TODAY)
    assert result.exit_code == ExitCode.OK
    issues = json.loads(result.stdout)["files"][0]["records"][0]["issues"]
    found = {i["location"]["path"]: i["message"] for i in issues if i["code"] == "no-glyph"}
    assert sorted(found) == ["$.agreed", "$.pupil_name", "$.staff_attending[1]"]
    assert found["$.pupil_name"].startswith(
        "No font on this computer can print '李' (U+674E), '小' (U+5C0F), '龙' (U+9F99):")
    assert "'一' (U+4E00)" in found["$.agreed"]
    assert found["$.agreed"].count("(U+") == 5 and " and 10 more:" in found["$.agreed"]
    assert all(i["severity"] == "warning" for i in issues if i["code"] == "no-glyph")


def test_plain_ascii_never_looks_at_the_fonts(monkeypatch: pytest.MonkeyPatch,
                                              ra: dict[str, Any]) -> None:
    from docgen.validation import validate_record

    def no_fonts() -> None:
        raise AssertionError("fonts looked up for ASCII text")

    monkeypatch.setattr(docgen.glyphs, "coverage", no_fonts)
    record = validate_record(ra, today=None)
    assert record.form is not None
    assert not [i for i in record.issues if i.code == "no-glyph"]


def test_joiners_and_variation_selectors_need_no_glyph() -> None:
    assert missing_glyphs("e\u0301 👨\u200d👩 ❤\ufe0f \u200b", _LatinOnly()) == [
        "👨", "👩", "❤"]
