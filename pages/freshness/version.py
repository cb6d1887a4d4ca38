from django.db import InterfaceError, OperationalError, connection, models

from pages.freshness.version_query import prepared_version


class ContentVersion(models.Model):
    """
    One number that changes whenever anything a visitor's page shows may have changed: the site's
    page cache (pages/freshness/page_cache.py) serves a saved page only while the number is the one it was
    saved under.

    Database triggers move it (migrations pages 0009 and intake 0009), in the same transaction as
    the change, on every insert, update, delete or truncate of the pages' tables and the form's
    choices: admin saves, `QuerySet.update()`, `bulk_create()`, a restored revision, a scheduled
    draft brought live, a script, a `loaddata`. Signals would miss the bulk operations the code uses
    (pages/drafts.py, pages/publishing.py), and whatever is written next. Being in PostgreSQL, the
    number is the same for every web container on the database.

    When the row is missing (a truncated table), the next change starts it again from the clock in
    microseconds, larger than any number it held, so a page saved under an old number never matches.
    """

    version = models.BigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_content_version")]

    def __str__(self):
        return f"content version {self.version}"

    @classmethod
    def current(cls):
        """
        The number now, or None if there is none yet: one query, asked on nearly every request (the
        page cache, pages/freshness/per_version.py), so on PostgreSQL prepared once per connection and run
        straight through libpq (pages/freshness/version_query.py). Errors are Django's as usual,
        and the query is logged where Django logs queries (debug, tests), so query budgets count it.

        It is often a request's first query, and it stands in for Django's connection health check
        (DATABASE_URL's conn_health_checks), which would add a round trip of its own: a connection the
        database dropped (a restart) is replaced and asked again, which is all the check would do, and
        one that answered needs no check for the rest of the request.
        """
        sql = f"SELECT version FROM {cls._meta.db_table} WHERE id = 1"  # noqa: S608 - our own table
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(sql)
                row = cursor.fetchone()
            return row[0] if row else None
        try:
            version = cls._read_prepared(sql)
        except (OperationalError, InterfaceError):
            connection.close()  # inside a transaction, Django refuses the new connection: still an error
            version = cls._read_prepared(sql)
        connection.health_check_done = True
        return version

    @staticmethod
    def _read_prepared(sql):
        connection.ensure_connection()
        with connection.wrap_database_errors:
            version = prepared_version(connection.connection, sql)
        if connection.queries_logged:
            connection.queries_log.append({"sql": sql, "time": "0.000"})
        return version
