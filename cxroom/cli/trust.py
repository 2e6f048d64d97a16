"""CLI commands that keep the room trustworthy: backup, restore, roles,
wall-screen tokens and call-recording retention."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cxroom.permissions import Role
from cxroom.settings import Settings
from cxroom.store import Store

Handler = Callable[[argparse.Namespace, Settings], int]


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.services.backup import backup_room

    store = Store(settings.db_path)
    try:
        report = backup_room(store, settings.media_dir, Path(args.folder), actor="cli")
    finally:
        store.close()
    print(
        f"Backed up {len(report.tables)} tables ({report.total_rows:,} rows) and {report.media_files} media "
        f"files to {report.folder}."
    )
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.services.backup import restore_room

    report = restore_room(Path(args.folder), settings)
    print(
        f"Restored {len(report.tables)} tables ({report.total_rows:,} rows) into {settings.db_path}; "
        "checksums match the backup's manifest."
    )
    return 0


def cmd_user(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.services import trust

    store = Store(settings.db_path)
    try:
        trust.set_user_role(
            store,
            email=args.email,
            display_name=args.name or args.email.split("@")[0],
            role=Role(args.role),
            actor="cli",
        )
    finally:
        store.close()
    print(f"{args.email} is now {args.role}.")
    return 0


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.queries import trust as trust_queries
    from cxroom.services import trust

    store = Store(settings.db_path)
    try:
        if args.action == "create":
            token = trust.create_display_token(
                store, label=args.label or "Wall screen", actor="cli", valid_days=args.days
            )
            print(f"Wall-screen link (shown once; keep it safe): /display?token={token}")
        elif args.action == "revoke":
            trust.revoke_display_token(store, token_sha256=args.id, actor="cli")
            print("Revoked.")
        else:
            rows: list[dict[str, Any]] = trust_queries.display_tokens(store).to_dict("records")
            print(json.dumps(rows, indent=2, default=str))
    finally:
        store.close()
    return 0


def cmd_purge_calls(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.media import MediaStore
    from cxroom.services import trust

    store = Store(settings.db_path)
    try:
        if args.days is not None:
            trust.set_call_retention(store, days=args.days or None, actor="cli")
        deleted = trust.purge_expired_calls(store, MediaStore(settings), actor="cli")
    finally:
        store.close()
    print(f"Deleted {deleted} expired call recordings.")
    return 0


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> dict[str, Handler]:
    p = sub.add_parser("backup", help="back up the room (database and media) into a new folder")
    common(p)
    p.add_argument("folder", help="new or empty folder for the backup")
    p = sub.add_parser("restore", help="replace the room with a verified backup (stop the app first)")
    common(p)
    p.add_argument("folder", help="a folder written by `backup`")
    p = sub.add_parser("user", help="give a person (by e-mail) a role in the room")
    common(p)
    p.add_argument("email")
    p.add_argument("role", choices=[r.value for r in Role])
    p.add_argument("--name", help="display name (as used in fix teams)")
    p = sub.add_parser("token", help="wall-screen display tokens: create, list, revoke")
    common(p)
    p.add_argument("action", choices=["create", "list", "revoke"])
    p.add_argument("--label", help="what the token is for, e.g. 'Lobby screen'")
    p.add_argument("--days", type=int, default=365, help="valid for this many days (0: no expiry)")
    p.add_argument("--id", help="token id (sha256 shown by `token list`) to revoke")
    p = sub.add_parser("purge-calls", help="delete call recordings older than the retention period")
    common(p)
    p.add_argument("--days", type=int, help="set the retention period first (0 switches it off)")
    return {
        "backup": cmd_backup,
        "restore": cmd_restore,
        "user": cmd_user,
        "token": cmd_token,
        "purge-calls": cmd_purge_calls,
    }
