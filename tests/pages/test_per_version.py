"""What views read on every request is read again only once an edit or a scheduled change made it different."""

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.models import ConsultationHours
from intake.form.views import consultation_hours
from intake.models import Concern
from pages.freshness import per_version
from pages.models import ContentVersion, Page, PracticeSettings
from tests.hours import AN_HOUR_A_DAY, open_hours
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db
FORM = "/consultation/"


@contextmanager
def during_a_request():
    """The signals a request sends, as Django's test client sends them (the test's connection stays open)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        yield
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def counted():
    """A kept read of the menu's page titles, and how many times it really read them."""
    reads = []

    def titles():
        reads.append(1)
        return list(Page.objects.in_menu().filter(slug__startswith="kept-").values_list("title", flat=True))

    return per_version.per_content_version(titles), reads


def test_a_value_is_read_once_while_the_version_stands(counted):
    kept, reads = counted
    make_page(slug="kept-fees", title="Fees", show_in_menu=True)
    assert kept() == kept() == ["Fees"]
    assert len(reads) == 1


def test_an_edit_is_read_at_the_next_call(counted):
    kept, reads = counted
    page = make_page(slug="kept-fees", title="Fees", show_in_menu=True)
    kept()
    Page.objects.filter(pk=page.pk).update(title="Fees and insurance")  # no signal: the trigger alone
    assert kept() == ["Fees and insurance"]
    assert len(reads) == 2


def test_a_scheduled_page_going_live_is_read_when_its_time_comes(counted):
    kept, reads = counted
    make_page(slug="kept-fees", title="Fees", show_in_menu=True)
    soon = timezone.now() + timedelta(seconds=1)
    make_page(slug="kept-groups", title="Groups", show_in_menu=True, publish_at=soon)
    assert kept() == ["Fees"]
    version = ContentVersion.current()
    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.05)
    assert kept() == ["Fees", "Groups"]
    assert ContentVersion.current() == version, "the clock alone, no edit"


def test_with_no_version_yet_every_call_reads(counted):
    kept, reads = counted
    ContentVersion.objects.all().delete()
    kept()
    kept()
    assert len(reads) == 2


def test_within_a_request_the_version_is_read_once(counted):
    kept, _ = counted
    make_page(slug="kept-fees", title="Fees", show_in_menu=True)
    kept()
    with during_a_request(), CaptureQueriesContext(connection) as queries:
        kept()
        kept()
        per_version.per_content_version(lambda: "another")()
    assert [query["sql"] for query in queries] == ["SELECT version FROM pages_contentversion WHERE id = 1"]


def test_outside_a_request_the_version_is_read_at_every_call(counted):
    kept, _ = counted
    kept()
    with CaptureQueriesContext(connection) as queries:
        kept()
        kept()
    assert len(queries) == 2


def test_each_request_gets_its_own_copy_of_the_practice_settings(rf):
    first = PracticeSettings.for_request(rf.get("/"))
    first.practice_name = "Changed by one request only"
    assert PracticeSettings.for_request(rf.get("/")).practice_name != "Changed by one request only"


def test_each_request_gets_its_own_copy_of_the_consultation_hours():
    first = consultation_hours()
    first.length_minutes = 90
    assert consultation_hours().length_minutes != 90


def test_the_form_shows_new_practice_settings_at_the_next_request(client):
    client.get(FORM)
    PracticeSettings.objects.filter(pk=1).update(reply_business_days=4)
    assert "I reply within 4 business days" in client.get(FORM).content.decode()


def test_the_form_shows_a_new_choice_at_the_next_request(client):
    client.get(FORM)
    Concern.objects.create(label="Blended families")
    assert "Blended families" in client.get(FORM).content.decode()


def test_the_form_offers_times_at_the_next_request_after_booking_is_turned_on(client):
    client.get(FORM)
    open_hours(AN_HOUR_A_DAY, days_ahead=4)
    assert 'name="times"' in client.get(FORM).content.decode()


def test_saving_the_consultation_hours_moves_the_content_version():
    hours = ConsultationHours.load()
    before = ContentVersion.current()
    hours.booking_on = True
    hours.save()
    assert ContentVersion.current() != before
