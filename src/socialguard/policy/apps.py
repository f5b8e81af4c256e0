from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "socialguard.policy"
    label = "policy"
    verbose_name = "Social Media Policy"

    def ready(self) -> None:
        from socialguard.core.dashboard import register_dashboard_provider
        from socialguard.core.templatetags.plain import register_policy_timeline
        from socialguard.policy.dashboard import policy_cards
        from socialguard.policy.selectors import policy_timeline

        register_dashboard_provider(policy_cards)
        # Clause links on a decision go to the version in force when it was taken.
        register_policy_timeline(policy_timeline)
