from django.apps import AppConfig


class PostcheckConfig(AppConfig):
    name = "socialguard.postcheck"
    label = "postcheck"
    verbose_name = "Check my post"

    def ready(self) -> None:
        from socialguard.postcheck import hooks

        hooks.register()
