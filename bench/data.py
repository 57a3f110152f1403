"""Realistic inputs of any size, made from the samples: visit reports with varied pupils,
dates and free text, as forms, JSON files or a workbook."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from docgen.schemas import VisitReport
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


def report_dicts(count: int, *, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` valid visit reports as JSON-ready dicts, each a different pupil and day."""
    rng = random.Random(seed)
    samples = [s for s in _sample_reports() if VisitReport.model_validate(s)]
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
