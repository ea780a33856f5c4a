"""The keys of a scenario-format record as a form edits them: what kind of input each key
needs (read from the record type's schema), the input itself, what it shows for a recorded
value and the value it gives back.

A (u) fact that is a list or an object has three states, chosen with a state input
(unknown, known none, a value), as has a scalar fact that may be known none (an
arrangement's cap); any other scalar fact is simply left empty when unknown. Inside an
entry or an object, a scalar fact that may be known none has a "known: none" box beside it.

A union of scalar@2 is edited as one input: a value or a list of values (a selector's
country or refs) as a list, a yes/no or a number as one typed value, and a value or an
object holding a list of entries (an order's effect: "prohibits" or its conditions) as a
state with that list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import msgspec.inspect as mi
from django import forms
from django.utils.translation import gettext_lazy as _

from thirdcountry.scenario.layout import fields_of, is_fact
from thirdcountry.scenario.model import REF_PATTERN, Amount
from thirdcountry.web import codes
from thirdcountry.web.forms import DateInput
from thirdcountry.words import choices

UNKNOWN, NONE, VALUE = "unknown", "none", "value"
#: The separator of the entries of a list typed in one input ("Syria; Iraq").
SEPARATOR: Final = ";"
YES_NO: Final = (("yes", _("yes")), ("no", _("no")))

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
    "known_adult_on": _("Known to be an adult on"),
    "sex": _("Sex"),
    "vulnerabilities": _("Vulnerabilities"),
    "counsel": _("Has counsel"),
    "classes": _("Classes of persons"),
    "protections": _("Protections held"),
    "pending_charges": _("Pending criminal charges"),
    "category": _("Offence category"),
    "granted_by": _("Granted by"),
    "granted_on": _("Granted on"),
    "ended_on": _("Ended on"),
    "end_kind": _("How it ended"),
    "raised_on": _("Raised on"),
    "decided_on": _("Decided on"),
    "reviewable": _("Reviewable"),
    "legal_basis": _("Legal basis"),
    "opportunity": _("Opportunity to raise a fear claim"),
    "cut_off": _("Cut-off date"),
    "counsel_access": _("Access to counsel"),
    "interpreter": _("Interpreter"),
    "served_on_counsel": _("Served on counsel"),
    "explains_how_to_contest": _("Explains how to contest"),
    "assurances_relied_on": _("Diplomatic assurances relied on"),
    "replaces_screening": _("Replaces the individual screening"),
    "designation_relied_on": _("Safe-country designation relied on"),
    "on_arrival": _("On arrival"),
    "custody": _("Custody"),
    "incommunicado": _("Held incommunicado"),
    "individual_legal_basis": _("Individual legal basis"),
    "legal_status": _("Legal status"),
    "model": _("Model"),
    "period_caps": _("Caps over periods"),
    "concurrent_cap": _("Cap on persons present at once"),
    "from": _("From"),
    "to": _("To"),
    "persons": _("Persons"),
    "eligible_nationalities": _("Eligible nationalities"),
    "criminal_record": _("Criminal record"),
    "requires_completed_sentences": _("Requires completed sentences"),
    "excludes_pending_charges": _("Excludes persons with pending charges"),
    "excluded_offence_categories": _("Excluded offence categories"),
    "excluded_groups": _("Excluded groups"),
    "issuer": _("Issued by"),
    "issued": _("Issued on"),
    "scope": _("Scope"),
    "events": _("Later events"),
    "effect": _("Effect"),
    "by": _("By"),
    "requirement": _("Requirement"),
    "value": _("Value"),
    "class": _("Class of persons"),
    "code": _("Code"),
    "requires_arrangement": _("Requires an arrangement"),
    "id": _("Identifier"),
    "force": _("Force"),
    "applies_to": _("Applies to"),
    "designating_state": _("Designating state"),
    "territorial_exceptions": _("Territorial exceptions"),
    "personal_exceptions": _("Personal exceptions"),
    "judicial_review": _("Judicial review"),
    "given_by": _("Given by"),
    "given_to": _("Given to"),
    "subject": _("Subject"),
    "given_on": _("Given on"),
    "binding": _("Binding"),
    "disclosed": _("Disclosed"),
}
#: The kinds of input a value is typed in, which a state input may say is known none.
SCALARS: Final = frozenset({"date", "bool", "choice", "code", "int", "text", "yes_no_days"})


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
    #: The key in the document, where it differs from the attribute (``from``, ``class``).
    key: str = ""
    #: A value or a list of values: one value is written alone.
    many: bool = False
    #: A variant's object: the key of its one list of entries (``conditions``).
    wrap: str = ""

    @property
    def label(self) -> Any:
        """What the input is called on the page."""
        return LABELS.get(self.key or self.name, self.name.replace("_", " "))

    @property
    def doc(self) -> str:
        """The key in the scenario document."""
        return self.key or self.name

    @property
    def has_state(self) -> bool:
        """Whether the input says which of its states a fact is in: a list or an object
        that may be unknown or known none, a variant, or a scalar fact that may be known
        none (any other scalar is simply left empty when unknown)."""
        if self.kind == "variant":
            return True
        if self.kind in SCALARS:
            return self.fact and self.nullable
        listed = ("codes", "refs", "choices", "object", "entries")
        return self.kind in listed and (self.fact or self.nullable)

    @property
    def none_box(self) -> bool:
        """Whether, inside an entry or an object, a "known: none" box stands beside it."""
        return self.kind in SCALARS and self.fact and self.nullable

    def states(self) -> list[tuple[str, Any]]:
        """The states this input offers."""
        offered = [(UNKNOWN, _("unknown"))] if self.fact else []
        if self.kind == "variant":
            return [*offered, *_choices(self.values), (VALUE, _("known: conditions"))]
        if self.nullable or self.kind in ("codes", "refs", "choices", "entries"):
            offered.append((NONE, _("known: none")))
        offered.append((VALUE, _("known:")))
        return offered


def _code_of(kind: mi.Type) -> str | None:
    if isinstance(kind, mi.Metadata) and kind.extra:
        code = kind.extra.get("code")
        return str(code) if code else None
    return None


def _plain(kind: mi.Type) -> tuple[mi.Type, bool]:
    """A type without its null (and whether it allows one); a union of several other types
    stays a union."""
    if isinstance(kind, mi.UnionType):
        others = tuple(t for t in kind.types if not isinstance(t, mi.NoneType))
        plain = others[0] if len(others) == 1 else mi.UnionType(types=others)
        return plain, len(others) < len(kind.types)
    return kind, False


def _bare(kind: mi.Type) -> mi.Type:
    return kind.type if isinstance(kind, mi.Metadata) else kind


def _is_ref(kind: mi.Type) -> bool:
    """Whether a list's items are refs or codes (a short patterned word), not free text."""
    bare = _bare(kind)
    return (
        isinstance(bare, mi.StrType)
        and bare.pattern is not None
        and (bare.pattern == REF_PATTERN or (bare.max_length or 2000) <= 100)
    )


def part_of(info: mi.Field) -> Part:
    """How the record key ``info`` is edited."""
    kind, nullable = _plain(info.type)
    fact, required = is_fact(info), info.required
    many = False

    def make(kind: str, **extra: Any) -> Part:
        key = info.encode_name if info.encode_name != info.name else ""
        return Part(info.name, kind, fact, nullable, required, key=key, many=many, **extra)

    if isinstance(kind, mi.UnionType):
        bares = [_bare(t) for t in kind.types]
        lists = [t for t in kind.types if isinstance(_bare(t), mi.VarTupleType)]
        structs = [b for b in bares if isinstance(b, mi.StructType)]
        literals = [b for b in bares if isinstance(b, mi.LiteralType)]
        if lists and len(kind.types) == 2:
            kind, many = lists[0], True
        elif {type(b) for b in bares} == {mi.BoolType, mi.IntType}:
            return make("yes_no_days")
        elif structs and literals:
            (entries,) = fields_of(structs[0].cls)
            item = _bare(entries.type)
            assert isinstance(item, mi.VarTupleType)
            item_record = _bare(item.item_type)
            assert isinstance(item_record, mi.StructType)
            values = tuple(str(v) for b in literals for v in b.values)
            return make("variant", values=values, record=item_record.cls, wrap=entries.name)
    code = _code_of(kind)
    bare = _bare(kind)
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
        return make("refs" if _is_ref(item) else "texts")
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
    # scenario@2's countries are offered from the ISO list; Kosovo is accepted by name.
    listed = "country" if code == "country_v2" else code
    return {"list": f"{listed}-options", "autocomplete": "off"}


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
    if part.kind == "code" and part.code in ("country", "country_v2", "currency"):
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
    if part.kind == "refs":
        return forms.CharField(
            label=label,
            required=False,
            max_length=2000,
            help_text=_("References separated by “;”."),
        )
    if part.kind == "yes_no_days":
        return YesNoOrNumber(label=label, required=required)
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


class YesNoOrNumber(forms.CharField):
    """A value that is "yes", "no" or a number of days (a requirement's value)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("“yes”, “no”, or a number of days."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = str(super().to_python(value)).strip().casefold()
        if text == "":
            return None
        if len(text) > 20:
            raise forms.ValidationError(_("Give “yes”, “no” or a number of days."))
        words = {"yes": True, "no": False, str(_("yes")): True, str(_("no")): False}
        if text in words:
            return words[text]
        if text.isdigit():
            return int(text)
        raise forms.ValidationError(_("Give “yes”, “no” or a number of days."))


def none_box(part: Part) -> forms.BooleanField:
    """The "known: none" box beside a scalar fact inside an entry or an object."""
    return forms.BooleanField(
        label=str(_("%(label)s: known none")) % {"label": part.label}, required=False
    )


def _shown_codes(kind: str, values: Sequence[str] | str) -> str:
    if isinstance(values, str):
        values = [values]
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
    if part.kind == "refs":
        return value if isinstance(value, str) else f"{SEPARATOR} ".join(value)
    if part.kind == "yes_no_days" and isinstance(value, bool):
        return "yes" if value else "no"
    return value


def initial_of_entry(record: type, value: dict[str, Any]) -> dict[str, Any]:
    """What the inputs of an entry (or an object) of ``record`` show for its recorded
    document, by input name: a scalar fact recorded as none ticks its "known: none" box."""
    initial: dict[str, Any] = {}
    for part in parts_of(record):
        held = value.get(part.doc)
        initial[part.name] = initial_of(part, held)
        if part.none_box:
            initial[f"{part.name}__none"] = part.doc in value and held is None
    return initial


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
    if part.kind == "refs":
        cleaned = [r.strip() for r in re.split(r"[;\n]", str(cleaned or "")) if r.strip()]
    if part.kind in ("codes", "refs"):
        if not cleaned:
            return MISSING
        return cleaned[0] if part.many and len(cleaned) == 1 else list(cleaned)
    if part.kind == "yes_no_days":
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


def refusal(kind: str, text: str) -> str:
    meant = codes.suggestions(kind, text)
    message = str(_("“%(text)s” is not a name on the list.")) % {"text": text}
    if meant:
        message += " " + str(_("Did you mean: %(names)s?")) % {"names": ", ".join(meant)}
    return message
