import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Photos go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
