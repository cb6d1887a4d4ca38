import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property

from booking.forms import CHOOSE_WAY, TimesField, WayField
from booking.models import Booking
from intake.form.layout import BookingSection, OptionalSection, ShownWith
from intake.form.options import FormOptions
from intake.models import ConsultationRequest

PHONE_CHARACTERS = re.compile(r"^[0-9+().\-\s/x]*$", re.IGNORECASE)
# Four digits in a row look like a member or policy number, which this form must never hold.
MEMBER_NUMBER = re.compile(r"\d{4,}")
# Error codes whose messages name their question, so the error summary need not put the label first.
SELF_EXPLAINED = {"required", "needs_phone"}


def join_words(words, conjunction):
    """["A"] is "A"; ["A", "B", "C"] is "A, B and C"."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


class LineBreakCountedOnceField(forms.CharField):
    """A text box whose line breaks are stored as one character, as the visitor's browser counted them."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class ConsultationForm(forms.ModelForm):
    """What a visitor tells the practice when asking for a first consultation. The minimum, nothing clinical."""

    preferred_contact = forms.ChoiceField(
        label="How would you like me to contact you?",
        choices=ConsultationRequest.Contact.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you would like me to contact you."},
    )
    client_location = forms.ChoiceField(
        label="Where will you be during sessions?",
        choices=[("", "Choose a state")] + ConsultationRequest.LOCATION_CHOICES,
        error_messages={"required": "Choose the state you will be in during sessions."},
    )
    is_adult = forms.BooleanField(
        label="I am 18 or older",
        error_messages={
            "required": "Please confirm you are 18 or older. If you are under 18, a parent or guardian can get "
            "in touch for you, and you can call or text 988 at any time."
        },
    )
    session_format = forms.ChoiceField(
        label="In person or online?",
        choices=ConsultationRequest.SessionFormat.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label="When could you usually meet?",
        choices=ConsultationRequest.Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    payment = forms.ChoiceField(
        label="How would you pay?",
        choices=ConsultationRequest.Payment.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    # The three choices below live in the database; their options come from FormOptions.
    service = forms.ChoiceField(label="Which service are you asking about?", required=False)
    concerns = forms.MultipleChoiceField(
        label="What would you like help with? Choose any that fit.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    relationships = forms.MultipleChoiceField(
        label="Which relationships does this touch?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    emergency_notice_seen = forms.BooleanField(
        label="I understand this form is not for emergencies",
        error_messages={"required": "Please confirm you understand this form is not for emergencies."},
    )
    privacy_accepted = forms.BooleanField(
        label="I have read the privacy notice",
        error_messages={"required": "Please confirm you have read the privacy notice."},
    )
    # The honeypot: hidden from people (and screen readers) by CSS; scripts fill it in.
    reference_code = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Answers a link chose for the visitor (a service page's "?service="): they do not open the optional section.
    PRESET_BY_LINKS = {"service"}

    class Meta:
        model = ConsultationRequest
        fields = [
            "name",
            "preferred_contact",
            "email",
            "phone",
            "voicemail_ok",
            "text_ok",
            "client_location",
            "is_adult",
            "session_format",
            "availability",
            "payment",
            "insurer",
            "message",
            "heard_about",
            "emergency_notice_seen",
        ]
        labels = {
            "name": "The name you would like me to use",
            "email": "Email",
            "phone": "Phone",
            "voicemail_ok": "It is OK to leave a voicemail",
            "text_ok": "It is OK to send a text message",
            "insurer": "Insurance company",
            "message": "Anything you would like me to know (optional)",
            "heard_about": "How did you hear about the practice?",
        }
        help_texts = {
            "name": "A first name is enough.",
            "email": "Needed if you choose email.",
            "phone": "Needed if you choose a call or a text.",
            "insurer": "Just the company's name, for example Aetna. Never a member or policy number.",
            "message": "At most 1000 characters. Please leave out diagnoses, medications and anything "
            "about a crisis: we can talk about those by phone.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "message": forms.Textarea(attrs={"rows": 5}),
        }
        # Browsers count a line break as one character but send two (CR LF).
        field_classes = {"message": LineBreakCountedOnceField}
        error_messages = {
            "name": {"required": "Tell me the name you would like me to use."},
            "email": {"invalid": "Enter an email address like name@example.com."},
            "message": {
                "max_length": "Please keep the message to 1000 characters or fewer (it has %(show_value)d)."
            },
        }

    def __init__(self, *args, options=None, licensed_states=None, open_times=None, **kwargs):
        """
        `options`: the database's choices (intake.form.options); read now when not given.
        `licensed_states`: (code, name) pairs where the therapist is licensed, named next to the
        location question; none given, the form says nothing about licences.
        `open_times`: the consultation times a visitor may pick (booking.slots.open_times); none
        given (booking off, or not accepting new clients), the form asks nothing about a time.
        """
        super().__init__(*args, **kwargs)
        if open_times or self.sent_times():
            # A time sent when none is open any more is still checked, so it is never dropped unseen.
            self.fields["times"] = TimesField(open_times or [])
            self.fields["way"] = WayField()
        self.licensed_states = list(licensed_states or [])
        if self.licensed_states:
            location = self.fields["client_location"]
            location.help_text = f"I am licensed in {self.licensed_in_and}."
            # The page's script reads these to say at once when a visitor chooses somewhere else.
            location.widget.attrs["data-intake-licensed"] = ",".join(code for code, _ in self.licensed_states)
        self.options = options = options or FormOptions.load()
        self.fields["service"].choices = [("", "Not sure, or something else"), *options.service_choices()]
        self.fields["concerns"].choices = options.concerns
        self.fields["relationships"].choices = options.relationships
        if options.unknown:
            # The choices could not be read: keep what the visitor chose, unseen, so nothing is lost.
            self.fields["service"].widget = forms.HiddenInput()
            self.fields["concerns"].widget = forms.MultipleHiddenInput()
            self.fields["relationships"].widget = forms.MultipleHiddenInput()
        else:
            for name, choices in [
                ("service", options.services),
                ("concerns", options.concerns),
                ("relationships", options.relationships),
            ]:
                if not choices:
                    del self.fields[name]

    def sent_times(self):
        """The values a visitor sent as picked times (a bound form's), whatever the form offers now."""
        if not self.is_bound:
            return []
        values = self.data.getlist("times") if hasattr(self.data, "getlist") else self.data.get("times")
        if isinstance(values, str):
            values = [values]
        return [value for value in values or [] if value]

    @cached_property
    def helper(self):
        """crispy's layout, made when the form is drawn: a valid form sent is saved without it."""
        helper = FormHelper()
        helper.form_tag = False
        # The page's template writes the CSRF token and the form token, so the rest can be cached.
        helper.disable_csrf = True
        helper.layout = Layout(*self.sections())
        return helper

    def sections(self):
        """The required questions first and alone, the optional ones folded away, the agreements by the button."""

        def present(*names):
            return [name for name in names if name in self.fields]

        return [
            Fieldset(
                "How to reach you",
                "name",
                "preferred_contact",
                ShownWith("email", question="preferred_contact", answers="email"),
                ShownWith(
                    "phone",
                    Fieldset(
                        "Is it safe to leave messages?",
                        "voicemail_ok",
                        "text_ok",
                        css_class="intake-safe-messages",
                    ),
                    question="preferred_contact",
                    answers="call text",
                ),
            ),
            # Two questions that each say what they ask: no group heading to read past.
            Div(
                "client_location",
                HTML('{% include "includes/intake_out_of_area.html" %}'),
                "is_adult",
                css_class="intake-where",
            ),
            *([BookingSection()] if "times" in self.fields else []),
            OptionalSection(
                *present("service", "concerns", "relationships"),
                "message",
                "session_format",
                "availability",
                "payment",
                ShownWith("insurer", question="payment", answers="insurance"),
                "heard_about",
            ),
            # By the send button, under the privacy summary's own heading.
            Div(
                HTML('{% include "includes/intake_privacy_summary.html" %}'),
                "emergency_notice_seen",
                "privacy_accepted",
                css_class="intake-agreements",
            ),
            Div("reference_code", css_class="intake-hp", aria_hidden="true"),
        ]

    @property
    def licensed_in_and(self):
        """The licensed states in words: "New York and New Jersey"."""
        return join_words([name for _, name in self.licensed_states], "and")

    @property
    def licensed_in_or(self):
        return join_words([name for _, name in self.licensed_states], "or")

    def error_summary(self):
        """(anchor, message) for each error, in form order, for the summary above the form."""
        items = [("", message) for message in self.non_field_errors()]
        errors = self.errors.as_data()
        for field in self:
            for error in errors.get(field.name, []):
                # The required messages name their question; other messages need the label to make sense.
                self_explained = error.code in SELF_EXPLAINED or getattr(
                    field.field, "messages_name_the_question", False
                )
                label = "" if self_explained else f"{field.label}: "
                anchor = (
                    ""
                    if field.is_hidden
                    else field.field.first_id(field.auto_id)
                    if isinstance(field.field, TimesField)
                    else f"{field.auto_id}_0"
                    if field.use_fieldset
                    else field.auto_id
                )
                items.extend((anchor, label + message) for message in error.messages)
        return items

    def validate_constraints(self):
        """
        Not asked of the database: Django would run a query for each of the two check constraints
        on this form's fields (an email for "email", a phone for a call or a text), about a quarter of
        a sent form's server time, and clean() states both rules already, in kinder words. The
        database still enforces every constraint when the request is saved.
        """

    def save(self, commit=True):
        consultation = super().save(commit=False)
        consultation.service_id = self.options.service_page_id(self.cleaned_data.get("service"))
        if commit:
            consultation.save()
            self.save_choices(consultation)
        return consultation

    def save_choices(self, consultation):
        """The concerns and relationships of a request just saved (it has none yet)."""
        # add(), not set(): a new request has nothing to replace, so nothing need be read first.
        consultation.concerns.add(*self.cleaned_data.get("concerns", []))
        consultation.relationships.add(*self.cleaned_data.get("relationships", []))

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        digits = re.sub(r"\D", "", phone)
        if phone and (not PHONE_CHARACTERS.match(phone) or not 7 <= len(digits) <= 15):
            raise ValidationError(
                "Enter a phone number with 7 to 15 digits, like 555-123-4567.", code="invalid"
            )
        return phone

    def clean_insurer(self):
        insurer = self.cleaned_data["insurer"]
        if MEMBER_NUMBER.search(insurer):
            raise ValidationError(
                "Please give only the insurance company's name, never a member or policy number.",
                code="member_number",
            )
        return insurer

    def clean(self):
        cleaned_data = super().clean()
        contact = cleaned_data.get("preferred_contact")
        if (
            contact == ConsultationRequest.Contact.EMAIL
            and not cleaned_data.get("email")
            and "email" not in self.errors
        ):
            self.add_error(
                "email",
                ValidationError(
                    "Add your email address, or choose a call or a text instead.", code="required"
                ),
            )
        needs_phone = contact in (ConsultationRequest.Contact.CALL, ConsultationRequest.Contact.TEXT)
        if needs_phone and not cleaned_data.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone",
                ValidationError(
                    "Add a phone number so I can call or text you, or choose email.", code="required"
                ),
            )
        if contact == ConsultationRequest.Contact.TEXT:
            # Asking to be texted is permission to text.
            cleaned_data["text_ok"] = True
        self.check_way(cleaned_data)
        return cleaned_data

    def check_way(self, cleaned_data):
        """Times picked need a way the visitor chose; a consultation by phone needs a number to call."""
        if cleaned_data.get("times") and not cleaned_data.get("way") and "way" not in self.errors:
            self.add_error("way", ValidationError(CHOOSE_WAY, code="required"))
        if (
            cleaned_data.get("times")
            and cleaned_data.get("way") == Booking.Way.PHONE
            and not cleaned_data.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error(
                "way",
                ValidationError(
                    "For a phone call I need your number: choose a video call, or choose a call or "
                    "a text above and add your phone number.",
                    code="needs_phone",
                ),
            )
