"""
The fault suite's two lanes (tests/faults/lanes.py): the mail outage waits beside the busy tests, and
the slow-client test measures only once the busy lane has finished.
"""

import ast
import threading
from pathlib import Path

from tests.faults import lanes

FAULTS = Path(lanes.__file__).parent


class Item:
    def __init__(self, path, nodeid="x"):
        self.path, self.nodeid = Path(path), nodeid


def test_only_the_mail_outage_and_the_slow_clients_wait_in_their_own_lane():
    files = sorted(path.name for path in FAULTS.glob("test_*.py"))
    waiting = [name for name in files if lanes.lane(Item(FAULTS / name)) == "waiting"]
    assert waiting == ["test_mail_outage.py", "test_slow_clients.py"]
    assert set(files) - set(waiting), "the busy lane has tests"


def test_the_slow_client_test_waits_for_the_busy_lane_before_its_site_starts():
    # Fixtures are set up in the order they are asked for: the wait comes before the stack.
    module = ast.parse((FAULTS / "test_slow_clients.py").read_text())
    test = next(node for node in module.body if getattr(node, "name", "").startswith("test_slow_senders"))
    asked = [argument.arg for argument in test.args.args]
    assert asked.index("busy_lane_finished") < asked.index("site")


def test_the_wait_lasts_until_every_busy_test_has_finished(tmp_path, monkeypatch):
    monkeypatch.setattr(lanes, "FINISHED", tmp_path / "finished")
    lanes.finished(Item("test_kills.py", "first"))
    later = threading.Timer(1.5, lanes.finished, [Item("test_load.py", "second")])
    later.start()
    assert lanes.wait_for_the_busy_lane(2) >= 1.4
    assert lanes.wait_for_the_busy_lane(2) < 1
    assert lanes.wait_for_the_busy_lane(3, timeout=1) >= 1  # gives up at its timeout
