from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "socialguard.cases"
    label = "cases"
    verbose_name = "Breach cases and media enquiries"

    def ready(self) -> None:
        from socialguard.cases import hooks

        hooks.register()
