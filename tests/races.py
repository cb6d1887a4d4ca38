"""The race harness: calls made at the same moment, each from its own thread and database connection."""

import threading

from django.db import connections


def at_once(calls, timeout=30):
    """
    Run each call in its own thread, all let go together by one barrier; return what each returned,
    or the exception it raised (a race's loser is an outcome the test reads, not a crash).
    """
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=timeout)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test reads
            outcomes[index] = error
        finally:
            connections.close_all()  # this thread's own connections, which Django opened for it

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * timeout)
    assert not any(thread.is_alive() for thread in threads), "a call is still running"
    return outcomes
