import pytest

from tests.pages.factories import drafted_service_page


@pytest.fixture
def media_root(settings, tmp_path):
    """Photos go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def drafted_page(transactional_db):
    """The seeded service page, live, with a draft (tests/pages/factories.py)."""
    return drafted_service_page()
