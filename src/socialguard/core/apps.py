from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "socialguard.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Each app declares the words for its codes in labels.py (core imports no app).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("labels")
