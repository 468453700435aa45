"""Full-text search on PostgreSQL: a trigger that keeps ``search_vector`` current and a GIN index.

Both only on PostgreSQL (SQLite has neither tsvector functions nor GIN indexes; the portal
falls back to ``icontains`` there). The trigger fires on every INSERT and UPDATE, so rows
written by services, importers or bulk loads are all searchable.
"""

from django.db import migrations

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION tenders_call_search_vector_update() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector('english', coalesce(NEW.reference, '')), 'A') ||
            setweight(to_tsvector('english', coalesce(NEW.description, '')), 'B');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER tenders_call_search_vector_trigger
    BEFORE INSERT OR UPDATE ON tenders_procurementcall
    FOR EACH ROW EXECUTE FUNCTION tenders_call_search_vector_update();
    """,
    "UPDATE tenders_procurementcall SET id = id;",
    """
    CREATE INDEX IF NOT EXISTS tenders_call_search_vector_gin
    ON tenders_procurementcall USING gin (search_vector);
    """,
]

BACKWARD = [
    "DROP INDEX IF EXISTS tenders_call_search_vector_gin;",
    "DROP TRIGGER IF EXISTS tenders_call_search_vector_trigger ON tenders_procurementcall;",
    "DROP FUNCTION IF EXISTS tenders_call_search_vector_update();",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tenders", "0002_procurementcall_created_by_and_more")]

    operations = [migrations.RunPython(forward, backward)]
