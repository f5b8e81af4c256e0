from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "socialguard.approvals"
    label = "approvals"
    verbose_name = "Approvals"

    def ready(self) -> None:
        from socialguard.approvals.dashboard import approval_cards
        from socialguard.core.dashboard import register_dashboard_provider

        register_dashboard_provider(approval_cards)
