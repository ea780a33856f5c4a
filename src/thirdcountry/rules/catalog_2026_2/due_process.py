"""Rules 10 to 13 of catalog 2026.2: due process (written notice, its language, the window to
raise a fear claim, the screening of a fear raised). The standards they read are requirement
rows (RULES-2026.2 §2.8): a binding row unmet blocks, any other row not met gives review."""

from __future__ import annotations

from typing import Any

from thirdcountry.rules.catalog import gettext_noop as _
from thirdcountry.rules.v2 import languages
from thirdcountry.rules.v2.case import Case, Evaluation, known
from thirdcountry.rules.v2.rule import Decision, decide, rule


@rule(
    10,
    "written-notice",
    title=_("Written notice served, naming the destination"),
    basis=(
        _(
            "Convention against Torture art. 3 and ICCPR art. 13 (an effective opportunity to "
            "contest a removal presupposes notice of where to)"
        ),
        _("UNHCR Guidance Note (May 2013)"),
        _("the regimes in force on the planned date, each cited by the finding"),
    ),
)
def written_notice(c: Case) -> Decision:
    """Notice served before the transfer, naming the destination, to counsel and explaining
    how to contest where a regime in force requires it."""
    notice, destination = c.t.notice, c.t.destination
    if notice is None:
        return decide("none")
    counsel = c.evaluate("notice-to-counsel")
    contest = c.evaluate("notice-explains-contest")
    if known(notice):
        served = notice.served
        if known(served) and served > c.P:
            return decide("after-planned-date", served=served, planned_date=c.P)
        if known(served) and served > c.D:
            return decide("not-yet-served", served=served)
        if notice.names_destination is False:
            return decide("destination-not-named", destination=destination)
    if counsel.result == "unmet":
        return decide("counsel-not-served", regime=counsel.regime)
    if contest.result == "unmet":
        return decide("contest-not-explained", regime=contest.regime)
    if not known(notice):
        return decide("unknown")
    if not known(notice.served):
        return decide("served-unknown")
    if not known(notice.names_destination):
        return decide("destination-naming-unknown", destination=destination)
    if counsel.result == "unknown":
        return decide("counsel-service-unknown", regime=counsel.regime)
    if counsel.result == "short":
        return decide("counsel-not-served-below-standard", regime=counsel.regime)
    if contest.result == "unknown":
        return decide("contest-explanation-unknown", regime=contest.regime)
    if contest.result == "short":
        return decide("contest-not-explained-below-standard", regime=contest.regime)
    for requirement, evaluation in (
        ("notice-to-counsel", counsel),
        ("notice-explains-contest", contest),
    ):
        if evaluation.result == "possibly_unmet" and evaluation.order is not None:
            return decide(
                "order-effect-unknown", order=evaluation.order.ref, requirement=requirement
            )
    return decide("served", served=notice.served)


@rule(
    11,
    "notice-language",
    title=_("Notice in a language the person understands"),
    basis=(
        _("Convention against Torture art. 3"),
        _("ICCPR art. 13"),
        _(
            'D.V.D. v. DHS (preliminary injunction of 18 April 2025: notice "in a language the '
            'person can understand")'
        ),
        _("UNHCR Guidance Note (May 2013)"),
    ),
)
def notice_language(c: Case) -> Decision:
    """The notice's language matches one the person understands, compared as languages."""
    notice, spoken = c.t.notice, c.p.languages
    if notice is None:
        return decide("no-notice")
    language = notice.language if known(notice) else None
    fit = None
    if known(language) and language is not None and known(spoken):
        fit = languages.fit(language, spoken)
        if fit == "no match":
            return decide("not-understood", language=language, languages=sorted(set(spoken)))
    if not known(notice):
        return decide("notice-unknown")
    if not known(language) or language is None:
        return decide("language-unknown")
    if not known(spoken):
        return decide("languages-unknown", language=language)
    if fit == "related variety":
        return decide(
            "related-variety", language=language, languages=languages.related(language, spoken)
        )
    return decide("understood", language=language)


@rule(
    12,
    "fear-window",
    title=_("Time, counsel and interpreter to raise a fear claim"),
    basis=(
        _(
            "Convention against Torture art. 3 and ICCPR art. 13 (an effective opportunity to "
            "raise a fear of the destination)"
        ),
        _("the regimes in force on the planned date and the catalog floors, which are not law"),
    ),
)
def fear_window(c: Case) -> Decision:
    """Enough days between notice and the end of the opportunity, with counsel and an
    interpreter, as the requirement rows in force on P ask."""
    if c.t.notice is None:
        return decide("no-notice")
    days_left = c.evaluate("notice-days")
    counsel = c.evaluate("counsel-access")
    interpreter = c.evaluate("interpreter")
    n, upper, end = c.window
    days = n if n is not None else upper
    until = end if end is not None else c.P

    def window(evaluation: Evaluation) -> dict[str, Any]:
        assert evaluation.row is not None
        return {
            "days": days,
            "until": until,
            "required": evaluation.row.value,
            "regime": evaluation.row.id,
        }

    if days_left.result == "unmet":
        return decide("too-short", **window(days_left))
    if counsel.result == "unmet":
        return decide("no-counsel-access", regime=counsel.regime)
    if interpreter.result == "unmet":
        return decide("no-interpreter", regime=interpreter.regime)
    if not known(c.t.notice):
        return decide("notice-unknown")
    if days_left.result == "unknown":
        assert days_left.row is not None
        return decide("days-unknown", required=days_left.row.value, regime=days_left.row.id)
    if days_left.result == "short":
        return decide("short-of-standard", **window(days_left))
    if counsel.result == "unknown":
        return decide("counsel-access-unknown", regime=counsel.regime)
    if counsel.result == "short":
        return decide("no-counsel-access-below-standard", regime=counsel.regime)
    if interpreter.result == "unknown":
        return decide("interpreter-unknown", regime=interpreter.regime)
    if interpreter.result == "short":
        return decide("no-interpreter-below-standard", regime=interpreter.regime)
    for requirement, evaluation in (
        ("notice-days", days_left),
        ("counsel-access", counsel),
        ("interpreter", interpreter),
    ):
        if evaluation.result != "possibly_unmet":
            continue
        if evaluation.arrangement is not None:
            return decide("terms-unknown", arrangement=evaluation.arrangement, days=days)
        assert evaluation.order is not None
        return decide("order-effect-unknown", order=evaluation.order.ref, requirement=requirement)
    row = days_left.row
    assert row is not None
    return decide("met", days=days, required=row.value, regime=row.id)


@rule(
    13,
    "fear-screening",
    title=_("A fear raised is screened before transfer"),
    basis=(
        _("Convention against Torture art. 3 (a claim of danger must be examined before removal)"),
        _(
            "D.V.D. v. DHS (preliminary injunction of 18 April 2025 and remedy order of 21 May "
            "2025: a reasonable-fear interview, and at least 15 days to move to reopen after a "
            "negative finding)"
        ),
        _("the regimes in force on the planned date"),
    ),
)
def fear_screening(c: Case) -> Decision:
    """Every fear of the destination raised is decided, and the time to seek reopening after
    a rejection has run as the rows in force on P require."""
    claims, destination = c.p.fear_claims, c.t.destination
    about = [claim for claim in claims if claim.country == destination] if known(claims) else []
    for claim in about:
        if claim.status == "pending":
            raised = claim.raised_on if known(claim.raised_on) else None
            return decide("undecided", destination=destination, raised_on=raised)
    reopen = c.evaluate("reopen-days")

    def window(evaluation: Evaluation) -> dict[str, Any]:
        row, claim = evaluation.row, evaluation.detail
        assert row is not None and claim is not None
        return {
            "decided_on": claim.decided_on,
            "days": (c.P - claim.decided_on).days,
            "required": row.value,
            "regime": row.id,
        }

    if reopen.result == "unmet":
        return decide("reopen-window-running", **window(reopen))
    if not known(claims):
        return decide("unknown", destination=destination)
    if reopen.result == "unknown":
        return decide("decision-date-unknown", regime=reopen.regime)
    if reopen.result == "short":
        return decide("reopen-window-below-standard", **window(reopen))
    if reopen.result == "possibly_unmet":
        assert reopen.order is not None
        return decide("order-effect-unknown", order=reopen.order.ref)
    if not about:
        return decide("no-claim", destination=destination)
    return decide("screened", destination=destination)
