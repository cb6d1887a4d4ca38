"""
The fault suite's two lanes. `make test` runs them side by side (pytest -n 2 --dist loadgroup): the
mail outage spends four minutes mostly waiting (two with the mail server down, then for the
retries), and the other tests run one at a time in the busy lane meanwhile. The slow-client test,
whose p99 limit must not share the machine with another test's traffic, follows the outage in the
waiting lane and first waits until the busy lane has finished. Run without -n, the tests go one at a
time in file order, the slow-client test last, and nothing waits.
"""

import hashlib
import os
import tempfile
import time
import uuid
from pathlib import Path

WAITING_LANE = {"test_mail_outage.py", "test_slow_clients.py"}
# One folder a run, shared by its workers (pytest-xdist gives them one run id), holding a file for
# each busy-lane test that has finished.
FINISHED = (
    Path(tempfile.gettempdir())
    / f"fault-lanes-{os.environ.get('PYTEST_XDIST_TESTRUNUID') or uuid.uuid4().hex}"
)


def lane(item):
    return "waiting" if item.path.name in WAITING_LANE else "busy"


def busy(items):
    return [item for item in items if lane(item) == "busy"]


def finished(item):
    FINISHED.mkdir(exist_ok=True)
    (FINISHED / hashlib.sha256(item.nodeid.encode()).hexdigest()).touch()


def wait_for_the_busy_lane(count, timeout=1200):
    """Seconds spent waiting until `count` busy-lane tests have finished (or the timeout has passed)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if FINISHED.is_dir() and sum(1 for _ in FINISHED.iterdir()) >= count:
            break
        time.sleep(1)
    return time.monotonic() - started
