from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "socialguard.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring of internet use"
