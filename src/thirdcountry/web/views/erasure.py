"""Erasing a person's personal data from the app, for administrators: the same service as
``thirdcountry erase``, behind a form that asks for the reason and names what is erased."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thirdcountry.cases.models import Erasure, Person
from thirdcountry.oversight.services import ErasureRefused, erase_person
from thirdcountry.web.access import page


class ErasureForm(forms.Form):
    """Why the person's personal data is erased."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A request of the person, a court order, the retention policy…"),
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Say why the person is erased."))
        return reason


@page("cases.erase_person")
def person_erase(request: HttpRequest, ref: str) -> HttpResponse:
    """The erasure form (GET), or the erasure (POST), then back to the person's page."""
    person = get_object_or_404(Person, ref=ref)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    erasure = Erasure.objects.filter(person=person).first()
    if request.method == "POST" and erasure is None and form.is_valid():
        try:
            erase_person(person, form.cleaned_data["reason"], user=request.user)
        except ErasureRefused as refused:
            form.add_error(None, str(refused))
        else:
            return HttpResponseRedirect(reverse("web:person-erase", args=[ref]))
    context = {"person": person, "form": form, "erasure": erasure}
    return render(request, "web/person_erase.html", context, status=200)
