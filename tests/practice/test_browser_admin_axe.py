"""
axe-core over the admin pages the walk reads (tests/practice/test_admin_walk.py) in Chromium at
375 and 1280 px: WCAG 2.2 AA, zero violations. Every list, add and change page of every model,
every custom view, the sections and passkeys; the delete and history pages, which share one
template whatever the model, for the website page only. One browser page per width, reused, keeps
it to a few minutes (CI's time budget: docs/development.md).
"""

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.admin_records import extra_arguments
from tests.admin_walk import admin_urls
from tests.browser import VIEWPORTS, axe_violations

pytestmark = pytest.mark.browser


def one_of_each_kind(urls):
    shared = ("/delete/", "/history/")
    return [url for url in urls if not url.endswith(shared) or "/pages/page/" in url]


def opened(page, url):
    """Whether url opened as a page; False for a button's POST, which answers a GET with 405 and no
    page (its page is the one the button is on). Chromium shows its own error page for that 405, and
    that page's late navigation can interrupt the next goto: so a failed goto that was not a 405 is
    tried once more before it counts."""
    for _ in range(2):
        try:
            page.goto(url)
            return True
        except PlaywrightError:
            if page.request.get(url).status == 405:
                return False
    pytest.fail(f"{url} did not open twice running")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_kind_of_admin_page_has_no_axe_violations(admin_page, site_url, records, size):
    page, _ = admin_page("", VIEWPORTS[size])
    found = []
    for url in one_of_each_kind(admin_urls(records, extra_arguments)):
        if not opened(page, site_url + url):
            continue
        found += [f"{url}: {violation}" for violation in axe_violations(page)]
    assert not found, "\n".join(found)
