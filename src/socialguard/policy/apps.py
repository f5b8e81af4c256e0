from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "socialguard.policy"
    label = "policy"
    verbose_name = "Social Media Policy"

    def ready(self) -> None:
        from socialguard.core.dashboard import register_dashboard_provider
        from socialguard.core.demo import register_demo_loader
        from socialguard.core.templatetags.plain import register_policy_timeline
        from socialguard.policy.dashboard import policy_cards
        from socialguard.policy.demo import demo_policy_load
        from socialguard.policy.selectors import policy_timeline

        register_dashboard_provider(policy_cards)
        # First of the apps' demo loaders: the others' records cite the policy in force.
        register_demo_loader(demo_policy_load)
        # Clause links on a decision go to the version in force when it was taken.
        register_policy_timeline(policy_timeline)
