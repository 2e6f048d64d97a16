"""The importers' error type (its own module so every importer module can raise it)."""

from __future__ import annotations

from cxroom.errors import InvalidInputError


class ImportFileError(InvalidInputError):
    """The file cannot be imported at all (nothing was written)."""
