"""The proxy's own pages in Chromium: calm at every width, accessible, and loading nothing else."""

import pytest

from tests.browser import DESKTOP, NARROWEST, PHONE, axe_violations, screenshot, scrolls_sideways
from tests.stack import Caddy, EchoUpstream, free_port

pytestmark = pytest.mark.browser

WIDTHS = {"phone": PHONE, "desktop": DESKTOP, "narrowest": NARROWEST}


@pytest.fixture(scope="module")
def dead_upstream_proxy():
    """Caddy in front of a port where nothing listens, as when web is down."""
    with Caddy(f"127.0.0.1:{free_port()}") as caddy:
        yield caddy


@pytest.fixture(scope="module")
def live_proxy():
    with EchoUpstream() as echo, Caddy(echo.address) as caddy:
        yield caddy


@pytest.fixture
def browse(chromium):
    """A page in a context that accepts Caddy's local certificate (this context only)."""
    contexts = []

    def opener(viewport):
        context = chromium.new_context(viewport=viewport, ignore_https_errors=True)
        contexts.append(context)
        page = context.new_page()
        requests, console = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: console.append(message.text))
        return page, requests, console

    yield opener
    for context in contexts:
        context.close()


def look_at(page, requests, console, name, heading):
    assert page.locator("h1").inner_text() == heading
    assert page.get_by_role("heading", name="If you need help now").is_visible()
    assert page.get_by_role("link", name="988", exact=True).get_attribute("href") == "tel:988"
    assert page.get_by_role("link", name="Text 988").get_attribute("href") == "sms:988"
    assert page.get_by_role("link", name="911").get_attribute("href") == "tel:911"
    assert page.get_by_role("link", name="1-800-799-7233").get_attribute("href") == "tel:+18007997233"
    assert (
        page.get_by_role("link", name="text START to 88788").get_attribute("href") == "sms:88788?&body=START"
    )
    assert not scrolls_sideways(page)
    assert axe_violations(page) == []
    assert requests == [page.url], "nothing but the page itself"
    assert [message for message in console if "Failed to load resource" not in message] == [], (
        "no CSP complaint"
    )
    screenshot(page, name)


@pytest.mark.parametrize("size", WIDTHS)
def test_the_maintenance_page(browse, dead_upstream_proxy, size):
    page, requests, console = browse(WIDTHS[size])
    response = page.goto(dead_upstream_proxy.url + "/consultation/")
    assert response.status == 502
    look_at(page, requests, console, f"proxy-502-{size}", "The site is being updated")


@pytest.mark.parametrize("size", WIDTHS)
def test_the_too_large_page(browse, live_proxy, size):
    page, requests, console = browse(WIDTHS[size])
    url = live_proxy.url + "/consultation/"
    # A form post of 1 MiB and a byte: the browser sends what a very long message would.
    page.route(
        url,
        lambda route: route.continue_(
            method="POST",
            post_data=b"a" * (1024 * 1024 + 1),
            headers=route.request.headers | {"content-type": "application/x-www-form-urlencoded"},
        ),
    )
    response = page.goto(url)
    assert response.status == 413
    look_at(page, requests, console, f"proxy-413-{size}", "That was too large to send")


@pytest.mark.parametrize("size", WIDTHS)
def test_the_address_too_long_page(browse, live_proxy, size):
    page, requests, console = browse(WIDTHS[size])
    response = page.goto(live_proxy.url + "/consultation/?q=" + "a" * 8000)
    assert response.status == 414
    look_at(page, requests, console, f"proxy-414-{size}", "That web address is too long")
    assert page.get_by_role("link", name="home page").get_attribute("href") == "/"
