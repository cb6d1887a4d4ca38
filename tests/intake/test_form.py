"""Every validation rule of the consultation form, the conditional ones included."""

import pytest

from intake.form.forms import ConsultationForm
from intake.models import Concern, ConsultationRequest, Relationship
from pages.models import Page
from tests.html import texts
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db


def errors_for(**overrides):
    form = ConsultationForm(form_data(**overrides))
    assert not form.is_valid()
    return form.errors


def test_the_complete_example_is_valid():
    form = ConsultationForm(form_data())
    assert form.is_valid(), form.errors


def test_the_form_lists_its_fields_explicitly():
    assert isinstance(ConsultationForm._meta.fields, list)
    assert "status" not in ConsultationForm.base_fields
    assert "notes" not in ConsultationForm.base_fields
    assert "spam_reason" not in ConsultationForm.base_fields


@pytest.mark.parametrize(
    "field",
    ["name", "preferred_contact", "client_location", "is_adult", "emergency_notice_seen", "privacy_accepted"],
)
def test_required_questions_say_what_is_missing(field):
    errors = errors_for(**{field: None})
    assert field in errors
    assert "This field is required" not in errors[field][0], "each required question has its own message"


def test_the_adult_question_tells_a_minor_what_to_do_instead():
    message = errors_for(is_adult=None)["is_adult"][0]
    assert "parent or guardian" in message and "988" in message


def test_email_is_required_when_email_is_the_chosen_contact():
    assert errors_for(preferred_contact="email", email="")["email"] == [
        "Add your email address, or choose a call or a text instead."
    ]


@pytest.mark.parametrize("contact", ["call", "text"])
def test_email_is_optional_when_a_call_or_text_is_chosen(contact):
    assert ConsultationForm(form_data(preferred_contact=contact, email="")).is_valid()


@pytest.mark.parametrize("contact", ["call", "text"])
def test_phone_is_required_when_a_call_or_text_is_chosen(contact):
    assert errors_for(preferred_contact=contact, phone="")["phone"] == [
        "Add a phone number so I can call or text you, or choose email."
    ]


def test_a_missing_contact_detail_reads_in_the_summary_as_its_own_sentence():
    form = ConsultationForm(form_data(preferred_contact="email", email="", name=""))
    form.is_valid()
    assert form.error_summary() == [
        ("id_name", "Tell me the name you would like me to use."),
        ("id_email", "Add your email address, or choose a call or a text instead."),
    ]
    form = ConsultationForm(form_data(preferred_contact="call", phone=""))
    form.is_valid()
    assert form.error_summary() == [
        ("id_phone", "Add a phone number so I can call or text you, or choose email.")
    ]


def test_a_mistyped_email_or_phone_gets_one_message_not_also_a_missing_one():
    assert errors_for(preferred_contact="email", email="robin@")["email"] == [
        "Enter an email address like name@example.com."
    ]
    assert errors_for(preferred_contact="call", phone="12")["phone"] == [
        "Enter a phone number with 7 to 15 digits, like 555-123-4567."
    ]


def test_phone_is_optional_when_email_is_chosen():
    assert ConsultationForm(form_data(preferred_contact="email", phone="")).is_valid()


@pytest.mark.parametrize("phone", ["12345", "call me maybe", "1234567890123456", "555-CALL-NOW"])
def test_a_phone_number_needs_7_to_15_digits(phone):
    assert "7 to 15 digits" in errors_for(phone=phone)["phone"][0]


@pytest.mark.parametrize(
    "phone", ["555-1234", "+1 (555) 123-4567", "555.123.4567 x12", "+44 20 7946 0958 123"]
)
def test_usual_ways_of_writing_a_phone_number_are_accepted(phone):
    assert ConsultationForm(form_data(phone=phone)).is_valid()


def test_email_must_be_an_address():
    assert "email" in errors_for(email="robin at example")


def test_choosing_text_is_permission_to_text():
    form = ConsultationForm(form_data(preferred_contact="text", text_ok=None))
    assert form.is_valid()
    assert form.cleaned_data["text_ok"] is True


def test_voicemail_permission_is_never_assumed():
    form = ConsultationForm(form_data(preferred_contact="call", voicemail_ok=None))
    assert form.is_valid()
    assert form.cleaned_data["voicemail_ok"] is False


@pytest.mark.parametrize("location", ["XX", "", "New York"])
def test_the_location_must_be_a_us_state_or_outside_the_us(location):
    assert "client_location" in errors_for(client_location=location)


def test_outside_the_us_is_a_valid_answer():
    assert ConsultationForm(form_data(client_location="outside")).is_valid()


@pytest.mark.parametrize(
    "field,value", [("session_format", "on_the_moon"), ("payment", "bitcoin"), ("availability", ["midnight"])]
)
def test_choice_questions_accept_only_their_choices(field, value):
    assert field in errors_for(**{field: value})


def test_the_optional_questions_may_all_be_left_out():
    optional = ["session_format", "availability", "payment", "insurer", "concerns", "relationships"]
    form = ConsultationForm(form_data(**dict.fromkeys(optional + ["message", "heard_about", "phone"])))
    assert form.is_valid(), form.errors


def test_the_message_may_hold_1000_characters_and_no_more():
    assert ConsultationForm(form_data(message="a" * 1000)).is_valid()
    assert "1000 characters or fewer (it has 1001)" in errors_for(message="a" * 1001)["message"][0]


@pytest.mark.parametrize("insurer", ["Aetna 123456789", "Member ID W1234567"])
def test_the_insurer_field_refuses_member_numbers(insurer):
    assert "never a member or policy number" in errors_for(insurer=insurer)["insurer"][0]


def test_retired_concerns_are_not_offered_but_past_requests_keep_them():
    concern = Concern.objects.get(label="Feeling easily rejected")
    concern.active = False
    concern.save()
    assert "concerns" in errors_for(concerns=[str(concern.pk)])
    assert concern.label not in str(ConsultationForm()["concerns"])


def test_the_concerns_come_from_the_service_copy_and_are_editable_rows():
    labels = list(Concern.objects.values_list("label", flat=True))
    assert labels[:3] == [
        "Pulling away when things get close",
        "Over-functioning to keep the peace",
        "Feeling easily rejected",
    ]
    assert len(labels) == 8
    Concern.objects.create(label="Grief after a breakup", order=5)
    assert "Grief after a breakup" in str(ConsultationForm()["concerns"])


def test_without_service_pages_or_choices_those_questions_are_left_out_and_requests_still_arrive(client):
    data = form_data(service="relationship-issues")
    Page.objects.filter(kind=Page.Kind.SERVICE).update(status=Page.Status.DRAFT)
    Concern.objects.update(active=False)
    Relationship.objects.update(active=False)
    html = client.get("/consultation/").content.decode()
    for name in ("service", "concerns", "relationships"):
        assert f'name="{name}"' not in html, name
    assert client.post("/consultation/", data).status_code == 302
    consultation = ConsultationRequest.objects.get()
    assert consultation.service is None
    assert not consultation.concerns.exists() and not consultation.relationships.exists()


def test_the_page_holds_one_form_whose_every_group_of_questions_has_a_legend(client):
    html = client.get("/consultation/").content.decode()
    assert html.count("<form") == 1, "the layout adds no form of its own inside the page's"
    legends = [text.strip() for _, text in texts(html, "legend")]
    assert all(legends) and len(legends) == html.count("<fieldset")


def test_the_help_text_asks_for_no_clinical_details_in_the_message():
    help_text = ConsultationForm().fields["message"].help_text
    assert "diagnoses" in help_text and "medications" in help_text and "crisis" in help_text


def test_the_error_summary_links_each_error_to_its_field_in_form_order():
    form = ConsultationForm(form_data(name="", preferred_contact=None, insurer="Aetna 12345"))
    form.is_valid()
    anchors = [anchor for anchor, _ in form.error_summary()]
    assert anchors == ["id_name", "id_preferred_contact_0", "id_insurer"]
    messages = dict(form.error_summary())
    assert messages["id_insurer"].startswith("Insurance company: ")


def test_an_invalid_post_saves_nothing_and_shows_the_summary_and_field_errors(client):
    response = client.post("/consultation/", form_data(name="", email=""))
    assert response.status_code == 200
    assert ConsultationRequest.objects.count() == 0
    html = response.content.decode()
    assert "<title>Error: " in html
    assert 'id="error-summary" tabindex="-1"' in html
    assert "There are 2 problems with your request" in html
    assert '<a href="#id_name">' in html and '<a href="#id_email">' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_error"' in html


def test_answers_are_kept_when_the_form_comes_back_with_errors(client):
    html = client.post("/consultation/", form_data(name="", message="Kept words")).content.decode()
    assert "Kept words" in html


def test_every_input_has_a_label_and_checkbox_groups_have_legends(client):
    html = client.get("/consultation/").content.decode()
    form = ConsultationForm()
    for field in form:
        if field.is_hidden:
            continue
        if field.use_fieldset:
            assert "<legend" in html and field.label in html
            for index in range(len(field.field.choices)):
                assert f'for="{field.auto_id}_{index}"' in html, field.name
        else:
            assert f'for="{field.auto_id}"' in html, field.name


def test_the_honeypot_is_hidden_by_css_and_from_screen_readers_and_skipped_by_tab(client):
    html = client.get("/consultation/").content.decode()
    start = html.index('class="intake-hp"')
    honeypot = html[html.rindex("<div", 0, start) : html.index("</div>", start)]
    assert 'aria-hidden="true"' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert "style=" not in html, "the CSP forbids inline styles"


def test_the_form_uses_no_captcha_and_no_inline_script(client):
    html = client.get("/consultation/").content.decode().lower()
    assert "captcha" not in html
    assert "<script>" not in html
    assert "<script src=" in html
