"""The Sheets fixtures (a fake Sheets server) for the golden comparison of the Sheets writer."""

from tests.sheets.conftest import fake, sheets_env  # noqa: F401
