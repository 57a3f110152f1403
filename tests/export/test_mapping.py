"""A mapping lays the CSV out for another system: rename, order, drop and combine columns, map
categories, write dates its way. A field or a category it names that does not exist is an
error naming it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from docgen.csvfile import read_rows
from docgen.export.categories import default_table, table_for
from docgen.export.conditions import Facts
from docgen.export.formats import csv_bytes, read_csv
from docgen.export.mapping import MappingError, default_mapping, load_mapping, mapping_toml
from docgen.export.record import Category, ExportRecord
from docgen.schemas.choices import VisitPurpose

ROOT = Path(__file__).resolve().parents[2]

RECORD = ExportRecord(
    id="VR-0123456789ABCDEF", record_type="visit-report", status="new",
    pupil_name="Siobhán O'Brien-Smith", date_of_birth=dt.date(2013, 3, 30), upn=None,
    pupil_class="8JR", incident_date=dt.date(2026, 11, 19), incident_time=dt.time(13, 30),
    categories=[Category(category="Safeguarding", subcategory="Welfare concern")],
    incident_text="=HYPERLINK(\"x\")\nWho was home: Mrs O'Brien-Smith, mother.",
    actions=["Agreed: breakfast club", "Future action: refer; today"],
    alerts=["Welfare concern not yet reported to the DSL: report it now"],
    staff_to_alert=["Priya Shah"], reported_by="Daniel Okafor",
    staff_mobiles=["Daniel Okafor: 07700 900233"],
)


def rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    return read_rows(io.StringIO(data.decode("utf-8"), newline=""))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "our-system.toml"
    path.write_text(text, "utf-8")
    return path


def test_a_mapping_renames_orders_drops_and_combines(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, """
name = "Our system"
dates = "iso"

[[columns]]
header = "Incident date"
field = "incident_date"

[[columns]]
header = "Student"
field = "pupil_name"

[[columns]]
header = "Description"
fields = ["alerts", "incident_text", "actions"]
join = "\\n\\n"

[categories]
"Safeguarding / Welfare concern" = "Welfare / Concern at home"
"""))
    mapping.check_categories(default_table().texts())
    record = RECORD.model_copy(update={"categories": [
        Category.parse(mapping.rename(c.text())) for c in RECORD.categories]})
    header, body = rows(csv_bytes([record], mapping))
    assert header == ["Incident date", "Student", "Description"]  # in order, renamed
    [row] = body
    assert row[0] == "2026-11-19"
    assert row[1] == "Siobhán O'Brien-Smith"
    assert row[2] == (  # combined, each field's values joined as usual, the rest dropped
        "Welfare concern not yet reported to the DSL: report it now\n\n"
        "=HYPERLINK(\"x\")\nWho was home: Mrs O'Brien-Smith, mother.\n\n"
        "Agreed: breakfast club; Future action: refer;; today")
    assert "07700" not in csv_bytes([record], mapping).decode()
    assert record.categories == [Category(category="Welfare", subcategory="Concern at home")]
    assert not mapping.readable
    with pytest.raises(MappingError, match="cannot be read back"):
        read_csv(csv_bytes([record], mapping), mapping)


def test_a_combined_cell_starting_with_a_formula_is_neutralised(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, """
[[columns]]
header = "Text"
fields = ["incident_text", "pupil_name"]
"""))
    _, [[cell]] = rows(csv_bytes([RECORD], mapping))  # rows() restores: look at the raw text
    raw = csv_bytes([RECORD], mapping).decode("utf-8")
    assert "'=HYPERLINK" in raw
    assert cell.startswith("=HYPERLINK")


def test_an_unknown_field_is_named_with_its_column(tmp_path: Path) -> None:
    path = write(tmp_path, """
[[columns]]
header = "Student"
field = "pupil_name"

[[columns]]
header = "Incident"
field = "incident_txt"
""")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    message = str(caught.value)
    assert str(path) in message
    assert "column 2 ('Incident')" in message
    assert "unknown field 'incident_txt'" in message
    assert "did you mean 'incident_text'?" in message


def test_an_unknown_field_among_combined_ones_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, '[[columns]]\nheader = "X"\nfields = ["actions", "nonsense"]\n')
    with pytest.raises(MappingError, match="unknown field 'nonsense'; fields: id, record_type"):
        load_mapping(path)


def test_an_unknown_category_is_named(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, """
[[columns]]
header = "Student"
field = "pupil_name"

[categories]
"Safeguarding / Welfare concerns" = "Welfare"
"""))
    with pytest.raises(MappingError) as caught:
        mapping.check_categories(default_table().texts())
    assert "unknown category 'Safeguarding / Welfare concerns'" in str(caught.value)
    assert "did you mean 'Safeguarding / Welfare concern'?" in str(caught.value)


@pytest.mark.parametrize(("text", "expected"), [
    ('[[columns]]\nheader = "A"\nfield = "id"\nfeild = "x"\n',
     "column 1 ('A'): 'feild' is not a mapping setting; did you mean 'field'?"),
    ('[[columns]]\nheader = "A"\n', "give either field"),
    ('colums = []\n', "'colums' is not a mapping setting; did you mean 'columns'?"),
    ('[[columns]]\nheader = "A"\nfield = "id"\n[[columns]]\nheader = "A"\nfield = "upn"\n',
     "column 2 ('A'): the heading is also column 1's"),
    ('dates = "us"\n[[columns]]\nheader = "A"\nfield = "id"\n', "dates: Input should be"),
    ("not toml = = =", "not valid TOML"),
])
def test_a_broken_mapping_says_where_and_what(tmp_path: Path, text: str,
                                              expected: str) -> None:
    with pytest.raises(MappingError, match=None) as caught:
        load_mapping(write(tmp_path, text))
    assert expected in str(caught.value)


def test_a_missing_or_special_mapping_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="no such file"):
        load_mapping(tmp_path / "absent.toml")
    with pytest.raises(MappingError, match="not a regular file"):
        load_mapping(tmp_path)


def test_the_default_mapping_is_every_field_but_the_mobiles() -> None:
    mapping = default_mapping()
    assert mapping.fields == [n for n in ExportRecord.model_fields if n != "staff_mobiles"]
    assert not mapping.wants_mobiles
    assert mapping.readable
    assert load_mapping(write_default(mapping_toml(mapping))).model_dump() == mapping.model_dump()


def write_default(text: str) -> Path:
    path = Path("default.toml")
    path.write_text(text, "utf-8")
    return path


def test_the_sample_mapping_works_with_the_default_table() -> None:
    mapping = load_mapping(ROOT / "samples" / "export-mapping.toml")
    mapping.check_categories(default_table().texts())
    assert "Incident" in mapping.headers()


def test_the_category_table_gives_categories_by_purpose_and_findings() -> None:
    table = default_table()
    routine = Facts("visit-report", VisitPurpose.ATTENDANCE)
    assert [c.text() for c in table.categories(routine)] == ["Attendance / Home visit"]
    concern = Facts("visit-report", VisitPurpose.ATTENDANCE,
                    findings=frozenset({"welfare-concern", "safeguarding-alert"}))
    assert [c.text() for c in table.categories(concern)] == [
        "Attendance / Home visit", "Safeguarding / Welfare concern",
        "Safeguarding / Action needed"]


def test_a_school_table_replaces_the_default_and_unknown_conditions_are_named(
        tmp_path: Path) -> None:
    from docgen.config import ConfigError, load_school

    school = tmp_path / "school.toml"
    school.write_text("""
[school]
name = "Test"

[[export.categories]]
when = ["welfare-concern", "risk:high"]
category = "Child protection"
""", "utf-8")
    table = table_for(load_school(school).export)
    assert table.texts() == ["Child protection", "Pastoral / Home visit"]
    assert table.uses_risk
    school.write_text(school.read_text().replace("welfare-concern", "welfare-concerns"))
    with pytest.raises(ConfigError) as caught:
        load_school(school)
    assert "unknown condition 'welfare-concerns'; did you mean 'welfare-concern'?" in str(
        caught.value)
    school.write_text(school.read_text().replace('"welfare-concerns", ', "").replace(
        'category = "Child protection"', 'category = "Child / protection"'))
    with pytest.raises(ConfigError, match="give them separately"):
        load_school(school)
