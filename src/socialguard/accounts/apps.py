from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socialguard.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
