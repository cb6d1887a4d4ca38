"""
Passkeys where features meet, as a loop: a staff member adds and removes passkeys, signs in with
them, replays old answers and uses a copied authenticator, while the lockout counts refusals.
Hypothesis picks the order; after every step the invariants hold:

- a passkey answer signs in exactly when it is fresh, from a passkey the account still has,
  with its counter moved on, and the account is not locked out;
- a refused answer counts towards the lockout, a right one clears it;
- nobody ever removes their last way past the password;
- a signed-in session is verified by the passkey that signed it in, until that passkey is removed.
"""

import copy
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from hypothesis import HealthCheck, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts import passkeys
from accounts.models import Passkey
from accounts.passkey_views import CONFIRMED_AT
from accounts.progress import SIGNED_IN_AT
from tests.accounts.signing_in import ADMIN, LOGIN, PASSWORD, authenticator_device, sign_in
from tests.accounts.software_passkey import SoftwarePasskey, options_on

pytestmark = pytest.mark.django_db
USE = f"{ADMIN}login/passkey/"
ADD = f"{ADMIN}passkeys/add/"


class PasskeyLoop(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        PasskeyLoop.runs += 1
        self.user = get_user_model().objects.create_superuser(f"staff{PasskeyLoop.runs}", "", PASSWORD)
        authenticator_device(self.user)
        self.client = Client()
        self.authenticators = []  # (software authenticator, name); removed ones stay here
        self.failures = 0
        self.last_answer = None

    runs = 0

    def admin(self):
        """A client signed in with one of the account's own devices (the first sign-in with the app)."""
        admin = Client()
        if not PasskeyLoop.has_any_device(self.user):
            return sign_in(admin, self.user)
        admin.force_login(self.user)
        session = admin.session
        session[DEVICE_ID_SESSION_KEY] = next(devices_for_user(self.user)).persistent_id
        session[SIGNED_IN_AT] = time.time()
        session.save()
        return admin

    @staticmethod
    def has_any_device(user):
        return next(devices_for_user(user), None) is not None

    def stored(self, authenticator):
        return Passkey.objects.filter(user=self.user, credential_id=authenticator.credential_id).first()

    @rule()
    def add_passkey(self):
        admin = self.admin()
        session = admin.session
        session[CONFIRMED_AT] = time.time()  # the password and code again: tested on their own
        session.save()
        authenticator = SoftwarePasskey()
        answer = authenticator.create(options_on(admin.get(ADD)))
        admin.post(ADD, {"name": f"key {len(self.authenticators)}", "credential": answer})
        assert self.stored(authenticator) is not None
        self.authenticators.append(authenticator)

    @precondition(lambda self: self.authenticators)
    @rule(data=st.data())
    def remove_passkey(self, data):
        authenticator = data.draw(st.sampled_from(self.authenticators))
        passkey = self.stored(authenticator)
        if passkey is None:
            return
        admin = self.admin()
        ways_before = passkeys.ways_in(self.user)
        admin.post(f"{ADMIN}passkeys/{passkey.pk}/remove/")
        assert (self.stored(authenticator) is None) == (ways_before > 1)

    @rule()
    def lose_the_app_and_codes(self):
        """What `reset_two_factor` leaves behind, minus the passkeys: the app and codes gone."""
        if Passkey.objects.filter(user=self.user).exists():
            self.user.totpdevice_set.all().delete()
            self.user.staticdevice_set.all().delete()

    def answer(self, answer, expect_success):
        self.client = Client()
        response = self.client.post(LOGIN, {"username": self.user.username, "password": PASSWORD})
        if self.failures >= settings.AXES_FAILURE_LIMIT:
            assert response.status_code == 429
            return
        if response["Location"] != USE:
            assert not passkeys.has_passkey(self.user)
            return
        options = options_on(self.client.get(USE))
        response = self.client.post(USE, {"credential": answer(options)})
        signed_in = response.status_code == 302
        note(f"expected {expect_success}, status {response.status_code}")
        assert signed_in == expect_success
        self.failures = 0 if signed_in else self.failures + 1

    @precondition(lambda self: self.authenticators)
    @rule(data=st.data())
    def sign_in_with_a_passkey(self, data):
        authenticator = data.draw(st.sampled_from(self.authenticators))
        expect = self.stored(authenticator) is not None

        def answer(options):
            self.last_answer = authenticator.get(options)
            return self.last_answer

        self.answer(answer, expect)

    @precondition(lambda self: self.last_answer)
    @rule()
    def replay_the_last_answer(self):
        self.answer(lambda options: self.last_answer, expect_success=False)

    @precondition(lambda self: self.authenticators)
    @rule(data=st.data())
    def sign_in_with_a_copy_made_earlier(self, data):
        authenticator = data.draw(st.sampled_from(self.authenticators))
        copy_made_earlier = copy.copy(authenticator)
        copy_made_earlier.sign_count = max(authenticator.sign_count - 2, 0)
        passkey = self.stored(authenticator)
        # The copy's next answer repeats a count already seen, unless nothing was counted yet.
        fresh = passkey is not None and copy_made_earlier.sign_count + 1 > passkey.sign_count
        self.answer(copy_made_earlier.get, fresh)
        authenticator.sign_count = max(authenticator.sign_count, copy_made_earlier.sign_count)

    @rule()
    def lockout_lifted(self):
        AccessAttempt.objects.all().delete()
        self.failures = 0

    @invariant()
    def there_is_always_a_way_in(self):
        assert passkeys.ways_in(self.user) >= 1

    @invariant()
    def a_signed_in_session_is_verified(self):
        session = self.client.session
        if "_auth_user_id" in session:
            device_id = session.get(DEVICE_ID_SESSION_KEY)
            if device_id is None:
                # Signed in, but its second factor gone (found after a removal): never admin.
                assert self.client.get(ADMIN).status_code != 200
                return
            assert device_id.startswith("accounts.passkey/")
            # Removing a passkey also ends the sessions it signed in.
            still_there = Passkey.objects.filter(pk=device_id.split("/")[1]).exists()
            assert (self.client.get(ADMIN).status_code == 200) == still_there


def test_passkeys_lockout_and_removal_keep_their_promises_in_any_order(db):
    run_state_machine_as_test(
        PasskeyLoop,
        settings=hypothesis_settings(
            max_examples=12,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
