"""Google Sheets adapter (gspread): read a spreadsheet's input sheets, write the output sheets back.

One sync costs one metadata read and three data requests, whatever the size
of the spreadsheet:

1. `GET spreadsheets/{id}` with a `fields` mask: sheet titles and ids, charts,
   conditional formats and our developer metadata;
2. `GET values:batchGet` for every input sheet present, with
   valueRenderOption UNFORMATTED_VALUE and dateTimeRenderOption SERIAL_NUMBER
   (dates arrive as serial day numbers, as in an .xlsx file; the core reads
   them as dates in date columns);
3. `POST spreadsheets/{id}:batchUpdate` with every structural change (all or
   nothing on Google's side);
4. `POST values:batchUpdate` with valueInputOption RAW, so text from users
   that starts with =, +, - or @ stays text.

HTTP goes through `SheetsHTTPClient` (see `sheets_http`), handed to gspread
the way gspread intends: `gspread.Client(auth, http_client=SheetsHTTPClient)`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import gspread
from google.auth.credentials import Credentials

from addin.adapters.sheets_http import (
    ApiGaveUp,
    ApiRefused,
    BadAnswer,
    CredentialsError,
    Deadlines,
    PartialWrite,
    RequestStats,
    RetryPolicy,
    SheetsError,
    SheetsHTTPClient,
    load_credentials,
)
from addin.adapters.sheets_layout import (
    METADATA_FIELDS,
    SpreadsheetInfo,
    WritePlan,
    plan_write,
    quote_title,
)
from addin.core.contract import APPENDED_SHEETS, INPUT_SHEETS, norm
from addin.core.model import OutputSheet, RawSheet, RawWorkbook

__all__ = [
    "ApiGaveUp",
    "ApiRefused",
    "BadAnswer",
    "CredentialsError",
    "Deadlines",
    "GoogleSpreadsheet",
    "PartialWrite",
    "RetryPolicy",
    "SheetsError",
    "SheetsHTTPClient",
    "WriteReport",
    "connect",
    "load_credentials",
]

READ_PARAMS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}


def connect(
    credentials: Credentials,
    *,
    api_url: str | None = None,
    retry: RetryPolicy | None = None,
    deadlines: Deadlines | None = None,
) -> gspread.Client:
    """A gspread client whose HTTP goes through SheetsHTTPClient (API URL from ADDIN_SHEETS_API_URL)."""
    client = gspread.Client(credentials, http_client=SheetsHTTPClient)
    cast(SheetsHTTPClient, client.http_client).configure(api_url=api_url, retry=retry, deadlines=deadlines)
    return client


@dataclass
class WriteReport:
    """What a write did: sheets added, charts added/updated/removed, links and pictures left out."""

    added_sheets: list[str]
    charts_added: int
    charts_updated: int
    charts_removed: int
    links: int
    links_skipped: int
    pictures_skipped: int
    structural_requests: int
    cells: int

    @classmethod
    def of(cls, plan: WritePlan, cells: int) -> WriteReport:
        """The report of a plan that was carried out, `cells` values written."""
        return cls(
            plan.added_sheets,
            plan.charts_added,
            plan.charts_updated,
            plan.charts_removed,
            plan.links,
            plan.links_skipped,
            plan.pictures_skipped,
            len(plan.requests),
            cells,
        )


class GoogleSpreadsheet:
    """One Google spreadsheet: `read()` the input sheets, `write(outputs)` the output sheets."""

    def __init__(self, client: gspread.Client, spreadsheet_id: str, rng: random.Random | None = None) -> None:
        self.client = client
        self.spreadsheet_id = spreadsheet_id
        self.info: SpreadsheetInfo | None = None
        self.rng = rng
        self.phase = "read"
        """How far a sync got: read, layout (the structural write is under way), values, done."""

    @property
    def http(self) -> SheetsHTTPClient:
        """The HTTP client gspread was given (URL rewriting, retries, counting)."""
        return cast(SheetsHTTPClient, self.client.http_client)

    @property
    def stats(self) -> RequestStats:
        """Requests this client has sent so far (retries included)."""
        return self.http.stats

    @property
    def title(self) -> str:
        """The spreadsheet's title, once the metadata has been read."""
        return self.info.title if self.info else ""

    def read_info(self) -> SpreadsheetInfo:
        """The one metadata read: titles, ids, charts, conditional formats, developer metadata."""
        data = self._call(
            self.http.fetch_sheet_metadata,
            self.spreadsheet_id,
            params={"fields": METADATA_FIELDS, "includeGridData": "false"},
        )
        self.info = SpreadsheetInfo.from_json(data)
        return self.info

    def read(self) -> RawWorkbook:
        """Every input sheet present and the History sheet (its rows are kept and appended to), in one
        values:batchGet (after the metadata read, if not done yet)."""
        info = self.info or self.read_info()
        wanted = {norm(name.value) for name in (*INPUT_SHEETS, *APPENDED_SHEETS)}
        present = [s for s in info.sheets if norm(s.title) in wanted and s.sheet_type == "GRID"]
        source = f"Google spreadsheet '{info.title}' ({self.spreadsheet_id})"
        if not present:
            return RawWorkbook(source, {})
        ranges = [quote_title(s.title) for s in present]
        answer = self._call(self.http.values_batch_get, self.spreadsheet_id, ranges, params=dict(READ_PARAMS))
        value_ranges = answer.get("valueRanges", [])
        sheets: dict[str, RawSheet] = {}
        for sheet, block in zip(present, value_ranges, strict=False):
            sheets[sheet.title] = RawSheet(sheet.title, _clean_rows(block.get("values", [])))
        return RawWorkbook(source, sheets)

    def write(self, outputs: Sequence[OutputSheet]) -> WriteReport:
        """Replace the output sheets: one structural batchUpdate, then one RAW values write.

        If the values write fails after the structural one succeeded, raises
        PartialWrite saying so plainly (the output sheets are then laid out but
        empty; the input sheets are never touched).
        """
        info = self.info or self.read_info()
        plan = plan_write(info, outputs, self.rng)
        self.phase = "layout"
        if plan.requests:
            self._call(self.http.batch_update, self.spreadsheet_id, {"requests": plan.requests})
        self.phase = "values"
        cells = 0
        if plan.values:
            body = {"valueInputOption": "RAW", "data": plan.values}
            try:
                answer = self._call(self.http.values_batch_update, self.spreadsheet_id, body)
            except SheetsError as exc:
                raise PartialWrite(
                    f"The output sheets ({', '.join(o.name for o in outputs)}) were laid out, but writing "
                    f"their values failed: {exc} They stay empty until the next sync succeeds; your input "
                    "sheets were not touched.",
                    spreadsheet=self.spreadsheet_id,
                ) from exc
            cells = int(answer.get("totalUpdatedCells", 0))
        self.phase = "done"
        self.info = None  # ids and charts changed: read again before another write
        return WriteReport.of(plan, cells)

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except SheetsError as exc:
            if exc.spreadsheet is None:
                exc.spreadsheet = self.spreadsheet_id
            raise


def _clean_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows as the core expects them: an empty cell is None (the API sends "")."""
    return [[None if value == "" else value for value in row] for row in rows]
