from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "socialguard.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        from socialguard.safeguarding import hooks

        hooks.register()
