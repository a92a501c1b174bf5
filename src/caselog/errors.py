"""One exception hierarchy for everything a user can cause.

Every error raised because of a user's input derives from :class:`CaselogError`
and names the file, sheet, row or column at fault, what was expected and what
was found instead.  A traceback from pandas internals reaching a user is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CaselogError",
    "SchemaError",
    "FileFormatError",
    "EmptyFileError",
    "EncodingError",
    "SourceNotFoundError",
    "MappingError",
    "ParseError",
    "CaseNotFoundError",
    "ConfigError",
]


def _where(file: str | None, sheet: str | None = None, row: int | None = None) -> str:
    parts = []
    if file:
        parts.append(str(file))
    if sheet:
        parts.append(f"sheet {sheet!r}")
    if row is not None:
        parts.append(f"row {row}")
    return ", ".join(parts)


class CaselogError(Exception):
    """Base class of every error caselog raises because of its input.

    Attributes
    ----------
    file, sheet, row, column : optional
        Where the problem is, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        where = _where(file, sheet, row)
        super().__init__(f"{where}: {message}" if where else message)


class SchemaError(CaselogError):
    """A required column is missing or a column cannot be used.

    Carries ``missing`` (canonical fields not found) and ``found`` (the columns the
    file has), so a caller can offer a ``mapping=``.
    """

    def __init__(
        self,
        message: str,
        *,
        missing: Iterable[str] = (),
        found: Iterable[str] = (),
        **where: object,
    ) -> None:
        self.missing = list(missing)
        self.found = list(found)
        super().__init__(message, **where)  # type: ignore[arg-type]


class FileFormatError(CaselogError):
    """The file cannot be read as the format its name or content says."""


class EmptyFileError(FileFormatError):
    """The file has no data rows (empty, or a header only)."""


class EncodingError(FileFormatError):
    """The text file is in none of the encodings caselog reads (UTF-8, UTF-8 with BOM, cp1252)."""


class SourceNotFoundError(CaselogError, FileNotFoundError):
    """A file or folder given to :func:`caselog.load` does not exist or holds no exports."""

    def __str__(self) -> str:
        return Exception.__str__(self)


class MappingError(CaselogError):
    """``mapping=`` or ``values=`` names a field or column that does not exist."""


class ParseError(CaselogError):
    """A value cannot be parsed where a whole column is concerned (e.g. a date column)."""


class CaseNotFoundError(CaselogError, KeyError):
    """A case ID asked for is not in the case log."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return Exception.__str__(self)


class ConfigError(CaselogError, ValueError):
    """An argument or configuration value is out of range or of the wrong kind."""
