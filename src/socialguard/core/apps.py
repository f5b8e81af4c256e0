from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "socialguard.core"
    label = "core"
    verbose_name = "Core"
