"""The benchmark's visitors send their forms as browsers do: on the connection that opened the form, without delay."""

import socket
import ssl
from http.client import HTTPMessage
from types import SimpleNamespace

import pytest

from tests.faults.visitors import Visitor
from tests.stack import Response, _exchange, _FromAddress


class NoTLS(ssl.SSLContext):
    """Hands back the plain socket: what connect() set on it can be read."""

    def wrap_socket(self, sock, **kwargs):
        return sock


def test_a_visitors_connection_sends_small_packets_at_once():
    """Nagle's algorithm would hold a request's last packet up to 40 ms for an acknowledgement."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        connection = _FromAddress(
            "localhost", server.getsockname()[1], "127.0.0.1", context=NoTLS(ssl.PROTOCOL_TLS_CLIENT)
        )
        connection.connect()
        try:
            assert connection.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        finally:
            connection.close()


def test_a_visitor_keeping_its_connection_sends_every_request_on_it():
    used = []

    class Caddy:
        url = "https://localhost:8443"

        def connect(self, source, timeout):
            return f"the connection from {source}"

        def request(self, path, connection=None, **kwargs):
            used.append(connection)
            return Response(200, HTTPMessage(), b"")

    visitor = Visitor(SimpleNamespace(caddy=Caddy()), "127.1.0.9", keep_alive=True)
    visitor.request("/consultation/")
    visitor.post({"name": "Sam"})
    assert used == ["the connection from 127.1.0.9"] * 2
    assert Visitor(SimpleNamespace(caddy=Caddy()), "127.1.0.9").request("/") and used[-1] is None


class Connection:
    def __init__(self, fails=False):
        self.fails = fails
        self.closed = False

    def request(self, *args, **kwargs):
        if self.fails:
            raise ConnectionResetError

    def getresponse(self):
        return SimpleNamespace(status=200, headers=HTTPMessage(), read=lambda: b"ok")

    def close(self):
        self.closed = True


def test_a_kept_connection_stays_open_after_its_answer_and_closes_after_a_failure():
    kept = Connection()
    assert _exchange(kept, "GET", "/", None, None, close=False).body == b"ok"
    assert not kept.closed
    broken = Connection(fails=True)
    with pytest.raises(ConnectionResetError):
        _exchange(broken, "GET", "/", None, None, close=False)
    assert broken.closed
    once = Connection()
    _exchange(once, "GET", "/", None, None)
    assert once.closed
