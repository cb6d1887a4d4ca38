"""
Every route answers only the methods it serves (practice/http_methods.py): a walk of the whole
URLconf, admin included, sends each route the methods it does not serve and expects 405 with an
Allow header, then the ones it serves and expects no 405.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from practice.http_methods import allowed_methods

OTHER_METHODS = ["OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "POST", "GET", "HEAD"]
SAMPLES = {"int": "1", "slug": "some-page", "str": "sometoken", "path": "some/path", "uuid": "0" * 32}


def sample(piece):
    """A path that a route or regex piece matches: converters and named groups get a sample value."""
    piece = str(piece)
    piece = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m[1] or "str", "x"), piece)

    def group(match):
        body = match[1]
        if re.fullmatch(r"[\w|-]+", body):
            return body.split("|")[0]  # the first of a list of names (the admin's app labels)
        return "1" if "\\d" in body else "x.png" if "." in body else "x"

    piece = re.sub(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)", group, piece)
    return piece.strip("^$").replace("\\Z", "").replace("\\", "")


def routes(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        here = prefix + sample(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, here)
        elif isinstance(entry, URLPattern):
            yield "/" + here, entry.callback


def walked():
    found = []
    for path, callback in routes():
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.func is callback:
            found.append((path, match))
    return found


def test_the_walk_reaches_nearly_every_route():
    total = len(list(routes()))
    assert total > 50, "the admin's routes are walked too"
    assert len(walked()) >= total * 0.9, f"{len(walked())} of {total} routes reached"


@pytest.mark.django_db
def test_every_route_refuses_the_methods_it_does_not_serve_with_405_and_allow(client):
    checked = 0
    for path, match in walked():
        allowed = allowed_methods(match.func, match)
        for method in OTHER_METHODS:
            response = client.generic(method, path)
            if method in allowed:
                assert response.status_code != 405, f"{method} {path}"
                continue
            assert response.status_code == 405, f"{method} {path}: {response.status_code}"
            assert set(response["Allow"].split(", ")) == set(allowed), path
            checked += 1
    assert checked > 200


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["OPTIONS", "TRACE"])
def test_the_form_is_never_sent_for_options_or_trace(client, method):
    response = client.generic(method, "/consultation/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert b"<form" not in response.content
    assert response["Content-Type"].startswith("text/html")
    assert b"<h1>That cannot be done here</h1>" in response.content, "a page the visitor can read"
