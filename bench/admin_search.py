"""
The admin's search among 5,000 requests (a generous year with no purge), for `make bench`.

The names, emails and phones it searches are stored encrypted, so the site decrypts one search text
a request in the application (intake/admin/timeline.py): its cost grows with the requests kept.
Issue 26's goal: a search answers in at most 300 ms.

`python -m bench.admin_search`, run with the site's environment (its database and keys), adds the
requests and a signed-in reviewer's session, and prints what the benchmark needs as JSON; `searches`
then times the list's searches straight at gunicorn, one at a time, as the therapist makes them.
"""

import http.client
import json
import statistics
import time
from urllib.parse import urlencode

from bench.load import percentile

COUNT = 5000
TARGET_MS = 300
SOUGHT = 4321


def queries(number):
    """Request `number`'s name, the start of its email and its phone typed another way: one match each."""
    return [f"Person {number}", f"person{number}@", f"(555) {number // 10000:03d}-{number % 10000:04d}"]


QUERIES = queries(SOUGHT)
FOUND = "1 result"
REPEATS = 5


def with_derived_fields(request):
    """What save() would add (bulk_create does not call it): the lookup hashes and search text."""
    for name, value in request.refreshed_hashes().items():
        setattr(request, name, value)
    return request


def seed(count=COUNT):
    """`count` requests as the form would have saved them, each with its own name, email and phone."""
    from django.utils import timezone

    from intake.models import ConsultationRequest, add_business_days

    now = timezone.now()
    ConsultationRequest.objects.bulk_create(
        [
            with_derived_fields(
                ConsultationRequest(
                    name=f"Person {n}",
                    email=f"person{n}@example.com",
                    phone=f"555-{n // 10000:03d}-{n % 10000:04d}",
                    preferred_contact="email",
                    client_location="NY",
                    message="Some words about what brings them " * 5,
                    privacy_notice_version="v1",
                    privacy_accepted_at=now,
                    reply_due_at=add_business_days(now, 2),
                    form_token=f"bench-search-{n}",
                )
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def prepare(count=COUNT):
    """The requests, and a reviewer signed in with both factors: {cookie, session, list_url}."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from tests.accounts.signing_in import sign_in
    from tests.intake.factories import make_reviewer

    seed(count)
    client = Client()
    sign_in(client, make_reviewer("bench-reviewer"))
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "list_url": reverse("admin:intake_consultationrequest_changelist"),
    }


def search_url(list_url, query):
    return f"{list_url}?{urlencode({'q': query, 'status': 'all'})}"


def searches(port, prepared, repeats=REPEATS, sought=QUERIES):
    """Each query `repeats` times after one not counted: ({query: [wall ms]}, failed searches)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {
        "Host": "localhost",
        "X-Forwarded-Proto": "https",
        "Cookie": f"{prepared['cookie']}={prepared['session']}",
    }
    times, failed = {}, 0
    for query in sought:
        times[query] = []
        for number in range(repeats + 1):
            started = time.perf_counter()
            connection.request("GET", search_url(prepared["list_url"], query), headers=headers)
            response = connection.getresponse()
            body = response.read().decode(errors="replace")
            took = (time.perf_counter() - started) * 1000
            if response.status != 200 or FOUND not in body:
                failed += 1
            if number:  # the first of each: a worker's first admin page loads code
                times[query].append(took)
    connection.close()
    return times, failed


def summary(times, server_ms, count=COUNT):
    """One line for the benchmark's report."""
    every = sorted(ms for measured in times.values() for ms in measured)
    return (
        f"admin search among {count:,} requests: median {statistics.median(every):.0f} ms, "
        f"p95 {percentile(every, 95):.0f} ms, slowest {every[-1]:.0f} ms wall "
        f"({len(times)} searches x {len(every) // max(len(times), 1)}, one at a time, straight at gunicorn); "
        f"server ms {server_ms:.0f}; goal <= {TARGET_MS} ms"
    )


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(prepare()))  # noqa: T201
