"""A run reads each workbook twice (risk assessments first, then every record): the workbook is
parsed once, and a file changed between the two reads is read again, never stale."""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl
import pytest

from docgen.policy import load_policy
from docgen.schemas import VisitReport
from docgen.validation import Checker
from docgen.workbook import write_workbook
from tests.conftest import REPORT


def reports(path: Path, *names: str) -> Path:
    forms = [VisitReport.model_validate(copy.deepcopy(REPORT) | {"pupil_name": n})
             for n in names]
    return write_workbook("visit-report", path, forms, layout="table", overwrite=True)


def test_a_workbook_is_opened_once_for_both_passes(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = reports(tmp_path / "visits.xlsx", "Jane Smith", "Tom Jones")
    opened: list[str] = []
    real = openpyxl.load_workbook

    def counting(*args: object, **kwargs: object) -> object:
        opened.append(str(args[0]))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    names = [r.form.pupil_name for r in Checker([path], load_policy("att")).records()
             if r.form is not None]
    assert names == ["Jane Smith", "Tom Jones"]
    assert opened == [str(path)]


def test_a_workbook_changed_between_the_passes_is_read_again(tmp_path: Path) -> None:
    path = reports(tmp_path / "visits.xlsx", "Jane Smith")
    files = iter(Checker([path], load_policy("att")))
    first = next(files)  # the first pass has read the workbook, and kept it
    reports(path, "Kim Lee", "Ann Other")
    assert [r.form.pupil_name for r in first if r.form is not None] == ["Kim Lee", "Ann Other"]
