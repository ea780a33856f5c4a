"""A form on a page: its place, its heading, what it posts to, and the outcome of the last
save (the screening run the service made)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from thirdcountry.cases.models import ScreeningRun


@dataclass
class FormSection:
    """One recording form as a page shows it (``web/partials/record_form.html``)."""

    id: str
    title: Any
    form: forms.Form
    action: str
    submit: Any
    run: ScreeningRun | None = None
    saved: bool = False
    intro: Any = ""

    @classmethod
    def for_key(
        cls,
        key: str,
        id: str,
        title: Any,
        form_class: type[forms.Form],
        action: str,
        submit: Any,
        *,
        bound: dict[str, Any],
        run: ScreeningRun | None,
        saved: str | None,
        initial: dict[str, Any] | None = None,
    ) -> FormSection:
        """The section of the form named ``key`` on a page: the bound form when that form was
        just submitted with errors (else one filled with ``initial``, what is recorded), and
        the run only when it was just saved."""
        return cls(
            id,
            title,
            bound.get(key) or form_class(initial=initial),
            action,
            submit,
            run=run if saved == key else None,
            saved=saved == key,
        )
