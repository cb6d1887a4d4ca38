import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """admin_client's superuser has a password; a slow, strong hash only slows the tests down here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
