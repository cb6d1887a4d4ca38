from urllib.parse import quote

import pytest
from django.db import connection

from tests.admin_records import one_of_each
from tests.stack import migrate


@pytest.fixture
def migrated_database_url(transactional_db, django_db_serialized_rollback, tmp_path, production_env):
    """
    A database URL the server process can reach, migrated as compose's migrate
    service does: PostgreSQL's test database with its content committed, or a
    fresh SQLite file.
    """
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    url = f"sqlite:///{tmp_path}/smoke.sqlite3"
    migrate(production_env | {"DATABASE_URL": url})
    return url


@pytest.fixture
def records(admin_user, settings, tmp_path):
    """One record of every model the admin shows (tests/admin_records.py), photos in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return one_of_each(admin_user)
