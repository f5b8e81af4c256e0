"""The database itself refuses to change a case's chronology or evidence once written.

UPDATE is refused on both SQLite and PostgreSQL. DELETE stays possible: the rows go with their
case at the end of its retention period (``cases.retention``), and the ORM refuses any other
deletion (``AppendOnlyQuerySet``)."""

from django.db import migrations

TABLES = ("cases_caseentry", "cases_caseevidence")

SQLITE_UP = [
    f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
       BEGIN SELECT RAISE(ABORT, 'case records are append-only'); END;"""
    for table in TABLES
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {table}_no_update;" for table in TABLES]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION cases_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'case records are append-only'; END; $$ LANGUAGE plpgsql;""",
    *[
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
           FOR EACH ROW EXECUTE FUNCTION cases_append_only();"""
        for table in TABLES
    ],
]
POSTGRES_DOWN = [
    *[f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};" for table in TABLES],
    "DROP FUNCTION IF EXISTS cases_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
