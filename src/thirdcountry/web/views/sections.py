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
