"""The review queue of persons who may be recorded twice: each pair side by side with what
agreed, what did not and how much each comparison added to the score; a reviewer merges the
two records or marks them not the same person. Merges are listed and can be undone."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thirdcountry.identity import selectors, services
from thirdcountry.identity.models import Candidate, Merge
from thirdcountry.web.access import page

#: Pairs shown on the queue page, most likely first.
QUEUE_LENGTH = 100


@page("identity.view_candidate")
def candidate_list(request: HttpRequest) -> HttpResponse:
    """The pairs waiting for review."""
    queue = selectors.open_candidates()
    return render(
        request,
        "web/duplicates.html",
        {"candidates": queue[:QUEUE_LENGTH], "waiting": queue.count()},
    )


@page("identity.view_candidate")
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One pair side by side, with each comparison's level and weight."""
    candidate = get_object_or_404(Candidate, pk=pk)
    contributions = sorted(
        ((name, label, weight) for name, (label, weight) in candidate.contributions.items()),
        key=lambda row: -abs(row[2]),
    )
    return render(
        request,
        "web/duplicate.html",
        {
            "candidate": candidate,
            "left": selectors.pair_side(candidate.left_ref),
            "right": selectors.pair_side(candidate.right_ref),
            "contributions": contributions,
        },
    )


@require_POST
@page("identity.review_candidate")
def candidate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the pair (keeping the side chosen) or mark it not the same person."""
    candidate = get_object_or_404(Candidate, pk=pk)
    decision = request.POST.get("decision", "")
    try:
        if decision == "not_same":
            services.mark_not_same(candidate, user=request.user)
            messages.success(request, _("Marked as not the same person."))
            return HttpResponseRedirect(reverse("web:duplicates"))
        if decision in ("keep_left", "keep_right"):
            keep, other = candidate.left_ref, candidate.right_ref
            if decision == "keep_right":
                keep, other = other, keep
            services.merge_persons(keep, other, candidate=candidate, user=request.user)
            messages.success(
                request, _("Merged %(other)s into %(keep)s.") % {"other": other, "keep": keep}
            )
            return HttpResponseRedirect(reverse("web:person", args=[keep]))
    except services.IdentityError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("web:duplicate", args=[pk]))
    messages.error(request, _("Choose a decision."))
    return HttpResponseRedirect(reverse("web:duplicate", args=[pk]))


@page("identity.view_merge")
def merge_list(request: HttpRequest) -> HttpResponse:
    """Merges, latest first, each with a way to undo it."""
    return render(request, "web/merges.html", {"merges": Merge.objects.all()[:QUEUE_LENGTH]})


@require_POST
@page("identity.review_candidate")
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a merge: both records as they were before it."""
    merge = get_object_or_404(Merge, pk=pk)
    try:
        services.unmerge(merge, user=request.user)
    except services.IdentityError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Restored %(absorbed)s and %(survivor)s.")
            % {"absorbed": merge.absorbed_ref, "survivor": merge.survivor_ref},
        )
    return HttpResponseRedirect(reverse("web:merges"))
