from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socialguard.reports"
    label = "reports"
    verbose_name = "Reports for governors"

    def ready(self) -> None:
        from socialguard.reports import rules  # noqa: F401  (registers permissions)
