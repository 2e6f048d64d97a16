"""The kit's one rule for who is acting: a page acts for an identified person, never under a
name of the room's own processes, and never as single-user mode's person in a room that signs
people in."""

from __future__ import annotations

import pytest

from cxroom.permissions import SYSTEM_ACTORS, Role
from cxroom.ui.identity import User
from cxroom.ui.kit.actor import refusal_for

SINGLE = User(actor="local", name="Single-user mode", role=Role.ADMIN, mode="single")


@pytest.mark.parametrize(
    "user",
    [
        SINGLE,
        User(actor="fay@room.test", name="Fay", role=Role.FACILITATOR, mode="oidc"),
        User(actor="vera@room.test", name="Vera", role=Role.VIEWER, mode="header"),
        # a wall screen is identified (as a viewer); the services refuse its writes by role
        User(actor="display:Lobby", name="Lobby", role=Role.VIEWER, mode="token"),
    ],
    ids=lambda u: u.actor,
)
def test_an_identified_person_may_act(user: User) -> None:
    mode = "single" if user.mode in {"single", "token"} else user.mode
    assert refusal_for(user, mode) is None


@pytest.mark.parametrize("actor", ["", "   "])
def test_a_user_with_no_name_may_not_act(actor: str) -> None:
    refusal = refusal_for(User(actor=actor, name="?", role=Role.ADMIN, mode="single"), "single")
    assert refusal is not None and "does not know who you are" in refusal


@pytest.mark.parametrize("actor", sorted(SYSTEM_ACTORS))
@pytest.mark.parametrize("mode", ["single", "oidc", "header"])
def test_a_page_never_acts_as_one_of_the_rooms_own_processes(actor: str, mode: str) -> None:
    refusal = refusal_for(User(actor=actor, name=actor, role=Role.ADMIN, mode=mode), mode)
    assert refusal is not None and f"'{actor}'" in refusal and "never acts" in refusal


@pytest.mark.parametrize("mode", ["oidc", "header"])
def test_single_user_modes_person_does_not_act_in_a_room_that_signs_people_in(mode: str) -> None:
    refusal = refusal_for(SINGLE, mode)
    assert refusal is not None and f"CXROOM_AUTH={mode}" in refusal


def test_local_acts_only_as_the_single_user_mode_identity() -> None:
    """A user named "local" that identity did not make as single-user mode's person is refused."""
    impostor = User(actor="local", name="local", role=Role.ADMIN, mode="header")
    assert refusal_for(impostor, "single") is not None
    assert refusal_for(SINGLE, "single") is None
