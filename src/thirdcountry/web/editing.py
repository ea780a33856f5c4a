"""Forms that create and correct whole records, generated from the scenario format's schema.

Each field of a record type (``scenario.model``) becomes an input of the kind its type asks
for: a date, a yes/no, a choice of the format's values, a country or language chosen by
name, a list of names, a nested object, or a list of entries (a formset). A (u) fact shows
its three states: unknown, known none (where the format allows one) and a value. A form
starts from the record as stored (its scenario-format object) and turns back into such an
object, which the same parser as the API's checks; the parser's problems come back next to
the inputs they concern.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

import msgspec.inspect as mi
from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from thirdcountry.scenario.layout import fields_of, is_fact
from thirdcountry.scenario.model import Amount
from thirdcountry.web import codes
from thirdcountry.web.forms import DateInput
from thirdcountry.words import choices

UNKNOWN, NONE, VALUE = "unknown", "none", "value"
#: The separator of the entries of a list typed in one input ("Syria; Iraq").
SEPARATOR: Final = ";"
YES_NO: Final = (("yes", _("yes")), ("no", _("no")))
_INDEX = re.compile(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?")

#: What each input is called on the page, by the record key it holds.
LABELS: Final[dict[str, Any]] = {
    "ref": _("Reference"),
    "names": _("Names and aliases"),
    "birth_date": _("Date of birth"),
    "nationalities": _("Nationalities"),
    "languages": _("Languages understood"),
    "accompanied": _("Accompanied (a minor with a parent or guardian)"),
    "identity_verified": _("Identity verified"),
    "asylum_claim": _("Asylum claim"),
    "fear_claims": _("Fear claims"),
    "removal_decision": _("Removal decision"),
    "convictions": _("Convictions and sentences"),
    "family_in_sending_country": _("Family in the sending country"),
    "fit_to_travel": _("Fit to travel"),
    "person": _("Person"),
    "sending": _("Sending state"),
    "receiving": _("Receiving state"),
    "destination": _("Destination"),
    "arrangement": _("Arrangement"),
    "planned_date": _("Planned date"),
    "status": _("Status"),
    "accepted_by_receiving": _("Accepted by the receiving state"),
    "notice": _("Notice served"),
    "monitoring": _("Monitoring"),
    "title": _("Title"),
    "cap": _("Cap (persons)"),
    "terms": _("Eligibility terms"),
    "commitments": _("Commitments of the receiving state"),
    "status_history": _("Status history"),
    "payments": _("Payments"),
    "country": _("Country"),
    "offence": _("Offence"),
    "sentence_end": _("Sentence fully served on"),
    "date": _("Date"),
    "final": _("Final"),
    "appeal_deadline": _("Appeal deadline"),
    "appeal_pending": _("Appeal pending"),
    "served": _("Served on"),
    "language": _("Language"),
    "names_destination": _("Names the destination"),
    "kind": _("Kind"),
    "note": _("Note"),
    "source": _("Source"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "payer": _("Payer"),
    "payee": _("Payee"),
    "requires_served_sentence": _("Requires a served sentence"),
    "excluded_nationalities": _("Excluded nationalities"),
    "notice_days": _("Notice period (days)"),
}


@dataclass(frozen=True)
class Part:
    """One key of a record as a form edits it."""

    name: str
    kind: str
    fact: bool
    nullable: bool
    required: bool
    values: tuple[str, ...] = ()
    code: str | None = None
    record: type | None = None

    @property
    def label(self) -> Any:
        """What the input is called on the page."""
        return LABELS.get(self.name, self.name.replace("_", " "))

    @property
    def has_state(self) -> bool:
        """Whether the input says which of its states a fact is in: a list or an object
        that may be unknown or known none (a scalar is simply left empty when unknown)."""
        return self.kind in ("codes", "object", "entries") and (self.fact or self.nullable)

    def states(self) -> list[tuple[str, Any]]:
        """The states this input offers."""
        offered = [(UNKNOWN, _("unknown"))] if self.fact else []
        if self.nullable or self.kind in ("codes", "entries"):
            offered.append((NONE, _("known: none")))
        offered.append((VALUE, _("known:")))
        return offered


def _code_of(kind: mi.Type) -> str | None:
    if isinstance(kind, mi.Metadata) and kind.extra:
        code = kind.extra.get("code")
        return str(code) if code else None
    return None


def _plain(kind: mi.Type) -> tuple[mi.Type, bool]:
    """A type without its null (and whether it allows one)."""
    if isinstance(kind, mi.UnionType):
        others = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        return others[0], len(others) < len(kind.types)
    return kind, False


def part_of(info: mi.Field) -> Part:
    """How the record key ``info`` is edited."""
    kind, nullable = _plain(info.type)
    code = _code_of(kind)
    bare = kind.type if isinstance(kind, mi.Metadata) else kind
    fact, required = is_fact(info), info.required

    def make(kind: str, **extra: Any) -> Part:
        return Part(info.name, kind, fact, nullable, required, **extra)

    if code:
        return make("code", code=code)
    if isinstance(bare, mi.VarTupleType):
        item = bare.item_type
        item_code = _code_of(item)
        item_bare = item.type if isinstance(item, mi.Metadata) else item
        if item_code:
            return make("codes", code=item_code)
        if isinstance(item_bare, mi.StructType):
            return make("entries", record=item_bare.cls)
        if isinstance(item_bare, mi.LiteralType):
            return make("choices", values=tuple(map(str, item_bare.values)))
        return make("texts")
    if isinstance(bare, mi.StructType):
        return make("object", record=bare.cls)
    if isinstance(bare, mi.LiteralType):
        return make("choice", values=tuple(map(str, bare.values)))
    if isinstance(bare, mi.CustomType) and bare.cls is Amount:
        return make("amount")
    simple = {mi.DateType: "date", mi.BoolType: "bool", mi.IntType: "int"}
    return make(simple.get(type(bare), "text"))


def parts_of(record: type, *, skip: Sequence[str] = ()) -> list[Part]:
    """Every key of ``record`` as a form edits it, in the schema's order."""
    return [part_of(info) for info in fields_of(record) if info.name not in skip]


# -- inputs ----------------------------------------------------------------------------------


def _choices(values: Sequence[str]) -> list[tuple[str, Any]]:
    return choices(tuple(values))


def _datalist(code: str) -> dict[str, str]:
    return {"list": f"{code}-options", "autocomplete": "off"}


def input_for(part: Part, *, inner: bool = False) -> forms.Field:
    """The form field of a scalar or list key (``inner``: inside an object or an entry,
    where a required key is required only when the object is given)."""
    required = part.required and not inner and not part.fact
    label = part.label
    if part.kind == "date":
        hint = _("Leave empty when unknown.") if part.fact else ""
        if part.nullable and not part.fact:
            hint = _("Leave empty when there is none.")
        return forms.DateField(label=label, required=required, widget=DateInput, help_text=hint)
    if part.kind == "bool":
        states = [("", _("unknown"))] if part.fact else [("", "—")] if inner else []
        return forms.ChoiceField(
            label=label,
            choices=[*states, *YES_NO],
            required=required,
            widget=forms.RadioSelect,
        )
    if part.kind == "choice":
        empty = [("", _("unknown") if part.fact else "—")]
        return forms.ChoiceField(
            label=label, choices=[*empty, *_choices(part.values)], required=required
        )
    if part.kind == "choices":
        return forms.MultipleChoiceField(
            label=label,
            choices=_choices(part.values),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    if part.kind == "code" and part.code in ("country", "currency"):
        return forms.ChoiceField(
            label=label,
            choices=lambda code=part.code: [("", "—"), *codes.options(code)],
            required=required,
        )
    if part.kind == "code":
        return forms.CharField(
            label=label,
            required=required,
            widget=forms.TextInput(attrs=_datalist(str(part.code))),
            help_text=_("Type its name and choose it from the list."),
        )
    if part.kind == "codes":
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.TextInput(attrs=_datalist(str(part.code))),
            help_text=_("Names separated by “;”."),
        )
    if part.kind == "texts":
        return forms.CharField(
            label=label,
            required=required,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("One per line, in any script; the first is the main name."),
        )
    if part.kind == "int":
        return forms.IntegerField(
            label=label, required=required, min_value=0, help_text=_("Leave empty when none.")
        )
    if part.kind == "amount":
        return forms.DecimalField(label=label, required=required, max_digits=24, decimal_places=4)
    max_length = 100 if part.name == "ref" else 2000
    hint = _("Leave empty when none.") if part.nullable else ""
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=hint, strip=True
    )


def _shown_codes(kind: str, values: Sequence[str]) -> str:
    return f"{SEPARATOR} ".join(codes.shown(kind, v) for v in values)


def initial_of(part: Part, value: Any) -> Any:
    """What the input of ``part`` shows for a recorded value (as the scenario format writes
    it)."""
    if value is None:
        # A blank choice is the "unknown" (or "none") option, shown chosen.
        return "" if part.kind in ("bool", "choice") else None
    if part.kind == "bool":
        return "yes" if value else "no"
    if part.kind == "code" and part.code == "language":
        return codes.shown("language", value)
    if part.kind == "codes":
        return _shown_codes(str(part.code), value)
    if part.kind == "texts":
        return "\n".join(value)
    return value


def value_of(part: Part, cleaned: Any) -> Any:
    """A cleaned input as the scenario format writes it; ``msgspec.UNSET``-like absence is
    :data:`MISSING` (unknown or not given)."""
    if part.kind == "date":
        return cleaned.isoformat() if isinstance(cleaned, dt.date) else MISSING
    if part.kind == "bool":
        return {"yes": True, "no": False}.get(cleaned or "", MISSING)
    if part.kind == "choices":
        return list(cleaned or [])
    if part.kind == "texts":
        return [line.strip() for line in str(cleaned or "").splitlines() if line.strip()]
    if part.kind == "amount":
        return str(cleaned) if isinstance(cleaned, Decimal) else MISSING
    if part.kind == "int":
        return cleaned if cleaned is not None else MISSING
    return cleaned if cleaned not in (None, "") else MISSING


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: A key with no value given: left out of the record (unknown, or defaulted).
MISSING: Final = _Missing()


def resolve_codes(kind: str, text: str) -> tuple[list[str], list[str]]:
    """The codes a typed list names, and the entries that name none."""
    found, refused = [], []
    for entry in re.split(r"[;\n]", text or ""):
        if not entry.strip():
            continue
        code = codes.resolve(kind, entry)
        if code is None:
            refused.append(entry.strip())
        elif code not in found:
            found.append(code)
    return found, refused


# -- entries and objects -----------------------------------------------------------------


class EntryForm(forms.Form):
    """One entry of a list of records (a payment, a status, a fear claim)."""

    parts: list[Part] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for part in self.parts:
            if part.kind == "code" and part.code == "language" and data.get(part.name):
                code = codes.resolve("language", data[part.name])
                if code is None:
                    self.add_error(part.name, _refusal("language", data[part.name]))
                else:
                    data[part.name] = code
        return data

    def entry(self) -> dict[str, Any]:
        """The entry as the scenario format writes it."""
        out = {}
        for part in self.parts:
            value = value_of(part, self.cleaned_data.get(part.name))
            if value is MISSING and part.nullable and not part.fact:
                value = None
            if value is not MISSING:
                out[part.name] = value
        return out


def entry_formset(record: type) -> type[BaseFormSet]:
    """The formset of a list of ``record`` entries: one blank entry to add, each to delete."""
    parts = parts_of(record)
    attrs: dict[str, Any] = {p.name: input_for(p) for p in parts}
    attrs["parts"] = parts
    form = type(f"{record.__name__}EntryForm", (EntryForm,), attrs)
    formset: type[BaseFormSet] = formset_factory(form, extra=1, can_delete=True)
    return formset


def kept_entries(formset: BaseFormSet) -> list[EntryForm]:
    """The entries a valid formset keeps, in order: every recorded entry not deleted, and
    each blank one that was filled in."""
    kept = []
    for index, form in enumerate(formset.forms):
        if form.cleaned_data.get("DELETE"):
            continue
        if index < formset.initial_form_count() or form.has_changed():
            kept.append(form)
    return kept


def _refusal(kind: str, text: str) -> str:
    meant = codes.suggestions(kind, text)
    message = str(_("“%(text)s” is not a name on the list.")) % {"text": text}
    if meant:
        message += " " + str(_("Did you mean: %(names)s?")) % {"names": ", ".join(meant)}
    return message


@dataclass
class Group:
    """A part of the form as the page lays it out: its state input, its inputs and its
    list of entries."""

    part: Part
    state: Any = None
    fields: list[Any] = field(default_factory=list)
    formset: Any = None


class RecordForm(forms.Form):
    """A whole record: built by :func:`record_form` from the record type's schema."""

    parts: list[Part] = []
    locked: frozenset[str] = frozenset()

    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=90,
        help_text=_("Kept in the record's history."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        recorded: Mapping[str, Any] | None = None,
        locked: frozenset[str] = frozenset(),
        fixed: Mapping[str, Any] | None = None,
    ) -> None:
        self.recorded = dict(recorded or {})
        self.locked = locked
        self.fixed = dict(fixed or {})
        super().__init__(data, initial=self._initial())
        self.formsets: dict[str, BaseFormSet] = {}
        for part in self.parts:
            if part.kind == "entries":
                assert part.record is not None
                formset_class = entry_formset(part.record)
                recorded_entries = self.recorded.get(part.name) or []
                initial = [
                    {p.name: initial_of(p, e.get(p.name)) for p in parts_of(part.record)}
                    for e in recorded_entries
                ]
                formset = formset_class(data, prefix=part.name, initial=initial)
                self.formsets[part.name] = formset
            if part.name in locked or part.name in self.fixed:
                for name in self._names(part):
                    if name in self.fields:
                        self.fields[name].disabled = True

    @staticmethod
    def _names(part: Part) -> list[str]:
        names = [part.name, f"{part.name}__state"]
        if part.kind == "object" and part.record is not None:
            names += [f"{part.name}__{p.name}" for p in parts_of(part.record)]
        return names

    def _initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for part in self.parts:
            present = part.name in self.recorded or part.name in self.fixed
            value = self.fixed.get(part.name, self.recorded.get(part.name))
            if part.has_state:
                if not present and part.fact:
                    initial[f"{part.name}__state"] = UNKNOWN
                elif value is None or value == []:
                    initial[f"{part.name}__state"] = NONE if part.nullable or value == [] else VALUE
                else:
                    initial[f"{part.name}__state"] = VALUE
            if part.kind == "object" and part.record is not None:
                for inner in parts_of(part.record):
                    initial[f"{part.name}__{inner.name}"] = initial_of(
                        inner, (value or {}).get(inner.name)
                    )
            elif part.kind != "entries":
                initial[part.name] = initial_of(part, value)
        return initial

    def groups(self) -> list[Group]:
        """The parts of the form in the order the page shows them."""
        out = []
        for part in self.parts:
            group = Group(part)
            if part.has_state:
                group.state = self[f"{part.name}__state"]
            if part.kind == "object" and part.record is not None:
                group.fields = [self[f"{part.name}__{p.name}"] for p in parts_of(part.record)]
            elif part.kind == "entries":
                group.formset = self.formsets[part.name]
            else:
                group.fields = [self[part.name]]
            out.append(group)
        return out

    def is_valid(self) -> bool:
        """Whether the record's inputs and every list of entries are valid."""
        valid = super().is_valid()
        for name, formset in self.formsets.items():
            if self._state(name) == VALUE and not formset.is_valid():
                valid = False
        return valid and not self.errors

    def _state(self, name: str) -> str:
        key = f"{name}__state"
        if key in self.fields:
            return str(self.cleaned_data.get(key) or VALUE)
        return VALUE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for part in self.parts:
            if part.name in self.locked or part.name in self.fixed:
                continue
            if part.kind == "codes":
                found, refused = resolve_codes(str(part.code), data.get(part.name) or "")
                for text in refused:
                    self.add_error(part.name, _refusal(str(part.code), text))
                data[part.name] = found
                if self._state(part.name) == VALUE and not found and not refused:
                    self.add_error(part.name, _("Give at least one, or choose “known: none”."))
            elif part.kind == "code" and part.code == "language" and data.get(part.name):
                code = codes.resolve("language", data[part.name])
                if code is None:
                    self.add_error(part.name, _refusal("language", data[part.name]))
                data[part.name] = code
            elif part.kind == "object" and part.record is not None:
                self._clean_object(part, data)
        return data

    def _clean_object(self, part: Part, data: dict[str, Any]) -> None:
        if self._state(part.name) != VALUE:
            return
        assert part.record is not None
        for inner in parts_of(part.record):
            name = f"{part.name}__{inner.name}"
            value = data.get(name)
            if inner.kind == "code" and inner.code == "language" and value:
                code = codes.resolve("language", value)
                if code is None:
                    self.add_error(name, _refusal("language", value))
                data[name] = code
            elif inner.kind == "codes":
                found, refused = resolve_codes(str(inner.code), value or "")
                for text in refused:
                    self.add_error(name, _refusal(str(inner.code), text))
                data[name] = found
            elif inner.required and value in (None, "") and name not in self.errors:
                self.add_error(name, _("Give it, or choose another state above."))

    def document(self) -> dict[str, Any]:
        """The record as the scenario format writes it (call once the form is valid)."""
        out: dict[str, Any] = {}
        data = self.cleaned_data
        for part in self.parts:
            if part.name in self.fixed:
                out[part.name] = self.fixed[part.name]
                continue
            if part.name in self.locked:
                if part.name in self.recorded:
                    out[part.name] = self.recorded[part.name]
                continue
            state = self._state(part.name)
            if state == UNKNOWN:
                continue
            if state == NONE:
                out[part.name] = [] if part.kind in ("codes", "entries") else None
                continue
            if part.kind == "object" and part.record is not None:
                inner = {}
                for p in parts_of(part.record):
                    value = value_of(p, data.get(f"{part.name}__{p.name}"))
                    if value is MISSING and p.nullable:
                        value = None
                    if value is not MISSING:
                        inner[p.name] = value
                out[part.name] = inner
            elif part.kind == "entries":
                out[part.name] = [f.entry() for f in kept_entries(self.formsets[part.name])]
            else:
                value = value_of(part, data.get(part.name))
                if value is MISSING and part.nullable:
                    value = None
                if value is not MISSING:
                    out[part.name] = value
        return out

    def add_problems(self, problems: Sequence[tuple[str, str]]) -> None:
        """Put the parser's problems (paths relative to the record) next to their inputs."""
        for path, message in problems:
            match = _INDEX.match(path)
            if match is None or path == "$":
                self.add_error(None, message)
                continue
            key, index, inner = match.groups()
            part = next((p for p in self.parts if p.name == key), None)
            if part is None:
                self.add_error(None, f"{path}: {message}")
            elif part.kind == "entries" and index is not None:
                forms_ = kept_entries(self.formsets[key])
                target = forms_[int(index)] if int(index) < len(forms_) else None
                if target is not None and inner in target.fields:
                    target.add_error(inner, message)
                else:
                    self.add_error(None, f"{part.label}: {message}")
            elif part.kind == "object" and inner and f"{key}__{inner}" in self.fields:
                self.add_error(f"{key}__{inner}", message)
            elif key in self.fields:
                self.add_error(key, message)
            elif f"{key}__state" in self.fields:
                self.add_error(f"{key}__state", message)
            else:
                self.add_error(None, f"{part.label}: {message}")


def record_form(record: type, *, skip: Sequence[str] = ()) -> type[RecordForm]:
    """The form class of a record type: one input (or group of inputs) per key."""
    parts = parts_of(record, skip=skip)
    attrs: dict[str, Any] = {"parts": parts}
    for part in parts:
        if part.has_state:
            attrs[f"{part.name}__state"] = forms.ChoiceField(
                label=part.label,
                choices=part.states(),
                widget=forms.RadioSelect,
                initial=UNKNOWN if part.fact else VALUE,
            )
        if part.kind == "object" and part.record is not None:
            for inner in parts_of(part.record):
                inner_field = input_for(inner, inner=True)
                attrs[f"{part.name}__{inner.name}"] = inner_field
        elif part.kind != "entries":
            attrs[part.name] = input_for(part)
    # Django collects declared fields in the order they are given; the reason comes last.
    form: type[RecordForm] = type(f"{record.__name__}Form", (RecordForm,), attrs)
    form.base_fields["reason"] = form.base_fields.pop("reason")
    return form
