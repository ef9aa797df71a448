"""A misbehaving HTTP server on 127.0.0.1 for the sync's deadlines: it stalls, trickles, or answers junk.

Each connection reads one request's headers (and body), then does what
`behaviour` says. The server stops by itself after `lifetime` seconds, and so
does every connection it holds open, so a test that goes wrong still ends.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sign in &ndash; Company proxy</title></head>"
    b"<body><h1>Please sign in to continue</h1></body></html>"
)
CUT_JSON = b'{"spreadsheetId": "x", "properties": {"title": "Budget"}, "sheets": [{"properties": {"sheetId'


def _response(status: str, content_type: str, body: bytes, length: int | None = None) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


ANSWERS = {
    "html": _response("200 OK", "text/html; charset=utf-8", HTML_PAGE),
    "html_400": _response("400 Bad Request", "text/html; charset=utf-8", HTML_PAGE),
    "cut_json": _response("200 OK", "application/json; charset=UTF-8", CUT_JSON),
    "empty": _response("200 OK", "application/json; charset=UTF-8", b""),
    "short_body": _response("200 OK", "application/json; charset=UTF-8", CUT_JSON, length=len(CUT_JSON) + 500),
}


class BadServer(socketserver.ThreadingTCPServer):
    """`behaviour`: stall (read the request, answer nothing), trickle (one byte every `interval` s),
    trickle_body (the headers at once, then the body a byte at a time), or a key of ANSWERS."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: str, lifetime: float = 60.0, interval: float = 2.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = behaviour
        self.interval = interval
        self.ends = time.monotonic() + lifetime
        self.requests = 0
        self.got_request = threading.Event()
        self.closed = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def alive(self) -> bool:
        return time.monotonic() < self.ends and not self.closed.is_set()


class _Handler(socketserver.BaseRequestHandler):
    server: BadServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(1.0)
        server = self.server
        if not _read_request(sock, server):
            return
        server.requests += 1
        server.got_request.set()
        if server.behaviour in ANSWERS:
            sock.sendall(ANSWERS[server.behaviour])
            return
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        trickle = head + b"{" + b" " * 99999
        if server.behaviour == "trickle_body":  # the headers at once, then the body byte by byte
            sock.sendall(head)
            trickle = trickle[len(head) :]
        trickling = server.behaviour.startswith("trickle")
        sent = 0
        while server.alive():
            if trickling:
                try:
                    sock.sendall(trickle[sent : sent + 1])
                except OSError:
                    return  # the client gave up
                sent += 1
            if _closed_by_peer(sock, server.interval if trickling else 0.2):
                return


def _read_request(sock: socket.socket, server: BadServer) -> bool:
    """Read headers and a Content-Length body; False if the client went away or the server's time ran out."""
    data = b""
    while b"\r\n\r\n" not in data:
        if not server.alive():
            return False
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            return False
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(body) < length and server.alive():
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        if not chunk:
            return False
        body += chunk
    return True


def _closed_by_peer(sock: socket.socket, seconds: float) -> bool:
    """Wait up to `seconds`; True if the client closed the connection meanwhile."""
    sock.settimeout(max(0.01, seconds))
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


@contextmanager
def bad_server(behaviour: str, lifetime: float = 60.0, interval: float = 2.0) -> Iterator[BadServer]:
    """A running BadServer, shut down afterwards (or by itself after `lifetime` seconds)."""
    server = BadServer(behaviour, lifetime, interval)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    timer = threading.Timer(lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        yield server
    finally:
        timer.cancel()
        server.closed.set()
        server.shutdown()
        server.server_close()
