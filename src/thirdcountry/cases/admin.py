"""Administration of case records, searchable by ref and by any of a person's names.

Case records are never deleted here: a transfer's screenings are covered by their runs'
entries in the audit trail, so deleting one would leave the trail unverifiable for good.
A person's personal data is removed by erasure (``thirdcountry erase``), which keeps the
trail whole.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from thirdcountry.cases import models


class NoDeleteInline(admin.TabularInline):
    """An inline whose rows cannot be deleted from the admin."""

    can_delete = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseAdmin(SimpleHistoryAdmin):
    """A case record's admin: view and change, never delete (see the module's docstring)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NameInline(NoDeleteInline):
    model = models.PersonName
    extra = 0


class NationalityInline(NoDeleteInline):
    model = models.Nationality
    extra = 0
    autocomplete_fields = ("country",)


class LanguageInline(NoDeleteInline):
    model = models.PersonLanguage
    extra = 0
    autocomplete_fields = ("language",)


class FearClaimInline(NoDeleteInline):
    model = models.FearClaim
    extra = 0
    autocomplete_fields = ("country",)


class ConvictionInline(NoDeleteInline):
    model = models.Conviction
    extra = 0


@admin.register(models.Person)
class PersonAdmin(CaseAdmin):
    list_display = ("ref", "primary_name", "birth_date", "asylum_claim", "identity_verified")
    list_filter = ("asylum_claim", "identity_verified", "fit_to_travel")
    search_fields = ("ref", "names__name")
    inlines = (NameInline, NationalityInline, LanguageInline, FearClaimInline, ConvictionInline)

    @admin.display(description="name")
    def primary_name(self, person: models.Person) -> str:
        first = person.names.order_by("seq").first()
        return first.name if first else ""


@admin.register(models.PersonName)
class PersonNameAdmin(CaseAdmin):
    list_display = ("name", "person", "seq")
    search_fields = ("name", "person__ref")


@admin.register(models.Nationality)
class NationalityAdmin(CaseAdmin):
    list_display = ("person", "country")
    list_filter = ("country",)
    search_fields = ("person__ref",)


@admin.register(models.PersonLanguage)
class PersonLanguageAdmin(CaseAdmin):
    list_display = ("person", "language")
    search_fields = ("person__ref", "language__code")


@admin.register(models.FearClaim)
class FearClaimAdmin(CaseAdmin):
    list_display = ("person", "country", "status")
    list_filter = ("status", "country")
    search_fields = ("person__ref",)


@admin.register(models.Conviction)
class ConvictionAdmin(CaseAdmin):
    list_display = ("person", "offence", "sentence_end")
    search_fields = ("person__ref", "offence")


class MonitoringInline(NoDeleteInline):
    model = models.MonitoringEntry
    extra = 0


@admin.register(models.Transfer)
class TransferAdmin(CaseAdmin):
    list_display = ("ref", "person", "sending", "destination", "arrangement", "planned_date")
    list_filter = ("status", "sending", "destination", "arrangement")
    search_fields = ("ref", "person__ref", "person__names__name")
    autocomplete_fields = ("person", "arrangement")
    inlines = (MonitoringInline,)


@admin.register(models.MonitoringEntry)
class MonitoringEntryAdmin(CaseAdmin):
    list_display = ("transfer", "date", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("transfer__ref", "note")


@admin.register(models.ScreeningRecord)
class ScreeningRecordAdmin(admin.ModelAdmin):
    """Screenings are never edited: they record what the catalog found on a date."""

    list_display = ("transfer", "verdict", "as_of", "catalog", "screened_at")
    list_filter = ("verdict", "catalog", "as_of")
    search_fields = ("transfer__ref", "facts_sha256")
    readonly_fields = [f.name for f in models.ScreeningRecord._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
