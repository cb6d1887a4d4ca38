"""Tests of what only PostgreSQL does: exclusion constraints, row locks, JSON containment, races.

CI and make test run every test on PostgreSQL, as production does. make mutants runs the suite on
SQLite (each mutmut worker its own in-memory database), where these cannot pass; they are skipped
there, and the mutants they would kill are counted as survivors.
"""

import pytest
from django.db import connection


def only_on_postgresql(reason):
    return pytest.mark.skipif(connection.vendor != "postgresql", reason=reason)
