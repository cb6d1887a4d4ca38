"""The visitor's address comes from the trusted proxy's header only, never from one a visitor can forge."""

from django.conf import settings
from django.test import RequestFactory, override_settings

from practice.visitor_address import VisitorAddressMiddleware, visitor_address


def address(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return visitor_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@override_settings(TRUSTED_PROXY_IPS=["127.0.0.1"])
def test_behind_the_trusted_proxy_the_visitor_is_the_address_it_appended():
    assert address("127.0.0.1", "6.6.6.6, 203.0.113.9") == "203.0.113.9", (
        "the left part is the client's claim"
    )


@override_settings(TRUSTED_PROXY_IPS=["127.0.0.1"])
def test_a_forwarded_header_from_anyone_else_is_ignored():
    assert address("203.0.113.5", "1.2.3.4") == "203.0.113.5"


@override_settings(TRUSTED_PROXY_IPS=["172.16.0.0/12"])
def test_trusted_proxies_may_be_a_network_such_as_dockers():
    assert address("172.18.0.1", "203.0.113.9") == "203.0.113.9"


@override_settings(TRUSTED_PROXY_IPS=["127.0.0.1", "10.0.0.2"])
def test_a_chain_of_trusted_proxies_is_skipped_from_the_right():
    assert address("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2") == "203.0.113.9"


@override_settings(TRUSTED_PROXY_IPS=["127.0.0.1"])
def test_a_garbled_header_falls_back_to_the_proxy_address():
    assert address("127.0.0.1", "203.0.113.9, not-an-address") == "127.0.0.1"


@override_settings(TRUSTED_PROXY_IPS=["127.0.0.1"])
def test_the_middleware_gives_every_later_reader_the_visitors_address():
    seen = []
    middleware = VisitorAddressMiddleware(lambda request: seen.append(request.META["REMOTE_ADDR"]))
    middleware(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    middleware(RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    assert seen == ["203.0.113.9", "198.51.100.7"]


def test_the_middleware_runs_before_anything_else():
    assert settings.MIDDLEWARE[0] == "practice.visitor_address.VisitorAddressMiddleware"
