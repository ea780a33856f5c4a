"""Who may open a page: every page needs a signed-in user, and most a permission of their
role (``accounts.roles``). A page the user may not see answers 403, never an error."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

from thirdcountry.accounts.roles import may

View = Callable[..., HttpResponse]


def page(permission: str | None = None) -> Callable[[View], View]:
    """A view for signed-in users holding ``permission`` (any signed-in user if ``None``).

    Anonymous users go to the sign-in page (a whole-page redirect even from an htmx
    request); users without the permission get the 403 page.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
                return redirect_to_login(request.get_full_path())
            if permission is not None and not may(request.user, permission):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        return guarded

    return decorate
