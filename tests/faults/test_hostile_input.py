"""
Hostile and unusual input, sent through Caddy to the real site: never a 500, never a bare error
page (whoever answers, the visitor reads a clear message), and whatever is accepted is stored
exactly as sent.

"Exactly as sent" allows what Django does to every form: text fields lose leading and trailing
whitespace, and the message's CR LF (a browser's line break) becomes LF (tests/faults/checks.py).

Each case is one visitor, from its own loopback address, with its own form (opened, then sent at
least three seconds later): the whole table is sent once, eight at a time, against one stack for
the module, and each case is then checked on its own. Oversized headers, a Host header for another
site and slow clients have tests of their own (tests/practice/test_proxy.py,
tests/faults/test_slow_clients.py).
"""

import gzip
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest

from tests.faults.checks import MARKER, garbled
from tests.faults.site import running_site
from tests.faults.visitors import FORM, THANKS, Visitor, title, wait_like_a_person

# What the visitor reads, by kind of answer: (status, words on the page).
PAGES = {
    "stored": (302, None),
    "spam": (302, None),
    "form error": (200, "with your request"),
    "form": (200, "Request a free consultation"),
    "thanks": (200, "has arrived"),
    "head": (200, None),
    "unreadable": (400, "That could not be read"),
    "bad request": (400, "That could not be sent"),
    "csrf": (403, "has not been sent yet"),  # the form back, filled in (practice/csrf_failure.py)
    "too large": (413, "That was too large to send"),
    "too long": (414, "That web address is too long"),
    "headers": (431, "cookies"),
    "not allowed": (405, "cannot be used that way"),
}
STORED = {"stored", "spam"}
CRLF, RLO, NUL, BAD = "\r\n", "\u202e", "\x00", "\ue000BAD\ue000"  # BAD: replaced by raw bytes
BAD_BYTES = "%FF%FE"
MiB = 1024 * 1024


@dataclass
class Case:
    id: str
    expect: str
    send: Callable  # (visitor, form, marker) -> (response, the fields as sent, or None)
    says: str = ""  # words the answer must also hold
    answer: object = field(default=None, repr=False)
    sent: dict | None = field(default=None, repr=False)


def encoded(data):
    return urlencode(data, doseq=True).replace(quote(BAD), BAD_BYTES)


def post(changes=None, body=None, headers=None, path=FORM, method="POST"):
    """A case that fills the form, changes some answers (None: leave the question out), and sends it."""

    def send(visitor, form, marker):
        data = form.filled(marker)
        for name, change in (changes or {}).items():
            if change is None:
                data.pop(name, None)
            else:
                data[name] = change(data.get(name)) if callable(change) else change
        content = body(data) if body else encoded(data).encode()
        extra = headers(visitor) if callable(headers) else headers or {}
        if method == "POST":
            return visitor.post(data, path=path, body=content, **extra), data
        origin = visitor.site.caddy.url
        base = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + FORM,
        }
        return visitor.request(path, method=method, body=content, headers=base | extra), data

    return send


def get(path, headers=None, method="GET"):
    def send(visitor, form, marker):
        return visitor.request(path, method=method, headers=headers or {}), None

    return send


def insert(payload, field_name):
    """The answer with `payload` inside it (after the marker, in the message)."""

    def change(value):
        if value is None:  # a box the visitor left unticked
            value = "on"
        if isinstance(value, list):
            return [insert(payload, field_name)(value[0]), *value[1:]]
        cut = value.index(": ") + 2 if field_name == "message" else min(2, len(value))
        return value[:cut] + payload + value[cut:]

    return change


def multipart(data, files=(), boundary="faultsuiteboundary"):
    parts = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            parts.append(value.encode() if isinstance(value, str) else value)
            parts.append(b"\r\n")
    for name, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        parts.extend([content, b"\r\n"])
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts).replace(BAD.encode(), b"\xff\xfe")


MULTIPART = {"Content-Type": "multipart/form-data; boundary=faultsuiteboundary"}

# --- Every field, with each of four payloads ----------------------------------------------------------

TEXT = ["name", "insurer", "heard_about", "message"]
CHOICES = ["preferred_contact", "client_location", "session_format", "payment", "service"]
MULTIPLE = ["availability", "concerns", "relationships"]
BOOLEANS = ["voicemail_ok", "text_ok", "is_adult", "emergency_notice_seen", "privacy_accepted"]
FIELDS = [*TEXT, "email", "phone", *CHOICES, *MULTIPLE, *BOOLEANS, "reference_code", "form_token"]
FIELDS.append("csrfmiddlewaretoken")


def expected(field_name, payload):
    """What each payload inside each answer must come to; the reasons are in the comments."""
    if payload == BAD:
        return "unreadable"  # any bytes that are not UTF-8, anywhere in the form
    if field_name == "csrfmiddlewaretoken":
        return "csrf"  # an altered token fails the check
    if field_name in CHOICES + MULTIPLE:
        return "form error"  # not one of the choices
    if field_name in BOOLEANS:
        return "stored"  # a ticked box is any value sent
    if payload == NUL:
        return "form error"  # "Null characters are not allowed."
    if field_name == "reference_code":
        return "stored" if payload == CRLF else "spam"  # whitespace alone is stripped: still empty
    if field_name == "form_token":
        return "spam"  # an altered token is spam's sign, never a refusal
    if field_name == "email" or (field_name == "phone" and payload == RLO):
        return "form error"  # not an address; not a phone number's character
    return "stored"


CASES = [
    Case(f"{name}-{label}", expected(name, payload), post({name: insert(payload, name)}))
    for name in FIELDS
    for label, payload in [("crlf", CRLF), ("rlo", RLO), ("nul", NUL), ("not-utf8", BAD)]
]


def message_of(length):
    """The marked message made `length` characters long as the visitor counts them, with many line
    breaks, each sent as two characters (CR LF) and counted as one."""

    def change(message):
        counted = len(message.replace(CRLF, "\n"))
        pairs, odd = divmod(length - counted, 2)
        return message + CRLF + "a" * odd + "a\r\n" * (pairs - 1) + "a"

    return change


# --- Unusual but valid text ------------------------------------------------------------------------

CASES += [
    Case("emoji-name", "stored", post({"name": "Robin 🌱🏳️‍🌈"})),
    Case("arabic-name", "stored", post({"name": "روبن"})),
    Case("combining-marks", "stored", post({"name": "R̸o̷b̶i̴n̵"})),
    Case("zero-width-and-bom", "stored", post({"name": "Ro\u200bb\ufeffin\u200d"})),
    Case("nbsp-around-name", "stored", post({"name": "\u00a0Robin\u00a0 "})),
    Case("line-separator-in-message", "stored", post({"message": insert("a\u2028b\u2029c", "message")})),
    Case("lone-cr-in-message", "stored", post({"message": insert("a\rb", "message")})),
    Case("html-in-every-text", "stored", post({n: insert('<script>alert("x")</script>', n) for n in TEXT})),
    Case("sql-and-quotes", "stored", post({"name": "Robin'); DROP TABLE intake--", "insurer": "A\"e'tna"})),
    Case("url-syntax-in-text", "stored", post({"heard_about": "a+b&c=d%00%FF;e", "name": "100% Robin"})),
    Case("idn-email", "stored", post({"email": "robin@bücher.example"})),
    Case("name-of-100-emoji", "stored", post({"name": "🌱" * 100})),
    Case("name-of-101", "form error", post({"name": "R" * 101}), says="at most 100 characters"),
    Case("message-of-1000-sent-as-more", "stored", post({"message": message_of(1000)})),
    Case("message-of-1001", "form error", post({"message": message_of(1001)}), says="it has 1001"),
    Case("text-as-choice-ids", "form error", post({"concerns": ["1 OR 1=1"], "relationships": ["-1"]})),
    Case("unknown-service-posted", "form error", post({"service": "../admin/"})),
    Case("no-service-at-all", "stored", post({"service": None, "concerns": None, "relationships": None})),
    Case("required-missing", "form error", post({"name": None, "is_adult": None}), says="18 or older"),
    Case("forged-forwarded-for", "stored", post(headers={"X-Forwarded-For": "203.0.113.7"})),
]

# --- Sizes and counts ------------------------------------------------------------------------------


def padded_to(size):
    """A form whose urlencoded body is exactly `size` bytes, the message made long."""

    def body(data):
        plain = encoded(data | {"message": ""}).encode()
        return plain.replace(b"message=", b"message=" + b"x" * (size - len(plain)), 1)

    return body


CASES += [
    Case("message-of-1-mb", "form error", post({"message": lambda m: m + "x" * 1_000_000}), says="1000 characters"),
    Case("body-of-exactly-1-mib", "form error", post(body=padded_to(MiB)), says="1000 characters"),
    Case("body-1-mib-and-1-byte", "too large", post(body=padded_to(MiB + 1))),
    Case("body-of-3-mb", "too large", post(body=padded_to(3 * MiB))),
    Case("name-of-900-kb", "form error", post({"name": "R" * 900_000}), says="at most 100 characters"),
    Case("accents-that-encode-past-1-mib", "too large", post({"message": lambda m: m + "é" * 200_000})),
    Case("multipart-1-mb-message", "form error", post({"message": lambda m: m + "x" * 1_000_000}, body=multipart, headers=MULTIPART)),
    Case("multipart-2-mb-file", "too large", post(body=lambda d: multipart(d, [("upload", "a.bin", b"\0" * 2 * MiB)]), headers=MULTIPART)),
    Case("2000-extra-fields", "bad request", post({f"extra{n}": "x" for n in range(2000)})),
    Case("2000-extra-fields-multipart", "bad request", post({f"extra{n}": "x" for n in range(2000)}, body=multipart, headers=MULTIPART)),
    Case("one-field-2000-times", "bad request", post({"availability": ["weekends"] * 2000})),
    Case("900-extra-fields", "stored", post({f"extra{n}": "x" for n in range(900)})),
]  # fmt: skip

# --- Other kinds of body ---------------------------------------------------------------------------


def csrf_header(visitor):
    return {"X-CSRFToken": visitor.cookies["__Host-csrftoken"]}


CASES += [
    Case("json-body", "csrf", post(body=lambda d: json.dumps(d).encode(), headers={"Content-Type": "application/json"})),
    Case("json-body-with-csrf-header", "form error", post(body=lambda d: json.dumps(d).encode(), headers=lambda v: {"Content-Type": "application/json"} | csrf_header(v))),
    Case("multipart", "stored", post(body=multipart, headers=MULTIPART)),
    Case("multipart-with-a-text-file", "stored", post(body=lambda d: multipart(d, [("upload", "note.txt", b"hello")]), headers=MULTIPART)),
    Case("multipart-with-a-binary-file", "unreadable", post(body=lambda d: multipart(d, [("upload", "a.png", b"\x89PNG\xff\x00")]), headers=MULTIPART)),
    Case("multipart-not-utf8", "unreadable", post({"name": insert(BAD, "name")}, body=multipart, headers=MULTIPART)),
    Case("multipart-wrong-boundary", "csrf", post(body=multipart, headers={"Content-Type": "multipart/form-data; boundary=other"})),
    Case("multipart-no-boundary", "bad request", post(body=multipart, headers={"Content-Type": "multipart/form-data"})),
    Case("text-plain-body", "csrf", post(headers={"Content-Type": "text/plain"})),
    Case("no-content-type", "csrf", post(headers={"Content-Type": ""})),
    Case("latin-1-declared-and-sent", "unreadable", post({"name": "Ren%E9e"}, body=lambda d: encoded(d).replace("Ren%25E9e", "Ren%E9e").encode(), headers={"Content-Type": "application/x-www-form-urlencoded; charset=iso-8859-1"})),
    Case("utf-16-declared", "unreadable", post(headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-16"})),
    Case("multipart-latin-1-declared", "unreadable", post({"name": "Renée"}, body=multipart, headers={"Content-Type": MULTIPART["Content-Type"] + "; charset=iso-8859-1"})),
    Case("unknown-charset-declared", "stored", post(headers={"Content-Type": "application/x-www-form-urlencoded; charset=klingon"})),
    Case("gzip-encoded-body", "unreadable", post(body=lambda d: gzip.compress(encoded(d).encode()), headers={"Content-Encoding": "gzip"})),
]  # fmt: skip

# --- Query strings, methods, origins, headers --------------------------------------------------------

CASES += [
    Case("service-known", "form", get(FORM + "?service=relationship-issues"), says='value="relationship-issues" selected'),
    Case("service-unknown", "form", get(FORM + "?service=does-not-exist")),
    Case("service-script", "form", get(FORM + "?service=%3Cscript%3Ealert(1)%3C/script%3E")),
    Case("query-service-nul", "form", get(FORM + "?service=%00")),
    Case("query-service-not-utf8", "unreadable", get(FORM + "?service=%FF%FE")),
    Case("service-header-injection", "form", get(FORM + "?service=x%0D%0ASet-Cookie:%20injected=1")),
    Case("service-twice", "form", get(FORM + "?service=a&service=relationship-issues")),
    Case("service-as-array", "form", get(FORM + "?service[]=x&service[x]=y")),
    Case("service-path-traversal", "form", get(FORM + "?service=../../../etc/passwd")),
    Case("query-service-rlo", "form", get(FORM + "?service=%E2%80%AEevil")),
    Case("service-of-7-kb", "form", get(FORM + "?service=" + "s" * 7000)),
    Case("query-of-10-kb", "too long", get(FORM + "?service=" + "s" * 10_000)),
    Case("query-of-10-kb-on-a-post", "too long", post(path=FORM + "?q=" + "q" * 10_000)),
    Case("query-not-utf8-on-a-post", "unreadable", post(path=FORM + "?service=%FF")),
    # A method the route does not serve: 405 with Allow, before the view (practice/http_methods.py).
    Case("put", "not allowed", post(method="PUT")),
    Case("patch", "not allowed", post(method="PATCH")),
    Case("delete", "not allowed", post(method="DELETE")),
    Case("made-up-method", "not allowed", post(method="BREW")),
    Case("put-with-csrf-header", "not allowed", post(method="PUT", headers=csrf_header)),
    Case("options", "not allowed", get(FORM, method="OPTIONS")),
    Case("trace", "not allowed", get(FORM, method="TRACE")),
    Case("head", "head", get(FORM, method="HEAD")),
    Case("post-to-thanks", "not allowed", post(path=THANKS)),
    Case("origin-elsewhere", "csrf", post(headers={"Origin": "https://evil.example"})),
    Case("origin-null", "csrf", post(headers={"Origin": "null"})),
    Case("no-origin-no-referer", "csrf", post(headers={"Origin": "", "Referer": ""})),
    Case("no-csrf-cookie", "csrf", post(headers={"Cookie": ""})),
    Case("cookie-of-9-kb", "headers", post(headers=lambda v: {"Cookie": f"__Host-csrftoken={v.cookies['__Host-csrftoken']}; big={'b' * 9000}"})),
    Case("cookie-of-20-kb-on-a-get", "headers", get(FORM, headers={"Cookie": "big=" + "b" * 20_000})),
    Case("150-headers", "headers", post(headers={f"X-Field-{n}": "x" for n in range(150)})),
    Case("user-agent-of-8000", "stored", post(headers={"User-Agent": "u" * 8000})),
]  # fmt: skip


def visitor_address(index):
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


def run_table(site):
    """Open a form for every case, then send them all, eight at a time; each case keeps its answer."""
    visitors = [Visitor(site, visitor_address(index)) for index in range(len(CASES))]
    with ThreadPoolExecutor(8) as pool:
        forms = list(pool.map(lambda visitor: visitor.open_form()[0], visitors))
        wait_like_a_person(forms[-1])

        def send(index):
            case = CASES[index]
            case.answer, case.sent = case.send(visitors[index], forms[index], f"[hostile-{index:04d}]")

        list(pool.map(send, range(len(CASES))))


@pytest.fixture(scope="module")
def table(migrated_cluster):
    """One stack for the module; every case sent once, then checked one by one."""
    with running_site("test_hostile_input (the whole table)", migrated_cluster) as site:
        started = time.monotonic()
        run_table(site)
        site.timings[f"{len(CASES)} cases"] = time.monotonic() - started
        yield site


def test_the_table_has_at_least_100_cases_with_unique_names():
    assert len(CASES) >= 100
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_visitor_reads_a_clear_answer_and_what_is_accepted_is_stored_as_sent(table, case):
    response = case.answer
    status, words = PAGES[case.expect]
    body = response.body.decode(errors="replace")
    assert response.status != 500
    assert response.status == status, (
        f"expected {case.expect} ({status}), got {response.status} {title(body)!r}"
    )
    if status == 302:
        assert response.headers["Location"] == THANKS
    elif case.expect != "head":
        assert response.headers["Content-Type"].startswith("text/html"), "a page, not a bare error"
        assert "<h1" in body and title(body), "a page with a title and a heading"
        assert words in body
    assert case.says in body
    assert "<script>alert" not in body, "what was sent is never echoed as markup"
    assert not any("injected" in value for value in response.headers.values()), "no header from the URL"
    marker = f"[hostile-{CASES.index(case):04d}]"
    rows = [row for row in table.requests() if marker in MARKER.findall(row["message"])]
    if case.expect in STORED:
        assert len(rows) == 1, f"{len(rows)} rows stored for one accepted request"
        (row,) = rows
        assert garbled(row, case.sent) == {}, "stored differently from what was sent"
        assert row["status"] == ("spam" if case.expect == "spam" else "new")
    else:
        assert rows == [], "refused, yet stored"


def test_nothing_but_the_accepted_cases_was_stored_and_only_real_requests_are_announced(table):
    accepted = {f"[hostile-{n:04d}]": case.expect for n, case in enumerate(CASES) if case.expect in STORED}
    rows = table.requests()
    stored = [marker for row in rows for marker in MARKER.findall(row["message"])]
    assert sorted(stored) == sorted(accepted), "stored rows and accepted cases differ"
    alerted = {n["request_id"] for n in table.notifications() if n["kind"] == "practice"}
    assert alerted == {row["id"] for row in rows if row["status"] != "spam"}
