"""The table behind the ``ratelimit`` cache (settings.CACHES), so `migrate` is the only step a
deployment runs. Django's own ``createcachetable`` does the work and skips a table that exists;
a deployment that points the cache at memcached or Redis gets no table."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
