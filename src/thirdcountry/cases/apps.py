from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "thirdcountry.cases"
    verbose_name = "Cases"
    default_auto_field = "django.db.models.BigAutoField"
