from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socialguard.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from socialguard.accounts.middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="socialguard-session-started")
        from socialguard.accounts.dashboard import lead_confirmation_cards
        from socialguard.accounts.demo import demo_federation_build
        from socialguard.accounts.selectors import navigation_links_for, role_labels_of
        from socialguard.core.context_processors import register_navigation
        from socialguard.core.dashboard import register_dashboard_provider, register_role_labels
        from socialguard.core.demo import register_federation_builder

        register_dashboard_provider(lead_confirmation_cards)
        register_role_labels(role_labels_of)
        register_navigation(navigation_links_for)
        register_federation_builder(demo_federation_build)
