from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "thirdcountry.identity"
    verbose_name = "Identity resolution"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from thirdcountry.identity.services import link_created_person
        from thirdcountry.records.signals import person_created

        person_created.connect(link_created_person, dispatch_uid="identity-link-created")
