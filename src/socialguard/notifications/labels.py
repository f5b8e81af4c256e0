"""Notifications' codes in plain words (collected by core.labels)."""

from socialguard.core.labels import register

register("audit_area", {"notifications": "E-mail"})
