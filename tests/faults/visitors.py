"""
Visitors that behave like browsers, through Caddy, each from its own loopback address.

A visitor opens the form (GET), keeps its cookies (`__Host-csrftoken`), reads the form's hidden
fields and choices from the HTML, takes at least as long as a person would (the form's time trap
calls a faster send spam), and sends it with the Referer and Origin of the HTTPS site. When the
answer is the form back ("could not be saved just now", or "not sent yet" from the CSRF check) or
the proxy's maintenance page, it does what a person would: waits a moment and sends again what the
page shows (the same form, so the same one-time token).

A visitor's visits run at once, like tabs opened together: before the browser holds the site's
cookie, each tab's page view sets one, the jar keeps the last, and an older tab's form then fails
the CSRF check ("not checked"). The site gives that form back filled in (practice/csrf_failure.py),
so the visitor sends it again, and the tests allow that answer.

Each request carries a marker in its message, so the database can be checked row by row.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

from intake.form import spam
from tests.html import form_values, texts
from tests.intake.factories import TYPED_ANSWERS

FORM = "/consultation/"
THANKS = "/consultation/thanks/"
NOT_SAVED = "could not be saved just now"
MAINTENANCE = "The site is being updated"
TRY_AGAIN = "Please try again in a minute"
NOT_YET = "has not been sent yet"
# The typed answers a form that comes back unsent must still hold.
KEPT = ["name", "email", "phone", "insurer", "message", "heard_about", "availability", "concerns"]


class _Choices(HTMLParser):
    """Every value a radio, checkbox or select offers, by field name."""

    def __init__(self):
        super().__init__()
        self.choices = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in {"radio", "checkbox"} and attrs.get("name"):
            self.choices.setdefault(attrs["name"], []).append(attrs.get("value", "on"))
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select:
            self.choices.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def choices(html):
    parser = _Choices()
    parser.feed(html)
    return parser.choices


def title(html):
    found = texts(html, "title")
    return found[0][1].strip() if found else ""


@dataclass
class OpenForm:
    """A form as the browser shows it: its fields' current values and the choices it offers."""

    values: dict
    choices: dict
    opened_at: float

    def filled(self, marker, **changes):
        """The form as a visitor fills it in: every question answered, the marker in the message."""
        data = dict(self.values)
        data.update(TYPED_ANSWERS)
        data["service"] = next(value for value in self.choices["service"] if value)
        data["concerns"] = self.choices["concerns"][:2]
        data["relationships"] = self.choices["relationships"][:1]
        # Browsers send a text box's line breaks as CR LF.
        data["message"] = f"{marker}: I would like to talk about how I pull away.\r\nAnd about trust."
        data.update(changes)
        return data


@dataclass
class Step:
    """One request of a visit: what it was, what came back, when."""

    method: str
    status: int
    kind: str
    at: float


@dataclass
class Visit:
    """One visitor sending one form, marked `marker`, however many tries that took."""

    address: str
    marker: str
    steps: list = field(default_factory=list)
    sent: dict | None = None
    acknowledged_at: float | None = None
    problems: list = field(default_factory=list)

    @property
    def acknowledged(self):
        return self.acknowledged_at is not None

    def kinds(self, method="POST"):
        return [step.kind for step in self.steps if step.method == method]


class Visitor:
    """
    A browser at `address` (127.0.0.x): one cookie jar, shared by every tab it opens. Each request
    opens a connection of its own, or with `keep_alive` (one tab at a time) all share one, as a
    browser keeps its connection to the site between opening a page and sending its form.
    """

    def __init__(self, site, address, keep_alive=False):
        self.site = site
        self.address = address
        self.cookies = {}
        self._lock = threading.Lock()
        self._connection = site.caddy.connect(address, timeout=30) if keep_alive else None

    def request(self, path, method="GET", body=None, headers=None, timeout=30):
        with self._lock:
            cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = ({"Cookie": cookie} if cookie else {}) | (headers or {})
        response = self.site.caddy.request(
            path, method=method, headers=headers, body=body, source=self.address, timeout=timeout,
            connection=self._connection,
        )  # fmt: skip
        with self._lock:
            for set_cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = set_cookie.split(";")[0].partition("=")
                self.cookies[name.strip()] = value.strip()
        return response

    def open_form(self, path=FORM):
        response = self.request(path)
        if response.status == 200 and 'id="intake-start-new"' in response.text():
            # This browser sent a request in this session: the page says so, and a person who means
            # to send another follows its "Start a new request" link.
            response = self.request(path + "?new")
        if response.status != 200:
            return None, response
        html = response.text()
        return OpenForm(form_values(html), choices(html), time.monotonic()), response

    def post(self, data, path=FORM, content_type="application/x-www-form-urlencoded", body=None, **headers):
        """Send a form as the browser would, from a page of this site."""
        origin = self.site.caddy.url
        headers = {"Content-Type": content_type, "Origin": origin, "Referer": origin + FORM} | headers
        if body is None:
            body = urlencode(data, doseq=True).encode()
        return self.request(path, method="POST", body=body, headers=headers)


def wait_like_a_person(form):
    """The time trap calls a form sent within MIN_FILL_SECONDS of opening it spam."""
    time.sleep(max(0.0, form.opened_at + spam.MIN_FILL_SECONDS + 0.2 - time.monotonic()))


def classify(response, sent):
    """What a visitor sees, in a word; anything unexpected names its status and title."""
    body = response.text() if response.body else ""
    location = response.headers.get("Location", "")
    if response.status == 302 and location == THANKS:
        return "acknowledged"
    if response.status in (503, 429, 403) and (NOT_SAVED in body or NOT_YET in body):
        shown = form_values(body)
        lost = [name for name in KEPT if shown.get(name) != sent.get(name)]
        if lost:
            return f"{response.status} form without what was typed in {lost}"
        return {503: "not saved", 429: "rate limited", 403: "not checked"}[response.status]
    if response.status == 503 and TRY_AGAIN in body:
        return "try again"
    if response.status == 502 and MAINTENANCE in body:
        return "maintenance page"
    return f"unexpected {response.status} {title(body)!r} {body[:200]!r}"


class Crowd:
    """
    Visitors sending forms in the background, at most `at_once` requests in flight: each visit
    opens the form, waits like a person (without holding a slot) and sends it, retrying as a
    person would while the site says to. `visits` fills in as they finish.
    """

    def __init__(self, site, plan, at_once=8, start_every=0.0, give_up_after=120, retry_pause=2.0):
        self.site = site
        self.plan = plan  # [(address, marker)]
        self.slots = threading.BoundedSemaphore(at_once)
        self.start_every = start_every
        self.give_up_after = give_up_after
        self.retry_pause = retry_pause
        self.visitors = {address: Visitor(site, address) for address, _ in plan}
        self.visits = []
        self._pool = ThreadPoolExecutor(max_workers=min(64, len(plan)) or 1)
        self._futures = []
        self._started = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._in_flight = {"GET": 0, "POST": 0}
        # A test that fails half-way must not leave visitors knocking on a stack that is gone.
        site.on_stop(self.stop)

    def start(self):
        self._started = time.monotonic()
        self._runner = threading.Thread(target=self._launch, daemon=True)
        self._runner.start()
        return self

    def _launch(self):
        for index, (address, marker) in enumerate(self.plan):
            if self._stopping.wait(max(0.0, self._started + index * self.start_every - time.monotonic())):
                return
            self._futures.append(self._pool.submit(self.visit, self.visitors[address], marker))

    def stop(self):
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def pause(self):
        """Wait before trying again; False when the crowd is being stopped."""
        return not self._stopping.wait(self.retry_pause)

    def going(self, deadline):
        return time.monotonic() < deadline and not self._stopping.is_set()

    def acknowledged(self):
        return sum(visit.acknowledged for visit in list(self.visits))

    def exchange(self, visit, method, send):
        with self.slots:
            with self._lock:
                self._in_flight[method] += 1
            try:
                response = send()
            except OSError as error:
                visit.problems.append(f"{method}: connection failed ({type(error).__name__})")
                visit.steps.append(Step(method, 0, "no answer", time.time()))
                return None
            finally:
                with self._lock:
                    self._in_flight[method] -= 1
        return response

    def only_sending(self):
        """True while at least one form is on its way and no page is being fetched."""
        with self._lock:
            return self._in_flight["POST"] > 0 and self._in_flight["GET"] == 0

    def visit(self, visitor, marker):
        visit = Visit(visitor.address, marker)
        deadline = time.monotonic() + self.give_up_after
        try:
            form = None
            while form is None and self.going(deadline):
                response = self.exchange(visit, "GET", visitor.open_form)
                if response is None:
                    self.pause()
                    continue
                form, page = response
                if form is None:
                    kind = classify(page, {})
                    visit.steps.append(Step("GET", page.status, kind, time.time()))
                    if kind.startswith("unexpected"):
                        visit.problems.append(f"GET: {kind}")
                    self.pause()
                else:
                    visit.steps.append(Step("GET", 200, "form", time.time()))
            if form is None:
                visit.problems.append("never got the form")
                return visit
            data = visit.sent = form.filled(marker)
            wait_like_a_person(form)
            while self.going(deadline):
                response = self.exchange(visit, "POST", lambda data=data: visitor.post(data))
                if response is None:
                    self.pause()
                    continue
                kind = classify(response, visit.sent)
                visit.steps.append(Step("POST", response.status, kind, time.time()))
                if kind == "acknowledged":
                    visit.acknowledged_at = time.time()
                    return visit
                if kind in ("not saved", "not checked"):
                    # The page gives the form back as it was sent; the visitor sends that again.
                    data = {k: v for k, v in form_values(response.text()).items() if k in data}
                elif kind != "maintenance page":
                    visit.problems.append(f"POST: {kind}")
                    return visit
                self.pause()
            visit.problems.append("gave up: never acknowledged")
            return visit
        finally:
            self.visits.append(visit)

    def join(self, timeout):
        """Wait for every visit to finish (they bound their own time); the visits."""
        self._runner.join(timeout)
        deadline = time.monotonic() + timeout
        for future in list(self._futures):
            future.result(timeout=max(0.1, deadline - time.monotonic()))
        self._pool.shutdown(wait=False, cancel_futures=True)
        return self.visits
