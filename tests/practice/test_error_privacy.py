"""An error while saving a request leaves no form value in the error report or in the log."""

import logging
import uuid

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError
from django.views.debug import get_exception_reporter_class

from intake.form import views
from intake.form.forms import ConsultationForm
from intake.models import ConsultationRequest
from practice.error_privacy import TracebackWithoutValuesFormatter
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret():
    # Made at run time: a report quotes this file's source lines, which must not count as a leak.
    return uuid.uuid4().hex


def addresses(secret):
    """The visitor's address and a forwarded one, made at run time like the secret."""
    return f"203.0.113.{int(secret[:2], 16) % 250 + 2}", f"198.51.100.{int(secret[2:4], 16) % 250 + 2}"


@pytest.fixture
def database_error(rf, monkeypatch, secret):
    """
    The view saving a request the database refuses: its message quotes the whole row
    ("Failing row contains (..., <name>, ...)") and the driver's frames hold the values.
    """
    monkeypatch.setattr(ConsultationForm, "clean", lambda form: form.cleaned_data)
    monkeypatch.setattr(ConsultationRequest, "validate_constraints", lambda *args, **kwargs: None)
    data = form_data(name=secret, email="", message=secret, heard_about=secret, preferred_contact="email")
    visitor, forwarded = addresses(secret)
    request = rf.post("/consultation/", data, REMOTE_ADDR=visitor, HTTP_X_FORWARDED_FOR=forwarded)
    request.session = SessionStore()
    with pytest.raises(IntegrityError) as raised:
        views.consultation(request)
    return request, raised


def test_an_error_report_shows_the_code_path_but_no_value(database_error, secret):
    request, raised = database_error
    reporter = get_exception_reporter_class(request)(request, raised.type, raised.value, raised.tb)
    text = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert "IntegrityError" in text and "intake/form/views.py" in text, (
        "the report still shows where it broke"
    )
    assert secret not in text
    assert "Failing row" not in text
    assert not any(address in text for address in addresses(secret)), "nor the visitor's address"


def test_a_logged_traceback_shows_the_code_path_but_no_value(database_error, secret):
    request, raised = database_error
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, TracebackWithoutValuesFormatter)
    ]
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/consultation/",),
        (raised.type, raised.value, raised.tb),
    )  # fmt: skip
    line = handler.format(record)
    assert "IntegrityError" in line and "intake/form/views.py" in line
    assert secret not in line
    assert "Failing row" not in line
