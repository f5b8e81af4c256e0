from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "socialguard.sites"
    label = "sites"
    verbose_name = "Official sites"

    def ready(self) -> None:
        from socialguard.sites import hooks

        hooks.register()
