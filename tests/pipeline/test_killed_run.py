"""A run killed half-way (SIGKILL: no chance to clean up) and run again: every document exists
exactly once, none truncated, no temporary file left, the register matches the folder."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from docgen.output import TMP_SUFFIX
from docgen.register import Register

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def visits(tmp_path: Path, report: dict[str, Any], count: int) -> Path:
    records = []
    for i in range(count):
        record = copy.deepcopy(report)
        record["pupil_name"] = f"Pupil Number{i:02d}"
        records.append(record)
    source = tmp_path / "visits.json"
    source.write_text(json.dumps(records), "utf-8")
    return source


def docgen(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "docgen", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_killed_run_then_a_rerun_leaves_every_document_once(
        tmp_path: Path, report: dict[str, Any]) -> None:
    source = visits(tmp_path, report, 14)
    out = tmp_path / "out"
    args = ("render", str(source), "--out", str(out), "--to", "pdf", "--jobs", "2",
            "--today", "23/11/2026")

    first = docgen(*args, cwd=tmp_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        made = [p for p in out.glob("*.pdf")] if out.exists() else []
        if len(made) >= 3:
            break
        time.sleep(0.02)
    os.kill(first.pid, signal.SIGKILL)
    first.communicate()
    assert first.returncode == -signal.SIGKILL
    written_before = len(list(out.glob("*.pdf")))
    assert 0 < written_before < 14, "the run must be killed half-way"

    second = docgen(*args, cwd=tmp_path)
    output, errors = second.communicate(timeout=300)
    assert second.returncode == 0, output + errors

    pdfs = sorted(out.glob("*.pdf"))
    assert [p.name for p in pdfs] == sorted(
        f"2026-11-20_visit-report_Number{i:02d}-Pupil.pdf" for i in range(14))
    for pdf in pdfs:
        assert "Pupil Number" in PdfReader(pdf).pages[0].extract_text()  # whole, readable
    assert not [p for p in out.iterdir() if p.name.endswith((TMP_SUFFIX, ".tmp"))]
    assert f"{written_before} unchanged" in output

    with Register.open(tmp_path / "docgen-register.sqlite") as register:
        import hashlib

        for pdf in pdfs:
            entry = register.latest(pdf.resolve())
            assert entry is not None, pdf.name
            assert entry.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
        recorded = {d.path for d in register.documents()}
        assert recorded == {str(p.resolve()) for p in pdfs}
        statuses = [r.status for r in register.runs()]
        assert statuses == ["done", "interrupted"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_run_exits_130_and_cleans_up(tmp_path: Path, report: dict[str, Any],
                                               signum: int) -> None:
    source = visits(tmp_path, report, 12)
    out = tmp_path / "out"
    run = docgen("render", str(source), "--out", str(out), "--to", "pdf", "--jobs", "2",
                 "--today", "23/11/2026", cwd=tmp_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (out.exists() and any(out.glob("*.pdf"))):
        time.sleep(0.02)
    os.kill(run.pid, signum)
    _, errors = run.communicate(timeout=60)
    assert run.returncode == 130, errors
    assert "docgen: stopped" in errors and "Traceback" not in errors
    assert not [p for p in out.iterdir() if p.name.endswith((TMP_SUFFIX, ".tmp"))]
    assert not (out / "manifest.csv").exists()  # the manifest of a finished run only
    for pdf in out.glob("*.pdf"):
        PdfReader(pdf).pages[0].extract_text()  # every file there is whole
    with Register.open(tmp_path / "docgen-register.sqlite") as register:
        assert [r.status for r in register.runs()] == ["interrupted"]
