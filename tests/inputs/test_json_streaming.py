"""A JSON list of forms is read one form at a time: the answers are exactly the standard
parser's on the whole file, wherever the file's chunks happen to end, and reading a large file
never holds it whole."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import docgen.files
from docgen.inputs import UnreadableInput, read_json
from docgen.inputs.errors import SNIFF_BYTES, not_json
from docgen.inputs.json_file import _duplicate_paths, _read_whole

SCALARS = (st.none() | st.booleans() | st.integers(-(10**30), 10**30)
           | st.floats(allow_nan=False, allow_infinity=False, width=64)
           | st.text(max_size=12))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)
SPACING = st.sampled_from([None, 0, 1, 3])  # json.dumps indent: none, newlines, nested


def _whole(path: Path) -> tuple[list[tuple[str, Any]], list[tuple[str, str]]] | str:
    """What reading the file whole gives: its entries and duplicated keys, or the message."""
    wrong = not_json(path.read_bytes()[:SNIFF_BYTES])
    if wrong:
        return wrong
    try:
        data = _read_whole(path)
        duplicates = _duplicate_paths(data, str(path))
    except UnreadableInput as exc:
        return exc.message
    if isinstance(data, dict):
        return [("$", data)], duplicates
    return [(f"$[{i}]", item) for i, item in enumerate(data)], duplicates


def _streamed(path: Path) -> tuple[list[tuple[str, Any]], list[tuple[str, str]]] | str:
    try:
        document = read_json(path)
        return [(r.path, r.data) for r in document], document.duplicate_keys
    except UnreadableInput as exc:
        return exc.message


def _same(path: Path, text: str | bytes, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    monkeypatch.setattr(docgen.files, "CHUNK", chunk)
    streamed = _streamed(path)
    monkeypatch.setattr(docgen.files, "CHUNK", 1 << 20)
    whole = _whole(path)
    assert streamed == whole


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(VALUES, max_size=6), indent=SPACING,
       chunk=st.integers(min_value=1, max_value=40))
def test_a_list_reads_as_the_whole_file_does_whatever_the_chunks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: list[Any],
        indent: int | None, chunk: int) -> None:
    text = json.dumps(entries, indent=indent, ensure_ascii=False)
    _same(tmp_path / "forms.json", text, chunk, monkeypatch)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(VALUES, max_size=4), indent=SPACING,
       chunk=st.integers(min_value=1, max_value=40), data=st.data())
def test_a_damaged_file_fails_with_the_whole_files_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: list[Any],
        indent: int | None, chunk: int, data: st.DataObject) -> None:
    """Cut short, a character inserted or a byte that is not UTF-8: the same answer, and a
    syntax error with the same line and column."""
    raw = json.dumps(entries, indent=indent, ensure_ascii=False).encode()
    at = data.draw(st.integers(min_value=0, max_value=len(raw)))
    how = data.draw(st.sampled_from(["cut", "insert", "bad byte", "bom", "tail"]))
    if how == "cut":
        damaged = raw[:at]
    elif how == "insert":
        damaged = raw[:at] + data.draw(st.sampled_from(list(b'[]{},:"x0 \n'))).to_bytes(
            1, "big") + raw[at:]
    elif how == "bad byte":
        damaged = raw[:at] + b"\xff" + raw[at:]
    elif how == "bom":
        damaged = b"\xef\xbb\xbf" + raw
    else:
        damaged = raw + data.draw(st.sampled_from([b" ", b"\n\n", b" x", b"[]", b",", b"1"]))
    _same(tmp_path / "forms.json", damaged, chunk, monkeypatch)


@pytest.mark.parametrize("text", [
    "", "   ", "[", "]", "[]", " [ ] ", "[,]", "[1,]", "[1 2]", "{}", '{"a": 1} {"b": 2}',
    "42", '"text"', "null", "[NaN]", "[1, Infinity]", "[-Infinity]", "[1e999]", "[12345]",
    '[{"a": 1, "a": 2}, {"b": {"c": 1, "c": 2}}]', '{"a": [1, 2, {"a": 1, "a": 1}]}',
    "[" * 40 + "]" * 40, "[" * 5000 + "]" * 5000, '["\\ud800"]', '["unterminated]',
    "[" + "9" * 50 + "]", "[tru]", "[true]", "[nul", '[{"a": 1}]]',
])
@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 20])
def test_edge_cases_read_as_the_whole_file_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                text: str, chunk: int) -> None:
    _same(tmp_path / "forms.json", text, chunk, monkeypatch)


def test_one_long_form_is_read_in_few_passes(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A form longer than many chunks is parsed again as more is read, but the reading
    doubles, so it is parsed a handful of times, not once per chunk."""
    path = tmp_path / "forms.json"
    path.write_text(json.dumps([{"note": "x" * 200_000}, {"b": 1}]), encoding="utf-8")
    monkeypatch.setattr(docgen.files, "CHUNK", 1000)
    calls = 0
    real = json.JSONDecoder.raw_decode

    def counted(self: json.JSONDecoder, s: str, idx: int = 0) -> Any:
        nonlocal calls
        calls += 1
        return real(self, s, idx)

    monkeypatch.setattr(json.JSONDecoder, "raw_decode", counted)
    [first, second] = list(read_json(path))
    assert len(first.data["note"]) == 200_000 and second.data == {"b": 1}
    assert calls < 30, calls  # 200 chunks: one pass per chunk would be over 200


def _peak(work: Any) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_file_is_never_held_whole(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking and reading a file of forms holds a few chunks and a form or two at a time:
    twice the forms (3 MB and more) take no more memory, and a fraction of parsing it whole.
    (Chunks of 64 kB, so that both files are many chunks long.)"""
    monkeypatch.setattr(docgen.files, "CHUNK", 1 << 16)
    peaks = []
    for count in (1_500, 3_000):
        forms = [{"form": "visit-report", "pupil_name": f"Pupil {i}", "note": "word " * 200,
                  "staff": [{"name": "A", "mobile": "07700 900001"}]} for i in range(count)]
        path = tmp_path / f"forms-{count}.json"
        path.write_text(json.dumps(forms), encoding="utf-8")
        counted: list[int] = []
        peaks.append(_peak(lambda p=path, c=counted: c.append(sum(1 for _ in read_json(p)))))
        assert counted == [count]
    whole = _peak(lambda: _read_whole(path))
    assert path.stat().st_size > 3_000_000
    assert peaks[1] < peaks[0] * 1.2, peaks
    assert peaks[1] < whole / 3, (peaks, whole)
