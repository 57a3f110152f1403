"""The bench runs (at a tiny size, so it never rots) and reports every case with its ratio."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_bench_runs_at_a_tiny_size(tmp_path: Path) -> None:
    results = tmp_path / "latest.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--size", "tiny", "--work", str(tmp_path / "work"),
         "--results", str(results)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(results.read_text())["figures"]
    assert figures["validate"]["time_ratio"] > 0 and figures["validate"]["memory_ratio"] > 0
    assert figures["pdf"]["throughput_ratio"] > 0 and figures["docx"]["throughput_ratio"] > 0
    assert [s["documents"] for s in figures["scale"]["sizes"]] == [2, 4]
    # every docgen run made its documents: none found them made by the run before
    for case in ("pdf", "docx"):
        assert [r["written"] for r in figures[case]["docgen"]] == [3, 3]
    assert all(r["written"] for r in figures["letters_pdf"]["docgen"])
    assert "libreoffice" in figures
    assert figures["letters_pdf"]["throughput_ratio"] > 0
    assert figures["letters_docx"]["throughput_ratio"] > 0
    assert figures["letters_pdf_batched"]["throughput_ratio"] > 0
    assert figures["letters_combined_pdf"]["memory_growth"] > 0
    for case in ("validate", "PDF 3 reports", "DOCX 3 reports", "scale 4 PDFs", "PDF 4 letters",
                 "letters a document", "DOCX 4 letters", "letters.pdf 1 -> 4 letters"):
        assert case in done.stdout
