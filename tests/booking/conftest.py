import datetime
from zoneinfo import ZoneInfo

import pytest

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def new_york(settings):
    """Every booking test reads the clock in the practice's zone, named here rather than assumed."""
    settings.TIME_ZONE = "America/New_York"


def at(year, month, day, hour=0, minute=0):
    """A wall-clock time in New York (the first of two, in the hour clocks go back)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def utc(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=datetime.UTC)
