"""House Rules watched words move from community's settings JSON to lexicon's WatchedWord, which
their page keeps from now on (A.4.1). The JSON is left as it was; nothing reads it any more."""

from django.db import migrations

ACTIONS = {"block", "review", "censor"}


def copy_words(apps, schema_editor):  # type: ignore[no-untyped-def]
    CommunitySettings = apps.get_model("community", "CommunitySettings")
    WatchedWord = apps.get_model("lexicon", "WatchedWord")
    LexiconVersion = apps.get_model("lexicon", "LexiconVersion")
    for settings in CommunitySettings.objects.select_related("site"):
        for entry in settings.watched_words or []:
            pattern = " ".join(str(entry.get("pattern", "")).split())[:200]
            action = entry.get("action", "review")
            if not pattern:
                continue
            WatchedWord.objects.get_or_create(
                site_id=settings.site_id,
                pattern=pattern,
                kind="words",
                defaults={"action": action if action in ACTIONS else "review"},
            )
        version, _ = LexiconVersion.objects.get_or_create(
            organisation_id=settings.site.organisation_id
        )
        version.number += 1
        version.save(update_fields=["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("lexicon", "0001_watch_lists"),
        ("community", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_words, migrations.RunPython.noop)]
