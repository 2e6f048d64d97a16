"""What the wall's URL asks for: ?month, ?stage, ?mode, ?screen&of and ?spotlight,
validated one by one, and the month actually shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from cxroom.models import WallQuery
from cxroom.queries.wall.months import default_month
from cxroom.ui.kit.format import month_label

WALL_PAGE = "views/wall.py"
STAGE_PAGE = "views/stage.py"
DEFAULT_SPOTLIGHT_S = 20


@dataclass
class WallState:
    """What the URL asked for, after validation, and what was wrong with it."""

    query: WallQuery
    spotlight_s: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def wall_screen(self) -> bool:
        return self.query.mode == "wall"


def read_wall_state(params: Mapping[str, str]) -> WallState:
    """Validate ?month, ?stage, ?mode, ?screen&of, ?spotlight one by one: a bad
    value is dropped with a message, the good ones are kept."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for name in ("month", "stage", "mode"):
        raw = params.get(name)
        if raw in (None, ""):
            continue
        try:
            WallQuery(**{name: raw})
            values[name] = raw
        except ValidationError as exc:
            problems.append(_first_message(exc))
    if values.get("mode") not in (None, "wall"):
        problems.append(f"'{values.pop('mode')}' is not a display mode; use mode=wall for the wall screen.")
    screen, of = params.get("screen"), params.get("of")
    if screen or of:
        try:
            split = WallQuery(screen=screen or 1, of=of or 1)
            values["screen"], values["of"] = split.screen, split.of
        except ValidationError as exc:
            problems.append(f"Screen split ignored: {_first_message(exc)}")
    spotlight = 0
    raw_spot = params.get("spotlight")
    if raw_spot:
        if raw_spot.isdigit() and 5 <= int(raw_spot) <= 600:
            spotlight = int(raw_spot)
        elif raw_spot in ("1", "on", "true"):
            spotlight = DEFAULT_SPOTLIGHT_S
        else:
            problems.append("spotlight= takes seconds per stage, between 5 and 600.")
    return WallState(WallQuery(**values), spotlight, problems)


def _first_message(exc: ValidationError) -> str:
    error = exc.errors()[0]
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def resolve_month(requested: str | None, months: Sequence[date], today: date | None = None) -> tuple[date, str | None]:
    """The month to show and, when the request could not be honoured, why."""
    fallback = default_month(months, today)
    if not requested:
        return fallback, None
    wanted = date.fromisoformat(f"{requested}-01")
    if months and wanted not in months:
        return fallback, f"There is no data for {month_label(wanted)}; showing {month_label(fallback)}."
    return wanted, None
