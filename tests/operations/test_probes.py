"""`/health` and `/ready`: unauthenticated probes; `/ready` tells when the store goes away."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.operations.conftest import serve


def test_health_answers_without_credentials(server) -> None:
    response = httpx.get(f"{server.url}/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_says_the_store_is_reachable_and_current(server) -> None:
    response = httpx.get(f"{server.url}/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "store": "reachable", "migrations": "current"}


class TcpRelay:
    """A TCP relay to PostgreSQL that the test can cut, as if the database stopped."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = [self.listener]
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.open:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    def cut(self) -> None:
        self.open = False
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def test_ready_turns_503_when_the_database_stops(server) -> None:
    if not server.database_url.startswith("postgresql"):
        pytest.skip("an embedded SQLite store cannot stop while its server runs")
    url = make_url(server.database_url)
    relay = TcpRelay(url.host or "127.0.0.1", url.port or 5432)
    relayed = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    with serve(server, database_url=relayed) as served:
        assert httpx.get(f"{served.url}/ready").status_code == 200
        relay.cut()
        deadline = time.monotonic() + 20
        while (answer := httpx.get(f"{served.url}/ready", timeout=15)).status_code == 200:
            assert time.monotonic() < deadline, "/ready kept answering 200 without a database"
            time.sleep(0.2)
        assert answer.status_code == 503
        assert answer.json()["store"] == "unreachable"
        assert httpx.get(f"{served.url}/health").status_code == 200
