"""One exception family: every error the add-in raises on purpose is an AddinError with an exit status."""

from __future__ import annotations

from addin.adapters import ooxml as file_ooxml
from addin.adapters.sheets_http import ApiGaveUp, CredentialsError, SheetsError
from addin.core.errors import EXIT_UNUSABLE, AddinError, PackageError, PackingError
from addin.excel import ooxml as build_ooxml
from addin.excel.cfb import CfbError
from addin.excel.vba import VbaError


def test_every_error_class_has_the_one_root() -> None:
    for cls in (SheetsError, CredentialsError, ApiGaveUp, PackageError, CfbError, VbaError):
        assert issubclass(cls, AddinError), cls
        assert not issubclass(cls, ValueError), cls  # not caught by accident as bad input of Python's own
    assert issubclass(CfbError, PackingError) and issubclass(VbaError, PackingError)


def test_package_error_is_defined_once() -> None:
    assert file_ooxml.PackageError is build_ooxml.PackageError is PackageError


def test_a_sheets_error_carries_the_sentence_and_status_like_any_other() -> None:
    err = CredentialsError("No credentials.", spreadsheet="abc")
    assert (err.message, err.exit_code, err.spreadsheet, str(err)) == (
        "No credentials.",
        EXIT_UNUSABLE,
        "abc",
        "No credentials.",
    )
