from __future__ import annotations


def register() -> None:
    from socialguard.community.demo import load_demo_community
    from socialguard.core.demo import register_demo_loader

    register_demo_loader(load_demo_community)
