"""``docgen letters`` from end to end with the real renderers: the right letter for each pupil,
to each household, with the names, dates and figures in both formats; the manifest; the
combined PDF; the register across runs; do not send; hostile names."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from docgen.config import load_school
from docgen.letters import letters
from docgen.letters.producer import LETTERS_PDF, NOTIFICATIONS_PDF
from docgen.pipeline import outcomes
from docgen.pipeline.manifest import read_rows
from docgen.register import Register
from docgen.register.letters import LetterBook
from tests.conftest import HOSTILE_NAME

TODAY = dt.date(2026, 11, 23)
HEADER = ("Name,Class,Possible sessions,Attended,Authorised absence,Unauthorised absence,"
          "Period from,Period to,Do not send letters,"
          "Contact 1 name,Contact 1 title,Contact 1 relationship,"
          "Contact 1 parental responsibility,Contact 1 address,Contact 1 do not send,"
          "Contact 2 name,Contact 2 title,Contact 2 relationship,"
          "Contact 2 parental responsibility,Contact 2 address,Contact 2 do not send\n")


def school(tmp_path: Path, policy: str = "westside") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "school.toml"
    path.write_text(f"""
[school]
name = "Westside School"
address = "Westside Road, Eastmoor EM1 2WS"
phone = "01632 960456"
headteacher = "Thomas Adeyemi"
[documents]
policy = "{policy}"
[letters]
contact = "Ms Joy Green"
contact_role = "Attendance Lead"
contact_phone = "01632 960457"
local_authority = "Eastmoor Council, School Attendance Support Team"
local_authority_address = "Town Hall, Eastmoor EM1 1AA"
[register]
path = "register.sqlite"
""", "utf-8")
    return path


def export(tmp_path: Path, *rows: str, name: str = "attendance.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), "utf-8")
    return path


NOWAK = ("Oliver Nowak,8JR,120,100,8,12,02/09/2026,20/11/2026,,"
         "Anna Nowak,Ms,Mother,Yes,\"12 Elm Road, Eastmoor, EM1 3AB\",,"
         "Piotr Nowak,Mr,Father,Yes,\"4 Oak Street, Westtown, WT2 9ZZ\",")
GOOD = ("Amy Good,7A,120,118,2,0,02/09/2026,20/11/2026,,"
        "Sue Good,Mrs,Mother,Yes,\"1 High Street, EM1 1AA\",,,,,,,")
HOSTILE = (f"\"{HOSTILE_NAME}\",9C,100,80,10,10,02/09/2026,20/11/2026,,"
           "\"Mary O'Brien & <Co>\",Mrs,Mother,Yes,\"1 {{ x }} Road, <b>Town</b>\",,,,,,,")
WITHHELD = ("Kai Hidden,8B,100,70,10,20,02/09/2026,20/11/2026,Yes,"
            "Lee Hidden,Ms,Mother,Yes,\"3 Secret Row, EM9 9ZZ\",,,,,,,")
ONE_PARENT_WITHHELD = ("Zoe Split,8B,100,80,10,10,02/09/2026,20/11/2026,,"
                       "Jo Split,Ms,Mother,Yes,\"5 Safe Road, EM5 5AA\",,"
                       "Rob Split,Mr,Father,Yes,\"6 Other Road, EM6 6BB\",Yes")
BAD = "Bad Row,8C,100,120,0,0,02/09/2026,20/11/2026,,,,,,,,,,,,,"


def pdf_text(path: Path) -> str:
    """The PDF's text with its line breaks as spaces (a name may wrap)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def docx_text(path: Path) -> str:
    doc = open_docx(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


def make(tmp_path: Path, paths: list[Path], **kw: Any) -> Any:
    kw.setdefault("today", TODAY)
    kw.setdefault("jobs", 1)
    return letters(paths, tmp_path / "out", school=school(tmp_path, kw.pop("policy",
                                                                          "westside")), **kw)


def test_each_pupil_gets_the_right_letter_for_each_household(tmp_path: Path) -> None:
    result = make(tmp_path, [export(tmp_path, NOWAK, GOOD, BAD)])
    out = tmp_path / "out"
    assert result.exit_code == 1  # the bad row
    assert result.counts == {"attendance-concern-1": 2}
    anna = out / "2026-11-23_attendance-concern-1_Nowak-Oliver_to-Ms-Anna-Nowak.pdf"
    piotr = out / "2026-11-23_attendance-concern-1_Nowak-Oliver_to-Mr-Piotr-Nowak.docx"
    text = pdf_text(anna)
    for expected in ("Private and confidential: to the parent or carer of Oliver Nowak",
                     "Ms Anna Nowak", "12 Elm Road", "23 November 2026", "Dear Ms Nowak",
                     "2 September 2026 and 20 November 2026", "120 sessions", "83.3%",
                     "Ms Joy Green", "01632 960457", "Education Act 1996, section 7",
                     "Thomas Adeyemi"):
        assert expected in text, expected
    assert "Piotr" not in text and "Oak Street" not in text  # each household its own
    words = docx_text(piotr)
    assert "Mr Piotr Nowak" in words and "4 Oak Street" in words and "83.3%" in words
    assert "Dear Mr Nowak" in words and "Anna" not in words
    # no letter for Amy: the manifest says why; the bad row says where
    rows = list(read_rows(out))
    assert [r["pupil"] for r in rows[:3]] == ["Oliver Nowak", "Amy Good", "Bad Row"]
    assert rows[0]["details"] == {"letters": "attendance-concern-1",
                                  "addressees": "Ms Anna Nowak; Mr Piotr Nowak"}
    assert "stage 1: attendance 83.3% (100 of 120 sessions)" in rows[0]["note"]
    assert rows[1]["outcome"] == "nothing" and "not persistently absent" in rows[1]["note"]
    assert rows[2]["outcome"] == "rejected"
    csv = (out / "manifest.csv").read_text("utf-8-sig").splitlines()
    assert csv[0].endswith(",letters,addressees")


def test_the_combined_pdf_holds_every_family_letter_in_order(tmp_path: Path) -> None:
    result = make(tmp_path, [export(tmp_path, NOWAK, ONE_PARENT_WITHHELD)], formats=("pdf",),
                  duplex=True)
    out = tmp_path / "out"
    combined = PdfReader(out / LETTERS_PDF)
    singles = [f.path for r in result.run.records for f in r.files
               if f.format == "pdf" and f.path.name != LETTERS_PDF]
    assert len(singles) == 3
    expected: list[str] = []
    for path in singles:
        pages = PdfReader(path).pages
        expected += [p.extract_text() for p in pages]
        if len(pages) % 2:
            expected.append("")  # duplex: a blank back
    assert [p.extract_text() for p in combined.pages] == expected
    assert "Ms Anna Nowak" in expected[0] and "Ms Jo Split" in expected[4]
    # fonts are shared, not repeated per letter
    assert (out / LETTERS_PDF).stat().st_size < sum(p.stat().st_size for p in singles) * 0.7
    simplex = make(tmp_path / "s", [export(tmp_path, NOWAK)], formats=("pdf",))
    assert len(PdfReader(simplex.run.out_dir / LETTERS_PDF).pages) == 2


def test_do_not_send_withholds_without_saying_why(tmp_path: Path) -> None:
    make(tmp_path, [export(tmp_path, WITHHELD, ONE_PARENT_WITHHELD)])
    out = tmp_path / "out"
    rows = list(read_rows(out))
    assert rows[0]["outcome"] == "nothing" and rows[0]["documents"] == []
    assert "withheld (marked do not send)" in rows[0]["note"]
    assert rows[1]["details"]["addressees"] == "Ms Jo Split"
    assert "no letter to Rob Split: marked do not send" in rows[1]["note"]
    names = [p.name for p in out.iterdir()]
    assert not any("Hidden" in n or "Rob" in n for n in names)
    # the register's own mark works the same, whatever the export says
    with Register.open(tmp_path / "register.sqlite") as register:
        LetterBook(register).mark("Oliver Nowak", "Piotr Nowak")
    make(tmp_path, [export(tmp_path, NOWAK, name="b.csv")])
    row = next(iter(read_rows(out)))
    assert row["details"]["addressees"] == "Ms Anna Nowak"
    assert "no letter to Piotr Nowak: marked do not send" in row["note"]


def test_hostile_names_and_addresses_print_as_text(tmp_path: Path) -> None:
    result = make(tmp_path, [export(tmp_path, HOSTILE)])
    files = [f.path for r in result.run.records for f in r.files]
    pdf = next(p for p in files if p.suffix == ".pdf" and p.name != LETTERS_PDF)
    docx = next(p for p in files if p.suffix == ".docx")
    # named as the forms are (the last word is the surname), with nothing unsafe in it
    assert pdf.name == "2026-11-23_attendance-concern-1_Co-Siobhan-OBrien-Smith_to-Mrs-Mary-" \
                       "OBrien-Co.pdf"
    for text in (pdf_text(pdf), docx_text(docx)):
        assert "Siobhán O'Brien-Smith & <Co>" in text
        assert "1 {{ x }} Road" in text and "<b>Town</b>" in text


def test_a_second_run_makes_no_duplicates_and_a_new_export_advances(tmp_path: Path) -> None:
    source = export(tmp_path, NOWAK)
    first = make(tmp_path, [source], formats=("docx",))
    again = make(tmp_path, [source], formats=("docx",))
    assert first.run.counts() == {"written": 2}
    assert again.run.counts() == {"unchanged": 2}
    with Register.open(tmp_path / "register.sqlite") as register:
        sent = LetterBook(register).letters(pupil="Oliver Nowak")
    assert [(s.letter, s.stage, s.addressee) for s in sent] == [
        ("attendance-concern", 1, "Ms Anna Nowak"), ("attendance-concern", 1, "Mr Piotr Nowak")]
    # a month on, a new export: stage 2, an invitation to meet
    later = export(tmp_path, NOWAK.replace("20/11/2026", "18/12/2026").replace(
        "120,100,8,12", "150,120,10,20"), name="december.csv")
    third = make(tmp_path, [later], formats=("docx",), today=dt.date(2026, 12, 21))
    assert third.counts == {"attendance-concern-2": 2}
    letter = tmp_path / "out" / "2026-12-21_attendance-concern-2_Nowak-Oliver_to-Ms-Anna-" \
                                "Nowak.docx"
    words = docx_text(letter)
    assert "invitation to meet" in words and "We wrote to you on 23 November 2026" in words
    # five school days later (the test school gives no terms: every weekday counts)
    assert "by 28 December 2026 to arrange a meeting" in words


def test_the_local_authority_is_notified_with_the_history(tmp_path: Path) -> None:
    # a session register of 13 weeks, 60% attended: below 70% over three months
    days = [dt.date(2026, 9, 7) + dt.timedelta(days=d) for d in range(7 * 14)]
    days = [d for d in days if d.weekday() < 5 and d <= dt.date(2026, 12, 4)]
    header = "Name," + ",".join(f"{d:%a %d/%m/%Y}" for d in days)
    header += ",Contact 1 name,Contact 1 relationship,Contact 1 address\n"
    marks = ["NN" if i % 5 in (3, 4) else "/\\" for i in range(len(days))]
    path = tmp_path / "register.csv"
    path.write_text(header + "Oliver Nowak," + ",".join(marks)
                    + ",Anna Nowak,Mother,\"12 Elm Road, EM1 3AB\"\n", "utf-8")
    with Register.open(tmp_path / "register.sqlite") as register:
        run_id = register.start_run("letters", policy="westside", out_dir=None)
        LetterBook(register).add_letter(run_id, pupil="Oliver Nowak",
                                        letter="attendance-concern", stage=1,
                                        letter_date=dt.date(2026, 10, 12), reference="AC1-X",
                                        addressee="Anna Nowak", audience="family",
                                        reason="", input_hash="older")
    result = make(tmp_path, [path], formats=("pdf",), today=dt.date(2026, 12, 7))
    assert result.counts == {"attendance-concern-2": 1, "la-notification": 1}
    out = tmp_path / "out"
    notice = next(out.glob("*la-notification*.pdf"))
    text = pdf_text(notice)
    for expected in ("Eastmoor Council, School Attendance Support Team",
                     "Notification of low attendance: Oliver Nowak", "below 70%",
                     "Letter: Your child's attendance (stage 1)", "12 October 2026",
                     "Anna Nowak", "12 Elm Road, EM1 3AB", "OFFICIAL-SENSITIVE"):
        assert expected in text, expected
    # the notification is not in the families' print file, but in its own
    assert len(PdfReader(out / LETTERS_PDF).pages) == 1
    assert "Notification of low attendance" in pdf_text(out / NOTIFICATIONS_PDF)


def test_letters_from_visit_forms(tmp_path: Path, ra: dict[str, Any],
                                  report: dict[str, Any]) -> None:
    ra = dict(ra, pupil_name="Oliver Nowak", visit_date="2026-11-24", purpose="attendance",
              authoriser_role="headteacher", why_required="SECRET risk detail",
              known_risks="SECRET dog", mitigation="SECRET")
    report = dict(report, pupil_name="Oliver Nowak", agreed="Parent: bring Oliver to the gate "
                  "by 8:40\nPupil: come to breakfast club\nSchool: a daily check-in",
                  discussed="SECRET discussion")
    forms = tmp_path / "forms.json"
    forms.write_text(json.dumps([ra, report]), "utf-8")
    contacts = export(tmp_path, NOWAK, name="contacts.csv")
    result = make(tmp_path, [forms], formats=("docx",), contacts=contacts,
                  policy="westside")
    assert result.counts == {"visit-appointment": 2, "record-of-agreement": 2}, \
        [r.note for r in result.run.records]
    out = tmp_path / "out"
    appointment = docx_text(next(out.glob("*visit-appointment*Anna*.docx")))
    assert "Tuesday 24 November 2026 at 10:00" in appointment
    assert "Alex Adams" in appointment and "identification" in appointment
    assert "SECRET" not in appointment and "code word" not in appointment.lower()
    agreement = docx_text(next(out.glob("*record-of-agreement*Piotr*.docx")))
    assert "Bring Oliver to the gate by 8:40" in agreement
    assert "What Oliver agreed to do" in agreement and "4 December 2026" in agreement
    assert "SECRET" not in agreement
    with Register.open(tmp_path / "register.sqlite") as register:
        [agreed] = LetterBook(register).agreements("Oliver Nowak")
    assert agreed.made_on == dt.date(2026, 11, 20)


def test_missed_you_without_contacts_goes_to_the_visit_address(
        tmp_path: Path, ra: dict[str, Any]) -> None:
    forms = tmp_path / "ra.json"
    forms.write_text(json.dumps(ra), "utf-8")
    result = make(tmp_path, [forms], formats=("docx",), letter=("missed-you",),
                  policy="att")
    assert result.counts == {"missed-you": 1}
    words = docx_text(next((tmp_path / "out").glob("*missed-you*.docx")))
    assert "The parent or carer of Jane Smith" in words and "1 High Street" in words
    assert "Sorry we missed you" in words and "Alex Adams and Bo Brown" in words


def test_a_misspelt_custom_template_stops_the_run_before_any_letter(tmp_path: Path) -> None:
    folder = tmp_path / "ours" / "letters" / "wording"
    folder.mkdir(parents=True)
    (folder / "attendance-concern-1.html").write_text("{{ pupil_nmae }}", "utf-8")
    result = make(tmp_path, [export(tmp_path, NOWAK)], templates_dir=tmp_path / "ours")
    assert result.exit_code == 2 and result.run is None
    assert any("unknown placeholder {{ pupil_nmae }}" in p for p in result.template_problems)
    assert not (tmp_path / "out").exists()


def test_the_sample_school_files_read(tmp_path: Path) -> None:
    for name in ("school.toml", "westside-school.toml"):
        config = load_school(Path(__file__).parents[2] / "samples" / name)
        assert config.letters.contact_phone


@pytest.mark.parametrize("jobs", [1, 2])
def test_any_number_of_jobs_gives_the_same_letters(tmp_path: Path, jobs: int) -> None:
    result = make(tmp_path, [export(tmp_path, NOWAK, HOSTILE)], formats=("pdf",), jobs=jobs)
    digests = sorted((f.path.name, f.sha256) for f in result.run.files())
    reference = make(tmp_path / "one", [export(tmp_path, NOWAK, HOSTILE)], formats=("pdf",),
                     jobs=1)
    assert digests == sorted((f.path.name, f.sha256) for f in reference.run.files())


def test_letters_pdf_reads_back_as_many_pages(tmp_path: Path) -> None:
    """The combined file is a PDF other tools read (pypdf, poppler)."""
    result = make(tmp_path, [export(tmp_path, NOWAK)], formats=("pdf",))
    data = (result.run.out_dir / LETTERS_PDF).read_bytes()
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == 2 and reader.metadata.title == "Letters"


def test_letters_read_from_outcomes_kept_on_disk_are_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large run keeps most outcomes in a temporary file (pipeline/outcomes.py); the
    combined PDF and the register's letters, made from those outcomes, do not change."""
    rows = (NOWAK, GOOD, HOSTILE, ONE_PARENT_WITHHELD)
    kept_in_memory = make(tmp_path / "memory", [export(tmp_path, *rows)], formats=("pdf",))
    monkeypatch.setattr(outcomes, "KEEP_IN_MEMORY", 1)
    on_disk = make(tmp_path / "disk", [export(tmp_path, *rows)], formats=("pdf",))
    assert len(on_disk.run.records._kept) == 1 < len(on_disk.run.records)
    pdfs = [(r.run.out_dir / LETTERS_PDF).read_bytes() for r in (kept_in_memory, on_disk)]
    assert len(PdfReader(io.BytesIO(pdfs[1])).pages) >= 4
    assert pdfs[0] == pdfs[1]

    def letters_sent(folder: Path) -> list[tuple[Any, ...]]:
        with Register.open(folder / "register.sqlite") as reg:
            return [tuple(row) for row in reg.db.execute(
                "SELECT pupil, letter, stage, letter_date, reference, addressee, audience,"
                " reason, input_hash FROM letters ORDER BY id")]

    sent = [letters_sent(tmp_path / name) for name in ("memory", "disk")]
    assert len(sent[0]) >= 4 and sent[0] == sent[1]


def test_a_name_two_pupils_share_never_finds_parents(tmp_path: Path,
                                                     ra: dict[str, Any]) -> None:
    twin = NOWAK.replace("8JR", "10A").replace("Anna Nowak", "Ola Nowak")
    contacts = export(tmp_path, NOWAK, twin, name="contacts.csv")
    forms = tmp_path / "ra.json"
    forms.write_text(json.dumps(dict(ra, pupil_name="Oliver Nowak", authoriser_role=
                                     "headteacher")), "utf-8")
    result = make(tmp_path, [forms], formats=("docx",), contacts=contacts)
    [row] = [r for r in result.run.records if r.index == 1]
    assert row.details["addressees"] == "The parent or carer of Oliver Nowak"
    assert "has 2 pupils named Oliver Nowak" in row.note
