"""
One record of every model the admin shows, and the URL arguments its pages need, for the tests
that walk the whole admin (tests/practice/test_admin_walk.py, test_browser_admin_axe.py).
"""

import datetime

from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Passkey
from booking.models import Booking, CalendarFeed, ConsultationHours
from intake.models import AuditEntry, Concern, Notification, Referral, Relationship, ReplyTemplate
from pages import drafts
from pages.models import PageRevision, PracticeSettings, SlugRedirect
from tests.hours import open_hours
from tests.intake.bookings import confirmed_booking
from tests.intake.factories import make_request
from tests.pages.factories import make_page
from tests.pages.photo_helpers import make_photo


def one_of_each(admin_user):
    """One record of every registered model, made by the tests' factories, and a passkey."""
    consultation = make_request(name="Robin")
    booking = confirmed_booking(consultation)
    photo = make_photo(title="Our room")
    page = make_page(title="Fees", slug="fees-page", sections=[("Cost", "Sessions are 50 minutes.")])
    page.sections.update(photo=photo)
    page.sections.update(text="Drafted words.")
    drafts.save_draft(page, user=None)
    AuditEntry.record(AuditEntry.Action.VIEW, admin_user, [consultation.pk])
    Passkey.objects.create(
        user=admin_user, name="Laptop", credential_id=b"id", public_key=b"key", user_handle=b"handle"
    )
    starts = timezone.now() - datetime.timedelta(hours=2)
    front_desk = Group.objects.create(name="Front desk")
    front_desk.permissions.set(
        Permission.objects.filter(codename__in=["view_page", "export_consultationrequest"])
    )
    admin_user.user_permissions.set(Permission.objects.filter(codename="view_signin"))
    made = {
        Group: front_desk,
        User: admin_user,
        AccessLog: AccessLog.objects.create(username="admin", ip_address="203.0.113.9", user_agent="Phone"),
        AccessAttempt: AccessAttempt.objects.create(
            username="admin", ip_address="203.0.113.9", failures_since_start=2, attempt_time=starts
        ),
        consultation.__class__: consultation,
        Booking: booking,
        CalendarFeed: CalendarFeed.objects.create(name="Phone", token_hash=CalendarFeed.hash("token")),
        ConsultationHours: open_hours(),
        Notification: Notification.objects.create(request=consultation, kind=Notification.Kind.PRACTICE),
        AuditEntry: AuditEntry.objects.first(),
        Concern: Concern.objects.first() or Concern.objects.create(label="Anxiety"),
        Relationship: Relationship.objects.first() or Relationship.objects.create(label="Myself"),
        ReplyTemplate: ReplyTemplate.objects.first(),
        Referral: Referral.objects.create(name="Harbor Counseling", how_to_reach="555-0100"),
        page.__class__: page,
        photo.__class__: photo,
        SlugRedirect: SlugRedirect.objects.create(old_slug="old-fees", page=page),
        PracticeSettings: PracticeSettings.load(),
    }
    found = {}
    for model in admin.site._registry:
        # Proxies (the sign-in log over axes' tables) are made through the table they show.
        record = made.get(model) or made.get(model._meta.concrete_model)
        found[model] = model.objects.get(pk=record.pk) if record else model.objects.first()
        assert found[model] is not None, f"make a {model.__name__} in this fixture"
    return found


def extra_arguments(name, argument, record):
    """The URL arguments other than the record's id: a kept version, a booking, a passkey."""
    if argument == "revision_id":
        return PageRevision.objects.filter(page=record).exclude(pk=record.live_revision_id).first().pk
    if argument == "booking_id":
        return Booking.objects.get(request=record).pk
    if argument == "id":  # a staff member's password
        return record.pk
    if argument == "pk" and name == "passkeys_remove":
        return Passkey.objects.first().pk
    raise AssertionError(f"tests/practice/test_admin_walk.py: what goes in {argument} of {name}?")


def view_only_staff():
    user = User.objects.create_user("viewer", is_staff=True, first_name="Val")
    shown = ContentType.objects.get_for_models(*admin.site._registry, for_concrete_models=False).values()
    user.user_permissions.set(Permission.objects.filter(content_type__in=shown, codename__startswith="view_"))
    return user
