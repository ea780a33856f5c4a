"""Administration of the registry, with each record's history one click away."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thirdcountry.registry import models


@admin.register(models.Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(models.Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("code", "iso639_3", "name")
    search_fields = ("code", "iso639_3", "name")


@admin.register(models.Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(models.ScreeningDefaults)
class ScreeningDefaultsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "as_of", "notice_days", "minor_age")


@admin.register(models.Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("country", "date", "onward_refoulement_risk", "source")
    list_filter = ("onward_refoulement_risk", "country")
    search_fields = ("country__code", "country__name", "source")
    autocomplete_fields = ("country",)


class StatusInline(admin.TabularInline):
    model = models.ArrangementStatus
    extra = 0


class CommitmentInline(admin.TabularInline):
    model = models.Commitment
    extra = 0


class ExcludedNationalityInline(admin.TabularInline):
    model = models.ExcludedNationality
    extra = 0
    autocomplete_fields = ("country",)


class PaymentInline(admin.TabularInline):
    model = models.Payment
    extra = 0
    autocomplete_fields = ("currency", "payer", "payee")


@admin.register(models.Arrangement)
class ArrangementAdmin(SimpleHistoryAdmin):
    list_display = ("ref", "sending", "receiving", "title", "cap")
    list_filter = ("sending", "receiving", "requires_served_sentence")
    search_fields = ("ref", "title")
    autocomplete_fields = ("sending", "receiving")
    inlines = (StatusInline, ExcludedNationalityInline, CommitmentInline, PaymentInline)


@admin.register(models.ArrangementStatus)
class ArrangementStatusAdmin(SimpleHistoryAdmin):
    list_display = ("arrangement", "date", "status", "source")
    list_filter = ("status",)
    search_fields = ("arrangement__ref", "source")


@admin.register(models.Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ("arrangement", "commitment")
    list_filter = ("commitment",)
    search_fields = ("arrangement__ref",)


@admin.register(models.ExcludedNationality)
class ExcludedNationalityAdmin(SimpleHistoryAdmin):
    list_display = ("arrangement", "country")
    search_fields = ("arrangement__ref", "country__code")


@admin.register(models.Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ("arrangement", "date", "kind", "amount", "currency", "payer", "payee")
    list_filter = ("kind", "currency")
    search_fields = ("arrangement__ref", "note")


@admin.register(models.CourtOrder)
class CourtOrderAdmin(SimpleHistoryAdmin):
    list_display = ("ref", "kind", "issuer", "issued", "lifted")
    list_filter = ("kind", "issued", "lifted")
    search_fields = ("ref", "issuer", "scope_person__ref", "scope_arrangement__ref")
    autocomplete_fields = (
        "scope_person",
        "scope_arrangement",
        "scope_sending",
        "scope_destination",
    )
