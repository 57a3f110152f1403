"""A run's outcomes beyond the first thousand live in an anonymous temporary file: they read
back exactly as they were added, in order, by index or slice, and a large run holds only a
few bytes for each."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest

from docgen.pipeline import outcomes as outcomes_module
from docgen.pipeline.outcomes import Outcomes
from docgen.pipeline.run import FileOutcome, RecordOutcome
from docgen.report import Location
from tests.pipeline.test_run import produce, write


def outcome(i: int) -> RecordOutcome:
    name = f"Siobhán O'Brien-Smith & <Co> {i}"
    made = RecordOutcome(
        index=i, location=Location(file="visits.json", path=f"$[{i}]"),
        label=f"{name}, 23/11/2026", form="visit-report", pupil=name, errors=i % 3,
        warnings=1, status="made", note="" if i % 2 else "a note",
        details={"stage": str(i)} if i % 4 == 0 else {},
    )
    made.files.append(FileOutcome(Path(f"/out/{i}.pdf"), "pdf", "written", sha256="ab" * 32))
    return made


def test_outcomes_read_back_as_added_in_memory_and_from_the_file() -> None:
    added = [outcome(i) for i in range(7)]
    kept = Outcomes(keep=3)
    for item in added:
        kept.append(copy.deepcopy(item))
    assert len(kept) == 7
    assert list(kept) == added
    assert [kept[i] for i in range(7)] == added
    assert kept[-1] == added[-1] and kept[-7] == added[0]
    assert kept[2:5] == added[2:5] and kept[::-2] == added[::-2]
    assert kept[5].files[0].path == Path("/out/5.pdf")
    with pytest.raises(IndexError):
        kept[7]
    with pytest.raises(IndexError):
        kept[-8]
    assert "4 kept on disk" in repr(kept)


def test_adding_while_reading_keeps_both_right() -> None:
    kept = Outcomes(keep=1)
    kept.append(outcome(0))
    kept.append(outcome(1))
    seen = []
    for item in kept:  # add one for each read: the reading sees what was there at each step
        seen.append(item.index)
        if len(kept) < 6:
            kept.append(outcome(len(kept)))
    assert seen == [0, 1, 2, 3, 4, 5]
    assert [o.index for o in kept] == [0, 1, 2, 3, 4, 5]


def test_a_copy_read_back_does_not_change_the_kept_one() -> None:
    kept = Outcomes([outcome(0), outcome(1)], keep=0)
    kept[0].status = "failed"
    assert kept[0].status == "made"


def test_the_file_has_no_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Pupils' names go into it: nothing in the temporary folder can be opened by name, and
    it is closed with the list."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    kept = Outcomes([outcome(i) for i in range(5)], keep=1)
    assert kept._file is not None
    handle = kept._file
    assert list(tmp_path.iterdir()) == []
    del kept
    assert handle.closed


def test_many_outcomes_hold_little_memory() -> None:
    """20,000 outcomes held as a list take over 20 MB; kept in an Outcomes, a twentieth.
    Measured in a fresh interpreter: in this one, earlier tests have grown the table of
    interned strings that the outcomes' paths go into."""
    script = textwrap.dedent("""
        import json, tracemalloc
        from docgen.pipeline.outcomes import Outcomes
        from tests.pipeline.test_outcomes import outcome

        def held(container):
            tracemalloc.start()
            try:
                for i in range(20_000):
                    container.append(outcome(i))
                return tracemalloc.get_traced_memory()[0]
            finally:
                tracemalloc.stop()

        # Outcomes first: the list's 20,000 paths grow the table of interned strings
        print(json.dumps([held(Outcomes(keep=100)), held([])]))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])
    as_outcomes, as_list = json.loads(out.stdout)
    assert as_list > 20_000_000
    assert as_outcomes < as_list / 20, (as_outcomes, as_list)


def test_a_run_longer_than_the_memory_keeps_reports_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: dict[str, Any],
        ra: dict[str, Any]) -> None:
    """The same run with every outcome in memory and with all but two on disk: the same
    result, record for record."""
    bad = copy.deepcopy(report)
    bad["visit_date"] = "31/02/2026"
    records = []
    for i in range(6):
        for form in (copy.deepcopy(report), copy.deepcopy(ra)):
            form["pupil_name"] = f"Pupil {i}"
            records.append(form)
    records.insert(3, bad)
    source = write(tmp_path, records)
    results = []
    for keep in (1_000, 2):
        monkeypatch.setattr(outcomes_module, "KEEP_IN_MEMORY", keep)
        result = produce([source], tmp_path / f"out-{keep}")
        assert len(result.records._kept) == min(keep, 13)
        results.append(result.to_dict())
    in_memory, on_disk = results
    for each in (in_memory, on_disk):
        each.pop("out_dir")
        for record in each["records"]:
            for f in record["files"]:
                f["path"] = Path(f["path"]).name
    assert on_disk == in_memory
    assert [r["status"] for r in on_disk["records"]].count("rejected") == 1
