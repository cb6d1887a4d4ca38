"""
The consultation form as a visitor first sees it, rendered once per version of what it shows.

crispy-forms takes most of a GET's server time to render the form (some 45 ms of 55 on the
benchmark's machine), yet the unbound form is the same for every visitor shown the same choices,
practice details, open times and preselected service. So its HTML is kept in Django's cache under
a hash of exactly those inputs, read cheaply on every request: when one changes, the key changes,
and every gunicorn worker shows the new form at once without being told (nothing is invalidated;
old entries age out). The per-visitor parts, the CSRF token and the form token, are never in the
cached HTML: templates/intake/consultation.html puts them in the <form> around it. A bound form
(mistakes marked, a 409, 429 or 503) is rendered afresh every time.

The key is a hash: it holds no value a visitor typed (the `service` from a link is one of the
form's own choices, or nothing).

How the inputs themselves learn of an edit (the content version and its triggers) is told once, in
pages/freshness/__init__.py.
"""

import hashlib
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template import engines

# The code and templates that draw the form: a deploy that changes them changes every key, even
# with a cache that outlives the processes.
DRAWN_BY = [
    "intake/form/forms.py",
    "intake/form/layout.py",
    "booking/forms.py",
    "templates/intake/booking_section.html",
    "templates/intake/optional_section.html",
    "templates/includes/booking_times.html",
    "templates/includes/intake_out_of_area.html",
    "templates/includes/intake_privacy_summary.html",
]
# A day: an entry unused that long is for a version of the form nobody sees any more.
KEEP_FOR = 60 * 60 * 24
FORM_TEMPLATE = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form %}")


def _code_version():
    digest = hashlib.sha256()
    for name in DRAWN_BY:
        digest.update((Path(settings.BASE_DIR) / name).read_bytes())
    for package in ("django-crispy-forms", "crispy-bootstrap5", "django"):
        digest.update(version(package).encode())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def rendered_form(form, practice):
    """The unbound `form`'s HTML (crispy's), from the cache when these inputs drew it before."""
    key = "intake-form:" + fingerprint(form, practice)
    html = cache.get(key)
    if html is None:
        html = FORM_TEMPLATE.render(drawing_context(form, practice))
        cache.set(key, html, KEEP_FOR)
    return html


def drawing_context(form, practice):
    """Everything the form's layout reads (its includes read `practice` and `retention_days`)."""
    return {"form": form, "practice": practice, "retention_days": settings.INTAKE_RETENTION_DAYS}


def fingerprint(form, practice):
    """A hash of every input that can change the unbound form's HTML."""
    times = form.fields.get("times")
    privacy_page = practice.privacy_page
    inputs = [
        CODE_VERSION,
        form.options,
        form.initial.get("service", ""),
        [(time.starts_at, time.ends_at) for time in times.open_times] if times else None,
        settings.TIME_ZONE,
        settings.INTAKE_RETENTION_DAYS,
        # Every field of the practice's settings (the licensed states among them), not only those
        # the templates read today.
        [getattr(practice, field.attname) for field in practice._meta.concrete_fields],
        (privacy_page.is_live, privacy_page.get_absolute_url()) if privacy_page else None,
    ]
    return hashlib.sha256(repr(inputs).encode()).hexdigest()
