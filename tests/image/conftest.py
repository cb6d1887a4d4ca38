import pytest

from tests.faults.mail import MailServer


@pytest.fixture(scope="session")
def mail():
    """A mail server on the host: the site's EMAIL_HOST (127.0.0.1) and port, for every deployment."""
    server = MailServer()
    server.start()
    yield server
    server.stop()
