"""What the practice settings still lack, at the top of the admin home, until the therapist fills them in."""

from django import template

from pages.models import PracticeSettings

register = template.Library()


def missing_settings(practice):
    """(what is missing, the form field to go to) for each detail the public site needs and lacks."""
    missing = []
    if practice.practice_name in ("", PracticeSettings._meta.get_field("practice_name").default):
        missing.append(("Your practice's name, for the site's header and the browser tab", "practice_name"))
    if not practice.clinician_name:
        missing.append(("Your name as clients should see it", "clinician_name"))
    if not (practice.email or practice.phone):
        missing.append(("A way to reach you: a public email or phone number", "email"))
    if not practice.licensed_state_codes:
        missing.append(("The states where you are licensed", "licensed_states"))
    if not (practice.privacy_page and practice.privacy_page.is_live):
        missing.append(("A published privacy notice, linked next to the form's send button", "privacy_page"))
    return missing


@register.inclusion_tag("admin/pages/setup_checklist.html", takes_context=True)
def setup_checklist(context):
    """No query of its own: the admin's header has already loaded the settings for this request."""
    request = context["request"]
    if not request.user.has_perm("pages.change_practicesettings"):
        return {"missing": []}
    return {"missing": missing_settings(PracticeSettings.for_request(request))}
