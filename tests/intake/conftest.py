import pytest

from pages.models import PracticeSettings
from tests.accounts.signing_in import sign_in
from tests.intake.booking_setup import open_hours
from tests.intake.factories import make_reviewer


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
