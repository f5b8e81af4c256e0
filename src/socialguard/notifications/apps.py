from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "socialguard.notifications"
    label = "notifications"
    verbose_name = "Notifications"
