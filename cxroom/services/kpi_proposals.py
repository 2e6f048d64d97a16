"""New KPIs proposed from an import's preview: a KPI column or name the room
does not know is proposed with a direction guessed from its name and a unit
guessed from its values; the person sets the stage, target and unit, and they
are created through ``evidence.create_kpi`` before the import runs."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cxroom.models import Direction, KpiCreate
from cxroom.services import evidence
from cxroom.store import Store

# Words that make a KPI lower-is-better, in one place. Each measures something the
# customer suffers or the company pays for (a call abandoned, a wait, a slow answer,
# a complaint, an error, an escalation, a lost customer, a cost): the fewer, the better.
# Everything else (answered calls, answer rate, service level, satisfaction, NPS) counts
# good outcomes, so higher is better. Matched at the start of a word, case-insensitive:
# "abandon" matches "Abandoned calls", "complaint" matches "Complaints per 1,000".
LOWER_IS_BETTER_WORDS = (
    "abandon",
    "wait",
    "speed of answer",
    "answer speed",
    "average speed",
    "handle time",
    "handling time",
    "talk duration",
    "talk time",
    "hold time",
    "complaint",
    "error",
    "escalat",
    "churn",
    "cost",
    "backlog",
    "defect",
    "delay",
)
_LOWER = re.compile(r"\b(" + "|".join(re.escape(w) for w in LOWER_IS_BETTER_WORDS) + ")", re.IGNORECASE)
_PERCENT = re.compile(r"^\s*[-+]?\d+(\.\d+)?\s*%\s*$")
_DURATION = re.compile(r"^\s*\d+:[0-5]\d:[0-5]\d(\.\d+)?\s*$")  # read as seconds by the importer


def guess_direction(name: str) -> tuple[Direction, str]:
    """The direction a KPI called ``name`` most likely has, and why, in words."""
    found = _LOWER.search(name)
    if found:
        return Direction.LOWER_BETTER, f"'{found.group(0).lower()}' in the name: lower is better"
    return Direction.HIGHER_BETTER, "no word of waiting, failure or cost in the name: higher is better"


def guess_unit(values: Iterable[object]) -> str:
    """'%' when every value is a percentage, 's' when every value is a H:MM:SS duration, else ''."""
    texts = [str(v) for v in values if v is not None and str(v).strip() not in ("", "nan", "None")]
    if texts and all(_PERCENT.match(t) for t in texts):
        return "%"
    if texts and all(_DURATION.match(t) for t in texts):
        return "s"
    return ""


def create_kpis(store: Store, proposals: list[KpiCreate], *, actor: str) -> list[int]:
    """Create the KPIs the person accepted. Every proposal was validated (a KpiCreate) before
    the first is written; each is created, permission-checked and audited by evidence.create_kpi."""
    return [evidence.create_kpi(store, proposal, actor=actor) for proposal in proposals]
