"""Directions and units guessed for new KPIs, from names and values people use."""

from __future__ import annotations

import pytest

from cxroom.models import Direction
from cxroom.services.kpi_proposals import guess_direction, guess_unit
from tests.importers.helpers import CALL_CENTRE_KPIS

LOWER, HIGHER = Direction.LOWER_BETTER, Direction.HIGHER_BETTER


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        *CALL_CENTRE_KPIS.items(),
        ("Abandoned calls", LOWER),
        ("Average speed of answer (s)", LOWER),
        ("Average handle time", LOWER),
        ("Complaints per 1,000 policies", LOWER),
        ("Billing errors", LOWER),
        ("Escalations to a manager", LOWER),
        ("Monthly churn", LOWER),
        ("Cost per contact", LOWER),
        ("Customers waiting > 5 min", LOWER),
        ("NPS", HIGHER),
        ("First contact resolution", HIGHER),
        ("Customer satisfaction", HIGHER),
        ("Accounts opened", HIGHER),
    ],
)
def test_direction_from_the_name(name: str, expected: str) -> None:
    direction, why = guess_direction(name)
    assert direction == Direction(expected)
    assert ("lower is better" if direction is LOWER else "higher is better") in why


def test_unit_from_the_values() -> None:
    assert guess_unit(["94.01%", " 100.00% ", None, ""]) == "%"
    assert guess_unit(["0:00:17", "1:02:03"]) == "s"
    assert guess_unit(["94.01%", "12"]) == ""
    assert guess_unit([]) == ""
