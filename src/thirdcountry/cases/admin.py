"""Administration of case records, searchable by ref and by any of a person's names."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thirdcountry.cases import models


class NameInline(admin.TabularInline):
    model = models.PersonName
    extra = 0


class NationalityInline(admin.TabularInline):
    model = models.Nationality
    extra = 0
    autocomplete_fields = ("country",)


class LanguageInline(admin.TabularInline):
    model = models.PersonLanguage
    extra = 0
    autocomplete_fields = ("language",)


class FearClaimInline(admin.TabularInline):
    model = models.FearClaim
    extra = 0
    autocomplete_fields = ("country",)


class ConvictionInline(admin.TabularInline):
    model = models.Conviction
    extra = 0


@admin.register(models.Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("ref", "primary_name", "birth_date", "asylum_claim", "identity_verified")
    list_filter = ("asylum_claim", "identity_verified", "fit_to_travel")
    search_fields = ("ref", "names__name")
    inlines = (NameInline, NationalityInline, LanguageInline, FearClaimInline, ConvictionInline)

    @admin.display(description="name")
    def primary_name(self, person: models.Person) -> str:
        first = person.names.order_by("seq").first()
        return first.name if first else ""


@admin.register(models.PersonName)
class PersonNameAdmin(SimpleHistoryAdmin):
    list_display = ("name", "person", "seq")
    search_fields = ("name", "person__ref")


@admin.register(models.Nationality)
class NationalityAdmin(SimpleHistoryAdmin):
    list_display = ("person", "country")
    list_filter = ("country",)
    search_fields = ("person__ref",)


@admin.register(models.PersonLanguage)
class PersonLanguageAdmin(SimpleHistoryAdmin):
    list_display = ("person", "language")
    search_fields = ("person__ref", "language__code")


@admin.register(models.FearClaim)
class FearClaimAdmin(SimpleHistoryAdmin):
    list_display = ("person", "country", "status")
    list_filter = ("status", "country")
    search_fields = ("person__ref",)


@admin.register(models.Conviction)
class ConvictionAdmin(SimpleHistoryAdmin):
    list_display = ("person", "offence", "sentence_end")
    search_fields = ("person__ref", "offence")


class MonitoringInline(admin.TabularInline):
    model = models.MonitoringEntry
    extra = 0


@admin.register(models.Transfer)
class TransferAdmin(SimpleHistoryAdmin):
    list_display = ("ref", "person", "sending", "destination", "arrangement", "planned_date")
    list_filter = ("status", "sending", "destination", "arrangement")
    search_fields = ("ref", "person__ref", "person__names__name")
    autocomplete_fields = ("person", "arrangement")
    inlines = (MonitoringInline,)


@admin.register(models.MonitoringEntry)
class MonitoringEntryAdmin(SimpleHistoryAdmin):
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
