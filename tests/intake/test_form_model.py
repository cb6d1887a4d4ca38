"""
A stateful property test (Hypothesis) of the consultation form and its open times, on PostgreSQL.

Visitors send the form with one to three times picked in random order, while others take times,
the therapist switches booking off and on, stops accepting new clients, changes the minimum notice,
or answers a request (its holds let go). After every step:
- every time a visitor sent is held for their request, or their answer (409, nothing saved) named it
  as gone, with every other pick still ticked: no time is ever dropped without a word;
- no two times kept (held or confirmed) overlap.
FORM_MODEL_EXAMPLES=500 runs it longer by hand.
"""

import contextlib
import itertools
import os
import zoneinfo

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from booking.holds import TimeTaken, hold, release_holds
from booking.models import Booking, ConsultationHours
from booking.slots import open_times
from pages.models import PracticeSettings
from tests.clock_words import visitor_words
from tests.hours import AN_HOUR_A_DAY, open_hours
from tests.html import form_values
from tests.intake.factories import aged_token, form_data, make_request, named
from tests.postgresql import only_on_postgresql

URL = "/consultation/"
EXAMPLES = int(os.environ.get("FORM_MODEL_EXAMPLES", "15"))
pytestmark = [
    pytest.mark.django_db,
    only_on_postgresql("the model runs on PostgreSQL, as in production"),
]
ZONE = zoneinfo.ZoneInfo("America/New_York")
# Indices into the times open when an example starts (up to six): a visitor's picks, in their order.
PICKS = st.lists(st.integers(0, 5), min_size=1, max_size=3, unique=True)


def said(start):
    """A time as the form's messages name it."""
    return visitor_words(start, ZONE)


class FormAndOpenTimes(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each example in a savepoint of the test's transaction, rolled back at its end.
        self.example = transaction.atomic()
        self.example.__enter__()
        open_hours(AN_HOUR_A_DAY, days_ahead=3)
        self.pool = open_times()[:6]
        assert self.pool, "the hours offer times"
        self.addresses = itertools.count(1)
        self.held = {}  # a visitor's request number -> the starts it holds (model)

    def teardown(self):
        transaction.set_rollback(True)
        self.example.__exit__(None, None, None)

    def open_now(self):
        practice = PracticeSettings.load()
        return {time.value for time in open_times(accepting_new_clients=practice.accepting_new_clients)}

    @rule(indices=PICKS, way=st.sampled_from(["phone", "video"]))
    def a_visitor_sends(self, indices, way):
        picks = list(dict.fromkeys(self.pool[index % len(self.pool)] for index in indices))
        open_before = self.open_now()
        number = next(self.addresses)
        name = f"Visitor {number}"
        data = form_data(name=name, times=[time.value for time in picks], way=way, form_token=aged_token())
        response = Client(REMOTE_ADDR=f"198.51.100.{number % 250 + 1}").post(URL, data)
        went = [time for time in picks if time.value not in open_before]
        if not went:
            assert response.status_code == 302, response.status_code
            consultation = named(name).get()
            self.held[consultation.pk] = {time.starts_at for time in picks}
            return
        assert response.status_code == 409, response.status_code
        assert not named(name).exists(), "nothing saved"
        html = response.content.decode()
        assert "no longer open" in html
        for time in went:
            assert said(time.starts_at) in html, f"{said(time.starts_at)} went without a word"
        kept = form_values(html).get("times", [])
        kept = [kept] if isinstance(kept, str) else kept
        assert {time.value for time in picks if time not in went} == set(kept), "the other picks stay ticked"

    @rule(index=st.integers(0, 5))
    def someone_else_takes_a_time(self, index):
        time = self.pool[index % len(self.pool)]
        with contextlib.suppress(TimeTaken):  # taken already, or not open: nothing to take
            hold(make_request(name="Someone else").pk, [time.starts_at], "video")

    @rule()
    def the_therapist_switches_booking(self):
        hours = ConsultationHours.load()
        hours.booking_on = not hours.booking_on
        hours.save()

    @rule()
    def the_practice_stops_or_starts_accepting_new_clients(self):
        practice = PracticeSettings.load()
        practice.accepting_new_clients = not practice.accepting_new_clients
        practice.save()

    @rule(hours_notice=st.sampled_from([0, 24, 36, 48, 72]))
    def the_therapist_changes_the_minimum_notice(self, hours_notice):
        ConsultationHours.objects.filter(pk=1).update(minimum_notice_hours=hours_notice)
        hours = ConsultationHours.load()
        hours.save()  # through the ORM as admin would: the content version moves

    @rule(data=st.data())
    def the_therapist_answers_a_request(self, data):
        if self.held:
            number = data.draw(st.sampled_from(sorted(self.held)))
            release_holds(number)
            self.held[number] = set()

    @invariant()
    def every_sent_time_is_held(self):
        for number, starts in self.held.items():
            held = Booking.objects.filter(request_id=number, state=Booking.State.HELD)
            assert set(held.values_list("starts_at", flat=True)) == starts

    @invariant()
    def no_two_kept_times_overlap(self):
        kept = sorted(Booking.objects.taking_time().values_list("starts_at", "ends_at"))
        for (_, earlier_end), (later_start, _) in itertools.pairwise(kept):
            assert earlier_end <= later_start, kept


@pytest.mark.usefixtures("human_speed")
def test_every_time_sent_is_held_or_named_as_gone_and_no_two_holds_overlap():
    run_state_machine_as_test(
        FormAndOpenTimes,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=10,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
