"""One exception family for the add-in, carrying structured fields a front end can show or act on."""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
"""Exit status of every front end: done (warnings allowed); done, but validation found errors; unusable input."""


class AddinError(Exception):
    """Root of every error the add-in raises on purpose. `str(err)` is a sentence for a business user."""

    exit_code = EXIT_UNUSABLE

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.sheet = sheet
        self.cell = cell
        self.code = code


class UnusableWorkbook(AddinError):
    """The input cannot be used at all (not a workbook, corrupt, encrypted, locked, no Journey sheet).

    Nothing was written. Exit status 2.
    """


class NoJourneySheet(UnusableWorkbook):
    """The workbook has no `Journey` sheet: it is not a journey workbook."""


class WriteError(AddinError):
    """Writing the results failed; the original workbook is untouched."""


class PackageError(AddinError):
    """An OOXML package cannot be read, spliced or made macro-enabled (the file writer and the Excel build)."""


class PackingError(AddinError):
    """The Excel add-in's parts cannot be packed (a VBA module or a compound file the format cannot hold)."""
