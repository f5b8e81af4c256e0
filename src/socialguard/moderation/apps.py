from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "socialguard.moderation"
    label = "moderation"
    verbose_name = "Review queue"

    def ready(self) -> None:
        from socialguard.moderation import hooks

        hooks.register()
