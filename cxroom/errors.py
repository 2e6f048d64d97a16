"""The room's own error types: every expected failure becomes one of these,
with a message a person can act on (never a raw DuckDB traceback)."""

from __future__ import annotations


class CxroomError(Exception):
    """Base class: an expected failure with a readable message."""


class StoreError(CxroomError):
    """The database refused an operation."""


class DatabaseLockedError(StoreError):
    """Another process holds the DuckDB file open for writing."""

    def __init__(self, message: str, *, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid  # the holder's process id, when DuckDB names it


class ConflictError(CxroomError):
    """Someone else changed the record since it was read (optimistic concurrency)."""


class NotFoundError(CxroomError):
    """The record asked for does not exist."""


class InvalidInputError(CxroomError):
    """Input broke a rule of the room (not a schema error: a business rule)."""


class MediaRejectedError(CxroomError):
    """An uploaded file is not what it claims to be, or is too large."""


class PermissionDeniedError(CxroomError):
    """The acting user's role may not make this change."""
