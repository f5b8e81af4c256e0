from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "socialguard.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"
