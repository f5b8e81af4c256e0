from django.apps import AppConfig


class LexiconConfig(AppConfig):
    name = "socialguard.lexicon"
    label = "lexicon"
    verbose_name = "Watch lists"

    def ready(self) -> None:
        from socialguard.lexicon import hooks

        hooks.register()
