"""One settings object for the whole room, read from the environment once."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date, time
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr, ValidationError

from cxroom.errors import InvalidInputError

DEFAULT_DB = Path("data/cxroom.duckdb")
# Customer data from before 2000 is almost always a mistyped year, a two-digit year read
# as the first century, or a spreadsheet's day zero (1899/1900), not a real complaint.
DEFAULT_OLDEST_IMPORT_DATE = date(2000, 1, 1)


def oldest_import_date(environ: Mapping[str, str] | None = None) -> date:
    """The oldest date an import stores (CXROOM_OLDEST_DATE, YYYY-MM-DD; default 2000-01-01)."""
    env = os.environ if environ is None else environ
    raw = (env.get("CXROOM_OLDEST_DATE") or "").strip()
    if not raw:
        return DEFAULT_OLDEST_IMPORT_DATE
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInputError(f"CXROOM_OLDEST_DATE must be a date like 2000-01-01, not {raw!r}.") from exc


AUTH_MODES = ("single", "oidc", "header")


def auth_mode(environ: Mapping[str, str] | None = None) -> str:
    """How the room knows who is using it (CXROOM_AUTH: single, the default; oidc; header).

    Read by the pages (who is signed in) and by the store (whether single-user mode's person
    may act), so both follow the same setting."""
    env = os.environ if environ is None else environ
    mode = env.get("CXROOM_AUTH", "single").strip().lower()
    return mode if mode in AUTH_MODES else "single"


DEFAULT_INBOX_SETTLE_S = 5.0
DEFAULT_BACKUP_KEEP = 7


class Settings(BaseModel):
    """Where the room keeps its data, and the limits it enforces."""

    db_path: Path = Field(description="DuckDB file (CXROOM_DB)")
    media_dir: Path = Field(description="content-addressed media store (CXROOM_MEDIA)")
    max_image_bytes: int = 15 * 1024 * 1024
    max_pdf_bytes: int = 25 * 1024 * 1024
    max_audio_bytes: int = 60 * 1024 * 1024
    # What one imported file may expand to (XLSX and Parquet are compressed; see docs/trust.md).
    max_uncompressed_bytes: int = Field(1024 * 1024 * 1024, description="CXROOM_MAX_UNCOMPRESSED_MB")
    max_import_rows: int = Field(10_000_000, description="CXROOM_MAX_IMPORT_ROWS")
    max_cell_bytes: int = Field(1024 * 1024, description="CXROOM_MAX_CELL_KB")
    preview_rows: int = Field(5_000, description="CXROOM_PREVIEW_ROWS: rows an upload preview reads")
    oldest_import_date: date = Field(
        default=DEFAULT_OLDEST_IMPORT_DATE, description="imports quarantine older dates (CXROOM_OLDEST_DATE)"
    )
    # None: next to the database, so one folder still holds a whole room (see the properties below).
    inbox_dir: Path | None = Field(default=None, description="folder the running room imports from (CXROOM_INBOX)")
    inbox_settle_s: float = Field(
        default=DEFAULT_INBOX_SETTLE_S,
        ge=0,
        description="a file not renamed from NAME.part is taken once unchanged this long (CXROOM_INBOX_SETTLE_SECONDS)",
    )
    backup_dir: Path | None = Field(default=None, description="scheduled backups' folder (CXROOM_BACKUP_DIR)")
    backup_time: time | None = Field(default=None, description="daily backup time, HH:MM local (CXROOM_BACKUP_TIME)")
    backup_keep: int = Field(
        default=DEFAULT_BACKUP_KEEP, ge=1, description="scheduled backups kept (CXROOM_BACKUP_KEEP)"
    )

    @property
    def inbox_path(self) -> Path:
        return self.inbox_dir if self.inbox_dir is not None else self.db_path.parent / "inbox"

    @property
    def backup_path(self) -> Path:
        return self.backup_dir if self.backup_dir is not None else self.db_path.parent / "backups"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        db_path = Path(env.get("CXROOM_DB") or DEFAULT_DB)
        # "Start your own room": active_room.txt next to the home database names the room in use
        # (see cxroom/services/rooms.py); a malformed or dangling pointer is ignored.
        pointer = db_path.parent / "active_room.txt"
        if pointer.is_file():
            named = pointer.read_text(encoding="utf-8").strip()
            chosen = db_path.parent / named
            if re.fullmatch(r"rooms/[a-z0-9]+(?:-[a-z0-9]+)*/room\.duckdb", named) and chosen.is_file():
                db_path = chosen
        # Media lives next to the database unless told otherwise, so one
        # folder holds a whole room (and a backup of it).
        media_dir = Path(env.get("CXROOM_MEDIA") or db_path.parent / "media")
        limits: dict[str, int] = {}
        for key, name, unit in _IMPORT_LIMITS:
            value = _positive(env.get(key), unit)
            if value is not None:
                limits[name] = value
        try:
            return cls._from_values(env, db_path, media_dir, limits)
        except ValidationError as exc:
            wrong = "; ".join(f"{_ENV_NAMES.get(str(e['loc'][0]), e['loc'][0])}: {e['msg']}" for e in exc.errors())
            raise InvalidInputError(f"A setting in the environment is not valid: {wrong}.") from exc

    @classmethod
    def _from_values(cls, env: Mapping[str, str], db_path: Path, media_dir: Path, limits: dict[str, int]) -> Settings:
        return cls(
            db_path=db_path,
            media_dir=media_dir,
            oldest_import_date=oldest_import_date(env),
            inbox_dir=Path(env["CXROOM_INBOX"]) if env.get("CXROOM_INBOX") else None,
            inbox_settle_s=env.get("CXROOM_INBOX_SETTLE_SECONDS") or DEFAULT_INBOX_SETTLE_S,
            backup_dir=Path(env["CXROOM_BACKUP_DIR"]) if env.get("CXROOM_BACKUP_DIR") else None,
            backup_time=env.get("CXROOM_BACKUP_TIME") or None,
            backup_keep=env.get("CXROOM_BACKUP_KEEP") or DEFAULT_BACKUP_KEEP,
            **limits,
        )


_ENV_NAMES = {
    "inbox_settle_s": "CXROOM_INBOX_SETTLE_SECONDS",
    "backup_time": "CXROOM_BACKUP_TIME (HH:MM)",
    "backup_keep": "CXROOM_BACKUP_KEEP",
}


# (environment variable, setting, multiplier) of the import limits
_IMPORT_LIMITS = (
    ("CXROOM_MAX_UNCOMPRESSED_MB", "max_uncompressed_bytes", 1024 * 1024),
    ("CXROOM_MAX_IMPORT_ROWS", "max_import_rows", 1),
    ("CXROOM_MAX_CELL_KB", "max_cell_bytes", 1024),
    ("CXROOM_PREVIEW_ROWS", "preview_rows", 1),
)


def _positive(raw: str | None, unit: int) -> int | None:
    """A positive number from the environment times ``unit``; None (the default) when unset or unreadable."""
    try:
        value = int(float(raw) * unit) if raw else None
    except ValueError:
        return None
    return value if value and value > 0 else None


class HeaderAuthSettings(BaseModel):
    """Header mode (CXROOM_AUTH=header): the header that names the user, and what proves a request came
    through the company's sign-on proxy rather than from a browser that set that header itself."""

    user_header: str = Field(default="X-Forwarded-Email", description="CXROOM_AUTH_HEADER")
    proxy_secret: SecretStr | None = Field(default=None, description="CXROOM_PROXY_SECRET")
    proxy_secret_header: str = Field(default="X-Cxroom-Proxy-Secret", description="CXROOM_PROXY_SECRET_HEADER")
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = Field(default=(), description="CXROOM_TRUSTED_PROXIES")

    @property
    def proxy_configured(self) -> bool:
        return self.proxy_secret is not None or bool(self.trusted_proxies)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> HeaderAuthSettings:
        """Read the header-mode settings; a malformed one raises ValueError naming the variable."""
        env = os.environ if environ is None else environ
        secret = env.get("CXROOM_PROXY_SECRET", "")
        if secret and len(secret) < 16:
            # A short secret can be guessed by trying; the proxy and the room share it, so it can be long.
            raise ValueError("CXROOM_PROXY_SECRET is too short: use at least 16 characters (a random string).")
        networks = []
        for part in env.get("CXROOM_TRUSTED_PROXIES", "").replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                networks.append(ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(
                    f"CXROOM_TRUSTED_PROXIES: '{part.strip()}' is not an address or network "
                    "(use addresses or CIDRs separated by commas, e.g. 10.0.0.5,10.1.0.0/16)."
                ) from None
        return cls(
            user_header=env.get("CXROOM_AUTH_HEADER", "").strip() or "X-Forwarded-Email",
            proxy_secret=SecretStr(secret) if secret else None,
            proxy_secret_header=env.get("CXROOM_PROXY_SECRET_HEADER", "").strip() or "X-Cxroom-Proxy-Secret",
            trusted_proxies=tuple(networks),
        )


class SmtpSettings(BaseModel):
    """Where the monthly digest is sent from (python -m cxroom digest): CXROOM_SMTP_HOST, _PORT,
    _USER, _PASSWORD, _FROM and _STARTTLS. Without a host the digest can only be a dry run."""

    host: str = Field(default="", description="CXROOM_SMTP_HOST")
    port: int = Field(default=587, ge=1, le=65535, description="CXROOM_SMTP_PORT")
    user: str = Field(default="", description="CXROOM_SMTP_USER")
    password: SecretStr | None = Field(default=None, description="CXROOM_SMTP_PASSWORD")
    sender: str = Field(default="Customer Room <cxroom@localhost>", description="CXROOM_SMTP_FROM")
    starttls: bool = Field(default=True, description="CXROOM_SMTP_STARTTLS")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        env = os.environ if environ is None else environ
        try:
            return cls(
                host=env.get("CXROOM_SMTP_HOST", "").strip(),
                port=env.get("CXROOM_SMTP_PORT", "").strip() or 587,
                user=env.get("CXROOM_SMTP_USER", "").strip(),
                password=SecretStr(env["CXROOM_SMTP_PASSWORD"]) if env.get("CXROOM_SMTP_PASSWORD") else None,
                sender=env.get("CXROOM_SMTP_FROM", "").strip() or "Customer Room <cxroom@localhost>",
                starttls=env.get("CXROOM_SMTP_STARTTLS", "").strip() or True,
            )
        except ValidationError as exc:
            names = {"port": "CXROOM_SMTP_PORT", "sender": "CXROOM_SMTP_FROM", "starttls": "CXROOM_SMTP_STARTTLS"}
            wrong = "; ".join(f"{names.get(str(e['loc'][0]), e['loc'][0])}: {e['msg']}" for e in exc.errors())
            raise InvalidInputError(f"An SMTP setting is not valid: {wrong}.") from exc
