import pytest

from tests.accounts.signing_in import sign_in
from tests.intake.factories import make_reviewer


@pytest.fixture
def reviewer(client):
    """The test client, signed in as a member of the Consultation reviewers group (`client.user`)."""
    client.user = make_reviewer()
    sign_in(client, client.user)
    return client
