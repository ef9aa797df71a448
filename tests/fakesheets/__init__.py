"""A fake Google Sheets API v4 server for tests: real HTTP on 127.0.0.1, checked against Google's schema."""

from tests.fakesheets.discovery import Discovery, SchemaViolation
from tests.fakesheets.server import FakeSheetsServer
from tests.fakesheets.state import FakeSheet, FakeSpreadsheet, Formula

__all__ = ["Discovery", "FakeSheet", "FakeSheetsServer", "FakeSpreadsheet", "Formula", "SchemaViolation"]
