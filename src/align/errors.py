"""One small exception hierarchy, so callers can catch align's failures by kind.

Every error about an input names where it happened (file, sheet, row, column) and what was
expected, because the analyst's next step is to open that file at that place.
"""

from __future__ import annotations

from pathlib import Path


class AlignError(Exception):
    """Base of every error align raises on purpose."""


class ConfigError(AlignError):
    """The run configuration is invalid (unknown key, wrong type, missing file)."""


class InputError(AlignError):
    """A value or file does not have the shape a parser or table expects."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.expected = expected
        self.detail = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = self.detail
        if self.expected:
            text += f" (expected {self.expected})"
        return f"{', '.join(where)}: {text}" if where else text


class CodeError(InputError):
    """A SOC, CIP, NAICS or FIPS code that cannot be read as its published form."""


class LayoutError(InputError):
    """A file whose layout (columns, header row, sheets) is not the one published."""


class SchemaError(InputError):
    """A table that breaks its contract (missing column, wrong type, duplicate key)."""


class UpstreamError(AlignError):
    """A remote service answered with an error — including errors inside an HTTP 200 body."""


class OfflineMiss(UpstreamError):
    """Offline mode was asked for something the cache does not hold."""
