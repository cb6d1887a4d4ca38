import signal
import time

import pytest

from tests.faults.cluster import Cluster
from tests.faults.site import TIMINGS, migrate, running_site


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


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    terminalreporter.section("fault suite timings")
    for name, timing in TIMINGS:
        parts = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in (timing or {}).items())
        terminalreporter.write_line(f"{name}: {parts}" if parts else name)
