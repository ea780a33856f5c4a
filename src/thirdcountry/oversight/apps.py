"""The oversight app: connects the audit trail to every write once Django is ready."""

from __future__ import annotations

from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "thirdcountry.oversight"
    label = "oversight"
    verbose_name = "Oversight"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing the trail loads models: it cannot happen before the registry is ready.
        from thirdcountry.oversight.audit import connect

        connect()
