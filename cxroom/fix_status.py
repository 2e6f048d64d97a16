"""Fix statuses and the rules on them, in one place: their order, how each is
shown, which moves between them are allowed, which are active, and when a fix
is overdue — as Python functions for
the pages and pure computations, and as SQL expressions for the queries and
services, both built from the same constants so the board, the wall, the stage
page, the agenda and a review's snapshot never disagree.

The SQL lives here rather than in ``cxroom/queries`` for the reason
``survey_sql.py`` does: queries, services and the insights all need it, and they
may not import each other. It is built only from the enum's own values and from
column names of the calling query, never from input.

The overdue rule. A fix is overdue when its due date has passed and the room has
not closed it (celebrated or dropped). That includes a fix in 'results': a team
presenting results past its due date is still overdue until the room accepts
them (celebrates) or sends them back, because the due date promised customers a
fixed moment of truth, not a report. Before this module the board left 'results'
out and the wall counted it in, so the same fix was late on one page and on time
on the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cxroom.errors import InvalidInputError
from cxroom.models import FixStatus

__all__ = [
    "ACTIVE",
    "CLOSED",
    "LANES",
    "MIN_REASON",
    "ORDER",
    "WORKING",
    "StatusLook",
    "active_sql",
    "check_move",
    "days_overdue",
    "is_active",
    "is_backwards",
    "is_due_by",
    "is_overdue",
    "look",
    "next_statuses",
    "order_values",
    "overdue_sql",
    "word",
]

# The working statuses a team moves through, in order; 'results' then 'celebrated' close the run.
WORKING: tuple[FixStatus, ...] = (
    FixStatus.CHARTERED,
    FixStatus.DIAGNOSING,
    FixStatus.RECOMMENDING,
    FixStatus.IMPLEMENTING,
)
# Every status in the order the board shows them; 'dropped' last, off the main run.
ORDER: tuple[FixStatus, ...] = (*WORKING, FixStatus.RESULTS, FixStatus.CELEBRATED, FixStatus.DROPPED)
# The board's lanes (a 'dropped' lane appears only when dropped fixes are shown).
LANES: tuple[FixStatus, ...] = ORDER[:-1]
# Active: chartered to results, not yet celebrated or dropped. Counts on the load view, shows on the wall.
ACTIVE: frozenset[FixStatus] = frozenset({*WORKING, FixStatus.RESULTS})
CLOSED: frozenset[FixStatus] = frozenset({FixStatus.CELEBRATED, FixStatus.DROPPED})
MIN_REASON = 10  # characters: a reason for dropping, moving back or celebrating without evidence is a sentence


@dataclass(frozen=True)
class StatusLook:
    """How a status is shown: an icon, a word and a badge colour (Streamlit's palette), and a
    Material icon (``:material/...:``) for the pages, where a symbol may draw as an empty box."""

    icon: str
    label: str
    colour: str
    material: str = ":material/radio_button_unchecked:"

    @property
    def text(self) -> str:
        return f"{self.icon} {self.label}"

    @property
    def badge(self) -> str:
        """The Material icon and the word, for Markdown, badges and headings on the pages."""
        return f"{self.material} {self.label}"


_LOOKS: dict[FixStatus, StatusLook] = {
    FixStatus.CHARTERED: StatusLook("◔", "Chartered", "blue", ":material/flag:"),
    FixStatus.DIAGNOSING: StatusLook("◑", "Diagnosing", "blue", ":material/search:"),
    FixStatus.RECOMMENDING: StatusLook("◕", "Recommending", "violet", ":material/lightbulb:"),
    FixStatus.IMPLEMENTING: StatusLook("⚙", "Implementing", "orange", ":material/build:"),
    FixStatus.RESULTS: StatusLook("●", "Results", "green", ":material/insights:"),
    FixStatus.CELEBRATED: StatusLook("★", "Celebrated", "green", ":material/celebration:"),
    FixStatus.DROPPED: StatusLook("○", "Dropped", "gray", ":material/block:"),
}


def look(status: str) -> StatusLook:
    """How ``status`` is shown; an unknown value (an old row, a typo in a file) is shown in words
    ('on_hold' reads 'On hold'), never as an internal name."""
    try:
        return _LOOKS[FixStatus(status)]
    except ValueError:
        return StatusLook("•", word(str(status)), "gray")


def word(status: str) -> str:
    """A status as leaders read it ("Results", "Implementing"): the one mapping of statuses to
    words for the minutes, the presenter, the decks and the digest."""
    try:
        return _LOOKS[FixStatus(status)].label
    except ValueError:
        text = " ".join(str(status).replace("_", " ").split())
        return text[:1].upper() + text[1:] if text else "No status"


def _status(status: str) -> FixStatus | None:
    try:
        return FixStatus(status)
    except ValueError:
        return None


def is_active(status: str) -> bool:
    return _status(status) in ACTIVE


def is_overdue(status: str, due_on: date | None, today: date) -> bool:
    """Past its due date and not closed by the room (see the module's note on 'results')."""
    return is_active(status) and due_on is not None and due_on < today


def days_overdue(status: str, due_on: date | None, today: date) -> int:
    """How many days a fix is overdue; 0 when it is not."""
    return (today - due_on).days if due_on is not None and is_overdue(status, due_on, today) else 0


def is_due_by(status: str, due_on: date | None, day: date) -> bool:
    """Due on or before ``day`` and still open: what a review held that day should ask about."""
    return is_active(status) and due_on is not None and due_on <= day


# -- the moves between statuses ------------------------------------------------------------


def next_statuses(current: FixStatus | str) -> list[FixStatus]:
    """The statuses a fix in ``current`` may move to (the board and the fix page offer these)."""
    current = FixStatus(current)
    if current is FixStatus.CELEBRATED:
        return []
    if current is FixStatus.DROPPED:
        return [FixStatus.CHARTERED, FixStatus.DIAGNOSING]
    options = [s for s in WORKING if s is not current]
    if current is FixStatus.IMPLEMENTING:
        options.append(FixStatus.RESULTS)
    if current is FixStatus.RESULTS:
        options.append(FixStatus.CELEBRATED)
    return [*options, FixStatus.DROPPED]


def is_backwards(current: FixStatus, target: FixStatus) -> bool:
    # 'dropped' is off the run: leaving it is a reopening, not a move back.
    return current in LANES and target in LANES and LANES.index(target) < LANES.index(current)


def check_move(current: FixStatus | str, target: FixStatus | str, *, note: str) -> None:
    """Refuse a status move that breaks the rules (evidence is checked separately)."""
    current, target = FixStatus(current), FixStatus(target)
    if current is target:
        raise InvalidInputError(f"The fix is already '{target.value}'.")
    if current is FixStatus.CELEBRATED:
        raise InvalidInputError("A celebrated fix stays celebrated; charter a new fix for new work on this moment.")
    if target is FixStatus.CELEBRATED and current is not FixStatus.RESULTS:
        raise InvalidInputError(
            f"A fix is celebrated only from 'results', once the team has reported results and the room's data "
            f"backs them; this fix is '{current.value}'. Move it through implementing and results first."
        )
    if target is FixStatus.RESULTS and current is not FixStatus.IMPLEMENTING:
        raise InvalidInputError(
            f"Results come after implementing: there must be something implemented to measure. This fix is "
            f"'{current.value}'; move it to 'implementing' first."
        )
    if current is FixStatus.DROPPED and target not in (FixStatus.CHARTERED, FixStatus.DIAGNOSING):
        raise InvalidInputError("A dropped fix is reopened as 'chartered' or 'diagnosing'.")
    if target is FixStatus.DROPPED and len(note.strip()) < MIN_REASON:
        raise InvalidInputError("Say why the fix is dropped (at least a sentence): the room will ask.")
    if is_backwards(current, target) and len(note.strip()) < MIN_REASON:
        raise InvalidInputError(
            f"Moving back from '{current.value}' to '{target.value}' needs a note saying why (at least a sentence)."
        )


# -- SQL ------------------------------------------------------------------------------------


def order_values() -> list[str]:
    """The statuses' values in board order, for ``list_position`` in SQL or a bound parameter."""
    return [s.value for s in ORDER]


def _sql_set(statuses: frozenset[FixStatus]) -> str:
    # Values come from the enum (lower-case words), so quoting them needs no escaping.
    return "(" + ", ".join(f"'{s.value}'" for s in ORDER if s in statuses) + ")"


def active_sql(status: str = "f.status") -> str:
    """SQL: the fix is active. ``status`` is a column expression of the calling query."""
    return f"({status} IN {_sql_set(ACTIVE)})"


def overdue_sql(status: str = "f.status", due: str = "f.due_on", today: str = "$today") -> str:
    """SQL: the fix is overdue on ``today`` (the same rule as ``is_overdue``). The arguments are
    column expressions or parameter names of the calling query, never input."""
    return f"({due} IS NOT NULL AND {due} < {today} AND {active_sql(status)})"
