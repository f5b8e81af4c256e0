from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "socialguard.community"
    label = "community"
    verbose_name = "School-hosted sites"

    def ready(self) -> None:
        from socialguard.community import hooks

        hooks.register()
