"""
The SQL of the triggers that move the content version (pages.models.ContentVersion), for the
migrations of the apps whose tables pages show: PostgreSQL, and SQLite for `make run` and tests.
"""

# The number moves to the database's clock in microseconds, or by one if that is not larger: a
# fresh row (a truncated table) and a database restored from a dump go on from numbers they never
# held before, so a page saved under one never passes for another version.
BUMP = {
    "postgresql": """
        INSERT INTO pages_contentversion (id, version)
        VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
        ON CONFLICT (id) DO UPDATE SET version = GREATEST(
            pages_contentversion.version + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint
        )""",
    "sqlite": """
        INSERT INTO pages_contentversion (id, version)
        VALUES (1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
        ON CONFLICT (id) DO UPDATE SET version = MAX(
            version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
        )""",
}
FUNCTION = "pages_bump_content_version"


def create_function(vendor):
    """PostgreSQL's triggers call a function; SQLite's carry the statement themselves."""
    if vendor != "postgresql":
        return []
    return [
        f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {BUMP["postgresql"]}; RETURN NULL; END $$"""
    ]


def drop_function(vendor):
    return [f"DROP FUNCTION IF EXISTS {FUNCTION}()"] if vendor == "postgresql" else []


def create_triggers(vendor, table):
    """Statements that make every change to `table` move the content version."""
    if vendor == "postgresql":
        # Once per statement, truncation included: a bulk update moves it once, not per row.
        return [
            f"""CREATE TRIGGER {table}_bumps_content_version
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"""
        ]
    # SQLite has row triggers only, one event each.
    return [
        f"""CREATE TRIGGER {table}_{event.lower()}_bumps_content_version AFTER {event} ON {table}
        BEGIN {BUMP["sqlite"]}; END"""
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def drop_triggers(vendor, table):
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_bumps_content_version ON {table}"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_{event.lower()}_bumps_content_version"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)
