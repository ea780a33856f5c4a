"""Users and roles, for administrators: create a user in a role, change a user's role,
deactivate or reactivate a user. Each change goes through ``accounts.services``, which puts
it on the audit trail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from thirdcountry.accounts.roles import ROLES
from thirdcountry.oversight import users as services
from thirdcountry.web.access import page
from thirdcountry.words import choices

ROLE_CHOICES = choices(ROLES)


class NewUserForm(forms.Form):
    """A user to create, in one role."""

    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=True),
        help_text=_("At least 12 characters; the user can change it later."),
    )

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        validate_password(password)
        return password


class RoleForm(forms.Form):
    """A user's new role."""

    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


def _rows() -> list[tuple[User, str]]:
    rows = []
    for user in services.users():
        names = {g.name for g in user.groups.all()}
        rows.append((user, next((r for r in ROLES if r in names), "")))
    return rows


def _page(
    request: HttpRequest, form: NewUserForm, status: int = 200, problem: str = ""
) -> HttpResponse:
    context = {"rows": _rows(), "form": form, "roles": ROLE_CHOICES, "problem": problem}
    return render(request, "web/users.html", context, status=status)


@page("auth.change_user")
def user_list(request: HttpRequest) -> HttpResponse:
    """Every user, their role and whether they may sign in; a form to create one."""
    if request.method == "POST":
        form = NewUserForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.register_user(
                    data["username"], data["role"], data["password"], by=request.user
                )
            except ValueError as error:
                form.add_error("username", str(error))
            else:
                return HttpResponseRedirect(reverse("web:users"))
        return _page(request, form, 422)
    return _page(request, NewUserForm())


@require_POST
@page("auth.change_user")
def user_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a user's role, or deactivate or reactivate them."""
    user = get_object_or_404(User, pk=pk)
    action = request.POST.get("action", "")
    error: Any = None
    try:
        if action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                error = _("Choose a role.")
            else:
                services.set_role(user, form.cleaned_data["role"], by=request.user)
        elif action == "deactivate":
            services.deactivate_user(user, by=request.user)
        elif action == "reactivate":
            services.reactivate_user(user, by=request.user)
        else:
            error = _("Unknown action.")
    except (ValueError, ValidationError) as refused:
        error = str(refused)
    if error is not None:
        return _page(request, NewUserForm(), 422, f"{user.username}: {error}")
    return HttpResponseRedirect(reverse("web:users"))
