from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "socialguard.cases"
    label = "cases"
    verbose_name = "Breach cases and media enquiries"
