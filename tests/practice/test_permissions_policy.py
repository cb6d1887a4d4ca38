"""Every response turns off the browser features the site never uses (Permissions-Policy)."""

import pytest
from django.conf import settings

from tests.browser import DESKTOP

pytestmark = pytest.mark.django_db

OFF = ["camera", "microphone", "geolocation", "payment", "usb", "display-capture"]


def features(response):
    """{feature: allowlist} from the header, e.g. {"camera": "()"}."""
    return dict(item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(","))


@pytest.mark.parametrize(
    "path",
    ["/", "/consultation/", "/healthz", "/no-such-page/", f"/{settings.ADMIN_URL}login/"],
)
def test_pages_admin_and_errors_turn_off_powerful_features(client, path):
    policy = features(client.get(path, secure=True))
    assert {feature: policy.get(feature) for feature in OFF} == dict.fromkeys(OFF, "()")
    assert set(policy.values()) == {"()"}, "no feature is allowed anywhere"


def test_signed_in_admin_pages_turn_them_off_too(admin_client):
    policy = features(admin_client.get(f"/{settings.ADMIN_URL}", secure=True))
    assert policy["camera"] == policy["microphone"] == "()"


@pytest.mark.browser
def test_chromium_accepts_every_feature_named(open_page):
    """Chromium reports a feature name it does not know as an error; the policy names none such."""
    messages = []
    page, _ = open_page("/", DESKTOP)
    page.on("console", lambda message: messages.append(message.text))
    page.reload()
    errors = [message for message in messages if "Permissions-Policy" in message]
    assert not errors, "\n".join(errors)
    assert page.evaluate(
        "document.featurePolicy === undefined || !document.featurePolicy.allowsFeature('camera')"
    )
