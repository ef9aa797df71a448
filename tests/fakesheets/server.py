"""A local stand-in for the Google Sheets API v4: the endpoints the sync job uses, over real HTTP.

`FakeSheetsServer` listens on 127.0.0.1 (random port) with the standard
library's ThreadingHTTPServer. It keeps spreadsheets between requests, checks
every request body and query against Google's discovery document, applies
`batchUpdate` all-or-nothing, counts requests, and can be told to fail:
the next N answers 429 with Retry-After, or every answer 500. It also answers
the OAuth token endpoint so a service-account key can sign in against it.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakesheets import discovery as disco
from tests.fakesheets.state import (
    ApiProblem,
    BatchApplier,
    FakeSpreadsheet,
    Formula,
    a1_of,
    bad,
    read_values,
    resolve_range,
)

SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"

_ROUTES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("GET", "sheets.spreadsheets.get", re.compile(r"^/v4/spreadsheets/([^/:]+)$")),
    (
        "GET",
        "sheets.spreadsheets.values.batchGet",
        re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchGet$"),
    ),
    (
        "POST",
        "sheets.spreadsheets.values.batchUpdate",
        re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchUpdate$"),
    ),
    ("POST", "sheets.spreadsheets.batchUpdate", re.compile(r"^/v4/spreadsheets/([^/:]+):batchUpdate$")),
)
SHORT = {
    "sheets.spreadsheets.get": "get",
    "sheets.spreadsheets.values.batchGet": "values.batchGet",
    "sheets.spreadsheets.values.batchUpdate": "values.batchUpdate",
    "sheets.spreadsheets.batchUpdate": "batchUpdate",
}
_FAULT_TEXT = {
    429: (
        "RESOURCE_EXHAUSTED",
        "Quota exceeded for quota metric 'Write requests' and limit 'Write requests "
        "per minute per user' of service 'sheets.googleapis.com'.",
    ),
    500: ("INTERNAL", "Internal error encountered."),
    502: ("UNAVAILABLE", "Bad gateway."),
    503: ("UNAVAILABLE", "The service is currently unavailable."),
}


@dataclass(frozen=True)
class Record:
    """One request the server received and what it answered."""

    method: str
    kind: str
    path: str
    status: int


@dataclass
class Fault:
    """Answer `status` instead of serving, `remaining` more times (None = always)."""

    status: int
    remaining: int | None
    retry_after: str | None = None
    only: str | None = None

    def applies(self, kind: str) -> bool:
        return self.only is None or self.only == kind


class FakeSheetsServer:
    """The fake Sheets API. Use `start()`/`stop()` or the pytest fixture in tests/sheets/conftest.py."""

    def __init__(self) -> None:
        self.discovery = disco.load()
        self.spreadsheets: dict[str, FakeSpreadsheet] = {}
        self.records: list[Record] = []
        self.faults: list[Fault] = []
        self.accepted_tokens: set[str] = {"test-token"}
        self.require_auth = True
        self.token_requests: list[dict[str, Any]] = []
        self.lock = threading.RLock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> FakeSheetsServer:
        server = self

        class Handler(_Handler):
            fake = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="fake-sheets", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def url(self) -> str:
        """Base URL to put in ADDIN_SHEETS_API_URL, e.g. http://127.0.0.1:53211."""
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    # ------------------------------------------------------------ set-up and inspection

    def add_spreadsheet(
        self, spreadsheet_id: str, title: str, sheets: Mapping[str, list[list[Any]]]
    ) -> FakeSpreadsheet:
        """Seed a spreadsheet with sheets of values (first sheet gets id 0, as in a new spreadsheet)."""
        book = FakeSpreadsheet(spreadsheet_id, title)
        for name, rows in sheets.items():
            book.add_sheet(name, rows)
        with self.lock:
            self.spreadsheets[spreadsheet_id] = book
        return book

    def book(self, spreadsheet_id: str) -> FakeSpreadsheet:
        with self.lock:
            return self.spreadsheets[spreadsheet_id]

    def fail_next(self, n: int, status: int = 429, retry_after: str | None = "1", only: str | None = None) -> None:
        """The next `n` API requests (of kind `only`, e.g. "values.batchUpdate") answer `status`."""
        with self.lock:
            self.faults.append(Fault(status, n, retry_after, only))

    def fail_always(self, status: int = 500, only: str | None = None) -> None:
        """Every API request (of kind `only`) answers `status` until clear_faults()."""
        with self.lock:
            self.faults.append(Fault(status, None, None, only))

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def count(self, kind: str | None = None, ok_only: bool = False) -> int:
        """Requests received (of one kind: get, values.batchGet, values.batchUpdate, batchUpdate, token)."""
        with self.lock:
            return sum(1 for r in self.records if (kind is None or r.kind == kind) and (not ok_only or r.status == 200))

    def api_count(self, ok_only: bool = False) -> int:
        """Sheets API requests received (the token endpoint is not counted)."""
        return self.count(ok_only=ok_only) - self.count("token", ok_only=ok_only)

    def reset_counts(self) -> None:
        with self.lock:
            self.records.clear()

    # ------------------------------------------------------------ serving

    def handle(
        self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Serve one request: (status, JSON body, extra headers)."""
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        if method == "POST" and path == "/token":
            status, answer = self._token(body)
            self._record(method, "token", path, status)
            return status, answer, {}
        for verb, method_id, pattern in _ROUTES:
            m = pattern.match(path)
            if m and verb == method:
                kind = SHORT[method_id]
                status, answer, extra = self._serve(method_id, m.group(1), query, headers, body)
                self._record(method, kind, path, status)
                return status, answer, extra
        self._record(method, "unknown", path, 404)
        return 404, ApiProblem(404, f"The fake has no endpoint {method} {path}.").body(), {}

    def _record(self, method: str, kind: str, path: str, status: int) -> None:
        with self.lock:
            self.records.append(Record(method, kind, path, status))

    def _serve(
        self,
        method_id: str,
        spreadsheet_id: str,
        query: Mapping[str, list[str]],
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        kind = SHORT[method_id]
        with self.lock:
            for fault in self.faults:
                if fault.applies(kind) and (fault.remaining is None or fault.remaining > 0):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    status_text, message = _FAULT_TEXT.get(fault.status, ("UNKNOWN", "Fault injected."))
                    extra = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                    error = {"error": {"code": fault.status, "message": message, "status": status_text}}
                    return fault.status, error, extra
        try:
            self._check_auth(headers)
            self.discovery.validate_query(method_id, query)
            payload: Any = None
            request_schema = self.discovery.methods[method_id].request_schema
            if request_schema is not None:
                try:
                    payload = json.loads(body or b"{}")
                except ValueError as exc:
                    raise bad(f"Invalid JSON payload received. {exc}") from None
                self.discovery.validate_body(request_schema, payload)
            with self.lock:
                book = self.spreadsheets.get(spreadsheet_id)
                if book is None:
                    raise ApiProblem(404, "Requested entity was not found.")
                handler = getattr(self, "_" + kind.replace(".", "_"))
                return 200, handler(book, query, payload), {}
        except disco.SchemaViolation as exc:
            return 400, bad(exc.message).body(), {}
        except ApiProblem as exc:
            return exc.code, exc.body(), {}

    def _check_auth(self, headers: Mapping[str, str]) -> None:
        if not self.require_auth:
            return
        value = headers.get("authorization", "")
        token = value[7:] if value.startswith("Bearer ") else None
        if token is None or token not in self.accepted_tokens:
            raise ApiProblem(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                "or other valid authentication credential.",
            )

    # ------------------------------------------------------------ endpoints

    def _get(self, book: FakeSpreadsheet, query: Mapping[str, list[str]], payload: Any) -> dict[str, Any]:
        if query.get("includeGridData", ["false"])[0] in ("true", "True", "1") and "fields" not in query:
            raise bad("The fake does not return grid data; read values with values:batchGet.")
        answer = book.as_json()
        if "fields" in query:
            mask = query["fields"][0]
            self.discovery.validate_field_mask("Spreadsheet", mask)
            answer = disco.apply_field_mask(answer, disco.parse_field_mask(mask))
        return answer

    def _values_batchGet(self, book: FakeSpreadsheet, query: Mapping[str, list[str]], payload: Any) -> dict[str, Any]:
        render = query.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
        major = query.get("majorDimension", ["ROWS"])[0]
        if major not in ("ROWS", "DIMENSION_UNSPECIFIED"):
            raise bad("The fake returns rows only (majorDimension=ROWS).")
        ranges = query.get("ranges", [])
        if not ranges:
            raise bad("At least one range must be given (ranges).")
        out = []
        for a1 in ranges:
            sheet, r0, r1, c0, c1 = resolve_range(book, a1)
            values = read_values(sheet, r0, r1, c0, c1, render)
            end_row = r1 if r1 is not None else sheet.row_count
            end_col = c1 if c1 is not None else sheet.column_count
            item: dict[str, Any] = {"range": a1_of(sheet, r0, end_row, c0, end_col), "majorDimension": "ROWS"}
            if values:
                item["values"] = values
            out.append(item)
        return {"spreadsheetId": book.spreadsheet_id, "valueRanges": out}

    def _values_batchUpdate(
        self, book: FakeSpreadsheet, query: Mapping[str, list[str]], payload: Any
    ) -> dict[str, Any]:
        option = payload.get("valueInputOption")
        if option not in ("RAW", "USER_ENTERED"):
            raise bad("'valueInputOption' is required but not specified (RAW or USER_ENTERED).")
        work = book.clone()
        responses = []
        total_cells = 0
        total_rows = 0
        sheets_touched = set()
        for index, data in enumerate(payload.get("data", [])):
            if data.get("majorDimension", "ROWS") not in ("ROWS", "DIMENSION_UNSPECIFIED"):
                raise bad(f"data[{index}]: the fake writes rows only (majorDimension=ROWS).")
            sheet, r0, r1, c0, c1 = resolve_range(work, data.get("range", ""))
            rows = data.get("values", [])
            width = max((len(r) for r in rows), default=0)
            if r1 is not None and r0 + len(rows) > r1:
                raise bad(
                    f"Requested writing within range [{data['range']}], but tried writing to row [{r0 + len(rows)}]"
                )
            if c1 is not None and c0 + width > c1:
                raise bad(
                    f"Requested writing within range [{data['range']}], but tried writing to column [{c0 + width}]"
                )
            if r0 + len(rows) > sheet.row_count or c0 + width > sheet.column_count:
                raise bad(
                    f"Range ({data['range']}) exceeds grid limits. Max rows: {sheet.row_count}, "
                    f"max columns: {sheet.column_count}"
                )
            cells = 0
            for dr, row in enumerate(rows):
                for dc, value in enumerate(row):
                    if value is None:
                        continue  # null leaves the cell as it is
                    if isinstance(value, list | dict):
                        raise bad(f"Invalid values[{dr}][{dc}]: a cell value must be a string, number or boolean.")
                    sheet.set(r0 + dr, c0 + dc, _entered(value, option))
                    cells += 1
            total_cells += cells
            total_rows += len(rows)
            sheets_touched.add(sheet.sheet_id)
            responses.append(
                {
                    "spreadsheetId": book.spreadsheet_id,
                    "updatedRange": a1_of(sheet, r0, r0 + max(len(rows), 1), c0, c0 + max(width, 1)),
                    "updatedRows": len(rows),
                    "updatedColumns": width,
                    "updatedCells": cells,
                }
            )
        self.spreadsheets[book.spreadsheet_id] = work
        return {
            "spreadsheetId": book.spreadsheet_id,
            "totalUpdatedRows": total_rows,
            "totalUpdatedCells": total_cells,
            "totalUpdatedSheets": len(sheets_touched),
            "responses": responses,
        }

    def _batchUpdate(self, book: FakeSpreadsheet, query: Mapping[str, list[str]], payload: Any) -> dict[str, Any]:
        requests = payload.get("requests") or []
        if not requests:
            raise bad("Must specify at least one request.")
        applier = BatchApplier(book, self.discovery)
        replies = applier.apply(requests)
        self.spreadsheets[book.spreadsheet_id] = applier.book  # all or nothing: swap in only on success
        return {"spreadsheetId": book.spreadsheet_id, "replies": replies}

    def _token(self, body: bytes) -> tuple[int, dict[str, Any]]:
        form = parse_qs(body.decode("utf-8"))
        assertion = form.get("assertion", [""])[0]
        if form.get("grant_type", [""])[0] != "urn:ietf:params:oauth:grant-type:jwt-bearer" or not assertion:
            return 400, {"error": "unsupported_grant_type", "error_description": "JWT bearer grant expected."}
        try:
            claims = json.loads(_b64(assertion.split(".")[1]))
        except (IndexError, ValueError):
            return 400, {"error": "invalid_grant", "error_description": "Malformed JWT."}
        with self.lock:
            self.token_requests.append(claims)
            if SHEETS_SCOPE not in str(claims.get("scope", "")).split():
                return 400, {
                    "error": "invalid_scope",
                    "error_description": "The spreadsheets scope is missing.",
                }
            token = f"sa-token-{len(self.token_requests)}"
            self.accepted_tokens.add(token)
        return 200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _entered(value: Any, option: str) -> Any:
    """A value as stored after a write: RAW keeps text as text; USER_ENTERED parses it like typing."""
    if option == "RAW" or not isinstance(value, str):
        return value
    if value.startswith("="):
        return Formula(value)
    try:
        return float(value)
    except ValueError:
        return value


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSheetsServer
    protocol_version = "HTTP/1.1"

    def _respond(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, answer, extra = self.fake.handle(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        data = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = _respond
    do_POST = _respond
    do_PUT = _respond

    def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
        pass
