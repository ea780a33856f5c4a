"""Rules 1 to 6 of catalog 2026.2: scope (planned date, third country) and the arrangement (in
force, capacity, terms, acceptance)."""

from __future__ import annotations

from thirdcountry.rules.catalog import gettext_noop as _
from thirdcountry.rules.v2.case import Case, known
from thirdcountry.rules.v2.rule import Decision, decide, rule
from thirdcountry.rules.v2.world import in_force, status_on


@rule(
    1,
    "planned-date",
    title=_("The planned date is not in the past"),
    basis=_(
        "Catalog rule (not law): a screening speaks for its screening date; a proposal whose "
        "planned date has passed cannot be carried out as planned"
    ),
)
def planned_date(c: Case) -> Decision:
    """Review a proposal whose planned date is before the screening date."""
    if c.P < c.D:
        return decide("past", planned_date=c.P)
    return decide("ok", planned_date=c.P)


@rule(
    2,
    "third-country",
    title=_("Is this a third-country transfer?"),
    basis=(
        _(
            "Definition of a third-country transfer: a transfer to a country that is neither "
            "the sending state nor a country of the person's nationality"
        ),
        _(
            "UNHCR, Guidance Note on bilateral and/or multilateral transfer arrangements of "
            "asylum-seekers (May 2013)"
        ),
    ),
)
def third_country(c: Case) -> Decision:
    """A scope statement: never blocks (a return is still screened for refoulement)."""
    nationalities = c.p.nationalities
    destination = c.t.destination
    if not known(nationalities):
        return decide("nationalities-unknown", destination=destination)
    if destination in nationalities:
        return decide("return-to-nationality", destination=destination)
    if not nationalities:
        return decide("stateless", destination=destination)
    return decide("confirmed", destination=destination, nationalities=sorted(set(nationalities)))


@rule(
    3,
    "arrangement-in-force",
    title=_("Legal basis and arrangement in force"),
    basis=(
        _("UNHCR Guidance Note (May 2013): transfers under a formal, binding arrangement"),
        _("R (AAA) v Secretary of State for the Home Department [2023] UKSC 42 (15 November 2023)"),
        _(
            "the legal basis row relied on (e.g. 8 U.S.C. §1231(b)(2)(E), which needs no "
            "formal arrangement)"
        ),
    ),
)
def arrangement_in_force(c: Case) -> Decision:
    """The arrangement is in force on D and on P, and the legal basis relied on on P."""
    a, code = c.a, c.t.legal_basis
    basis = c.world.legal_bases.get(code) if known(code) else None
    if basis is not None and not in_force(basis.from_, basis.to, c.P):
        return decide(
            "legal-basis-not-in-force", legal_basis=code, **{"from": basis.from_, "to": basis.to}
        )
    if a is None:
        if basis is not None and basis.requires_arrangement:
            return decide("none-but-required", legal_basis=code)
        if basis is None:
            return decide("none-basis-unknown")
        return decide("none-not-required", legal_basis=code)
    status, since = status_on(a, c.D)
    if status != "in_force":
        return decide("not-in-force", arrangement=a.ref, status=status, since=since)
    later, later_since = status_on(a, c.P)
    if later != "in_force":
        return decide(
            "not-in-force-on-planned-date",
            arrangement=a.ref,
            status=later,
            since=later_since,
            planned_date=c.P,
        )
    if basis is None:
        return decide("in-force-basis-unknown", arrangement=a.ref, since=since)
    return decide("in-force", arrangement=a.ref, since=since)


@rule(
    4,
    "arrangement-capacity",
    title=_("The arrangement's limits"),
    basis=_(
        "The arrangement's own terms (lifetime cap, caps per period, capacity at any one time)"
    ),
)
def arrangement_capacity(c: Case) -> Decision:
    """Caps count persons: for ever, per period, and present at one time (§2.12)."""
    a = c.a
    if a is None:
        return decide("no-arrangement")
    p, ref = c.t.person, a.ref
    everyone = c.world.persons_under(ref)
    executed = everyone.executed
    cap, periods, concurrent = a.cap, a.period_caps, a.concurrent_cap
    open_periods = [
        (k, c.world.persons_under(ref, (k.from_, k.to)))
        for k in (periods if known(periods) else ())
        if k.from_ <= c.P < k.to
    ]
    if known(cap) and cap is not None and p not in executed and len(executed) >= cap:
        return decide("cap-reached", arrangement=ref, cap=cap, covered=len(executed))
    for k, within in open_periods:
        if p not in within.executed and len(within.executed) >= k.persons:
            return decide(
                "period-cap-reached",
                arrangement=ref,
                cap=k.persons,
                covered=len(within.executed),
                **{"from": k.from_, "to": k.to},
            )
    if known(concurrent) and concurrent is not None:
        present = c.world.present(ref, c.P)
        if p not in present and len(present) >= concurrent:
            return decide(
                "concurrent-cap-reached", arrangement=ref, cap=concurrent, present=len(present)
            )
    if not (known(cap) and known(periods) and known(concurrent)):
        return decide("caps-unknown", arrangement=ref)
    if cap is not None and p not in executed and everyone.reach(p) > cap:
        return decide(
            "cap-contested",
            arrangement=ref,
            cap=cap,
            covered=len(executed),
            pending=everyone.pending(p),
        )
    for k, within in open_periods:
        if p not in within.executed and within.reach(p) > k.persons:
            return decide(
                "period-cap-contested",
                arrangement=ref,
                cap=k.persons,
                covered=len(within.executed),
                pending=within.pending(p),
                **{"from": k.from_, "to": k.to},
            )
    if cap is None and not periods and concurrent is None:
        return decide("no-cap", arrangement=ref)
    return decide("within", arrangement=ref, covered=len(executed))


def _group_member(c: Case, group: str) -> bool | None:
    """Whether the person belongs to an excluded group on P; None when unknown (rule 5)."""
    p = c.p
    if group == "minors":
        return None if c.age == "unknown" else c.age == "minor"
    if group == "unaccompanied_minors":
        if c.age == "unknown":
            return None
        if c.age != "minor":
            return False
        return None if not known(p.accompanied) else p.accompanied is False
    if group == "women":
        return None if not known(p.sex) else p.sex == "female"
    return None if not known(p.vulnerabilities) else bool(p.vulnerabilities)


@rule(
    5,
    "arrangement-terms",
    title=_("The person falls under the arrangement's terms"),
    basis=_("The arrangement's own eligibility terms"),
)
def arrangement_terms(c: Case) -> Decision:
    """The person meets each eligibility term the arrangement sets."""
    a, p = c.a, c.p
    if a is None:
        return decide("no-arrangement")
    terms = a.terms
    if known(terms) and not terms.sets_eligibility():
        return decide("no-terms", arrangement=a.ref)
    ref = a.ref
    if not known(terms):
        return decide("terms-unknown", arrangement=ref)
    nationalities = p.nationalities if known(p.nationalities) else None
    convictions = p.convictions if known(p.convictions) else None
    charges = p.pending_charges if known(p.pending_charges) else None
    if nationalities is not None:
        excluded = set(terms.excluded_nationalities) & set(nationalities)
        if excluded:
            return decide("excluded-nationality", arrangement=ref, countries=sorted(excluded))
        eligible = terms.eligible_nationalities
        if eligible and not set(eligible) & set(nationalities):
            return decide(
                "nationality-not-eligible",
                arrangement=ref,
                nationalities=sorted(set(nationalities)),
            )
    record = terms.criminal_record
    if convictions is not None:
        if record == "required" and not convictions:
            return decide("criminal-record-required", arrangement=ref)
        if record == "excluded" and convictions:
            return decide("criminal-record-excluded", arrangement=ref, convictions=len(convictions))
        ends = [
            v.sentence_end for v in convictions if known(v.sentence_end) and v.sentence_end > c.P
        ]
        if terms.requires_completed_sentences and ends:
            return decide("sentence-not-completed", arrangement=ref, sentence_end=max(ends))
    if terms.excludes_pending_charges and charges:
        return decide("pending-charges-excluded", arrangement=ref, charges=len(charges))
    categories = terms.excluded_offence_categories
    if convictions is not None and categories:
        for category in categories:
            if any(known(v.category) and v.category == category for v in convictions):
                return decide("excluded-offence", arrangement=ref, category=category)
    groups = terms.excluded_groups
    for group in groups:
        if _group_member(c, group):
            return decide("excluded-group", arrangement=ref, group=group)
    if (terms.excluded_nationalities or terms.eligible_nationalities) and nationalities is None:
        return decide("nationalities-unknown", arrangement=ref)
    reads_convictions = record or terms.requires_completed_sentences or categories
    if reads_convictions and convictions is None:
        return decide("convictions-unknown", arrangement=ref)
    if terms.requires_completed_sentences and any(
        not known(v.sentence_end) for v in convictions or ()
    ):
        return decide("sentence-end-unknown", arrangement=ref)
    if categories and any(not known(v.category) for v in convictions or ()):
        return decide("offence-category-unknown", arrangement=ref)
    if terms.excludes_pending_charges and charges is None:
        return decide("pending-charges-unknown", arrangement=ref)
    for group in groups:
        if _group_member(c, group) is None:
            return decide("group-fact-unknown", arrangement=ref, group=group)
    return decide("met", arrangement=ref)


@rule(
    6,
    "receiving-acceptance",
    title=_("The receiving state accepts this person"),
    basis=(
        _("The receiving state's right to accept each person individually"),
        _("8 U.S.C. §1231(b)(2)(E) (a country whose government will accept the person)"),
        _("UNHCR Guidance Note (May 2013)"),
    ),
)
def receiving_acceptance(c: Case) -> Decision:
    """The destination has accepted this person."""
    accepted, destination = c.t.accepted_by_receiving, c.t.destination
    if accepted is False:
        return decide("refused", destination=destination)
    if not known(accepted):
        return decide("unknown", destination=destination)
    return decide("accepted", destination=destination)
