import pytest

from intake.form import spam
from pages.models import PracticeSettings
from tests.accounts.signing_in import sign_in
from tests.hours import AN_HOUR_A_DAY, open_hours
from tests.intake.factories import make_reviewer


@pytest.fixture
def hours(db):
    """Consultation hours open every day from 9:00 to 17:00, with the model's defaults: plenty of times."""
    return open_hours()


@pytest.fixture
def form_hours(db):
    """The consultation form's few times: every day 10:00 to 11:00, four days ahead (six to eight times)."""
    return open_hours(AN_HOUR_A_DAY, days_ahead=4)


@pytest.fixture
def human_speed(monkeypatch):
    """Playwright types faster than any person; the time trap would rightly call that spam."""
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)


@pytest.fixture
def reviewer(client):
    """The test client, signed in as a member of the Consultation reviewers group (`client.user`)."""
    client.user = make_reviewer()
    sign_in(client, client.user)
    return client


# The practice the invite tests send from (test_life_invites, test_life_icaljs): its inbox and hours.
NOTIFY = "inbox@wells.example"


@pytest.fixture
def practice(settings):
    settings.PRACTICE_NOTIFY_EMAIL = NOTIFY
    practice = PracticeSettings.load()
    practice.email = "hello@wells.example"
    practice.practice_name = "Wells Therapy"
    practice.save()
    open_hours()
    return practice
