"""Replying by email from the request's page: templates checked and filled, sent through the outbox."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from intake.life.notifications import send_due_notifications
from intake.life.replies import placeholder_errors, prefill, values_for
from intake.life.withdrawal import withdraw_link
from intake.models import (
    AuditEntry,
    ConsultationRequest,
    Notification,
    ReplyTemplate,
    StatusChange,
    TimelineEntry,
)
from pages.models import PracticeSettings
from tests.accounts.signing_in import sign_in
from tests.html import form_values
from tests.intake.factories import make_request
from tests.intake.replying import change_url, open_reply, reply_form, reply_url, send, template_named

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
TEMPLATES = "/admin/intake/replytemplate/"
MAIL_DOWN = {"default": {"BACKEND": "tests.intake.broken_mail.MailServerDown"}}
WITHDRAW_LINE = "If you would rather I deleted your request, you can withdraw it here: {withdraw_link}"


@pytest.fixture(autouse=True)
def practice(settings):
    settings.SITE_URL = "https://practice.example"
    settings.DEFAULT_FROM_EMAIL = "Wells Therapy <site@practice.example>"
    practice = PracticeSettings.load()
    practice.practice_name = "Wells Therapy"
    practice.clinician_name = "Ana Wells"
    practice.email = "hello@wells.example"
    practice.reply_business_days = 3
    practice.save()
    return practice


def template_form(**overrides):
    return {
        "name": "Hello",
        "subject": "{practice}",
        "body": "Hello {name}",
        "moves_to": "",
        "order": 5,
    } | overrides


def make_due():
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


# The templates


@pytest.mark.parametrize("field", ["subject", "body"])
def test_an_unknown_placeholder_in_a_template_is_a_form_error_naming_it(admin_client, field):
    response = admin_client.post(f"{TEMPLATES}add/", template_form(**{field: "Hello {nmae}"}))
    assert response.status_code == 200
    assert "Unknown placeholder {nmae}. The placeholders are {name}, {clinician}" in response.content.decode()
    assert not ReplyTemplate.objects.filter(name="Hello").exists()


@pytest.mark.parametrize("text", ["Hello {name", "Hello name}", "Hello {"])
def test_a_stray_brace_in_a_template_is_a_form_error_not_a_crash(admin_client, text):
    response = admin_client.post(f"{TEMPLATES}add/", template_form(body=text))
    assert response.status_code == 200
    html = response.content.decode()
    assert "on its own. Write {{ or }} for a brace" in html
    assert not ReplyTemplate.objects.filter(name="Hello").exists()


@pytest.mark.parametrize(
    "text", ["{name.__class__}", "{name!r}", "{name:>40}", "{}", "{0}", "{name[0]}", "{practice:{name}}"]
)
def test_placeholders_only_ever_name_a_known_value(text):
    assert placeholder_errors(text)[0].startswith(f"Unknown placeholder {text}")


def test_a_template_with_known_placeholders_and_doubled_braces_is_saved(admin_client):
    body = "Hello {name}, from {clinician} at {practice} ({reply_days} days). Braces: {{like this}}."
    response = admin_client.post(f"{TEMPLATES}add/", template_form(body=body))
    assert response.status_code == 302
    assert ReplyTemplate.objects.get(name="Hello").body == body


def test_the_five_seeded_templates_are_there_in_order_each_moving_the_request_on():
    assert list(ReplyTemplate.objects.values_list("name", "moves_to")) == [
        ("Offer a consultation", "contacted"),
        ("Waitlist", "waitlisted"),
        ("Referral elsewhere", "referred"),
        ("Outside my licensed states", "referred"),
        ("Not a fit right now", "not_fit"),
    ]


@pytest.mark.parametrize("name", ["Offer a consultation", "Waitlist", "Referral elsewhere",
                                  "Outside my licensed states", "Not a fit right now"])  # fmt: skip
def test_each_seeded_template_has_a_neutral_subject_valid_placeholders_and_ends_with_the_withdraw_link(name):
    template = template_named(name)
    assert template.subject == "{practice}"
    for word in ("therap", "counsel", "relationship", "consultation", "mental", "referral", "waitlist"):
        assert word not in template.subject.lower()
    assert placeholder_errors(template.subject) == placeholder_errors(template.body) == []
    assert template.body.startswith("Hello {name},")
    assert template.body.endswith(WITHDRAW_LINE)
    assert "{clinician}" in template.body


def test_only_the_referral_template_asks_for_referrals():
    uses = [t.name for t in ReplyTemplate.objects.all() if "{referrals}" in t.body]
    assert uses == ["Referral elsewhere"]


def test_the_template_admin_lists_and_opens_with_the_order_editable_in_the_list(admin_client):
    response = admin_client.get(TEMPLATES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Outside my licensed states" in html
    assert 'name="form-0-order"' in html
    pk = template_named("Waitlist").pk
    form = admin_client.get(f"{TEMPLATES}{pk}/change/").content.decode()
    assert "{clinician}, your name (the practice's if Practice settings has none)" in form


# Filling in


def test_each_placeholder_gets_its_value(practice):
    consultation = make_request(name="Robin")
    values = values_for(consultation)
    assert values == {
        "name": "Robin",
        "clinician": "Ana Wells",
        "practice": "Wells Therapy",
        "reply_days": 3,
        "thanks": "Thank you for reaching out.",
        "picked_times": "(none)",
        "about_times": "Could you reply with two or three times over the next week that suit you? "
        "I will confirm one of them.",
        "location": "New York",
        "referrals": "",
        "withdraw_link": withdraw_link(consultation),
    }
    assert values["withdraw_link"].startswith("https://practice.example/consultation/withdraw/")


def test_without_a_clinician_name_the_practice_signs(practice):
    practice.clinician_name = ""
    practice.save()
    assert values_for(make_request())["clinician"] == "Wells Therapy"


def test_the_form_shows_the_text_filled_in_except_referrals_and_the_withdraw_link():
    text = "Hi {name} from {clinician}, {practice}, {reply_days}. {{braces}} {referrals} {withdraw_link}"
    filled = prefill(text, values_for(make_request(name="Ro{b}in")))
    assert filled == "Hi Ro{{b}}in from Ana Wells, Wells Therapy, 3. {{braces}} {referrals} {withdraw_link}"
    assert placeholder_errors(filled) == [], "what the form shows is still a valid template"


# The button and the page


def test_the_requests_page_has_a_reply_button_for_someone_who_gave_an_email(reviewer):
    consultation = make_request(email="robin@example.com")
    html = reviewer.get(change_url(consultation)).content.decode()
    assert f'href="{reply_url(consultation)}">Reply by email</a>' in html


@pytest.mark.parametrize(
    ("contact", "reason"),
    [
        ("call", "They asked for a phone call and gave no email address: call them instead, and log it."),
        ("text", "They asked for a text message and gave no email address: text them instead, and log it."),
    ],
)
def test_without_an_email_address_the_button_and_the_page_give_the_reason(reviewer, contact, reason):
    consultation = make_request(preferred_contact=contact, email="", phone="555-123-4567")
    html = reviewer.get(change_url(consultation)).content.decode()
    assert reason in html and "Reply by email</a>" not in html
    page = reviewer.get(reply_url(consultation)).content.decode()
    assert reason in page and "<textarea" not in page
    assert AuditEntry.objects.filter(
        action="view", request_number=consultation.pk, detail="reply page"
    ).exists()


def test_sending_anyway_without_an_email_address_is_refused(reviewer):
    consultation = make_request(preferred_contact="call", email="", phone="555-123-4567")
    data = {"template": template_named("Waitlist").pk, "subject": "Hi", "body": "Hello", "send": "Send reply"}
    response = reviewer.post(reply_url(consultation), data)
    assert response.status_code == 400
    assert "gave no email address" in response.content.decode()
    assert not TimelineEntry.objects.exists() and not Notification.objects.exists()
    consultation.refresh_from_db()
    assert consultation.status == Status.NEW and consultation.first_reply_at is None


def test_someone_who_prefers_a_call_but_gave_an_email_can_be_answered_by_email(reviewer):
    consultation = make_request(preferred_contact="call", email="robin@example.com", phone="555-123-4567")
    assert "Reply by email</a>" in reviewer.get(change_url(consultation)).content.decode()
    page = open_reply(reviewer, consultation, "Waitlist").content.decode()
    assert "They prefer a phone call, and gave an email address too." in page


def test_the_reply_page_lists_the_templates_and_fills_in_the_chosen_one(reviewer):
    consultation = make_request(name="Robin", email="robin@example.com")
    blank = reviewer.get(reply_url(consultation)).content.decode()
    assert "Offer a consultation" in blank and "Not a fit right now" in blank and "<textarea" not in blank
    page = open_reply(reviewer, consultation, "Offer a consultation").content.decode()
    values = form_values(page)
    assert values["subject"] == "Wells Therapy"
    assert values["body"].startswith("Hello Robin,\n\nThank you for reaching out")
    assert "within 3 business days" in values["body"]
    assert values["body"].endswith("Warmly,\nAna Wells\n\n" + WITHDRAW_LINE)
    assert "Robin &lt;robin@example.com&gt;" in page
    assert "Sending moves this request from “New” to “Contacted”." in page
    assert "hello@wells.example" in page


def test_opening_the_reply_page_is_audited_as_a_view_by_number(reviewer):
    consultation = make_request(name="Robin")
    open_reply(reviewer, consultation, "Waitlist")
    entry = AuditEntry.objects.get(action="view", request_number=consultation.pk)
    assert entry.username == "reviewer" and entry.detail == "reply page"


def test_replying_needs_permission_to_change_requests(client):
    consultation = make_request()
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_consultationrequest"))
    sign_in(client, viewer)
    assert client.get(change_url(consultation)).status_code == 200
    assert client.get(reply_url(consultation)).status_code == 403
    data = {"template": template_named("Waitlist").pk, "subject": "Hi", "body": "Hello", "send": "Send reply"}
    assert client.post(reply_url(consultation), data).status_code == 403
    assert not TimelineEntry.objects.exists()


def test_a_template_saved_with_a_mistake_opens_with_the_mistake_shown_never_a_crash(reviewer):
    ReplyTemplate.objects.create(name="Broken", subject="{practice}", body="Hello {nmae}", order=1)
    consultation = make_request()
    html = open_reply(reviewer, consultation, "Broken").content.decode()
    assert "This template has a mistake" in html
    assert "Unknown placeholder {nmae}" in html
    assert "Hello {nmae}</textarea>" in html


# Sending


def test_sending_records_the_reply_queues_it_moves_the_status_and_is_audited(reviewer):
    consultation = make_request(name="Robin")
    response = send(reviewer, consultation, "Offer a consultation")
    assert response.status_code == 302
    assert response["Location"] == change_url(consultation)

    entry = TimelineEntry.objects.get()
    assert (entry.request, entry.kind, entry.by) == (consultation, "reply", reviewer.user)
    assert entry.subject == "Wells Therapy"
    assert entry.text.startswith("Hello Robin,")
    assert entry.text.endswith(f"withdraw it here: {withdraw_link(consultation)}")
    notification = Notification.objects.get(kind="reply")
    assert (notification.request, notification.reply, notification.sent_at) == (consultation, entry, None)

    consultation.refresh_from_db()
    assert consultation.status == Status.CONTACTED
    assert consultation.first_reply_at is not None
    assert StatusChange.objects.get(request=consultation).changed_by == reviewer.user
    audit = AuditEntry.objects.get(action="change")
    assert (audit.request_number, audit.detail) == (consultation.pk, "sent a reply (Offer a consultation)")


def test_after_sending_the_page_says_the_reply_is_queued(reviewer):
    consultation = make_request()
    data = reply_form(reviewer, consultation, "Waitlist") | {"send": "Send reply"}
    page = reviewer.post(reply_url(consultation), data, follow=True).content.decode()
    assert f"Reply to request #{consultation.pk} queued: it goes out within a minute." in page


def test_what_the_therapist_edits_is_what_is_sent(reviewer):
    consultation = make_request(name="Robin")
    body = "Dear {name},\nSee you.\n{withdraw_link}"
    send(reviewer, consultation, "Waitlist", subject="A note from {practice}", body=body)
    entry = TimelineEntry.objects.get()
    expected = f"Dear Robin,\nSee you.\n{withdraw_link(consultation)}"
    assert (entry.subject, entry.text) == ("A note from Wells Therapy", expected)


def test_a_subject_is_kept_on_one_line(reviewer):
    send(reviewer, make_request(), "Waitlist", subject="Wells\r\nBcc: someone@example.com")
    assert TimelineEntry.objects.get().subject == "Wells Bcc: someone@example.com"


def test_a_name_with_braces_is_sent_as_written(reviewer):
    send(reviewer, make_request(name="Ro{b}in"), "Waitlist")
    assert TimelineEntry.objects.get().text.startswith("Hello Ro{b}in,")


def test_a_template_that_keeps_the_status_still_records_the_first_reply(reviewer):
    ReplyTemplate.objects.create(name="Just a note", subject="{practice}", body="Hello {name}", moves_to="")
    consultation = make_request()
    page = open_reply(reviewer, consultation, "Just a note").content.decode()
    assert "Sending keeps this request’s status (“New”)." in page
    send(reviewer, consultation, "Just a note")
    consultation.refresh_from_db()
    assert consultation.status == Status.NEW
    assert consultation.first_reply_at == TimelineEntry.objects.get().at


def test_a_reply_to_a_request_already_answered_keeps_its_first_reply_time(reviewer):
    consultation = make_request()
    consultation.change_status(Status.CONTACTED)
    first = consultation.first_reply_at
    send(reviewer, consultation, "Waitlist")
    consultation.refresh_from_db()
    assert consultation.status == Status.WAITLISTED
    assert consultation.first_reply_at == first


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("body", "Hello {nmae}", "Unknown placeholder {nmae}."),
        ("subject", "{practise}", "Unknown placeholder {practise}."),
        ("body", "Happy to help :}", "There is a “}” on its own."),
    ],
)
def test_a_mistake_in_the_reply_is_a_form_error_and_nothing_is_sent(reviewer, field, text, message):
    consultation = make_request()
    response = send(reviewer, consultation, "Waitlist", **{field: text})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TimelineEntry.objects.exists() and not Notification.objects.exists()
    assert ConsultationRequest.objects.get().status == Status.NEW


def test_sending_is_one_step_a_failure_part_way_leaves_nothing_behind(reviewer, monkeypatch):
    consultation = make_request()
    data = reply_form(reviewer, consultation, "Waitlist") | {"send": "Send reply"}

    def audit_fails(*args, **kwargs):
        raise RuntimeError("the audit log is unreachable")

    monkeypatch.setattr(AuditEntry, "record", audit_fails)
    reviewer.raise_request_exception = False
    assert reviewer.post(reply_url(consultation), data).status_code == 500
    assert not TimelineEntry.objects.exists() and not Notification.objects.exists()
    consultation.refresh_from_db()
    assert (consultation.status, consultation.first_reply_at) == (Status.NEW, None)
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("chosen", ["abc", "99999", "1e3", "-1", "9" * 30])
def test_an_odd_template_number_in_the_address_shows_the_list_without_a_form(reviewer, chosen):
    response = reviewer.get(reply_url(make_request()), {"template": chosen})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Start from a template" in html and "<textarea" not in html


def test_a_template_deleted_meanwhile_is_a_form_error(reviewer):
    consultation = make_request()
    data = reply_form(reviewer, consultation, "Waitlist") | {"send": "Send reply"}
    template_named("Waitlist").delete()
    response = reviewer.post(reply_url(consultation), data)
    assert "That template has just been deleted: choose another." in response.content.decode()
    assert not TimelineEntry.objects.exists()


def test_preview_shows_the_email_filled_in_and_sends_nothing(reviewer):
    consultation = make_request(name="Robin")
    data = reply_form(reviewer, consultation, "Waitlist") | {"preview": "Preview"}
    html = reviewer.post(reply_url(consultation), data).content.decode()
    assert "What they will receive" in html
    # Named, not shown: the link is the visitor's credential (tests/intake/test_staff_never_see_visitor_links.py).
    assert withdraw_link(consultation) not in html and "[the visitor&#x27;s withdraw link]" in html
    assert not TimelineEntry.objects.exists() and not Notification.objects.exists()
    assert AuditEntry.objects.filter(action="view", detail="reply page").count() == 2


# The email


def test_the_worker_sends_the_reply_to_them_from_the_site_with_reply_to_the_practice(reviewer):
    consultation = make_request(email="robin@example.com")
    send(reviewer, consultation, "Offer a consultation")
    entry, notification = TimelineEntry.objects.get(), Notification.objects.get()
    assert send_due_notifications() == (1, 0)
    (email,) = mail.outbox
    assert email.to == ["robin@example.com"] and email.cc == email.bcc == []
    assert email.from_email == "Wells Therapy <site@practice.example>"
    assert email.reply_to == ["hello@wells.example"]
    assert (email.subject, email.body) == (entry.subject, entry.text)
    assert email.message()["Message-ID"] == notification.message_id
    assert Notification.objects.get().sent_at is not None


def test_without_a_practice_email_the_reply_has_no_reply_to(reviewer, practice):
    practice.email = ""
    practice.save()
    consultation = make_request()
    page = open_reply(reviewer, consultation, "Waitlist").content.decode()
    assert "set a public email in Practice settings so answers reach you" in page
    send(reviewer, consultation, "Waitlist")
    send_due_notifications()
    assert mail.outbox[0].reply_to == []
    assert "Reply-To" not in mail.outbox[0].message()


def test_a_reply_survives_a_mail_outage_and_is_sent_once_with_one_message_id(reviewer):
    send(reviewer, make_request(), "Waitlist")
    with override_settings(MAILERS=MAIL_DOWN):
        for _ in range(3):
            make_due()
            assert send_due_notifications() == (0, 1)
    notification = Notification.objects.get()
    assert (notification.attempts, notification.last_error) == (3, "SMTPConnectError")
    make_due()
    assert send_due_notifications() == (1, 0)
    make_due()
    assert send_due_notifications() == (0, 0)
    (email,) = mail.outbox
    assert email.message()["Message-ID"] == notification.message_id


def test_a_reply_whose_address_has_gone_waits_visibly_instead_of_going_nowhere(reviewer):
    consultation = make_request(preferred_contact="call", phone="555-123-4567", email="robin@example.com")
    send(reviewer, consultation, "Waitlist")
    ConsultationRequest.objects.filter(pk=consultation.pk).update(email="")
    assert send_due_notifications() == (0, 1)
    assert Notification.objects.get().last_error == "NoRecipient"
    assert mail.outbox == []


def test_the_replys_state_shows_on_the_requests_page(reviewer):
    consultation = make_request()
    send(reviewer, consultation, "Waitlist")
    assert "Reply to the visitor: queued" in reviewer.get(change_url(consultation)).content.decode()


# The reply is part of the request


def test_purging_a_request_deletes_its_replies_and_their_emails(reviewer, settings):
    settings.INTAKE_RETENTION_DAYS = 180
    consultation = make_request(received_at=timezone.now() - timedelta(days=400))
    send(reviewer, consultation, "Not a fit right now")
    ConsultationRequest.objects.filter(pk=consultation.pk).update(
        status_changed_at=timezone.now() - timedelta(days=200)
    )
    call_command("purge_consultations", verbosity=0)
    assert not ConsultationRequest.objects.exists()
    assert not TimelineEntry.objects.exists() and not Notification.objects.exists()


def test_erasing_a_person_deletes_their_replies_and_their_emails(reviewer):
    consultation = make_request()
    send(reviewer, consultation, "Waitlist")
    data = {"action": "erase_person", "_selected_action": [consultation.pk], "confirm": "yes"}
    reviewer.post("/admin/intake/consultationrequest/", data | {"shown": [consultation.pk]})
    assert not ConsultationRequest.objects.exists()
    assert not TimelineEntry.objects.exists() and not Notification.objects.exists()


def test_a_reply_edited_to_leave_out_the_withdraw_link_still_ends_with_it(reviewer):
    consultation = make_request()
    send(reviewer, consultation, "Waitlist", body="Hello,\n\nI have a place for you next month.")
    text = TimelineEntry.objects.get().text
    assert text == (
        "Hello,\n\nI have a place for you next month.\n\n"
        f"If you would rather I deleted your request, you can withdraw it here: {withdraw_link(consultation)}"
    )


def test_a_reply_that_keeps_the_withdraw_link_carries_it_once(reviewer):
    consultation = make_request()
    send(reviewer, consultation, "Waitlist")
    assert TimelineEntry.objects.get().text.count("/consultation/withdraw/") == 1


def test_every_email_about_one_request_carries_the_same_withdraw_link(reviewer):
    consultation = make_request()
    first = withdraw_link(consultation)
    with mock.patch("time.time", return_value=time.time() + 3 * 24 * 3600):
        assert withdraw_link(consultation) == first
