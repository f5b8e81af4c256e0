"""Issue 10: who gave a role and when, and the confirmation a new safeguarding lead needs before
they open the concerns recorded before their role began. Roles that exist already were given
when they were made, and the safeguarding leads already in post keep the record they had."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SAFEGUARDING_ROLES = ("dsl", "deputy_dsl")


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    RoleAssignment.objects.update(granted_at=models.F("created_at"))
    RoleAssignment.objects.filter(role__in=SAFEGUARDING_ROLES).update(
        confirmed_at=models.F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_retention"),
    ]

    operations = [
        migrations.AddField(
            model_name="roleassignment",
            name="granted_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="granted_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
