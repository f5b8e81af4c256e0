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
        from socialguard.core.dashboard import register_dashboard_provider

        register_dashboard_provider(lead_confirmation_cards)
