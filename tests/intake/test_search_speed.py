"""
The admin request list with 5,000 requests (a generous year with no purge) answers a search in time,
though the names, emails and phones it searches are encrypted and decrypted in the application
(intake/admin/timeline.py). The figure is printed (`-s`); docs/privacy-at-rest.md quotes it. The
assertion's limit is generous because the machine running the suite is shared; the target is 300 ms.
"""

import statistics
import time

from bench.admin_search import COUNT, TARGET_MS, seed

LIMIT_MS = 1500  # a shared, loaded CI machine; the figure printed is what counts


def timed(client, query):
    """Median wall-clock ms of five searches, the median of this process's CPU ms, and a response."""
    wall, cpu, found = [], [], None
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        found = client.get("/admin/intake/consultationrequest/", {"q": query, "status": "all"})
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return round(statistics.median(wall)), round(statistics.median(cpu)), found


def test_a_search_among_5000_encrypted_requests_answers_within_the_target(db, reviewer):
    seed()
    results = {}
    for query, expected in [
        ("Person 4321", "1 result"),
        ("person4321@", "1 result"),
        ("(555) 000-4321", "1 result"),
    ]:
        wall, cpu, response = timed(reviewer, query)
        assert response.status_code == 200
        assert expected in response.content.decode(), query
        results[query] = (wall, cpu)
    print(  # noqa: T201
        f"admin search among {COUNT} requests, median of 5, (wall ms, site process CPU ms): {results}; "
        f"target {TARGET_MS} ms"
    )
    assert max(wall for wall, _ in results.values()) <= LIMIT_MS
