"""The corpus of broken, hostile and pathological inputs (issue 11: "Unbreakable").

Small inputs live in tests/data/bad/ (its README lists them); what cannot be committed (a
named pipe, a link loop, a device, a decompression bomb, a workbook) is made here. Each test
asserts the exact outcome: the exit code, the message naming the file and the place, that no
document was written, and that no record was lost.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from docgen.cli import cli

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
TODAY = "23/11/2026"


def run(*args: str | Path) -> Result:
    """The CLI, in this process; never an exception escaping it."""
    result = CliRunner().invoke(cli, [str(a) for a in args], color=False)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def run_guarded(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process, for inputs that would block this one forever if docgen
    opened them as files (a named pipe): ``timeout`` only guards the test run, a hang fails
    the test instead of stalling the suite."""
    return subprocess.run(
        [sys.executable, "-m", "docgen", *[str(a) for a in args]],
        capture_output=True, text=True, timeout=timeout, check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def unreadable(output: str, path: Path, message: str) -> bool:
    """Whether a report names ``path`` as unreadable, with ``message`` (which starts the
    text after the file's name)."""
    return (f"{path}\n" in output and f"error   {path.name}: {message}" in output
            and f"  {path.name}: unreadable" in output)


def files_in(folder: Path) -> list[str]:
    """The documents in an output folder (the run's manifest is not a document)."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.rglob("*") if not p.name.startswith("manifest."))


def pdf_text(data: bytes) -> str:
    return "\n".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def squash(text: str) -> str:
    """Text without white space or the invisible break opportunities of long runs: PDF text
    extraction puts line ends where lines wrapped."""
    return "".join(text.replace("\u200b", "").split())


def cell_value(data: Any, path: tuple[Any, ...]) -> Any:
    """What a workbook cell holds for the field at ``path`` of a form given as JSON."""
    for step in path:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    if isinstance(data, bool):
        return "Yes" if data else "No"
    return None if isinstance(data, dict | list) else data


@pytest.fixture
def ra_workbook(tmp_path: Path) -> Callable[..., Path]:
    """ra_workbook(ra, cells={path: value}, merge=None, title_row=False) -> a risk-assessment
    workbook of every column and one row holding ``ra``, with ``cells`` typed over it."""

    def build(ra: dict[str, Any], cells: dict[tuple[Any, ...], Any] | None = None,
              merge: str | None = None, title_row: bool = False) -> Path:
        from openpyxl import Workbook

        from docgen.schemas import FORMS
        from docgen.schemas.columns import columns

        cols = columns(FORMS["risk-assessment"])
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Risk assessment"
        if title_row:
            ws.append(["Visits, autumn term"])
        ws.append([c.header for c in cols])
        ws.append([(cells or {}).get(c.path, cell_value(ra, c.path)) for c in cols])
        if merge:
            ws.merge_cells(merge)
        path = tmp_path / "visits.xlsx"
        wb.save(path)
        return path

    return build


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[..., Path]:
    def build(data: Any, name: str = "forms.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        return path

    return build


@pytest.fixture
def fifo(tmp_path: Path) -> Callable[[str], Path]:
    """fifo(name) -> a named pipe nothing ever writes to."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes need a POSIX system")

    def make(name: str) -> Path:
        path = tmp_path / name
        os.mkfifo(path)
        return path

    return make


@pytest.fixture
def link_loop(tmp_path: Path) -> Callable[[str], Path]:
    """link_loop(name) -> a symbolic link that leads back to itself through a second one."""

    def make(name: str) -> Path:
        path, other = tmp_path / name, tmp_path / f"other-{name}"
        path.symlink_to(other)
        other.symlink_to(path)
        return path

    return make


@pytest.fixture
def device_link(tmp_path: Path) -> Callable[[str], Path]:
    """device_link(name) -> a link, named like an input, to /dev/zero (endless zeros)."""
    if not Path("/dev/zero").exists():
        pytest.skip("needs /dev/zero")

    def make(name: str) -> Path:
        path = tmp_path / name
        path.symlink_to("/dev/zero")
        return path

    return make


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels, with almost no data: what a
    decompression bomb looks like until it is decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b""))


@pytest.fixture
def school(tmp_path: Path) -> Callable[..., Path]:
    """school(text, name=...) -> a school.toml in a folder of its own."""

    def build(text: str, name: str = "school.toml") -> Path:
        path = tmp_path / "school" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8")
        return path

    return build
