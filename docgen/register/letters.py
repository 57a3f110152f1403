"""What the register keeps about letters: every letter made (so an attendance stage advances
from one run to the next and a rerun makes no second copy), the agreements made on visits (their
dates only), and the pupils and contacts a DSL marked "do not send" (never why).

A ``LetterBook`` reads and writes these tables through an open ``Register`` (its connection and
transactions): within a run it shares the run's lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from docgen.locking import login_name
from docgen.register import Register, _now, fold_name


@dataclass(frozen=True)
class LetterEntry:
    id: int
    run_id: int
    pupil: str
    letter: str
    stage: int | None
    letter_date: dt.date
    reference: str
    addressee: str
    audience: str
    reason: str | None
    input_hash: str
    recorded_at: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "letter_date": self.letter_date.isoformat()}


@dataclass(frozen=True)
class AgreementEntry:
    pupil: str
    made_on: dt.date
    review_on: dt.date | None
    visit_reference: str | None
    recorded_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"pupil": self.pupil, "made_on": self.made_on.isoformat(),
                "review_on": self.review_on.isoformat() if self.review_on else None,
                "visit_reference": self.visit_reference, "recorded_at": self.recorded_at}


@dataclass(frozen=True)
class VisitEntry:
    """A visit the register knows of: a risk assessment or report docgen printed."""

    visit_date: dt.date
    kind: str
    reference: str | None


@dataclass(frozen=True)
class Mark:
    id: int
    pupil: str
    contact: str | None
    marked_at: str
    marked_by: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


_LETTER_COLUMNS = ("id, run_id, pupil, letter, stage, letter_date, reference, addressee, "
                   "audience, reason, input_hash, recorded_at")


def _letter(row: tuple[Any, ...]) -> LetterEntry:
    values = list(row)
    values[5] = dt.date.fromisoformat(values[5])
    return LetterEntry(*values)


class LetterBook:
    """The letters' tables of one register."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.db = register.db

    # ------------------------------------------------------------------ letters

    def add_letter(self, run_id: int, *, pupil: str, letter: str, stage: int | None,
                   letter_date: dt.date, reference: str, addressee: str, audience: str,
                   reason: str, input_hash: str) -> bool:
        """Record a letter made; False if it was recorded already (a rerun)."""
        self.register._begin()
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO letters (run_id, pupil, pupil_key, letter, stage, "
            "letter_date, reference, addressee, audience, reason, input_hash, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, pupil, fold_name(pupil), letter, stage, letter_date.isoformat(),
             reference, addressee, audience, reason or None, input_hash, _now()))
        self.register._commit_soon()
        return cursor.rowcount > 0

    def letters(self, *, pupil: str | None = None, letter: str | None = None,
                run_id: int | None = None) -> list[LetterEntry]:
        """Letters made, oldest first (by the date on the letter, then as recorded)."""
        where: list[str] = []
        args: list[Any] = []
        if pupil:
            where.append("pupil_key = ?")
            args.append(fold_name(pupil))
        if letter:
            where.append("letter = ?")
            args.append(letter)
        if run_id is not None:
            where.append("run_id = ?")
            args.append(run_id)
        sql = f"SELECT {_LETTER_COLUMNS} FROM letters"  # noqa: S608 (constant columns)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY letter_date, id"
        return [_letter(row) for row in self.db.execute(sql, args)]

    # ------------------------------------------------------------------ agreements

    def add_agreement(self, run_id: int, *, pupil: str, made_on: dt.date,
                      review_on: dt.date | None, visit_reference: str | None) -> bool:
        self.register._begin()
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO agreements (run_id, pupil, pupil_key, made_on, review_on, "
            "visit_reference, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (run_id, pupil, fold_name(pupil), made_on.isoformat(),
             review_on.isoformat() if review_on else None, visit_reference or None, _now()))
        self.register._commit_soon()
        return cursor.rowcount > 0

    def agreements(self, pupil: str) -> list[AgreementEntry]:
        rows = self.db.execute(
            "SELECT pupil, made_on, review_on, visit_reference, recorded_at FROM agreements "
            "WHERE pupil_key = ? ORDER BY made_on, id", (fold_name(pupil),)).fetchall()
        return [AgreementEntry(p, dt.date.fromisoformat(m),
                               dt.date.fromisoformat(r) if r else None, ref, at)
                for p, m, r, ref, at in rows]

    def visits(self, pupil: str) -> list[VisitEntry]:
        """The visits docgen printed a risk assessment or a report of, oldest first (a visit
        with both is listed once, as reported)."""
        rows = self.db.execute(
            "SELECT visit_key, visit_date, kind, visit_reference FROM documents "
            "WHERE pupil_key = ? AND kind IN ('risk-assessment', 'visit-report') "
            "AND visit_date IS NOT NULL ORDER BY visit_date, id", (fold_name(pupil),)
        ).fetchall()
        seen: dict[str, VisitEntry] = {}
        for key, day, kind, reference in rows:
            entry = VisitEntry(dt.date.fromisoformat(day), kind, reference)
            if key not in seen or kind == "visit-report":
                seen[key] = entry
        return sorted(seen.values(), key=lambda v: (v.visit_date, v.kind))

    # ------------------------------------------------------------------ do not send

    def mark(self, pupil: str, contact: str | None = None) -> bool:
        """Mark a pupil (every letter about them) or one contact "do not send"; False if
        already marked."""
        if self._active(pupil, contact) is not None:
            return False
        self.register._begin()
        self.db.execute(
            "INSERT INTO do_not_send (pupil, pupil_key, contact, contact_key, marked_at, "
            "marked_by) VALUES (?, ?, ?, ?, ?, ?)",
            (pupil, fold_name(pupil), contact or None, fold_name(contact) if contact else None,
             _now(), login_name()))
        self.register.commit()
        return True

    def clear(self, pupil: str, contact: str | None = None) -> bool:
        found = self._active(pupil, contact)
        if found is None:
            return False
        self.register._begin()
        self.db.execute("UPDATE do_not_send SET cleared_at = ?, cleared_by = ? WHERE id = ?",
                        (_now(), login_name(), found))
        self.register.commit()
        return True

    def _active(self, pupil: str, contact: str | None) -> int | None:
        if contact:
            row = self.db.execute(
                "SELECT id FROM do_not_send WHERE pupil_key = ? AND contact_key = ? AND "
                "cleared_at IS NULL", (fold_name(pupil), fold_name(contact))).fetchone()
        else:
            row = self.db.execute(
                "SELECT id FROM do_not_send WHERE pupil_key = ? AND contact_key IS NULL AND "
                "cleared_at IS NULL", (fold_name(pupil),)).fetchone()
        return int(row[0]) if row else None

    def marks(self, pupil: str | None = None) -> list[Mark]:
        """The marks in force, oldest first."""
        sql = ("SELECT id, pupil, contact, marked_at, marked_by FROM do_not_send WHERE "
               "cleared_at IS NULL")
        args: list[Any] = []
        if pupil:
            sql += " AND pupil_key = ?"
            args.append(fold_name(pupil))
        return [Mark(*row) for row in self.db.execute(sql + " ORDER BY id", args)]

    def withheld(self, pupil: str) -> tuple[bool, frozenset[str]]:
        """Whether every letter about ``pupil`` is withheld, and the folded names of the
        contacts who must get none."""
        marks = self.marks(pupil)
        return (any(m.contact is None for m in marks),
                frozenset(fold_name(m.contact) for m in marks if m.contact))
