"""Realistic inputs of any size, made from the samples: visit reports with varied pupils,
dates and free text, as forms, JSON files or a workbook."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from docgen.schemas import VisitReport
from docgen.validation import validate_record
from docgen.workbook import write_workbook

ROOT = Path(__file__).resolve().parent.parent
FORENAMES = ["Amira", "Kacper", "Jayden", "Siobhán", "Oliver", "Mia", "Zainab", "Tomasz",
             "Ellie", "Oscar", "Priya", "Noah", "Chloe", "Yusuf", "Grace", "Dylan"]
SURNAMES = ["Hussain", "Nowak", "Carter", "O'Brien-Smith", "Robinson", "Patel", "Kowalski",
            "Watson", "Bell", "Ahmed", "Jones", "Okafor", "Murphy", "Singh", "Evans", "Li"]


def _sample_reports() -> list[dict[str, Any]]:
    out = []
    for path in sorted((ROOT / "samples").glob("*/*.json")):
        data = json.loads(path.read_text("utf-8"))
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("form") == "visit-report":
                out.append(item)
    return out


def _usable(sample: dict[str, Any]) -> bool:
    """A sample report that passes the ATT policy with no error (warnings allowed): every
    bench record must make its documents."""
    data = dict(sample, pupil_name="Bench Pupil", visit_reference="HV-BENCH")
    record = validate_record(data, "att", today=dt.date(2026, 11, 30))
    return record.ok


def report_dicts(count: int, *, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` valid visit reports as JSON-ready dicts, each a different pupil and day."""
    rng = random.Random(seed)
    samples = [s for s in _sample_reports() if _usable(s)]
    assert samples, "no sample visit report passes the ATT policy"
    start = dt.date(2026, 9, 7)
    out = []
    for i in range(count):
        data = dict(rng.choice(samples))
        data["pupil_name"] = f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}-{i}"
        data["visit_date"] = (start + dt.timedelta(days=i % 70)).isoformat()
        data["visit_reference"] = f"HV-BENCH-{i:06d}"
        data.pop("upn", None)
        out.append(data)
    return out


def write_reports_json(path: Path, count: int) -> Path:
    path.write_text(json.dumps(report_dicts(count), ensure_ascii=False), "utf-8")
    return path


def write_reports_workbook(path: Path, count: int) -> Path:
    forms = [VisitReport.model_validate(d) for d in report_dicts(count)]
    return write_workbook(VisitReport, path, forms, overwrite=True)


def write_attendance_csv(path: Path, count: int, *, seed: int = 11) -> Path:
    """An attendance export of ``count`` pupils, every one persistently absent: one letter
    each (to one household), with varied names, figures and addresses."""
    rng = random.Random(seed)
    lines = ["Pupil name,Class,Possible sessions,Sessions attended,Authorised absence,"
             "Unauthorised absence,Period from,Period to,Contact 1 name,Contact 1 title,"
             "Contact 1 relationship,Contact 1 parental responsibility,Contact 1 address"]
    for i in range(count):
        forename, surname = rng.choice(FORENAMES), rng.choice(SURNAMES)
        possible = rng.randint(100, 130)
        missed = rng.randint(possible // 10 + 1, possible // 3)
        unauthorised = rng.randint(0, missed)
        parent = rng.choice(["Anna", "Mark", "Fatima", "Joy", "Sean", "Mei"])
        lines.append(
            f"\"{forename} {surname}-{i}\",{rng.randint(7, 11)}A,{possible},"
            f"{possible - missed},{missed - unauthorised},{unauthorised},02/09/2026,"
            f"20/11/2026,{parent} {surname},Ms,Mother,Yes,"
            f"\"{rng.randint(1, 99)} Elm Road, Eastmoor, EM{rng.randint(1, 9)} {i % 9}AB\"")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path
