"""Structured data about the practice for search engines (schema.org, as JSON-LD)."""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from pages.models import PracticeSettings
from pages.templatetags.pictures import largest_url

# The same escapes as Django's json_script: nothing in the data can close the tag.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def practice_json_ld(request):
    practice = PracticeSettings.for_request(request)
    data = {
        "@context": "https://schema.org",
        "@type": "ProfessionalService",
        "name": practice.practice_name,
        "url": request.build_absolute_uri("/"),
    }
    if practice.clinician_name:
        # Credentials alone name nobody; an empty jobTitle would be a blank for search engines to show.
        data["employee"] = {"@type": "Person", "name": practice.clinician_name}
        if practice.credentials:
            data["employee"]["jobTitle"] = practice.credentials
    if image := largest_url(practice.clinician_photo, "portrait"):
        data["image"] = request.build_absolute_uri(image)
        if "employee" in data:
            data["employee"]["image"] = data["image"]
    if practice.phone:
        data["telephone"] = practice.phone
    if practice.email:
        data["email"] = practice.email
    if practice.location:
        data["address"] = practice.location
    if practice.licensed_state_names:
        data["areaServed"] = [{"@type": "State", "name": name} for name in practice.licensed_state_names]
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
