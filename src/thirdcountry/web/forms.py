"""The forms that record facts. Each validates what it can on its own; what only the model
knows (its constraints, its foreign keys) comes back from the service as a Django
``ValidationError``, which :func:`add_service_errors` puts next to the field it concerns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from thirdcountry.cases.models import Person
from thirdcountry.registry.models import Arrangement, Country, CourtOrder, Currency, Language
from thirdcountry.scenario.model import (
    ARRANGEMENT_STATUSES,
    COURT_ORDER_KINDS,
    FEAR_CLAIM_STATUSES,
    REF_MAX_LENGTH,
    REF_PATTERN,
)
from thirdcountry.web import codes
from thirdcountry.words import choices

#: A ref as the format has it (see ``REF_PATTERN``): checked before anything is looked up.
ref_validator = RegexValidator(
    REF_PATTERN,
    message=_(
        "A ref starts with a letter or digit, followed by letters, digits, "
        "“.”, “_” or “-” (no spaces or slashes)."
    ),
)

#: A yes/no answer that must be given: an unticked box cannot tell "no" from "not said".
YES_NO = [("yes", _("yes")), ("no", _("no"))]

FormType = TypeVar("FormType", bound=forms.Form)


def _yes(value: str) -> bool:
    return value == "yes"


def country_choices() -> list[tuple[str, str]]:
    """Every ISO 3166-1 country, for a select."""
    return [("", "—"), *((c.code, f"{c.code} {c.name}") for c in Country.objects.all())]


def currency_choices() -> list[tuple[str, str]]:
    """Every ISO 4217 currency, for a select."""
    return [("", "—"), *((c.code, f"{c.code} {c.name}") for c in Currency.objects.all())]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def add_service_errors(
    form: forms.Form, error: ValidationError, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's validation errors on ``form``: each model field's message next to the
    form field ``fields`` maps it to (or the field of the same name), the rest above the
    form."""
    mapping = dict(fields or {})
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = mapping.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def reason_field() -> forms.CharField:
    """Why a change is made: asked of every change, kept in the record's history (which
    keeps 100 characters)."""
    return forms.CharField(
        label=_("Reason for the change"),
        max_length=90,
        help_text=_("Kept in the record's history."),
    )


def asks_reason(form: type[FormType]) -> type[FormType]:
    """``form`` with the reason for the change as its last input."""
    form.base_fields["reason"] = form.declared_fields["reason"] = reason_field()
    return form


@asks_reason
class NoticeForm(forms.Form):
    """The written notice served for a transfer, or that none was served."""

    SERVED = "served"
    NONE = "none"

    state = forms.ChoiceField(
        label=_("Notice"),
        choices=[(SERVED, _("a notice was served")), (NONE, _("no notice was served"))],
        widget=forms.RadioSelect,
        initial=SERVED,
    )
    served = forms.DateField(label=_("Served on"), required=False, widget=DateInput)
    language = forms.CharField(
        label=_("Language of the notice"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "language-options", "autocomplete": "off"}),
        help_text=_("Type its name and choose it from the list."),
    )
    names_destination = forms.TypedChoiceField(
        label=_("The notice names the destination"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        required=False,
    )

    #: The model fields the service validates, and the form fields they belong to.
    service_fields = {
        "notice_served": "served",
        "notice_language": "language",
        "notice_names_destination": "names_destination",
    }

    @classmethod
    def recorded(cls, transfer: Any) -> dict[str, Any]:
        """The form filled with the notice as recorded."""
        if not transfer.notice_recorded:
            return {}
        if transfer.notice_served is None:
            return {"state": cls.NONE}
        language = transfer.notice_language_id
        return {
            "state": cls.SERVED,
            "served": transfer.notice_served,
            "language": codes.shown("language", language) if language else "",
            "names_destination": "yes" if transfer.notice_names_destination else "no",
        }

    def clean_language(self) -> str:
        typed = str(self.cleaned_data.get("language") or "").strip()
        if not typed:
            return ""
        code = codes.resolve("language", typed)
        if code is None or not Language.objects.filter(code=code).exists():
            raise ValidationError(
                _("“%(text)s” is not a language on the list."), params={"text": typed}
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("state") == self.SERVED:
            if not data.get("served") and "served" not in self.errors:
                self.add_error("served", _("Give the date the notice was served."))
            if not data.get("language") and "language" not in self.errors:
                self.add_error("language", _("Give the language the notice was written in."))
            if data.get("names_destination") is None and "names_destination" not in self.errors:
                self.add_error("names_destination", _("Say whether it names the destination."))
        return data


@asks_reason
class AcceptanceForm(forms.Form):
    """The receiving state's answer for this person."""

    accepted = forms.TypedChoiceField(
        label=_("The receiving state"),
        choices=[("yes", _("accepted the person")), ("no", _("refused the person"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )

    @classmethod
    def recorded(cls, transfer: Any) -> dict[str, Any]:
        """The form filled with the answer as recorded."""
        accepted = transfer.accepted_by_receiving
        return {} if accepted is None else {"accepted": "yes" if accepted else "no"}


@asks_reason
class FearClaimForm(forms.Form):
    """A fear claim about a country, or where its screening now stands."""

    country = forms.ChoiceField(label=_("Country feared"), choices=country_choices)
    status = forms.ChoiceField(label=_("Status"), choices=choices(FEAR_CLAIM_STATUSES))

    service_fields = {"country": "country", "status": "status"}


@asks_reason
class RemovalDecisionForm(forms.Form):
    """The removal decision and its appeal, or that no decision exists."""

    EXISTS = "exists"
    NONE = "none"

    state = forms.ChoiceField(
        label=_("Removal decision"),
        choices=[(EXISTS, _("a decision was made")), (NONE, _("no removal decision exists"))],
        widget=forms.RadioSelect,
        initial=EXISTS,
    )
    date = forms.DateField(label=_("Date of the decision"), required=False, widget=DateInput)
    final = forms.TypedChoiceField(
        label=_("The decision is final"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        required=False,
    )
    appeal_deadline = forms.DateField(
        label=_("Appeal deadline"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty when there is none."),
    )
    appeal_pending = forms.TypedChoiceField(
        label=_("An appeal is pending"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        required=False,
    )

    @classmethod
    def recorded(cls, person: Any) -> dict[str, Any]:
        """The form filled with the decision as recorded."""
        if not person.removal_decision_recorded:
            return {}
        if person.removal_decision_date is None:
            return {"state": cls.NONE}
        return {
            "state": cls.EXISTS,
            "date": person.removal_decision_date,
            "final": "yes" if person.removal_decision_final else "no",
            "appeal_deadline": person.appeal_deadline,
            "appeal_pending": "yes" if person.appeal_pending else "no",
        }

    service_fields = {
        "removal_decision_date": "date",
        "removal_decision_final": "final",
        "appeal_deadline": "appeal_deadline",
        "appeal_pending": "appeal_pending",
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("state") == self.EXISTS:
            if not data.get("date") and "date" not in self.errors:
                self.add_error("date", _("Give the date of the decision."))
            for name in ("final", "appeal_pending"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Choose yes or no."))
            deadline, decided = data.get("appeal_deadline"), data.get("date")
            if deadline and decided and deadline < decided:
                self.add_error(
                    "appeal_deadline", _("The appeal deadline cannot be before the decision.")
                )
        return data


@asks_reason
class CourtOrderForm(forms.Form):
    """A stay, injunction or interim measure and what it covers."""

    PERSON, ARRANGEMENT, PAIR, SENDING = "person", "arrangement", "pair", "sending"

    ref = forms.CharField(
        label=_("Reference"), max_length=REF_MAX_LENGTH, validators=[ref_validator]
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=choices(COURT_ORDER_KINDS))
    issuer = forms.CharField(label=_("Issued by"), max_length=300)
    issued = forms.DateField(label=_("Issued on"), widget=DateInput)
    lifted = forms.DateField(
        label=_("Lifted on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty while it is in effect."),
    )
    scope = forms.ChoiceField(
        label=_("It covers"),
        choices=[
            (PERSON, _("one person")),
            (ARRANGEMENT, _("every transfer under one arrangement")),
            (PAIR, _("every transfer from one state to another")),
            (SENDING, _("every third-country transfer from one state")),
        ],
        widget=forms.RadioSelect,
        initial=PERSON,
    )
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=REF_MAX_LENGTH,
        help_text=_("Type a name or a ref and choose the person."),
        widget=forms.TextInput(
            attrs={
                "list": "person-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("web:person-candidates"),
                "hx-vals": '{"options": "1"}',
                "hx-trigger": "input delay:300ms",
                "hx-target": "#person-options",
                "hx-swap": "innerHTML",
            }
        ),
    )
    arrangement = forms.ChoiceField(label=_("Arrangement"), required=False, choices=())
    sending = forms.ChoiceField(label=_("Sending state"), required=False, choices=())
    destination = forms.ChoiceField(label=_("Destination"), required=False, choices=())

    service_fields = {
        "ref": "ref",
        "kind": "kind",
        "issuer": "issuer",
        "issued": "issued",
        "lifted": "lifted",
        "scope_person": "person",
        "scope_arrangement": "arrangement",
        "scope_sending": "sending",
        "scope_destination": "destination",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = country_choices()
        self.fields["sending"].choices = countries
        self.fields["destination"].choices = countries
        self.fields["arrangement"].choices = [
            ("", "—"),
            *(
                (a.ref, f"{a.ref} ({a.sending_id} → {a.receiving_id})")
                for a in Arrangement.objects.all()
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        needed = {
            self.PERSON: ("person",),
            self.ARRANGEMENT: ("arrangement",),
            self.PAIR: ("sending", "destination"),
            self.SENDING: ("sending",),
        }.get(scope or "", ())
        for name in needed:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("This scope needs it."))
        person = data.get("person")
        if scope == self.PERSON and person and not Person.objects.filter(ref=person).exists():
            self.add_error("person", _("No person has the ref %(ref)s.") % {"ref": person})
        issued, lifted = data.get("issued"), data.get("lifted")
        if issued and lifted and lifted < issued:
            self.add_error("lifted", _("An order cannot be lifted before it was issued."))
        return data


class CourtOrderCorrectionForm(CourtOrderForm):
    """A recorded order corrected: every fact but its ref, and why."""

    def __init__(self, *args: Any, order: CourtOrder, **kwargs: Any) -> None:
        super().__init__(*args, initial=self.recorded(order), **kwargs)
        self.fields["ref"].disabled = True

    @classmethod
    def recorded(cls, order: CourtOrder) -> dict[str, Any]:
        """The form's inputs as ``order`` is recorded."""
        if order.scope_person_id is not None:
            scope = cls.PERSON
        elif order.scope_arrangement_id is not None:
            scope = cls.ARRANGEMENT
        elif order.scope_destination_id is not None:
            scope = cls.PAIR
        else:
            scope = cls.SENDING
        return {
            "ref": order.ref,
            "kind": order.kind,
            "issuer": order.issuer,
            "issued": order.issued,
            "lifted": order.lifted,
            "scope": scope,
            "person": order.scope_person.ref if order.scope_person_id else "",
            "arrangement": order.scope_arrangement.ref if order.scope_arrangement_id else "",
            "sending": order.scope_sending_id or "",
            "destination": order.scope_destination_id or "",
        }

    def document(self) -> dict[str, Any]:
        """The corrected order as the scenario format writes it (once the form is valid)."""
        data = self.cleaned_data
        scope = {
            self.PERSON: {"person": data["person"]},
            self.ARRANGEMENT: {"arrangement": data["arrangement"]},
            self.PAIR: {"sending": data["sending"], "destination": data["destination"]},
            self.SENDING: {"sending": data["sending"]},
        }[data["scope"]]
        lifted = data.get("lifted")
        return {
            "ref": data["ref"],
            "kind": data["kind"],
            "issuer": data["issuer"],
            "issued": data["issued"].isoformat(),
            "lifted": lifted.isoformat() if lifted else None,
            "scope": scope,
        }

    def add_problems(self, problems: list[tuple[str, str]]) -> None:
        """Put the format's problems (paths in the order) next to their inputs."""
        for path, message in problems:
            name = path.removeprefix("scope.")
            self.add_error(name if name in self.fields else None, message)


class WithdrawOrderForm(forms.Form):
    """Why an order recorded in error is withdrawn."""

    #: It shares its page with the correction form, whose reason has the plain name.
    prefix = "withdraw"

    reason = forms.CharField(
        label=_("Why is the order withdrawn?"),
        max_length=90,
        help_text=_("Kept in the order's history. Withdraw only an order recorded in error."),
    )


@asks_reason
class ArrangementStatusForm(forms.Form):
    """A dated change of an arrangement's status, with its source."""

    date = forms.DateField(label=_("From"), widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=choices(ARRANGEMENT_STATUSES))
    source = forms.CharField(
        label=_("Source"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The ruling, statute, statement or report that says so."),
    )

    service_fields = {"date": "date", "status": "status", "source": "source"}


class AssessmentForm(forms.Form):
    """A dated finding on whether a country risks sending people on."""

    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    onward_refoulement_risk = forms.TypedChoiceField(
        label=_("Risk of onward refoulement"),
        choices=[("yes", _("a real risk")), ("no", _("no real risk"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    source = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}))
    reason = reason_field()

    service_fields = {
        "country": "country",
        "date": "date",
        "onward_refoulement_risk": "onward_refoulement_risk",
        "source": "source",
    }


@asks_reason
class ExchangeRateForm(forms.Form):
    """A dated exchange rate: one unit of ``base`` is worth ``rate`` units of ``quote``."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    base = forms.ChoiceField(label=_("One unit of"), choices=currency_choices)
    quote = forms.ChoiceField(label=_("is worth, in"), choices=currency_choices)
    rate = forms.DecimalField(
        label=_("Rate"),
        min_value=0,
        max_digits=24,
        decimal_places=10,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    source = forms.CharField(label=_("Source"), max_length=300)

    service_fields = {
        "date": "date",
        "base": "base",
        "quote": "quote",
        "rate": "rate",
        "source": "source",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The form shares the arrangement's page with the change of status, which has a source
        # and a reason too: its fields take ids of their own, so each label names its field.
        kwargs.setdefault("auto_id", "rate_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("base") and data.get("base") == data.get("quote"):
            self.add_error("quote", _("Choose two different currencies."))
        rate = data.get("rate")
        if rate is not None and rate <= 0 and "rate" not in self.errors:
            self.add_error("rate", _("A rate is more than zero."))
        return data


class ImportForm(forms.Form):
    """A spreadsheet to import, and the mapping to read it with (saved, or written here)."""

    file = forms.FileField(label=_("Spreadsheet (CSV, XLSX, XLS, ODS)"))
    saved_mapping = forms.ChoiceField(label=_("Saved mapping"), required=False)
    mapping_text = forms.CharField(
        label=_("Or a mapping (TOML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    save_as = forms.CharField(label=_("Save this mapping as"), required=False, max_length=100)
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False)
    skip_invalid = forms.BooleanField(
        label=_("Write the valid rows and set the others aside"), required=False
    )
    #: Names this import's progress, which the page asks for while the upload is imported.
    progress = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args: Any, mappings: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["saved_mapping"].choices = [("", "—"), *((m, m) for m in mappings or [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("saved_mapping") and not (data.get("mapping_text") or "").strip():
            raise ValidationError(_("Choose a saved mapping or write one."))
        if data.get("save_as") and not (data.get("mapping_text") or "").strip():
            self.add_error("save_as", _("Write the mapping to save."))
        return data
