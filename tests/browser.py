"""
A real browser for what a person sees: Playwright driving the system Chromium.

The fixtures live in tests/conftest.py; these are the helpers they and the
browser tests share. Chromium comes from Debian (`apt-get install chromium`);
Playwright never downloads a browser of its own.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# .ci/run sets this so a missing browser fails the run instead of skipping.
BROWSER_REQUIRED = os.environ.get("BROWSER_TESTS_REQUIRED", "").lower() in {"1", "true", "yes"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
NARROWEST = {"width": 320, "height": 640}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def axe_violations(page):
    """Run axe-core against the page for WCAG 2.2 A and AA; return its violations, readably."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        f"{violation['id']}: {violation['help']} at {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
    ]


class RequestLog:
    """Every request a page makes, so a test can prove nothing leaves the site's own origin."""

    def __init__(self, page, site_url):
        self.site_origin = _origin(site_url)
        self.urls = []
        page.on("request", lambda request: self.urls.append(request.url))

    def other_origins(self):
        return [url for url in self.urls if not url.startswith("data:") and _origin(url) != self.site_origin]


def _origin(url):
    parts = urlsplit(url)
    return (parts.scheme, parts.hostname, parts.port)


def screenshot(page, name):
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def scrolls_sideways(page):
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


# What does not fit: the page wider than the screen, or any element reaching past the screen's right
# edge or past a box that clips or scrolls it (on a phone that reads as cut off).
STICKING_OUT = """() => {
  const width = window.innerWidth, found = [];
  if (document.scrollingElement.scrollWidth > width) {
    found.push(`the page is ${document.scrollingElement.scrollWidth} px wide`);
  }
  const name = (element) => `${element.tagName.toLowerCase()}.${element.className}#${element.id}`;
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    let edge = width, by = "the screen", hidden = false;
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === "visible") continue;
      const clip = up.getBoundingClientRect();
      hidden ||= clip.width <= 1;  // inside a visually hidden box: for screen readers only
      if (clip.right < edge) {
        edge = clip.right;
        by = name(up);
      }
    }
    if (!hidden && box.right > edge + 1) found.push(`${name(element)} past ${by} by ${Math.round(box.right - edge)} px`);
  }
  return found.slice(0, 40);
}"""


def fits(page, name):
    screenshot(page, name)
    found = page.evaluate(STICKING_OUT)
    assert found == [], (name, *found)


def looks_right(page, name, console=None):
    """Screenshot it, and check axe, sideways scrolling and (given the console) the Content Security Policy."""
    screenshot(page, name)
    found = axe_violations(page)
    assert found == [], (name, found)
    assert not scrolls_sideways(page), name
    if console is not None:
        assert [message for message in console if "Content Security Policy" in message] == [], name


def tab_to(page, element_id, limit=80):
    """Press Tab until the element has focus, and return the ids focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id"))
        if seen[-1] == element_id:
            return seen
    raise AssertionError(f"{element_id} never received focus; focused: {seen}")
