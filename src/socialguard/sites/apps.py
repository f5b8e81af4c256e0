from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "socialguard.sites"
    label = "sites"
    verbose_name = "Official sites"

    def ready(self) -> None:
        from socialguard.approvals.views import register_request_page
        from socialguard.sites import hooks, request_views

        hooks.register()
        register_request_page(request_views.other_request_new)
