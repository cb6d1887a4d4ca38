"""
What every fault test checks afterwards, with failure messages that name what was lost or doubled.

"Stored as sent" allows exactly what Django does to a form: text fields lose leading and trailing
whitespace (CharField strips), and the message's CR LF (how browsers send a line break) becomes
LF (LineBreakCountedOnceField). Anything else that differs is garbled.
"""

import re
import time

MARKER = re.compile(r"\[[a-z]+-\d{4}\]")
TEXT = ["name", "email", "phone", "insurer", "heard_about"]
CHOSEN = ["preferred_contact", "client_location", "session_format", "payment"]
BOOLEANS = ["voicemail_ok", "is_adult", "emergency_notice_seen"]
FALSE_WORDS = {"", "false", "0"}


def one(value):
    return value[-1] if isinstance(value, list) else value


def many(value):
    return value if isinstance(value, list) else [value]


def expected_row(sent):
    """The row a valid sent form becomes."""
    row = {name: one(sent.get(name, "")).strip() for name in TEXT}
    row["message"] = one(sent.get("message", "")).strip().replace("\r\n", "\n")
    row |= {name: one(sent.get(name, "")) for name in CHOSEN}
    row |= {name: name in sent and one(sent[name]) not in FALSE_WORDS for name in BOOLEANS}
    row["text_ok"] = row["preferred_contact"] == "text" or (
        "text_ok" in sent and one(sent["text_ok"]) not in FALSE_WORDS
    )
    row["availability"] = many(sent.get("availability", []))
    row["service"] = one(sent.get("service", "")) or None
    row["concerns"] = sorted(many(sent.get("concerns", [])), key=int)
    row["relationships"] = sorted(many(sent.get("relationships", [])), key=int)
    return row


def garbled(row, sent):
    """The fields of a stored row that differ from what was sent: {field: (sent, stored)}."""
    return {
        name: (value, row[name])
        for name, value in expected_row(sent).items()
        if (sorted(row[name], key=int) if name in {"concerns", "relationships"} else row[name]) != value
    }


def by_marker(rows):
    found = {}
    for row in rows:
        for marker in set(MARKER.findall(row["message"])):
            found.setdefault(marker, []).append(row)
    return found


def check_requests(site, visits):
    """
    Every acknowledged visit is stored exactly once and as sent; no visit is stored twice.
    Returns the rows, by marker.
    """
    rows = by_marker(site.requests())
    lost = [visit.marker for visit in visits if visit.acknowledged and not rows.get(visit.marker)]
    doubled = {marker: len(found) for marker, found in rows.items() if len(found) > 1}
    changed = {
        visit.marker: garbled(rows[visit.marker][0], visit.sent)
        for visit in visits
        if visit.acknowledged and len(rows.get(visit.marker, [])) == 1
    }
    changed = {marker: fields for marker, fields in changed.items() if fields}
    assert not lost, f"acknowledged but not stored (lost): {lost}"
    assert not doubled, f"stored more than once (doubled), marker: rows: {doubled}"
    assert not changed, f"stored differently from what was sent: {changed}"
    return rows


def check_alerts(site, rows, visits, within=60, wait=60, resent=()):
    """
    Every stored request that is not spam gets one alert at the mail server, the Message-ID its
    outbox row carries, within `within` seconds of its visitor's acknowledgement (unless None); nothing else
    arrives. `resent`: request numbers allowed to arrive twice, with the same Message-ID.
    Waits at most `wait` seconds for the last one.
    """
    numbers = {found[0]["id"] for found in rows.values() if found[0]["status"] != "spam"}
    site.mail.wait_for(
        lambda _: numbers <= {number for number, _, _ in site.alerts()},
        wait,
        f"an alert for each of the {len(numbers)} requests (missing: "
        f"{sorted(numbers - {number for number, _, _ in site.alerts()})})\n{site.diagnostics()}",
    )
    time.sleep(0.5)  # anything that would arrive to spare has its moment
    arrived = {}
    for number, message_id, at in site.alerts():
        arrived.setdefault(number, []).append((message_id, at))
    outbox = {n["request_id"]: n for n in site.notifications() if n["kind"] == "practice"}
    extra = sorted(set(arrived) - numbers)
    twice = {
        number: len(copies)
        for number, copies in arrived.items()
        if len(copies) > 1 and (number not in resent or len({mid for mid, _ in copies}) > 1)
    }
    wrong_id = [
        number for number in numbers if {mid for mid, _ in arrived[number]} != {outbox[number]["message_id"]}
    ]
    assert not extra, f"alerts for requests that do not exist or are spam: {extra}"
    assert not twice, f"alerts sent more than once, request: copies: {twice}"
    assert not wrong_id, f"alerts whose Message-ID is not their outbox row's: {wrong_id}"
    unsent = [number for number in numbers if outbox[number]["sent_at"] is None]
    assert not unsent, f"delivered, yet not marked sent: {unsent}"
    if within is None:
        return arrived
    acknowledged = {visit.marker: visit.acknowledged_at for visit in visits if visit.acknowledged}
    late = {}
    for marker, found in rows.items():
        number = found[0]["id"]
        if number in numbers and marker in acknowledged:
            delay = min(at for _, at in arrived[number]) - acknowledged[marker]
            if delay > within:
                late[number] = round(delay, 1)
    assert not late, f"alerts delivered more than {within} s after the visitor's acknowledgement: {late}"
    return arrived


def check_visits(visits, allowed):
    """Every answer a visitor saw is one of `allowed` (kinds from visitors.classify); none gave up."""
    problems = {visit.marker: visit.problems for visit in visits if visit.problems}
    assert not problems, f"visitors who saw something they should not have: {problems}"
    seen = {step.kind for visit in visits for step in visit.steps}
    assert seen <= set(allowed), f"answers outside {sorted(allowed)}: {sorted(seen - set(allowed))}"


def wait_for(condition, timeout, what):
    """Wait until `condition()` is true; fail after `timeout` seconds naming what was awaited."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.1)
