"""The attendance arithmetic the letters rest on: sessions possible and attended, the percentage,
persistent and severe absence, attendance over the last three months, unauthorised sessions in a
rolling ten school weeks, and attendance since a date (an agreement's).

Definitions (DfE, *Working together to improve school attendance*, August 2024, and the national
framework for penalty notices): attendance is sessions attended (present or at an approved
educational activity) over possible sessions; a pupil is **persistently absent** when missing
10% or more of possible sessions and **severely absent** when missing 50% or more; the penalty
notice threshold is 10 sessions of unauthorised absence within any 10 school weeks. A school week
is a week (Monday to Sunday) in which the register has at least one possible session.

Comparisons are made on whole numbers of sessions (``attended * 100 < 70 * possible``), never on
a rounded percentage: 69.99% is below 70%, 90.0% is not below 90%.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from docgen.letters.codes import NO_MARK, Group, group, meaning


@dataclass(frozen=True)
class Session:
    """One register mark: the day, the half (``am`` or ``pm``) and the code."""

    day: dt.date
    half: str
    code: str


@dataclass(frozen=True)
class Counts:
    """Sessions over a period. ``attended`` includes approved educational activity."""

    possible: int
    attended: int
    authorised: int
    unauthorised: int

    @property
    def missed(self) -> int:
        """Possible sessions not attended (absences, and sessions with no reason recorded)."""
        return self.possible - self.attended

    @property
    def rate(self) -> Fraction | None:
        """Attended over possible, exactly; None with no possible session."""
        if self.possible <= 0:
            return None
        return Fraction(self.attended, self.possible)

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else float(rate * 100)

    def below(self, percent: float) -> bool:
        """Attendance strictly below ``percent`` (False with no possible session)."""
        rate = self.rate
        return rate is not None and rate * 100 < Fraction(str(percent))

    def missing_at_least(self, percent: float) -> bool:
        """Sessions missed are ``percent`` or more of possible sessions."""
        if self.possible <= 0:
            return False
        return Fraction(self.missed * 100, self.possible) >= Fraction(str(percent))

    def shown(self) -> str:
        """The percentage as a letter prints it: one decimal place, e.g. ``84.2%``."""
        return percent_text(self.percent)


def percent_text(value: float | None) -> str:
    if value is None:
        return "-"
    # round half up, as people do (Python rounds 84.25 to 84.2)
    tenths = int(Fraction(str(value)) * 10 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}%"


def count(sessions: Iterable[Session]) -> Counts:
    possible = attended = authorised = unauthorised = 0
    for s in sessions:
        g = group(s.code)
        if g is Group.NOT_POSSIBLE:
            continue
        possible += 1
        if g in (Group.PRESENT, Group.ELSEWHERE):
            attended += 1
        elif g is Group.AUTHORISED:
            authorised += 1
        else:
            unauthorised += 1
    return Counts(possible, attended, authorised, unauthorised)


@dataclass(frozen=True)
class Window:
    """The school weeks in which unauthorised absence was greatest."""

    start: dt.date  # the Monday of the first school week
    end: dt.date  # the last day with a mark in the last school week
    weeks: int  # school weeks in the window (fewer than asked when the register is shorter)
    unauthorised: int


@dataclass(frozen=True)
class Absence:
    """One reason for absence and the sessions it accounts for, as a letter lists it."""

    code: str
    reason: str
    sessions: int
    authorised: bool


@dataclass(frozen=True)
class Attendance:
    """A pupil's attendance over a period: from summary figures, or from a session-by-session
    register (``sessions``), which also gives the reasons, the windows and figures since a
    date."""

    start: dt.date
    end: dt.date
    counts: Counts
    sessions: tuple[Session, ...] = ()
    # from a summary export's own column, when it has one
    stated_window_unauthorised: int | None = None
    window_weeks: int = 10
    _weeks: tuple[tuple[dt.date, tuple[Session, ...]], ...] = field(
        default=(), repr=False, compare=False)

    @classmethod
    def from_register(cls, sessions: Sequence[Session], *, window_weeks: int = 10
                      ) -> Attendance:
        marked = tuple(sorted((s for s in sessions if s.code not in NO_MARK),
                              key=lambda s: (s.day, s.half)))
        if not marked:
            raise ValueError("no sessions")
        return cls(marked[0].day, marked[-1].day, count(marked), marked,
                   window_weeks=window_weeks, _weeks=_school_weeks(marked))

    @property
    def is_register(self) -> bool:
        return bool(self.sessions)

    def absences(self) -> list[Absence]:
        """Every reason for absence with its sessions, authorised first, most sessions
        first (a summary export gives only the two totals)."""
        if not self.sessions:
            out = []
            if self.counts.authorised:
                out.append(Absence("", "authorised absence", self.counts.authorised, True))
            if self.counts.unauthorised:
                out.append(Absence("", "unauthorised absence", self.counts.unauthorised, False))
            return out
        tally = Counter(s.code for s in self.sessions
                        if group(s.code) in (Group.AUTHORISED, Group.UNAUTHORISED))
        rows = [Absence(code, meaning(code), n, group(code) is Group.AUTHORISED)
                for code, n in tally.items()]
        return sorted(rows, key=lambda a: (not a.authorised, -a.sessions, a.code))

    def unauthorised_days(self) -> list[tuple[dt.date, tuple[str, ...]]]:
        """Each day with unauthorised absence and its halves (``am``, ``pm``)."""
        days: dict[dt.date, list[str]] = {}
        for s in self.sessions:
            if group(s.code) is Group.UNAUTHORISED:
                days.setdefault(s.day, []).append(s.half)
        return [(day, tuple(halves)) for day, halves in sorted(days.items())]

    # ------------------------------------------------------------ windows

    def worst_window(self) -> Window | None:
        """The ``window_weeks`` consecutive school weeks with the most unauthorised sessions
        (the earliest such window), from a register; None from summary figures."""
        weeks = self._weeks
        if not weeks:
            return None
        size = min(self.window_weeks, len(weeks))
        per_week = [sum(group(s.code) is Group.UNAUTHORISED for s in week) for _, week in weeks]
        best_i, best = 0, -1
        running = sum(per_week[:size])
        for i in range(len(weeks) - size + 1):
            if i:
                running += per_week[i + size - 1] - per_week[i - 1]
            if running > best:
                best_i, best = i, running
        last_week = weeks[best_i + size - 1][1]
        return Window(weeks[best_i][0], last_week[-1].day, size, best)

    def unauthorised_in_window(self) -> int | None:
        """The most unauthorised sessions in any ``window_weeks`` school weeks: from the
        register, or the export's own column; None when neither says."""
        window = self.worst_window()
        if window is not None:
            return window.unauthorised
        return self.stated_window_unauthorised

    def last_months(self, months: int = 3) -> tuple[dt.date, dt.date, Counts] | None:
        """Attendance over the last ``months`` months of the register (from the day after
        the same date ``months`` months before its last day), or over the stated period
        of summary figures; None from summary figures covering less than that."""
        start = months_before(self.end, months) + dt.timedelta(days=1)
        if not self.sessions:
            if self.start > start:
                return None
            return self.start, self.end, self.counts
        inside = [s for s in self.sessions if s.day >= start]
        return max(start, self.start), self.end, count(inside)

    def covers_months(self, months: int = 3) -> bool:
        """The period reaches back at least ``months`` months from its end."""
        return self.start <= months_before(self.end, months) + dt.timedelta(days=1)

    def since(self, day: dt.date) -> Counts | None:
        """Sessions after ``day`` (an agreement made that day), from a register; from summary
        figures only when their period starts after ``day``."""
        if not self.sessions:
            return self.counts if self.start > day else None
        return count(s for s in self.sessions if s.day > day)

    def school_weeks_from(self, start: dt.date) -> int:
        """School weeks of the register that reach ``start`` or later."""
        return sum(1 for _, week in self._weeks if week[-1].day >= start)


def _school_weeks(sessions: Sequence[Session]) -> tuple[tuple[dt.date, tuple[Session, ...]], ...]:
    """Sessions by week (keyed by the Monday), keeping only weeks with a possible session."""
    weeks: dict[dt.date, list[Session]] = {}
    for s in sessions:
        weeks.setdefault(s.day - dt.timedelta(days=s.day.weekday()), []).append(s)
    return tuple((monday, tuple(week)) for monday, week in sorted(weeks.items())
                 if any(group(s.code) is not Group.NOT_POSSIBLE for s in week))


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - February always has 28 days
