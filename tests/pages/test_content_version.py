"""The content version's query on PostgreSQL: prepared once per connection, with PostgreSQL's own errors."""

import pytest
from django.db import DataError, InternalError, OperationalError, connection

from pages.models import ContentVersion, PracticeSettings
from tests.postgresql import only_on_postgresql

pytestmark = [
    pytest.mark.django_db,
    only_on_postgresql("the prepared statement is PostgreSQL's"),
]


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'practice_content_version'")
        return cursor.fetchone()[0]


def test_the_query_is_prepared_once_per_connection_and_reads_the_current_version():
    before = ContentVersion.current()
    assert prepared_statements() == 1
    PracticeSettings.objects.filter(pk=1).update(reply_business_days=3)
    assert ContentVersion.current() > before
    assert prepared_statements() == 1


# Serialized: the flush after a transactional test would otherwise leave what the migrations wrote missing.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_connection_prepares_it_again():
    ContentVersion.current()
    connection.close()
    assert ContentVersion.current() == ContentVersion.objects.get().version


def test_an_error_is_the_one_postgresql_gives_wrapped_as_djangos():
    with pytest.raises(DataError), connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")
    with pytest.raises(InternalError, match="current transaction is aborted"):
        ContentVersion.current()  # in the test's transaction, which that error ended


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_form_opens_after_the_database_dropped_the_connection(client):
    """The version is often a request's first query, so it replaces a dropped connection as Django's health check would."""
    assert client.get("/consultation/").status_code == 200
    connection.connection.close()  # what a restarted database leaves behind
    assert client.get("/consultation/").status_code == 200


def test_inside_a_transaction_a_dropped_connection_is_an_error_not_a_new_connection():
    connection.ensure_connection()
    connection.connection.close()
    with pytest.raises(OperationalError):
        ContentVersion.current()
