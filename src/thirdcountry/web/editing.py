"""Forms that create and correct whole records, generated from the scenario format's schema.

Each key of a record type (``scenario.model``) becomes an input of the kind its type asks
for (:mod:`thirdcountry.web.record_parts`): a date, a yes/no, a choice of the format's
values, a country or language chosen by name, a list of names, a nested object, or a list
of entries (a formset). A (u) fact shows its three states: unknown, known none (where the
format allows one) and a value. A form starts from the record as stored (its
scenario-format object) and turns back into such an object, which the same parser as the
API's checks; the parser's problems come back next to the inputs they concern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thirdcountry.web import codes
from thirdcountry.web.record_parts import (
    MISSING,
    NONE,
    SCALARS,
    UNKNOWN,
    VALUE,
    Part,
    initial_of,
    initial_of_entry,
    input_for,
    none_box,
    parts_of,
    refusal,
    resolve_codes,
    value_of,
)

_INDEX = re.compile(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?")


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
                    self.add_error(part.name, refusal("language", data[part.name]))
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
            if part.none_box and self.cleaned_data.get(f"{part.name}__none"):
                value = None
            if value is not MISSING:
                out[part.doc] = value
        return out


def entry_formset(record: type) -> type[BaseFormSet]:
    """The formset of a list of ``record`` entries: one blank entry to add, each to delete."""
    parts = parts_of(record)
    attrs: dict[str, Any] = {}
    for p in parts:
        attrs[p.name] = input_for(p)
        if p.none_box:
            attrs[f"{p.name}__none"] = none_box(p)
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
        prefix: str | None = None,
    ) -> None:
        self.recorded = dict(recorded or {})
        self.locked = locked
        self.fixed = dict(fixed or {})
        super().__init__(data, initial=self._initial(), prefix=prefix)
        self.formsets: dict[str, BaseFormSet] = {}
        for part in self.parts:
            if part.kind in ("entries", "variant"):
                assert part.record is not None
                formset_class = entry_formset(part.record)
                recorded_entries = self.recorded.get(part.doc) or []
                if part.kind == "variant":
                    # An effect that is not the object (unknown, "prohibits") has no entries.
                    held = recorded_entries
                    recorded_entries = held.get(part.wrap, []) if isinstance(held, dict) else []
                initial = [initial_of_entry(part.record, e) for e in recorded_entries]
                formset = formset_class(data, prefix=self.add_prefix(part.name), initial=initial)
                self.formsets[part.name] = formset
            if part.doc in locked or part.doc in self.fixed:
                for name in self._names(part):
                    if name in self.fields:
                        self.fields[name].disabled = True

    @staticmethod
    def _names(part: Part) -> list[str]:
        names = [part.name, f"{part.name}__state"]
        if part.kind == "object" and part.record is not None:
            for p in parts_of(part.record):
                names += [f"{part.name}__{p.name}", f"{part.name}__{p.name}__none"]
        return names

    def _initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for part in self.parts:
            present = part.doc in self.recorded or part.doc in self.fixed
            value = self.fixed.get(part.doc, self.recorded.get(part.doc))
            if part.has_state:
                if not present and part.fact:
                    initial[f"{part.name}__state"] = UNKNOWN
                elif part.kind == "variant":
                    initial[f"{part.name}__state"] = value if isinstance(value, str) else VALUE
                elif value is None or value == []:
                    initial[f"{part.name}__state"] = NONE if part.nullable or value == [] else VALUE
                else:
                    initial[f"{part.name}__state"] = VALUE
            if part.kind == "object" and part.record is not None:
                inner_values = initial_of_entry(part.record, value or {})
                for key, shown in inner_values.items():
                    initial[f"{part.name}__{key}"] = shown
            elif part.kind not in ("entries", "variant"):
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
                group.fields = [
                    self[name]
                    for p in parts_of(part.record)
                    for name in (f"{part.name}__{p.name}", f"{part.name}__{p.name}__none")
                    if name in self.fields
                ]
            elif part.kind in ("entries", "variant"):
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

    @property
    def problems_below(self) -> bool:
        """Whether an input or an entry of one of its lists shows a problem (the summary
        above the form says so: an entry's problem is not among the form's own errors)."""
        return bool(self.errors) or any(
            f.total_error_count() for f in self.formsets.values() if f.is_bound
        )

    def _state(self, name: str) -> str:
        key = f"{name}__state"
        if key in self.fields:
            return str(self.cleaned_data.get(key) or VALUE)
        return VALUE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for part in self.parts:
            if part.doc in self.locked or part.doc in self.fixed:
                continue
            given = data.get(part.name)
            if part.kind == "codes":
                found, refused = resolve_codes(str(part.code), given or "")
                for text in refused:
                    self.add_error(part.name, refusal(str(part.code), text))
                data[part.name] = found
                if self._state(part.name) == VALUE and not found and not refused:
                    self.add_error(part.name, _("Give at least one, or choose “known: none”."))
            elif part.kind == "refs" and part.has_state and self._state(part.name) == VALUE:
                if value_of(part, given) is MISSING:
                    self.add_error(part.name, _("Give at least one, or choose “known: none”."))
            elif part.kind in SCALARS and part.has_state and self._state(part.name) == VALUE:
                if value_of(part, given) is MISSING and part.name not in self.errors:
                    self.add_error(part.name, _("Give it, or choose another state above."))
            elif part.kind == "code" and part.code == "language" and data.get(part.name):
                code = codes.resolve("language", data[part.name])
                if code is None:
                    self.add_error(part.name, refusal("language", data[part.name]))
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
            if inner.none_box and data.get(f"{name}__none"):
                continue
            if inner.kind == "code" and inner.code == "language" and value:
                code = codes.resolve("language", value)
                if code is None:
                    self.add_error(name, refusal("language", value))
                data[name] = code
            elif inner.kind == "codes":
                found, refused = resolve_codes(str(inner.code), value or "")
                for text in refused:
                    self.add_error(name, refusal(str(inner.code), text))
                data[name] = found
            elif inner.required and value in (None, "") and name not in self.errors:
                self.add_error(name, _("Give it, or choose another state above."))

    def document(self) -> dict[str, Any]:
        """The record as the scenario format writes it (call once the form is valid)."""
        out: dict[str, Any] = {}
        data = self.cleaned_data
        for part in self.parts:
            key = part.doc
            if key in self.fixed:
                out[key] = self.fixed[key]
                continue
            if key in self.locked:
                if key in self.recorded:
                    out[key] = self.recorded[key]
                continue
            state = self._state(part.name)
            if state == UNKNOWN:
                continue
            if state == NONE:
                out[key] = [] if part.kind in ("codes", "refs", "choices", "entries") else None
                continue
            if part.kind == "variant" and state != VALUE:
                out[key] = state
            elif part.kind == "variant":
                entries = [f.entry() for f in kept_entries(self.formsets[part.name])]
                out[key] = {part.wrap: entries}
            elif part.kind == "object" and part.record is not None:
                inner = {}
                for p in parts_of(part.record):
                    name = f"{part.name}__{p.name}"
                    value = value_of(p, data.get(name))
                    if value is MISSING and p.nullable and not p.fact:
                        value = None
                    if p.none_box and data.get(f"{name}__none"):
                        value = None
                    if value is not MISSING:
                        inner[p.doc] = value
                out[key] = inner
            elif part.kind == "entries":
                out[key] = [f.entry() for f in kept_entries(self.formsets[part.name])]
            else:
                value = value_of(part, data.get(part.name))
                if value is MISSING and part.nullable and not part.fact:
                    value = None
                if value is not MISSING:
                    out[key] = value
        return out

    def add_problems(self, problems: Sequence[tuple[str, str]]) -> None:
        """Put the parser's problems (paths relative to the record) next to their inputs."""
        for path, message in problems:
            match = _INDEX.match(path)
            if match is None or path == "$":
                self.add_error(None, message)
                continue
            key, index, inner = match.groups()
            part = next((p for p in self.parts if p.doc == key), None)
            if part is None:
                self.add_error(None, f"{path}: {message}")
                continue
            key = part.name
            if part.kind == "variant" and inner == part.wrap:
                # effect.conditions[0].value: the entry of the variant's list
                match = re.match(r"^\w+\.\w+\[(\d+)\](?:\.(\w+))?", path)
                index, inner = match.groups() if match else (None, None)
            if part.record is not None and inner:
                inner = next((p.name for p in parts_of(part.record) if p.doc == inner), inner)
            if part.kind in ("entries", "variant") and index is not None:
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
                if inner.none_box:
                    attrs[f"{part.name}__{inner.name}__none"] = none_box(inner)
        elif part.kind not in ("entries", "variant"):
            attrs[part.name] = input_for(part)
    # Django collects declared fields in the order they are given; the reason comes last.
    form: type[RecordForm] = type(f"{record.__name__}Form", (RecordForm,), attrs)
    form.base_fields["reason"] = form.base_fields.pop("reason")
    return form


def person_picker(field: Any) -> None:
    """Make a text input choose persons by name or ref from the ranked search, as typed."""
    field.widget.attrs.update(
        {
            "list": "person-options",
            "autocomplete": "off",
            "hx-get": reverse("web:person-candidates"),
            "hx-vals": '{"options": "1"}',
            "hx-trigger": "input delay:300ms",
            "hx-target": "#person-options",
        }
    )
