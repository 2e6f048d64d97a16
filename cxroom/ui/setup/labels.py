"""The words and badges the set-up pages use for moments of truth and silo roles."""

from __future__ import annotations

from cxroom.models import SiloRole
from cxroom.ui.theme import RELIABILITY

FLAGS = {
    "drives_revenue": "Drives revenue",
    "forms_relationship": "Forms the relationship",
    "rescues_at_risk": "Rescues customers at risk",
    "grows_wallet": "Grows share of wallet",
}
ROLE_OPTIONS = [SiloRole.OWNER.value, SiloRole.CONTRIBUTOR.value]


def reliability_label(state: str) -> str:
    icon, word, _colour = RELIABILITY.get(state, ("", state, "gray"))
    return f"{icon} {word}"


def reliability_badge(state: str) -> str:
    """Markdown: the state's icon and word in its colour (reads without colour too)."""
    icon, word, colour = RELIABILITY.get(state, ("", state, "gray"))
    return f":{colour}[{icon} {word}]"
