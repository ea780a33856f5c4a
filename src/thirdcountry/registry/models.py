"""Registry records: ISO reference codes, country assessments, arrangements (status history,
terms, commitments, payments) and court orders.

Countries, languages and currencies are rows of reference tables filled from the ISO lists,
so every code stored anywhere is checked by a foreign key in the database itself.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from thirdcountry.history import SavedBy
from thirdcountry.scenario.model import (
    ARRANGEMENT_STATUSES,
    COMMITMENTS,
    COURT_ORDER_KINDS,
    PAYMENT_KINDS,
    REF_MAX_LENGTH,
    REF_PATTERN,
    Parameters,
)
from thirdcountry.words import choices


def one_of(field: str, values: tuple[str, ...], name: str) -> models.CheckConstraint:
    """A database check that ``field`` holds one of ``values``."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


def ref_field() -> models.CharField:
    """A record's ref: unique, and of the format's one pattern (:data:`REF_PATTERN`)."""
    return models.CharField(max_length=REF_MAX_LENGTH, unique=True)


def ref_pattern(name: str) -> models.CheckConstraint:
    """A database check that the ref follows :data:`REF_PATTERN`, so a ref written by any
    path (bulk load, admin, SQL) can still be a web address's part."""
    return models.CheckConstraint(condition=Q(ref__regex=REF_PATTERN), name=name)


class Country(models.Model):
    """An ISO 3166-1 country (reference data)."""

    code = models.CharField(primary_key=True, max_length=2)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Language(models.Model):
    """An ISO 639-1 or ISO 639-3 language code (reference data); ``iso639_3`` makes ``ar``
    and ``ara`` the same language."""

    code = models.CharField(primary_key=True, max_length=3)
    iso639_3 = models.CharField(max_length=3, db_index=True)
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Currency(models.Model):
    """An ISO 4217 currency (reference data)."""

    code = models.CharField(primary_key=True, max_length=3)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return str(self.code)


class ScreeningDefaults(models.Model):
    """The world's description, default screening date and catalog parameters (one row).

    Loaded from a scenario file's ``description``, ``as_of`` and ``parameters``, so that
    screening the database gives what screening the file gives.
    """

    description = models.TextField(blank=True, default="")
    as_of = models.DateField(null=True, blank=True)
    notice_days = models.PositiveIntegerField(default=10)
    minor_age = models.PositiveIntegerField(default=18)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "screening defaults"
        verbose_name_plural = "screening defaults"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="screening_defaults_single_row"),
            models.CheckConstraint(condition=Q(minor_age__gte=1), name="minor_age_positive"),
        ]

    def __str__(self) -> str:
        return "screening defaults"

    @classmethod
    def current(cls) -> ScreeningDefaults:
        """The one row, or the catalog's defaults when none has been stored."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def parameters(self) -> Parameters:
        """The catalog parameters these defaults set."""
        return Parameters(notice_days=self.notice_days, minor_age=self.minor_age)


class CatalogChoice(models.Model):
    """The catalog new screenings are made under (one row), chosen with ``thirdcountry
    catalog use``; its history says who chose which catalog, when and why.

    With no row, the environment's ``THIRDCOUNTRY_CATALOG``, else the default, is current.
    """

    version = models.CharField(max_length=20)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "catalog choice"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="catalog_choice_single_row"),
        ]

    def __str__(self) -> str:
        return str(self.version)


class Assessment(models.Model):
    """A dated finding on whether a country risks sending people on (onward refoulement)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="assessments")
    seq = models.PositiveIntegerField(
        help_text="Order of recording; on equal dates the later wins."
    )
    date = models.DateField()
    onward_refoulement_risk = models.BooleanField()
    source = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["country", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["country", "seq"], name="assessment_unique_seq")
        ]

    def __str__(self) -> str:
        risk = "risk" if self.onward_refoulement_risk else "no risk"
        return f"{self.country_id} {self.date}: {risk}"


class Arrangement(models.Model):
    """A bilateral arrangement under which a sending state transfers people to a receiving
    state, with its eligibility terms."""

    ref = ref_field()
    sending = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    receiving = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    title = models.TextField(null=True, blank=True)
    cap = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most persons it may ever cover; empty: no cap."
    )
    requires_served_sentence = models.BooleanField(default=False)
    notice_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Overrides the catalog's notice period."
    )
    history = HistoricalRecords(bases=[SavedBy])

    class Meta:
        ordering = ["ref"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sending=models.F("receiving")),
                name="arrangement_states_differ",
            ),
            ref_pattern("arrangement_ref_pattern"),
        ]

    def __str__(self) -> str:
        return str(self.ref)


class ExcludedNationality(models.Model):
    """A nationality an arrangement's terms exclude."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="excluded_nationalities"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "country"], name="excluded_nationality_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.arrangement} excludes {self.country_id}"


class Commitment(models.Model):
    """What the receiving state commits to under an arrangement."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="commitments"
    )
    commitment = models.CharField(max_length=30, choices=choices(COMMITMENTS))
    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement", "commitment"]
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "commitment"], name="commitment_unique"),
            one_of("commitment", COMMITMENTS, "commitment_known"),
        ]

    def __str__(self) -> str:
        return f"{self.arrangement}: {self.commitment}"


class ArrangementStatus(models.Model):
    """One dated entry of an arrangement's status history, with its source."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="status_history"
    )
    seq = models.PositiveIntegerField(
        help_text="Order of recording; on equal dates the later wins."
    )
    date = models.DateField()
    status = models.CharField(max_length=20, choices=choices(ARRANGEMENT_STATUSES))
    source = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement", "seq"]
        verbose_name_plural = "arrangement statuses"
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "seq"], name="status_unique_seq"),
            one_of("status", ARRANGEMENT_STATUSES, "status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.arrangement} {self.status} from {self.date}"


class Payment(models.Model):
    """One entry of an arrangement's payment ledger, in its own currency."""

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="payments")
    seq = models.PositiveIntegerField()
    date = models.DateField()
    amount = models.DecimalField(max_digits=24, decimal_places=4)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=choices(PAYMENT_KINDS))
    payer = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["arrangement", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "seq"], name="payment_unique_seq"),
            one_of("kind", PAYMENT_KINDS, "payment_kind_known"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.arrangement} {self.kind} {self.amount} {self.currency_id} on {self.date}"


class CourtOrder(models.Model):
    """A stay, injunction or interim measure, in effect from ``issued`` until ``lifted``.

    Its scope is exactly one of: a person, an arrangement, a pair of states (sending and
    destination), or a sending state as a whole; or none of them, when its scenario@2
    selector (in its :class:`FactsV2`) is one that @1 cannot name.
    """

    ref = ref_field()
    kind = models.CharField(max_length=20, choices=choices(COURT_ORDER_KINDS))
    issuer = models.TextField()
    issued = models.DateField()
    lifted = models.DateField(null=True, blank=True)
    scope_person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="court_orders"
    )
    scope_arrangement = models.ForeignKey(
        Arrangement, on_delete=models.PROTECT, null=True, blank=True, related_name="court_orders"
    )
    scope_sending = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scope_destination = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(bases=[SavedBy])

    class Meta:
        ordering = ["issued", "ref"]
        constraints = [
            one_of("kind", COURT_ORDER_KINDS, "court_order_kind_known"),
            ref_pattern("court_order_ref_pattern"),
            models.CheckConstraint(
                condition=Q(lifted__isnull=True) | Q(lifted__gte=models.F("issued")),
                name="court_order_lifted_after_issued",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        scope_person__isnull=False,
                        scope_arrangement__isnull=True,
                        scope_sending__isnull=True,
                        scope_destination__isnull=True,
                    )
                    | Q(
                        scope_person__isnull=True,
                        scope_arrangement__isnull=False,
                        scope_sending__isnull=True,
                        scope_destination__isnull=True,
                    )
                    | Q(
                        scope_person__isnull=True,
                        scope_arrangement__isnull=True,
                        scope_sending__isnull=False,
                    )
                    # A scenario@2 scope that no @1 scope names (a list, a legal basis, a
                    # class): the @1 columns cover nothing, its facts_v2 hold the selector.
                    | Q(
                        scope_person__isnull=True,
                        scope_arrangement__isnull=True,
                        scope_sending__isnull=True,
                        scope_destination__isnull=True,
                    )
                ),
                name="court_order_one_scope_or_v2",
            ),
        ]

    def __str__(self) -> str:
        return str(self.ref)


class ExchangeRate(models.Model):
    """A dated exchange rate a supervisor records: one ``base`` is worth ``rate`` ``quote``.

    Reports convert an amount with the latest rate dated on or before the amount's date; with
    no such rate they say so and do not convert.
    """

    date = models.DateField()
    base = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    quote = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+")
    rate = models.DecimalField(max_digits=24, decimal_places=10)
    source = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["base", "quote", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "base", "quote"], name="exchange_rate_unique"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=~Q(base=models.F("quote")), name="exchange_rate_two_currencies"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.base_id} = {self.rate} {self.quote_id} on {self.date}"


#: The sections of scenario@2 that @1 has not: each entry kept whole, by its key.
WORLD_SECTIONS = ("legal_bases", "regimes", "classes", "designations", "assurances")


class WorldRecord(models.Model):
    """An entry of one of scenario@2's world sections (a legal basis, a regime row, a class of
    persons, a safe-country designation, a diplomatic assurance), kept whole as its validated
    @2 document under its key (a legal basis's code, a regime's id, the others' ref)."""

    section = models.CharField(max_length=20, choices=choices(WORLD_SECTIONS))
    key = models.CharField(max_length=100)
    document = models.JSONField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "key"]
        constraints = [
            models.UniqueConstraint(fields=["section", "key"], name="world_record_unique_key"),
            one_of("section", WORLD_SECTIONS, "world_record_section_known"),
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.key}"


#: The kinds of record whose scenario@2 facts :class:`FactsV2` holds (``parameters``: the
#: world's, beside :class:`ScreeningDefaults`).
FACTS_V2_KINDS = ("countries", "arrangements", "court_orders", "persons", "transfers", "parameters")


class FactsV2(models.Model):
    """The scenario@2 facts of one stored record that its @1 columns cannot hold: exactly
    the top-level keys where the record differs from what those columns read as @2 give
    (``thirdcountry.cases.facts_v2``), by the record's kind and ref (a country's code).

    A record with no row here says it all in its @1 columns, as every record stored before
    scenario@2 does: each fact @2 adds is unknown there. A table of its own, not a column
    of each record, so that the records stored before it keep their audited digests.
    """

    kind = models.CharField(max_length=20, choices=choices(FACTS_V2_KINDS))
    ref = models.CharField(max_length=100)
    facts = models.JSONField()
    history = HistoricalRecords(bases=[SavedBy])

    class Meta:
        ordering = ["kind", "ref"]
        verbose_name = "scenario@2 facts"
        verbose_name_plural = "scenario@2 facts"
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref"], name="facts_v2_unique_ref"),
            one_of("kind", FACTS_V2_KINDS, "facts_v2_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref}"
