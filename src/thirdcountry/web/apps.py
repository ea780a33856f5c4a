from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "thirdcountry.web"
    verbose_name = "Web application"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the deployment checks (`manage check --deploy`) of the keys.
        from thirdcountry import keys  # noqa: F401
