"""Case records: a person and the facts about them, proposed and executed transfers, what
monitors saw after a transfer, and every screening with its findings.

Facts marked (u) in the scenario format keep three states in storage. A scalar fact is
NULL when unknown (a yes/no fact or a date has no "none"). A list fact has a
``*_recorded`` flag: false means unknown; true with no rows means known to be none. The two
nullable objects (removal decision, notice) have a ``*_recorded`` flag too: true with a
NULL date means known not to exist. Every flag defaults to false, so no default ever turns
an unknown fact into a known one.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from thirdcountry.history import SavedBy
from thirdcountry.names import folded_sound_keys, normalise
from thirdcountry.registry.models import (
    Arrangement,
    Country,
    Language,
    one_of,
    ref_field,
    ref_pattern,
)
from thirdcountry.rules.engine import VERDICTS
from thirdcountry.scenario.model import (
    ASYLUM_CLAIMS,
    FEAR_CLAIM_STATUSES,
    MONITORING_KINDS,
    TRANSFER_STATUSES,
)
from thirdcountry.words import RUN_STATUSES, choices


class CompactJSONField(models.JSONField):
    """JSON kept as compact text, not PostgreSQL's ``jsonb``.

    For values written in bulk and read back whole, never queried inside (a screening's
    findings, a run's changes): PostgreSQL takes text about twenty times faster than it
    parses ``jsonb``, and stores it smaller. SQLite keeps JSON as text either way.
    """

    def db_type(self, connection: Any) -> str:
        return "text"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or hasattr(value, "as_sql"):
            return value
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def all_or_none_null(fields: tuple[str, ...], name: str) -> models.CheckConstraint:
    """A database check that ``fields`` are either all NULL or all set."""
    return models.CheckConstraint(
        condition=Q(**{f"{f}__isnull": True for f in fields})
        | Q(**{f"{f}__isnull": False for f in fields}),
        name=name,
    )


class Person(models.Model):
    """A person who may be transferred, and the (u) facts about them."""

    ref = ref_field()
    birth_date = models.DateField(null=True, blank=True)
    nationalities_recorded = models.BooleanField(
        default=False, help_text="False: nationalities unknown; true with none: stateless."
    )
    languages_recorded = models.BooleanField(default=False)
    accompanied = models.BooleanField(null=True, blank=True)
    identity_verified = models.BooleanField(null=True, blank=True)
    asylum_claim = models.CharField(
        max_length=10, null=True, blank=True, choices=choices(ASYLUM_CLAIMS)
    )
    fear_claims_recorded = models.BooleanField(default=False)
    removal_decision_recorded = models.BooleanField(
        default=False, help_text="False: unknown; true with no date: no removal decision exists."
    )
    removal_decision_date = models.DateField(null=True, blank=True)
    removal_decision_final = models.BooleanField(null=True, blank=True)
    appeal_deadline = models.DateField(null=True, blank=True)
    appeal_pending = models.BooleanField(null=True, blank=True)
    convictions_recorded = models.BooleanField(default=False)
    family_in_sending_country = models.BooleanField(null=True, blank=True)
    fit_to_travel = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords(bases=[SavedBy])

    class Meta:
        ordering = ["ref"]
        permissions = [
            ("view_personal_data", "Can see names, birth dates and notes of persons"),
            ("record_decision", "Can record removal decisions and appeals"),
            ("record_fear_screening", "Can record fear claims and their screening"),
            ("erase_person", "Can erase a person's personal data"),
        ]
        constraints = [
            one_of("asylum_claim", ASYLUM_CLAIMS, "asylum_claim_known"),
            ref_pattern("person_ref_pattern"),
            all_or_none_null(
                ("removal_decision_date", "removal_decision_final", "appeal_pending"),
                "removal_decision_whole",
            ),
            models.CheckConstraint(
                condition=Q(removal_decision_date__isnull=True) | Q(removal_decision_recorded=True),
                name="removal_decision_recorded_when_dated",
            ),
            models.CheckConstraint(
                condition=Q(appeal_deadline__isnull=True) | Q(removal_decision_date__isnull=False),
                name="appeal_deadline_needs_decision",
            ),
        ]

    def __str__(self) -> str:
        return str(self.ref)


#: A person's stored facts, in column order (after ``id`` and ``ref``).
PERSON_FACT_COLUMNS = (
    "birth_date",
    "nationalities_recorded",
    "languages_recorded",
    "accompanied",
    "identity_verified",
    "asylum_claim",
    "fear_claims_recorded",
    "removal_decision_recorded",
    "removal_decision_date",
    "removal_decision_final",
    "appeal_deadline",
    "appeal_pending",
    "convictions_recorded",
    "family_in_sending_country",
    "fit_to_travel",
)


class PersonName(models.Model):
    """A name of a person; ``seq`` 0 is the primary name, the rest aliases and spellings."""

    # Found through the unique constraint that starts with it: no index of its own.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="names", db_index=False
    )
    seq = models.PositiveIntegerField()
    # Never looked up as written: people search reads the folded form and sound keys.
    name = models.CharField(max_length=300)
    # Derived from ``name`` for search (see cases/search.py), kept by save() and by every
    # bulk writer through derive(); on PostgreSQL both have trigram indexes (migration 0005).
    folded = models.TextField(blank=True, default="", db_default="", editable=False)
    sound_keys = models.TextField(blank=True, default="", db_default="", editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["person", "seq"], name="person_name_unique_seq"),
            models.CheckConstraint(condition=~Q(name=""), name="person_name_not_empty"),
        ]

    def __str__(self) -> str:
        return str(self.name)

    #: The columns kept from the name, in the order :meth:`derived` gives them.
    DERIVED = ("folded", "sound_keys")

    @staticmethod
    def derived(name: str) -> tuple[str, str]:
        """The columns kept from a name: its folded form and its words' sound keys."""
        folded = normalise(name)
        return folded, folded_sound_keys(folded)

    def derive(self) -> PersonName:
        """Set the columns kept from the name (for writers that bypass :meth:`save`)."""
        self.folded, self.sound_keys = self.derived(self.name)
        return self

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive()
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, *self.DERIVED}
        super().save(*args, **kwargs)


class Nationality(models.Model):
    """A nationality of a person."""

    # Found through the unique constraint that starts with it: no index of its own.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="nationalities", db_index=False
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", db_index=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "country"]
        verbose_name_plural = "nationalities"
        constraints = [
            models.UniqueConstraint(fields=["person", "country"], name="nationality_unique")
        ]
        # Transfers are listed by nationality; a code is never searched by prefix (the
        # pattern index Django adds to a field's own index is left out).
        indexes = [models.Index(fields=["country"], name="nationality_country")]

    def __str__(self) -> str:
        return f"{self.person} {self.country_id}"


class PersonLanguage(models.Model):
    """A language the person understands, as recorded (ISO 639-1 or 639-3)."""

    # Found through the unique constraint that starts with it: no index of its own.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="languages", db_index=False
    )
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "language"]
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="person_language_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.language_id}"


class FearClaim(models.Model):
    """A fear of persecution, torture or death in a country, and where its screening stands."""

    # Found through the unique constraint that starts with it: no index of its own.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="fear_claims", db_index=False
    )
    seq = models.PositiveIntegerField()
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=choices(FEAR_CLAIM_STATUSES))
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["person", "seq"], name="fear_claim_unique_seq"),
            one_of("status", FEAR_CLAIM_STATUSES, "fear_claim_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.person} fears {self.country_id}: {self.status}"


class Conviction(models.Model):
    """A criminal conviction; ``sentence_end`` NULL means it is unknown when it ends."""

    # Found through the unique constraint that starts with it: no index of its own.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="convictions", db_index=False
    )
    seq = models.PositiveIntegerField()
    offence = models.TextField(null=True, blank=True)
    sentence_end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["person", "seq"], name="conviction_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.offence or 'conviction'}"


class Transfer(models.Model):
    """A proposed, executed or cancelled transfer of one person to a third country."""

    ref = ref_field()
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    # Indexed in Meta: a code is never searched by prefix, so without the pattern index
    # Django adds to a field's own (one fewer index to keep at every write).
    sending = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", db_index=False)
    destination = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    planned_date = models.DateField()
    status = models.CharField(max_length=10, choices=choices(TRANSFER_STATUSES), default="proposed")
    accepted_by_receiving = models.BooleanField(null=True, blank=True)
    notice_recorded = models.BooleanField(
        default=False, help_text="False: unknown; true with no date: no notice was served."
    )
    notice_served = models.DateField(null=True, blank=True)
    # Not indexed: transfers are never looked up by it, and a language (reference data) is
    # never deleted.
    notice_language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    notice_names_destination = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords(bases=[SavedBy])

    class Meta:
        ordering = ["ref"]
        permissions = [
            ("record_notice", "Can record written notice served"),
            ("record_acceptance", "Can record the receiving state's acceptance"),
        ]
        constraints = [
            one_of("status", TRANSFER_STATUSES, "transfer_status_known"),
            ref_pattern("transfer_ref_pattern"),
            all_or_none_null(
                ("notice_served", "notice_language", "notice_names_destination"), "notice_whole"
            ),
            models.CheckConstraint(
                condition=Q(notice_served__isnull=True) | Q(notice_recorded=True),
                name="notice_recorded_when_served",
            ),
        ]
        indexes = [
            models.Index(fields=["sending"], name="transfer_sending"),
            models.Index(fields=["destination"], name="transfer_destination"),
            models.Index(fields=["status"], name="transfer_status"),
            # Screening one transfer counts its arrangement's executed transfers (its cap).
            models.Index(
                fields=["arrangement"],
                condition=Q(status="executed"),
                name="transfer_executed",
            ),
        ]

    def __str__(self) -> str:
        return str(self.ref)


class MonitoringEntry(models.Model):
    """What was seen after a transfer; ``onward_removal`` records where the person was sent."""

    # Found through the unique constraint that starts with it: no index of its own.
    transfer = models.ForeignKey(
        Transfer, on_delete=models.CASCADE, related_name="monitoring", db_index=False
    )
    seq = models.PositiveIntegerField()
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=choices(MONITORING_KINDS))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["transfer", "seq"]
        verbose_name_plural = "monitoring entries"
        constraints = [
            models.UniqueConstraint(fields=["transfer", "seq"], name="monitoring_unique_seq"),
            one_of("kind", MONITORING_KINDS, "monitoring_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.transfer} {self.kind} on {self.date}"


class ScreeningRecord(models.Model):
    """One stored screening of a transfer: its verdict and findings, reproducible from the
    as-of date, the catalog version and the hash of the facts it read. Never changed.

    (The in-memory result of a screening is :class:`thirdcountry.Screening`.)"""

    #: The audit trail's name for these rows, from before the model was renamed.
    audit_label = "cases.screening"

    # The index "screening_latest" (transfer, -id) serves every lookup by transfer.
    transfer = models.ForeignKey(
        Transfer, on_delete=models.CASCADE, related_name="screenings", db_index=False
    )
    # No database constraint: a run writes its screenings in bulk, and checking each row's
    # run at commit costs more than the screening; the run id comes from the run itself.
    run = models.ForeignKey(
        "ScreeningRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    screened_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField()
    catalog = models.CharField(max_length=20)
    verdict = models.CharField(max_length=10, choices=choices(VERDICTS))
    facts_sha256 = models.CharField(max_length=64)
    #: Each rule's finding as data (reason code and parameters), in catalog order: the
    #: stored form of :mod:`thirdcountry.findings.stored`, rendered when read.
    findings = models.TextField()
    #: One letter per rule in catalog order (p pass, r review, b blocked).
    outcomes = models.CharField(max_length=64, default="")

    class Meta:
        # The table, the permissions and the name people see are those the model had
        # before it was renamed: bulk writes, roles and pages name them.
        db_table = "cases_screening"
        verbose_name = "screening"
        default_permissions = ()
        permissions = [
            (f"{action}_screening", f"Can {action} screening")
            for action in ("add", "change", "delete", "view")
        ]
        ordering = ["transfer", "-id"]
        indexes = [models.Index(fields=["transfer", "-id"], name="screening_latest")]
        constraints = [one_of("verdict", VERDICTS, "screening_verdict_known")]

    def __str__(self) -> str:
        return f"{self.transfer} {self.verdict} on {self.as_of}"


class LatestScreening(models.Model):
    """The latest screening of each transfer: what its verdict is now, in one indexed lookup.

    Kept in step with every stored screening; a narrow table, so counting pending transfers
    by verdict reads no findings.
    """

    # Derived from the screenings and rewritten by every run, so without database
    # constraints (checked at commit, row by row, they would cost more than the rewrite);
    # `thirdcountry audit verify` checks that each row agrees with the screenings.
    transfer = models.OneToOneField(
        Transfer,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="latest_screening",
        db_constraint=False,
    )
    # No index either: only taking back an interrupted run looks rows up by screening.
    screening = models.ForeignKey(
        ScreeningRecord,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    verdict = models.CharField(max_length=10, choices=choices(VERDICTS))
    catalog = models.CharField(max_length=20)
    outcomes = models.CharField(max_length=64)
    #: The latest screening's findings as stored: what the next run compares against.
    findings = models.TextField(default="")

    class Meta:
        indexes = [models.Index(fields=["verdict"], name="latest_screening_verdict")]

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.verdict}"


class ScreeningRun(models.Model):
    """One re-screening of a set of pending transfers: what triggered it, on which date and
    catalog, the verdict counts before and after, and how long it took.

    A run is ``complete`` only once every transfer in its scope has been screened and every
    changed verdict stored; an interrupted run stays ``running`` (or ``failed``) and can be
    run again.
    """

    trigger = models.CharField(max_length=300)
    #: What the run selects, so it can be run again: {"all": true}, {"person": ref},
    #: {"arrangement": ref}, {"destination": cc}, {"sending": cc}, {"order": ref},
    #: {"transfers": [ref, ...]}.
    scope = models.JSONField()
    as_of = models.DateField()
    catalog = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=choices(RUN_STATUSES), default="pending")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    transfers_in_scope = models.PositiveIntegerField(default=0)
    transfers_screened = models.PositiveIntegerField(default=0)
    #: {"clear": n, "review": n, "blocked": n, "unscreened": n}
    counts_before = models.JSONField(default=dict)
    counts_after = models.JSONField(default=dict)
    changed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [one_of("status", RUN_STATUSES, "run_status_known")]

    def __str__(self) -> str:
        return f"run {self.pk}: {self.trigger}"


class RunChange(models.Model):
    """A transfer whose verdict or findings a run changed, and which rules changed."""

    # No database constraints, as for a screening's run: a run writes its changes in bulk.
    # The unique constraint on (run, transfer) serves every lookup by run.
    run = models.ForeignKey(
        ScreeningRun,
        on_delete=models.CASCADE,
        related_name="changes",
        db_constraint=False,
        db_index=False,
    )
    transfer = models.ForeignKey(
        Transfer, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    verdict_before = models.CharField(
        max_length=10, null=True, blank=True, help_text="Empty: never screened before."
    )
    verdict_after = models.CharField(max_length=10)
    #: [{"rule", "before", "after", "finding"}] for each rule whose finding changed (its
    #: outcome, reason code or parameters); ``finding`` is the new one as stored.
    rules_changed = CompactJSONField()

    class Meta:
        ordering = ["run", "transfer"]
        constraints = [
            models.UniqueConstraint(fields=["run", "transfer"], name="run_change_unique")
        ]

    def __str__(self) -> str:
        return f"{self.transfer}: {self.verdict_before} -> {self.verdict_after}"


class Erasure(models.Model):
    """A person's personal data erased (on request, or by the retention policy): when, why
    and by whom. The person's record and transfers stay, for the statistics; what was
    erased is replaced by a tombstone everywhere, history included."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="erasures")
    erased_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    actor = models.CharField(max_length=150, blank=True, default="")
    #: How many records and historical records were rewritten, by model label.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} erased on {self.erased_at:%Y-%m-%d}"


#: What an execution recorded while the latest screening was not clear is flagged as.
EXECUTION_INCIDENT_KINDS = ("blocked", "review", "unscreened")


class ExecutionIncident(models.Model):
    """An execution recorded while the transfer's latest screening was not ``clear``: the
    system records what states do, so the execution is kept, and flagged, with the
    findings that did not pass and the reason given."""

    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, related_name="execution_incidents"
    )
    #: The latest verdict when the execution was recorded ("unscreened": never screened).
    kind = models.CharField(max_length=10, choices=choices(EXECUTION_INCIDENT_KINDS))
    catalog = models.CharField(max_length=20, blank=True, default="")
    #: [{"rule", "outcome"}] for each finding that did not pass, in catalog order.
    findings = models.JSONField(default=list)
    reason = models.TextField(blank=True, default="")
    #: Refs of executions recorded at the same moment that, together with this one, passed
    #: the arrangement's cap.
    concurrent_with = models.JSONField(default=list)
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [one_of("kind", EXECUTION_INCIDENT_KINDS, "execution_incident_kind_known")]

    def __str__(self) -> str:
        return f"{self.transfer} executed while {self.kind}"


class ImportMapping(models.Model):
    """A saved import mapping (its TOML text): which spreadsheet column fills which fact, and
    how values translate; reused from one import to the next."""

    name = models.CharField(max_length=100, unique=True)
    text = models.TextField()
    saved_at = models.DateTimeField(auto_now=True)
    saved_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)
