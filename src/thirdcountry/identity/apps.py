from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "thirdcountry.identity"
    verbose_name = "Identity resolution"
    default_auto_field = "django.db.models.BigAutoField"
