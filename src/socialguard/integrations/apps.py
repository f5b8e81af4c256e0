from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "socialguard.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from socialguard.integrations import hooks

        hooks.register()
