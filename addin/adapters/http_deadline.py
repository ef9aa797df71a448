"""A total deadline for one HTTP exchange (connect, send, headers and body), for `requests` sessions.

`requests` only knows per-operation timeouts: a server that trickles a byte
every two seconds never trips a 30-second read timeout, and keeps a request
alive for as long as it likes. `Deadline` ends that: while it is active, every
socket the session's connections use in this thread is registered with it, and
when its time is up a timer thread shuts those sockets down, which makes the
blocked read return at once. The request then fails with a connection error
and `Deadline.expired` says why.

Mount `DeadlineAdapter` on a session (`session.mount("https://", adapter)`)
and wrap each request in `with Deadline(seconds):`.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType
from typing import Any

import requests.adapters
import urllib3.connection
import urllib3.connectionpool

_active = threading.local()


class Deadline:
    """The time one HTTP exchange may take in this thread; shuts its sockets down when it is up."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket | None) -> None:
        """Register a socket of this exchange (shut down at once if the deadline has passed)."""
        if sock is None:
            return
        with self._lock:
            if self._done:
                return
            if sock not in self._sockets:
                self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> Deadline:
        _active.deadline = self
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True
            self._sockets.clear()
        _active.deadline = None


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watch(sock: Any) -> None:
    deadline = getattr(_active, "deadline", None)
    if deadline is not None and isinstance(sock, socket.socket):
        deadline.watch(sock)


class _Watched:
    """Mixed into urllib3's connections: hand each socket to the thread's active Deadline."""

    sock: Any

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        _watch(sock)  # before the TLS handshake, which a slow server can stretch too
        return sock

    def request(self, *args: Any, **kwargs: Any) -> Any:
        _watch(self.sock)  # a kept-alive connection is reused without connecting again
        return super().request(*args, **kwargs)  # type: ignore[misc]

    def getresponse(self) -> Any:
        _watch(self.sock)
        return super().getresponse()  # type: ignore[misc]


class _HTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


# urllib3's names, which its error messages show ("HTTPSConnectionPool(host=...): Max retries exceeded")
class HTTPConnectionPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class HTTPSConnectionPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS: dict[str, Any] = {"http": HTTPConnectionPool, "https": HTTPSConnectionPool}


class DeadlineAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter whose connections (direct or through a proxy) report their sockets to `Deadline`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if hasattr(manager, "pool_classes_by_scheme") and not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
