"""Who may do what. The services check these rules on the server for every
write; hiding buttons in pages is only a courtesy on top."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"  # leadership, wall screens: look, listen, never change
    FIX_MEMBER = "fix_member"  # edits the fixes they belong to
    FACILITATOR = "facilitator"  # everything in the room
    ADMIN = "admin"  # the room, plus roles, display tokens, backups and retention


class Action(StrEnum):
    ROOM_EDIT = "room.edit"  # stages, moments, silos, accountability, KPIs, survey questions, rules
    EVIDENCE_EDIT = "evidence.edit"  # artifacts, calls, clips, transcripts
    IMPORT = "import.run"  # complaint, KPI and survey imports and their undo
    REVIEW_EDIT = "review.edit"  # plan, run, capture and close reviews
    FIX_CHARTER = "fix.charter"  # charter a new fix team
    FIX_EDIT = "fix.edit"  # update a fix (a fix member: only their own fixes)
    FIX_OVERRIDE = "fix.override"  # celebrate without evidence (audited)
    USERS_ADMIN = "admin.users"
    TOKENS_ADMIN = "admin.tokens"
    BACKUP = "admin.backup"
    RETENTION = "admin.retention"


_FACILITATOR = {
    Action.ROOM_EDIT,
    Action.EVIDENCE_EDIT,
    Action.IMPORT,
    Action.REVIEW_EDIT,
    Action.FIX_CHARTER,
    Action.FIX_EDIT,
    Action.FIX_OVERRIDE,
}
ALLOWED: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset(),
    Role.FIX_MEMBER: frozenset({Action.FIX_EDIT}),
    Role.FACILITATOR: frozenset(_FACILITATOR),
    Role.ADMIN: frozenset(Action),
}

# Process-level actors (the CLI, the demo generator) act as administrators without a row in
# the users table: whoever runs them already owns the files. "inbox" and "schedule" are the
# running room's own worker: whoever may drop files into its inbox folder already owns the
# room's folder. A command from a page never carries one of these names (cxroom.ui.kit.actor
# refuses to send one): a page acts for a person.
SYSTEM_ACTORS = frozenset({"system", "cli", "demo", "inbox", "schedule"})

# Single-user mode (CXROOM_AUTH=single: a laptop with no sign-in) is a person, not a process:
# whoever sits at this computer, known to the audit log as "local", with the administrator's
# role. It used to be a system actor, which let its writes skip the role check in every mode,
# so a page that lost track of who was acting and fell back to "local" acted unchecked even
# behind a company sign-in. Now "local" is an administrator only while the room runs in
# single-user mode; under oidc or header sign-in it is nobody, and the services refuse it.
SINGLE_USER_ACTOR = "local"


def is_single_user(actor: str, auth_mode: str) -> bool:
    """Whether ``actor`` is single-user mode's person in a room that runs in that mode."""
    return actor == SINGLE_USER_ACTOR and auth_mode == "single"


def built_in_role(actor: str, auth_mode: str) -> Role | None:
    """The role of an actor the users table does not hold: the room's own processes and
    single-user mode's person administer the room; everyone else is looked up (None)."""
    if actor in SYSTEM_ACTORS or is_single_user(actor, auth_mode):
        return Role.ADMIN
    return None


def can(role: Role, action: Action) -> bool:
    return action in ALLOWED[role]


def needs_membership(role: Role, action: Action) -> bool:
    """A fix member's right to edit a fix holds only for fixes they are on."""
    return role is Role.FIX_MEMBER and action is Action.FIX_EDIT


# Customer text is masked for everyone by default; these roles may ask to read it
# as imported (the stage's complaint table): they run the imports and see the files anyway.
PERSONAL_DATA_ROLES = frozenset({Role.FACILITATOR, Role.ADMIN})


def may_see_personal_data(role: Role) -> bool:
    return role in PERSONAL_DATA_ROLES
