"""The user's profile page: their role, what it lets them do, and their personal API tokens
(list, create with the token shown once, revoke)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from thirdcountry.accounts import tokens
from thirdcountry.accounts.models import ApiToken
from thirdcountry.accounts.roles import ROLE_PERMISSIONS, role_of, sees_personal_data
from thirdcountry.web.access import page


class TokenForm(forms.Form):
    """A name for a new token, to tell it apart later."""

    name = forms.CharField(
        label=_("Name of the new token"),
        max_length=100,
        help_text=_("What it is for, e.g. the program that will use it."),
    )


def token_context(
    request: HttpRequest, form: TokenForm | None = None, new_token: str | None = None
) -> dict[str, Any]:
    """The tokens section of the profile page."""
    return {
        "tokens": list(tokens.tokens_of(request.user)),
        "token_form": form or TokenForm(),
        "new_token": new_token,
    }


def profile_context(request: HttpRequest) -> dict[str, Any]:
    """The profile page without its tokens section."""
    role = role_of(request.user)
    return {
        "role": role,
        "permissions": sorted(ROLE_PERMISSIONS.get(role, ())) if role else [],
        "personal": sees_personal_data(request.user),
    }


@page()
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user: their role, what it lets them do, and their API tokens."""
    return render(
        request, "web/profile.html", {**profile_context(request), **token_context(request)}
    )


def _answer(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(request, "web/partials/tokens.html", context)
    return render(request, "web/profile.html", {**profile_context(request), **context})


@require_POST
@page()
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token; its plaintext is on this answer only, never stored."""
    form = TokenForm(request.POST)
    plaintext = None
    if form.is_valid():
        try:
            _token, plaintext = tokens.create_token(request.user, form.cleaned_data["name"])
        except (ValueError, ValidationError) as error:
            form.add_error(
                "name", str(error.messages[0] if isinstance(error, ValidationError) else error)
            )
        else:
            form = TokenForm()
    return _answer(request, token_context(request, form, plaintext))


@require_POST
@page()
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(token)
    return _answer(request, token_context(request))
