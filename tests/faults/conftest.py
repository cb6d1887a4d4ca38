import signal
import time

import pytest

from tests.faults import lanes
from tests.faults.cluster import Cluster
from tests.faults.site import TIMINGS, migrate, running_site

BUSY_LANE = []


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected what they will
def pytest_collection_modifyitems(items):
    """Two lanes, run side by side under -n 2 --dist loadgroup (tests/faults/lanes.py)."""
    for item in items:
        item.add_marker(pytest.mark.xdist_group(lanes.lane(item)))
    BUSY_LANE[:] = lanes.busy(items)


def pytest_configure(config):
    # SIGTERM (a CI timeout, `timeout`, `kill`) as Ctrl-C: pytest then tears the fixtures down, so no
    # PostgreSQL cluster (pg_ctl starts it detached), gunicorn or Caddy outlives the run.
    signal.signal(signal.SIGTERM, signal.default_int_handler)


@pytest.fixture(scope="session")
def migrated_cluster(collected_static):
    """The data directory of a stopped cluster, migrated once; each test's cluster starts from a copy."""
    started = time.monotonic()
    cluster = Cluster()
    try:
        migrate(cluster)
        cluster.stop()
        TIMINGS.append(("a migrated PostgreSQL cluster, once", {"total": time.monotonic() - started}))
        yield cluster.data
    finally:
        cluster.destroy()


@pytest.fixture
def site(request, migrated_cluster):
    """The whole stack, of this test's own: its PostgreSQL cluster, gunicorn, worker, Caddy, SMTP."""
    with running_site(request.node.name, migrated_cluster) as site:
        yield site


@pytest.fixture
def busy_lane_finished():
    """Waits until the busy lane's tests have finished; the seconds it waited."""
    return lanes.wait_for_the_busy_lane(len(BUSY_LANE))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    try:
        return (yield)
    finally:
        if item in BUSY_LANE:
            lanes.finished(item)
        # The timings travel on the teardown report, the one way out of an xdist worker.
        item.user_properties.extend(("timing", entry) for entry in TIMINGS)
        TIMINGS.clear()


def pytest_runtest_logreport(report):
    if report.when == "teardown":
        REPORTED.extend(entry for key, entry in report.user_properties if key == "timing")


REPORTED = []


def pytest_terminal_summary(terminalreporter):
    if not REPORTED:
        return
    terminalreporter.section("fault suite timings")
    for name, timing in REPORTED:
        parts = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in (timing or {}).items())
        terminalreporter.write_line(f"{name}: {parts}" if parts else name)
