"""HTTP to the Google Sheets API: sign-in, a gspread HTTP client that retries politely, and the errors.

gspread keeps HTTP in `gspread.http_client.HTTPClient` and lets a caller pass
another class (`gspread.Client(auth, http_client=...)`). `SheetsHTTPClient` is
that class for the sync job:

* it sends requests to `ADDIN_SHEETS_API_URL` instead of Google's address when
  that is set (gspread hard-codes https://sheets.googleapis.com in
  `gspread/urls.py`, so the prefix is rewritten in `request`, the one method
  every gspread call goes through);
* it retries 408, 429 and 5xx answers and dropped connections with exponential
  backoff and full jitter, waits at least what Retry-After asks, and gives up
  after a bounded number of attempts or total wait with `ApiGaveUp`;
* it gives each request a deadline for the whole exchange (connect, send,
  headers, body; see `http_deadline`), and a run a deadline for all its
  requests and waits (`begin_run`), so a stalled or trickling server cannot
  keep a scheduled job busy;
* it refuses an answer that is not JSON (an HTML error page, a cut-off body)
  with one sentence instead of letting gspread fail on it;
* it counts the requests it sends, so a run can report them.
"""

from __future__ import annotations

import email.utils
import html
import json
import logging
import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from google.auth.credentials import Credentials
from google.auth.exceptions import GoogleAuthError, RefreshError, TransportError
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from addin.adapters.http_deadline import Deadline, DeadlineAdapter
from addin.core.errors import AddinError

log = logging.getLogger(__name__)

GOOGLE_API_URL = "https://sheets.googleapis.com"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
ENV_API_URL = "ADDIN_SHEETS_API_URL"
ENV_TOKEN = "ADDIN_SHEETS_TOKEN"
ENV_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS"
ENV_MAX_ATTEMPTS = "ADDIN_SHEETS_MAX_ATTEMPTS"
ENV_BACKOFF_BASE = "ADDIN_SHEETS_BACKOFF_BASE"
ENV_MAX_WAIT = "ADDIN_SHEETS_MAX_WAIT"
ENV_REQUEST_DEADLINE = "ADDIN_SHEETS_REQUEST_DEADLINE"
ENV_RUN_DEADLINE = "ADDIN_SHEETS_RUN_DEADLINE"
CONNECT_TIMEOUT = 10.0
"""Seconds to open a connection (within the request's deadline)."""

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_STATUS_WORDS = {
    408: "timed out",
    429: "too many requests (quota)",
    500: "internal error",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway timeout",
}


# -------------------------------------------------------------------- errors


class SheetsError(AddinError):
    """Root of the Google Sheets adapter's errors (an `AddinError`); `str(err)` is one sentence for a business
    user, and `exit_code` (2: nothing usable happened) is what `python -m addin sync` ends with.
    """

    def __init__(self, message: str, *, spreadsheet: str | None = None) -> None:
        super().__init__(message)
        self.spreadsheet = spreadsheet


class CredentialsError(SheetsError):
    """The service-account key is missing, unreadable or malformed, or Google refused it."""


class ApiGaveUp(SheetsError):
    """Google kept answering "try again later" (or could not be reached) until the retry budget ran out."""

    def __init__(self, message: str, *, status: int | None, attempts: int, waited: float) -> None:
        super().__init__(message)
        self.status = status
        self.attempts = attempts
        self.waited = waited


class ApiRefused(SheetsError):
    """Google answered with an error that retrying cannot fix (400, 403, 404 ...)."""

    def __init__(self, message: str, *, status: int, google_message: str) -> None:
        super().__init__(message)
        self.status = status
        self.google_message = google_message


class PartialWrite(SheetsError):
    """The output sheets' layout was applied but writing their values failed afterwards."""


class BadAnswer(SheetsError):
    """The server answered with something that is not the API's JSON (a web page, a cut-off body)."""

    retry = False
    """Whether asking again may help (a cut-off body may; a web page in place of the API will not)."""
    problem = "sent a cut-off or garbled answer"
    """What went wrong, for the sentence after the last retry: "Google Sheets {problem} to the get request"."""


# -------------------------------------------------------------------- retry policy


def _env_number(environ: Mapping[str, str], name: str, default: float, positive: bool = False) -> float:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SheetsError(f"{name} must be a number of seconds or attempts, not {raw!r}.") from None
    if value < 0 or not value < float("inf") or (positive and value == 0):
        raise SheetsError(f"{name} must be a {'positive' if positive else 'non-negative'} number (got {raw}).")
    return value


@dataclass
class Deadlines:
    """How long one request (the whole exchange, connect included) and one run may take, in seconds."""

    request: float = 60.0
    run: float = 300.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Deadlines:
        """Defaults, overridden by ADDIN_SHEETS_REQUEST_DEADLINE and ADDIN_SHEETS_RUN_DEADLINE."""
        env = os.environ if environ is None else environ
        return cls(
            request=_env_number(env, ENV_REQUEST_DEADLINE, cls.request, positive=True),
            run=_env_number(env, ENV_RUN_DEADLINE, cls.run, positive=True),
        )


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter, bounded by attempts and by total waiting time.

    The n-th retry waits a random time between 0 and min(max_delay, base_delay * 2**(n-1))
    seconds, but at least what the server's Retry-After asked for. `sleep` and `random`
    are injectable so tests do not wait.
    """

    max_attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 32.0
    max_total_wait: float = 120.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RetryPolicy:
        """Defaults, overridden by ADDIN_SHEETS_MAX_ATTEMPTS, _BACKOFF_BASE and _MAX_WAIT."""
        env = os.environ if environ is None else environ
        return cls(
            max_attempts=max(1, int(_env_number(env, ENV_MAX_ATTEMPTS, cls.max_attempts))),
            base_delay=_env_number(env, ENV_BACKOFF_BASE, cls.base_delay),
            max_total_wait=_env_number(env, ENV_MAX_WAIT, cls.max_total_wait),
        )

    def delay(self, retry: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `retry` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        wait = self.random() * ceiling
        if retry_after is not None:
            wait = max(wait, retry_after)
        return wait


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


# -------------------------------------------------------------------- the HTTP client


@dataclass
class RequestStats:
    """What one client sent: requests per kind (attempts, retries included) and time spent waiting."""

    sent: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    waited: float = 0.0

    @property
    def total(self) -> int:
        """Requests sent, retries included."""
        return sum(self.sent.values())


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def checked_api_url(url: str) -> str:
    """The API base URL without a trailing slash; https, or plain http only to this computer.

    The bearer token travels with every request, so it must not cross a network in clear text.
    """
    parts = urlsplit(url.strip())
    if not parts.hostname or parts.scheme not in ("https", "http"):
        raise SheetsError(f"{ENV_API_URL} must be an address like https://sheets.googleapis.com, not {url!r}.")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise SheetsError(f"{ENV_API_URL} must use https (plain http is only allowed to this computer), not {url!r}.")
    return url.strip().rstrip("/")


def request_kind(method: str, url: str) -> str:
    """A short name for a Sheets API call: get, values.batchGet, values.batchUpdate, batchUpdate."""
    path = url.split("?", 1)[0]
    if path.endswith("/values:batchGet"):
        return "values.batchGet"
    if path.endswith("/values:batchUpdate"):
        return "values.batchUpdate"
    if path.endswith(":batchUpdate"):
        return "batchUpdate"
    return "get" if method.lower() == "get" else method.lower()


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client, pointed at `api_url`, with bounded retries and request counting."""

    def __init__(self, auth: Credentials, session: requests.Session | None = None) -> None:
        if session is None:
            from google.auth.transport.requests import AuthorizedSession, Request

            sign_in = requests.Session()  # the token exchange gets the same deadline as the request it serves
            _mount(sign_in)
            session = AuthorizedSession(auth, auth_request=Request(sign_in))
        super().__init__(auth, session)
        self.auth = auth
        _mount(self.session)
        self.api_url = checked_api_url(os.environ.get(ENV_API_URL) or GOOGLE_API_URL)
        self.retry = RetryPolicy.from_env()
        self.deadlines = Deadlines.from_env()
        self.run_ends: float | None = None
        self.stats = RequestStats()

    def configure(
        self, *, api_url: str | None = None, retry: RetryPolicy | None = None, deadlines: Deadlines | None = None
    ) -> None:
        """Point at another API base URL and/or use another retry policy or other deadlines."""
        if api_url is not None:
            self.api_url = checked_api_url(api_url)
        if retry is not None:
            self.retry = retry
        if deadlines is not None:
            self.deadlines = deadlines

    def begin_run(self) -> None:
        """Start the run's clock: from now on, requests and waits end by the run's deadline."""
        self.run_ends = time.monotonic() + self.deadlines.run

    def run_time_left(self) -> float | None:
        """Seconds left of the run's deadline (None before `begin_run`)."""
        return None if self.run_ends is None else self.run_ends - time.monotonic()

    def _out_of_time(self, kind: str, attempt: int, waited: float, status: int | None) -> ApiGaveUp:
        return ApiGaveUp(
            f"The sync used up its time ({self.deadlines.run:g} s, {ENV_RUN_DEADLINE}) before Google Sheets "
            f"answered the {kind} request (after {attempt} attempt(s)); gave up. Try again later.",
            status=status,
            attempts=attempt,
            waited=waited,
        )

    def rewrite(self, url: str) -> str:
        """Google's address in a gspread URL replaced by `api_url`."""
        if url.startswith(GOOGLE_API_URL) and self.api_url != GOOGLE_API_URL:
            return self.api_url + url[len(GOOGLE_API_URL) :]
        return url

    def request(
        self,
        method: str,
        endpoint: str,
        params: Any = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: Any = None,
    ) -> requests.Response:
        """Send one API call, retrying transient failures; raise a SheetsError when it cannot succeed."""
        url = self.rewrite(endpoint)
        kind = request_kind(method, url)
        policy = self.retry
        waited = 0.0
        attempt = 0
        status: int | None = None
        while True:
            left = self.run_time_left()
            if left is not None and left <= 0:
                raise self._out_of_time(kind, attempt, waited, status)
            limit = self.deadlines.request if left is None else min(self.deadlines.request, left)
            attempt += 1
            self.stats.sent[kind] += 1
            status = None
            retry_after: float | None = None
            started = time.monotonic()
            deadline = Deadline(limit)
            self.timeout = (min(CONNECT_TIMEOUT, limit), limit)
            try:
                with deadline:
                    response = super().request(
                        method, url, params=params, data=data, json=json, files=files, headers=headers
                    )
                return _checked_json(response, kind)
            except BadAnswer as err:
                if kind not in _READS or not err.retry:
                    raise
                problem = f"{err.problem} to the {kind} request"
            except APIError as err:
                status = err.response.status_code
                if status not in RETRY_STATUSES:
                    raise _refused(err, kind) from err
                retry_after = parse_retry_after(err.response.headers.get("Retry-After"))
                problem = f"answered {status} ({_STATUS_WORDS.get(status, 'error')})"
            except RefreshError as err:
                raise CredentialsError(_refresh_sentence(self.auth, err)) from err
            except TransportError as err:
                problem = f"could not be reached to sign in ({_short(err)})"
                if deadline.expired:
                    problem = f"did not let this computer sign in within {limit:g} s"
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as err:
                problem = f"could not be reached ({_short(err)})"
                if deadline.expired or isinstance(err, requests.Timeout):
                    problem = f"did not answer the {kind} request within {limit:g} s"
                    waited += time.monotonic() - started  # time lost on a stalled answer counts as waiting
                elif isinstance(err, requests.exceptions.ChunkedEncodingError):
                    problem = f"broke off its answer to the {kind} request"
            if deadline.expired and left is not None and limit >= left:
                raise self._out_of_time(kind, attempt, waited, status)
            if attempt >= policy.max_attempts:
                raise ApiGaveUp(
                    f"Google Sheets {problem} {attempt} times in a row ({waited:.1f} s of waiting); "
                    "gave up. Try again later.",
                    status=status,
                    attempts=attempt,
                    waited=waited,
                )
            wait = policy.delay(attempt, retry_after)
            left = self.run_time_left()
            if left is not None and wait >= left:
                raise self._out_of_time(kind, attempt, waited, status)
            if waited + wait > policy.max_total_wait:
                raise ApiGaveUp(
                    f"Google Sheets {problem}; waiting another {wait:.1f} s would exceed the retry budget "
                    f"of {policy.max_total_wait:.0f} s after {attempt} attempts, so the sync gave up. "
                    "Try again later.",
                    status=status,
                    attempts=attempt,
                    waited=waited,
                )
            log.info(
                "Google Sheets %s; retrying %s in %.1f s (attempt %d of %d).",
                problem,
                kind,
                wait,
                attempt + 1,
                policy.max_attempts,
            )
            policy.sleep(wait)
            waited += wait
            self.stats.retries += 1
            self.stats.waited += wait


def _mount(session: requests.Session) -> None:
    adapter = DeadlineAdapter()
    session.mount("https://", adapter)
    session.mount("http://", adapter)


_READS = frozenset({"get", "values.batchGet"})
"""Requests that change nothing, so an answer that broke off may be asked for again."""


def _checked_json(response: requests.Response, kind: str) -> requests.Response:
    """The response, if its body is a JSON object as every Sheets API answer is; otherwise BadAnswer."""
    body = response.content
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if body.strip() and _looks_like_html(body, content_type):
        raise BadAnswer(
            f"Google Sheets answered the {kind} request with a web page ({_page_title(body)}) instead of data "
            f"(HTTP {response.status_code}); check {ENV_API_URL} and any proxy between this computer and Google."
        )
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return response
    declared = response.headers.get("Content-Length") or ""
    size = f"{len(body):,} bytes" + (f" of {int(declared):,} announced" if declared.isdigit() else "")
    what = "was empty" if not body.strip() else f"was cut off or garbled ({size} that are not a JSON object)"
    err = BadAnswer(f"Google Sheets' answer to the {kind} request {what}; nothing more was sent. Try again later.")
    err.retry = True
    if not body.strip():
        err.problem = "sent an empty answer"
    raise err


def _looks_like_html(body: bytes, content_type: str) -> bool:
    head = body.lstrip()[:200].lower()
    return content_type in ("text/html", "application/xhtml+xml") or head.startswith((b"<!doctype", b"<html", b"<"))


def _page_title(body: bytes) -> str:
    """The <title> of an HTML page, cleaned up, or "no title"."""
    m = re.search(rb"<title[^>]*>(.*?)</title>", body[:20000], re.IGNORECASE | re.DOTALL)
    if not m:
        return "no title"
    text = " ".join(html.unescape(m.group(1).decode("utf-8", "replace")).split())
    return f"'{text[:100]}'" if text else "no title"


def _short(err: Exception) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:160]


def _google_message(err: APIError) -> str:
    message = err.error.get("message") if isinstance(err.error, Mapping) else None
    if str(err.error.get("status", "")).startswith("invalid JSON"):  # gspread could not read the body
        body = err.response.content
        if _looks_like_html(body, err.response.headers.get("Content-Type", "").split(";")[0].strip().lower()):
            return f"a web page ({_page_title(body)}) instead of Google's error message"
        message = " ".join(err.response.text.split())
    return str(message or err.response.reason or "no message")[:500]


def _refused(err: APIError, kind: str) -> SheetsError:
    status = err.response.status_code
    google = _google_message(err)
    if status == 401:
        return CredentialsError(f"Google did not accept the credentials (401: {google}).")
    if status == 403:
        return ApiRefused(
            "Google refused access (403). Share the spreadsheet with the service account's e-mail address "
            f"as an editor, and enable the Sheets API for its project. Google said: {google}",
            status=status,
            google_message=google,
        )
    if status == 404:
        return ApiRefused(
            "Google Sheets found no spreadsheet with that ID (404). Check the ID: it is the long part of "
            "the address between /d/ and /edit.",
            status=status,
            google_message=google,
        )
    return ApiRefused(
        f"Google Sheets rejected the {kind} request ({status}): {google}",
        status=status,
        google_message=google,
    )


def _refresh_sentence(auth: Credentials, err: Exception) -> str:
    if getattr(auth, "refresh_token", "absent") is None:
        return f"Google did not accept the access token in {ENV_TOKEN} (it may have expired): {_short(err)}"
    return f"Google refused the service-account key when signing in: {_short(err)}"


# -------------------------------------------------------------------- sign-in


def load_credentials(path: str | None = None, environ: Mapping[str, str] | None = None) -> Credentials:
    """Credentials for the Sheets API.

    With ADDIN_SHEETS_TOKEN set, a static bearer token (no Google sign-in; for
    tests and for tokens minted elsewhere). Otherwise a service-account key
    from `path`, else from GOOGLE_APPLICATION_CREDENTIALS. Raises
    CredentialsError with one sentence when there is no usable key.
    """
    env = os.environ if environ is None else environ
    token = env.get(ENV_TOKEN)
    if token:
        from google.oauth2.credentials import Credentials as TokenCredentials

        return TokenCredentials(token=token)
    path = path or env.get(ENV_CREDENTIALS)
    if not path:
        raise CredentialsError(
            "No Google credentials: pass --credentials KEY.json or set GOOGLE_APPLICATION_CREDENTIALS "
            "to a service-account key file."
        )
    from google.oauth2 import service_account

    try:
        with open(path, encoding="utf-8") as handle:
            info = json.load(handle)
    except FileNotFoundError:
        raise CredentialsError(f"The credentials file {path} does not exist.") from None
    except IsADirectoryError:
        raise CredentialsError(f"The credentials path {path} is a folder, not a key file.") from None
    except PermissionError:
        raise CredentialsError(f"The credentials file {path} cannot be read (permission denied).") from None
    except OSError as exc:
        raise CredentialsError(f"The credentials file {path} cannot be read ({exc.strerror}).") from None
    except (UnicodeDecodeError, ValueError):
        raise CredentialsError(
            f"The credentials file {path} is not a JSON service-account key (download one from the "
            "Google Cloud console: IAM > Service accounts > Keys)."
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        kind = info.get("type") if isinstance(info, dict) else None
        shown = f"a key of type {kind!r}" if kind else "not a service-account key"
        raise CredentialsError(
            f"The credentials file {path} is {shown}; the sync needs a service-account key "
            '(a JSON file with "type": "service_account").'
        )
    try:
        return service_account.Credentials.from_service_account_info(info, scopes=list(SCOPES))
    except (ValueError, KeyError, TypeError, GoogleAuthError) as exc:
        raise CredentialsError(f"The service-account key in {path} is damaged or incomplete ({_short(exc)}).") from None
