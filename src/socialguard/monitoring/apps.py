from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "socialguard.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring of internet use"

    def ready(self) -> None:
        from socialguard.monitoring import hooks

        hooks.register()
        # The pages' own: the dashboard cards (mon-web).
        from socialguard.monitoring import dashboard

        dashboard.register()
