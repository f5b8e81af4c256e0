from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "socialguard.api"
    label = "api"
    verbose_name = "API"
