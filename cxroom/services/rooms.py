"""Several rooms side by side: start an empty room of one's own without
deleting the demo, and switch between them.

Layout (one folder holds every room; the "home" room is the configured
database, CXROOM_DB or data/cxroom.duckdb, usually the demo)::

    data/cxroom.duckdb              the home room (e.g. the demo)
    data/media/                     its media
    data/rooms/<slug>/room.duckdb   a room of one's own
    data/rooms/<slug>/media/        its media (Settings puts media next to the database)
    data/active_room.txt            "rooms/<slug>/room.duckdb": the room in use (absent: the home room)

``Settings.from_env`` follows the pointer (see ``resolve_active``), so the app
and the CLI open the same room. Only files are touched here, plus the new
room's own database; nothing is ever deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cxroom.errors import InvalidInputError, NotFoundError
from cxroom.permissions import Action
from cxroom.settings import DEFAULT_DB
from cxroom.setup_models import NewRoom
from cxroom.store import Store, utcnow

POINTER_NAME = "active_room.txt"
ROOMS_DIR = "rooms"
ROOM_FILE = "room.duckdb"
POINTED = re.compile(r"rooms/([a-z0-9]+(?:-[a-z0-9]+)*)/room\.duckdb")


@dataclass(frozen=True)
class RoomFile:
    """One room's database file."""

    path: Path
    slug: str | None  # None: the home room
    active: bool

    @property
    def is_home(self) -> bool:
        return self.slug is None


def home_db(environ: Mapping[str, str] | None = None) -> Path:
    """The configured (home) room: CXROOM_DB, or the default database."""
    env = os.environ if environ is None else environ
    return Path(env.get("CXROOM_DB") or DEFAULT_DB)


def pointer_path(home: Path) -> Path:
    return home.parent / POINTER_NAME


def resolve_active(home: Path) -> Path:
    """The database in use: the room active_room.txt names, or the home room.

    A pointer that is malformed or names a missing file is ignored (the home
    room opens), so a stray edit can never send the app somewhere else.
    """
    pointer = pointer_path(home)
    if not pointer.is_file():
        return home
    named = pointer.read_text(encoding="utf-8").strip()
    if POINTED.fullmatch(named) and (home.parent / named).is_file():
        return home.parent / named
    return home


def room_path(home: Path, slug: str) -> Path:
    return home.parent / ROOMS_DIR / slug / ROOM_FILE


def list_rooms(home: Path) -> list[RoomFile]:
    """The home room first, then the rooms of one's own by name; which one is active."""
    active = resolve_active(home).resolve()
    found = [RoomFile(path=home, slug=None, active=home.resolve() == active)]
    folder = home.parent / ROOMS_DIR
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            path = entry / ROOM_FILE
            if POINTED.fullmatch(f"{ROOMS_DIR}/{entry.name}/{ROOM_FILE}") and path.is_file():
                found.append(RoomFile(path=path, slug=entry.name, active=path.resolve() == active))
    return found


def create_room(current: Store, home: Path, data: NewRoom, *, actor: str) -> RoomFile:
    """Create an empty room of one's own next to the home room (which stays as it is).

    The people and roles of the current room come along, so whoever creates it
    can set it up, and so do the wall screens' links (revoked ones stay
    revoked). The creation is logged in both rooms. It does not switch to the
    new room: ``switch_room`` does.
    """
    slug = data.slug
    path = room_path(home, slug)
    with current.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        if path.exists():
            raise InvalidInputError(f"A room with the folder name '{slug}' already exists; choose another name.")
        users = tx.fetch_all("SELECT email, display_name, role FROM users ORDER BY email")
        tokens = tx.fetch_all(
            "SELECT token_sha256, label, created_by, created_at, expires_at, revoked_at FROM display_tokens"
        )
        try:
            new = Store(path)
            try:
                with new.transaction(actor) as new_tx:
                    for email, display_name, role in users:
                        new_tx.execute(
                            "INSERT INTO users (email, display_name, role) VALUES (?, ?, ?)",
                            [email, display_name, role],
                        )
                    for token in tokens:  # the wall screens' links keep working (and show this room once active)
                        new_tx.execute(
                            "INSERT INTO display_tokens (token_sha256, label, created_by, created_at, expires_at, "
                            "revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
                            list(token),
                        )
                    new_tx.execute("UPDATE meta SET value = ? WHERE key = 'room_name'", [data.name])
                    new_tx.audit(
                        "create_room",
                        "room",
                        slug,
                        None,
                        {
                            "room_name": data.name,
                            "people_copied": len(users),
                            "screen_links_copied": len(tokens),
                            "created_from": str(current.path),
                        },
                    )
            finally:
                new.close()
        except BaseException:
            _discard_new(path)  # only what this call created: a half-made room must not block the name
            raise
        tx.audit("create_room", "room", slug, None, {"room_name": data.name, "path": str(path)})
    return RoomFile(path=path, slug=slug, active=False)


def _discard_new(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # only when empty


def switch_room(current: Store, home: Path, target: Path, *, actor: str) -> RoomFile:
    """Make ``target`` (the home room or a room of one's own) the room everyone opens from now on.

    The switch is logged in the room being left. Callers must then forget any
    cached settings (the UI: ``context.forget_room``).
    """
    rooms = {room.path.resolve(): room for room in list_rooms(home)}
    chosen = rooms.get(Path(target).resolve())
    if chosen is None:
        raise NotFoundError(f"There is no room at {target}.")
    pointer = pointer_path(home)
    with current.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        tx.audit(
            "switch_room",
            "room",
            chosen.slug or "home",
            {"path": str(current.path)},
            {"path": str(chosen.path), "at": utcnow()},
        )
        if chosen.is_home:
            pointer.unlink(missing_ok=True)
        else:
            staged = pointer.with_name(f".{POINTER_NAME}.tmp")
            staged.write_text(f"{ROOMS_DIR}/{chosen.slug}/{ROOM_FILE}\n", encoding="utf-8")
            staged.replace(pointer)  # atomic: the pointer is never half-written
    return RoomFile(path=chosen.path, slug=chosen.slug, active=True)


__all__ = [
    "POINTED",
    "POINTER_NAME",
    "RoomFile",
    "create_room",
    "home_db",
    "list_rooms",
    "pointer_path",
    "resolve_active",
    "room_path",
    "switch_room",
]
