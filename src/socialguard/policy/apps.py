from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "socialguard.policy"
    label = "policy"
    verbose_name = "Social Media Policy"

    def ready(self) -> None:
        from socialguard.core.dashboard import register_dashboard_provider
        from socialguard.policy.dashboard import policy_cards

        register_dashboard_provider(policy_cards)
