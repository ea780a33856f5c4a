"""Catalog 2026.1, rule by rule, as data: each case changes the all-pass baseline of
:mod:`builders` and states the finding one rule must give (RULES.md).

D (the as-of date) is 2025-09-01 and P (the planned date) 2025-09-20 unless a case says
otherwise; notice was served on 2025-08-25 in ``ar`` to a person who understands ``ar`` and
``en``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from builders import (
    ABSENT,
    Overrides,
    assessments,
    build,
    extra_persons,
    fears,
    history,
    order,
    screen,
    screen_one,
    transfers,
)
from thirdcountry.rules.catalogs import catalog
from thirdcountry.screening import Verdict

#: The catalog these tests hold the rules of.
CATALOG = catalog("2026.1")


@dataclass(frozen=True)
class Case:
    """One row of the table: with ``overrides``, rule ``rule`` gives ``outcome``, and its
    reason contains every string of ``reason`` and none of ``not_in_reason``."""

    id: str
    rule: str
    outcome: str
    overrides: Overrides = field(default_factory=dict)
    reason: tuple[str, ...] = ()
    not_in_reason: tuple[str, ...] = ()


def minor(birth_date: str, planned: str, **more: object) -> dict[str, object]:
    """A person born on ``birth_date`` transferred on ``planned`` (accompanied: false)."""
    return {"person.birth_date": birth_date, "transfer.planned_date": planned, **more}


def notice(served: str, planned: str = "2025-09-20", **more: object) -> dict[str, object]:
    """Notice served on ``served`` for a transfer planned on ``planned``."""
    return {"transfer.notice.served": served, "transfer.planned_date": planned, **more}


#: Terms that require a served sentence.
SERVED = {"arrangement.terms": {"requires_served_sentence": True}}
#: A pending fear claim about Syria: a claim about a country other than the destination.
FEARS_SY = {"person.fear_claims": fears(("SY", "pending"))}
RISK = {"countries": assessments(("2024-01-01", True))}
NO_ASSESSMENT: Mapping[str, object] = {"countries": []}
ONLY_FR_ASSESSED = {"countries": assessments(("2024-01-01", True), code="FR")}


# fmt: off
CASES: list[Case] = [
    # -- 1 third-country ------------------------------------------------------------------
    Case("baseline", "third-country", "pass", {}, ("Rwanda", "Iraq")),
    Case("national of destination", "third-country", "blocked",
         {"person.nationalities": ["RW"]}, ("destination Rwanda", "return")),
    Case("dual national incl. destination", "third-country", "blocked",
         {"person.nationalities": ["IQ", "RW"]}, ("Iraq, Rwanda",)),
    Case("stateless", "third-country", "pass", {"person.nationalities": []}, ("stateless",)),
    Case("nationalities unknown", "third-country", "review",
         {"person.nationalities": ABSENT}, ("unknown",)),
    # -- 2 arrangement-in-force -----------------------------------------------------------
    Case("in force", "arrangement-in-force", "pass", {}, ("in force", "2025-01-01")),
    Case("no arrangement", "arrangement-in-force", "blocked",
         {"transfer.arrangement": None}, ("no arrangement",)),
    Case("empty history", "arrangement-in-force", "blocked",
         {"arrangement.status_history": []}, ("no status on the screening date",)),
    Case("first entry after D", "arrangement-in-force", "blocked",
         {"arrangement.status_history": history(("2025-09-02", "in_force"))}, ("no status",)),
    Case("in force from D itself", "arrangement-in-force", "pass",
         {"arrangement.status_history": history(("2025-09-01", "in_force"))}),
    *[
        Case(f"status {status}", "arrangement-in-force", "blocked",
             {"arrangement.status_history": history(("2025-01-01", status))},
             (status.replace("_", " "),))
        for status in ("negotiating", "signed", "suspended", "ruled_unlawful", "terminated")
    ],
    Case("suspended on D", "arrangement-in-force", "blocked",
         {"arrangement.status_history": history(
             ("2025-01-01", "in_force"), ("2025-09-01", "suspended"))},
         ("suspended (since 2025-09-01)",)),
    Case("suspended the day after D", "arrangement-in-force", "pass",
         {"arrangement.status_history": history(
             ("2025-01-01", "in_force"), ("2025-09-02", "suspended"))}),
    Case("history not in date order", "arrangement-in-force", "blocked",
         {"arrangement.status_history": history(
             ("2025-08-01", "terminated"), ("2025-01-01", "in_force"))},
         ("terminated",)),
    Case("same date: later entry in the list wins (suspended)", "arrangement-in-force",
         "blocked", {"arrangement.status_history": history(
             ("2025-06-01", "in_force"), ("2025-06-01", "suspended"))}, ("suspended",)),
    Case("same date: later entry in the list wins (in_force)", "arrangement-in-force", "pass",
         {"arrangement.status_history": history(
             ("2025-06-01", "suspended"), ("2025-06-01", "in_force"))}),
    Case("reinstated after a ruling", "arrangement-in-force", "pass",
         {"arrangement.status_history": history(
             ("2023-01-01", "in_force"), ("2023-11-15", "ruled_unlawful"),
             ("2024-04-25", "in_force"))}, ("since 2024-04-25",)),
    # -- 3 arrangement-cap ----------------------------------------------------------------
    Case("no cap", "arrangement-cap", "pass", {}, ("no cap",)),
    Case("no arrangement", "arrangement-cap", "pass", {"transfer.arrangement": None},
         ("no arrangement",)),
    Case("cap 0", "arrangement-cap", "blocked", {"arrangement.cap": 0}, ("cap of 0",)),
    Case("cap reached exactly", "arrangement-cap", "blocked",
         {"arrangement.cap": 2, "+transfers": transfers(2)}, ("cap of 2", "2 transfers")),
    Case("one place left", "arrangement-cap", "pass",
         {"arrangement.cap": 2, "+transfers": transfers(1)}, ("cap of 2", "1 transfers")),
    Case("cancelled and proposed do not count", "arrangement-cap", "pass",
         {"arrangement.cap": 1,
          "+transfers": transfers(1, status="cancelled") + transfers(1, status="proposed",
                                                                    start=950)}),
    Case("executed without arrangement do not count", "arrangement-cap", "pass",
         {"arrangement.cap": 1, "+transfers": transfers(1, arrangement=None)}),
    Case("executed under another arrangement do not count", "arrangement-cap", "pass",
         {"arrangement.cap": 1,
          "+arrangements": [{"ref": "A-2", "sending": "US", "receiving": "RW"}],
          "+transfers": transfers(3, arrangement="A-2")}),
    Case("executed count whatever their date", "arrangement-cap", "blocked",
         {"arrangement.cap": 1,
          "+transfers": [{**transfers(1)[0], "planned_date": "2026-12-31"}]}),
    # -- 4 arrangement-terms --------------------------------------------------------------
    Case("no terms", "arrangement-terms", "pass", {}, ("sets no eligibility terms",)),
    Case("no arrangement", "arrangement-terms", "pass",
         {"transfer.arrangement": None, "person.convictions": ABSENT}, ("no arrangement",)),
    Case("terms with only notice_days", "arrangement-terms", "pass",
         {"arrangement.terms": {"notice_days": 5}}, ("sets no eligibility terms",)),
    Case("other nationality excluded", "arrangement-terms", "pass",
         {"arrangement.terms": {"excluded_nationalities": ["SY"]}}, ("falls under",)),
    Case("nationality excluded", "arrangement-terms", "blocked",
         {"arrangement.terms": {"excluded_nationalities": ["SY", "IQ"]},
          "person.nationalities": ["IQ", "JO"]}, ("excludes nationals of Iraq, Syria", "of Iraq")),
    Case("exclusion, nationalities unknown", "arrangement-terms", "review",
         {"arrangement.terms": {"excluded_nationalities": ["SY"]},
          "person.nationalities": ABSENT}, ("nationalities are unknown",)),
    Case("no exclusion, nationalities unknown", "arrangement-terms", "pass",
         {"person.nationalities": ABSENT}),
    Case("served sentence required, no conviction", "arrangement-terms", "blocked",
         SERVED, ("no conviction",)),
    Case("sentence ends on P", "arrangement-terms", "pass",
         {**SERVED, "person.convictions": [{"sentence_end": "2025-09-20"}]}, ("falls under",)),
    Case("sentence ends the day after P", "arrangement-terms", "blocked",
         {**SERVED, "person.convictions": [{"offence": "theft", "sentence_end": "2025-09-21"}]},
         ("ends 2025-09-21", "planned date 2025-09-20")),
    Case("one of two sentences ends after P", "arrangement-terms", "blocked",
         {**SERVED, "person.convictions": [{"sentence_end": "2020-01-01"},
                                           {"sentence_end": "2026-01-31"}]},
         ("2026-01-31",)),
    Case("convictions unknown", "arrangement-terms", "review",
         {**SERVED, "person.convictions": ABSENT}, ("convictions are unknown",)),
    Case("a sentence end unknown", "arrangement-terms", "review",
         {**SERVED, "person.convictions": [{"sentence_end": "2020-01-01"},
                                           {"offence": "fraud"}]},
         ("end of one of the person's sentences is unknown",)),
    Case("blocked wins: unknown end beside an end after P", "arrangement-terms", "blocked",
         {**SERVED, "person.convictions": [{"offence": "fraud"},
                                           {"sentence_end": "2025-12-01"}]},
         ("2025-12-01",)),
    Case("blocked wins: excluded nationality, convictions unknown", "arrangement-terms",
         "blocked",
         {"arrangement.terms": {"requires_served_sentence": True,
                                "excluded_nationalities": ["IQ"]},
          "person.convictions": ABSENT}, ("excludes nationals of Iraq",)),
    Case("not required: convictions unknown", "arrangement-terms", "pass",
         {"arrangement.terms": {"requires_served_sentence": False},
          "person.convictions": ABSENT}),
    # -- 5 receiving-acceptance -----------------------------------------------------------
    Case("accepted", "receiving-acceptance", "pass", {}, ("Rwanda accepted",)),
    Case("refused", "receiving-acceptance", "blocked",
         {"transfer.accepted_by_receiving": False}, ("Rwanda refused",)),
    Case("unknown", "receiving-acceptance", "review",
         {"transfer.accepted_by_receiving": ABSENT}, ("unknown",)),
    Case("no arrangement: still read", "receiving-acceptance", "blocked",
         {"transfer.arrangement": None, "transfer.accepted_by_receiving": False}),
    # -- 6 unaccompanied-minor ------------------------------------------------------------
    Case("adult", "unaccompanied-minor", "pass", {}, ("18 or over",)),
    Case("adult, accompanied unknown", "unaccompanied-minor", "pass",
         {"person.accompanied": ABSENT}),
    Case("unaccompanied minor", "unaccompanied-minor", "blocked",
         {"person.birth_date": "2010-05-05"}, ("born 2010-05-05", "under 18", "2028-05-05")),
    Case("accompanied minor", "unaccompanied-minor", "pass",
         {"person.birth_date": "2010-05-05", "person.accompanied": True},
         ("parent or guardian",)),
    Case("minor, accompanied unknown", "unaccompanied-minor", "review",
         {"person.birth_date": "2010-05-05", "person.accompanied": ABSENT}, ("unknown",)),
    Case("birth date unknown", "unaccompanied-minor", "review",
         {"person.birth_date": ABSENT}, ("birth date is unknown",)),
    Case("birth date unknown, accompanied", "unaccompanied-minor", "review",
         {"person.birth_date": ABSENT, "person.accompanied": True}),
    Case("18th birthday on P", "unaccompanied-minor", "pass",
         minor("2007-09-20", "2025-09-20")),
    Case("18th birthday the day after P", "unaccompanied-minor", "blocked",
         minor("2007-09-21", "2025-09-20")),
    Case("29 Feb: 28 Feb of a common year, still a minor", "unaccompanied-minor", "blocked",
         minor("2008-02-29", "2026-02-28"), ("turns 18 on 2026-03-01",)),
    Case("29 Feb: 1 Mar of a common year, an adult", "unaccompanied-minor", "pass",
         minor("2008-02-29", "2026-03-01")),
    Case("29 Feb: 28 Feb of a leap target year, still a minor", "unaccompanied-minor",
         "blocked", minor("2008-02-29", "2028-02-28", **{"parameters.minor_age": 20}),
         ("turns 20 on 2028-02-29",)),
    Case("29 Feb: 29 Feb of a leap target year, an adult", "unaccompanied-minor", "pass",
         minor("2008-02-29", "2028-02-29", **{"parameters.minor_age": 20})),
    Case("minor_age parameter", "unaccompanied-minor", "blocked",
         minor("2005-01-01", "2025-09-20", **{"parameters.minor_age": 21}), ("under 21",)),
    # -- 7 protection-granted -------------------------------------------------------------
    Case("refused", "protection-granted", "pass", {}, ("refused",)),
    Case("none", "protection-granted", "pass", {"person.asylum_claim": "none"}),
    Case("pending", "protection-granted", "pass", {"person.asylum_claim": "pending"}),
    Case("granted", "protection-granted", "blocked", {"person.asylum_claim": "granted"},
         ("granted",)),
    Case("unknown", "protection-granted", "review", {"person.asylum_claim": ABSENT},
         ("unknown",)),
    # -- 8 final-decision -----------------------------------------------------------------
    Case("final, deadline passed", "final-decision", "pass", {}, ("2025-02-01 has passed",)),
    Case("final, no deadline", "final-decision", "pass",
         {"person.removal_decision.appeal_deadline": None}, ("final",)),
    Case("appeal fields left out take their defaults", "final-decision", "pass",
         {"person.removal_decision": {"date": "2025-01-01", "final": True}}),
    Case("no removal decision", "final-decision", "blocked", {"person.removal_decision": None},
         ("no removal decision",)),
    Case("not final", "final-decision", "blocked",
         {"person.removal_decision.final": False}, ("not final",)),
    Case("appeal pending", "final-decision", "blocked",
         {"person.removal_decision.appeal_pending": True}, ("appeal",)),
    Case("appeal deadline on D", "final-decision", "blocked",
         {"person.removal_decision.appeal_deadline": "2025-09-01"}, ("2025-09-01",)),
    Case("appeal deadline the day before D", "final-decision", "pass",
         {"person.removal_decision.appeal_deadline": "2025-08-31"}),
    Case("appeal deadline after D", "final-decision", "blocked",
         {"person.removal_decision.appeal_deadline": "2025-10-01"}),
    Case("unknown", "final-decision", "review", {"person.removal_decision": ABSENT},
         ("unknown",)),
    # -- 9 written-notice -----------------------------------------------------------------
    Case("served in time", "written-notice", "pass", {}, ("26 days", "10 are required")),
    Case("no notice", "written-notice", "blocked", {"transfer.notice": None},
         ("no written notice",)),
    Case("notice unknown", "written-notice", "review", {"transfer.notice": ABSENT},
         ("unknown",)),
    Case("served after D", "written-notice", "blocked",
         {"transfer.notice.served": "2025-09-02"}, ("after the screening date",)),
    Case("served on D", "written-notice", "pass", notice("2025-09-01", "2025-09-11")),
    Case("does not name the destination", "written-notice", "blocked",
         {"transfer.notice.names_destination": False}, ("does not name the destination Rwanda",)),
    Case("language not understood", "written-notice", "blocked",
         {"transfer.notice.language": "fr"}, ("French", "not among")),
    Case("person understands no language on record", "written-notice", "blocked",
         {"person.languages": []}),
    Case("ara notice, person understands ar", "written-notice", "pass",
         {"transfer.notice.language": "ara"}),
    Case("ar notice, person understands ara", "written-notice", "pass",
         {"person.languages": ["ara"]}),
    Case("eng notice, person understands en", "written-notice", "pass",
         {"transfer.notice.language": "eng", "person.languages": ["en"]}),
    Case("languages unknown", "written-notice", "review", {"person.languages": ABSENT},
         ("languages the person understands are unknown",)),
    Case("blocked wins: languages unknown, served after D", "written-notice", "blocked",
         {"person.languages": ABSENT, "transfer.notice.served": "2025-09-05"},
         ("after the screening date",)),
    Case("blocked wins: languages unknown, too late", "written-notice", "blocked",
         {"person.languages": ABSENT, **notice("2025-08-25", "2025-08-30")}, ("5 days",)),
    Case("exactly notice_days before P", "written-notice", "pass",
         notice("2025-08-25", "2025-09-04"), ("10 days",)),
    Case("one day fewer than notice_days", "written-notice", "blocked",
         notice("2025-08-25", "2025-09-03"), ("9 days", "10 are required")),
    Case("notice_days parameter", "written-notice", "blocked",
         {"parameters.notice_days": 30}, ("30 are required",)),
    Case("terms.notice_days overrides the parameter (longer)", "written-notice", "blocked",
         {"arrangement.terms": {"notice_days": 27}}, ("26 days", "27 are required")),
    Case("terms.notice_days overrides the parameter (shorter)", "written-notice", "pass",
         {"arrangement.terms": {"notice_days": 5}, **notice("2025-08-30", "2025-09-04")},
         ("5 are required",)),
    Case("terms.notice_days, one day fewer", "written-notice", "blocked",
         {"arrangement.terms": {"notice_days": 5}, **notice("2025-08-31", "2025-09-04")},
         ("4 days", "5 are required")),
    Case("terms.notice_days wins over the parameter too", "written-notice", "pass",
         {"parameters.notice_days": 30, "arrangement.terms": {"notice_days": 20}}),
    Case("no arrangement: the parameter applies", "written-notice", "blocked",
         {"transfer.arrangement": None, "parameters.notice_days": 27}, ("27 are required",)),
    # -- 10 fear-of-destination -----------------------------------------------------------
    Case("no fear claims", "fear-of-destination", "pass", {}, ("Rwanda",)),
    Case("recognised fear of destination", "fear-of-destination", "blocked",
         {"person.fear_claims": fears(("RW", "recognised"))}, ("recognised", "refoulement")),
    Case("pending fear of destination", "fear-of-destination", "blocked",
         {"person.fear_claims": fears(("RW", "pending"))}, ("pending",)),
    Case("rejected fear of destination", "fear-of-destination", "pass",
         {"person.fear_claims": fears(("RW", "rejected"))}),
    Case("fear of another country", "fear-of-destination", "pass",
         {"person.fear_claims": fears(("SY", "recognised"))}),
    Case("fear claims unknown", "fear-of-destination", "review",
         {"person.fear_claims": ABSENT}, ("unknown",)),
    # -- 11 chain-refoulement -------------------------------------------------------------
    Case("no claim, no risk", "chain-refoulement", "pass", {}, ("finds no risk",)),
    Case("pending claim elsewhere, risk", "chain-refoulement", "blocked",
         {**FEARS_SY, **RISK}, ("fear claim about Syria", "risk of onward refoulement")),
    Case("recognised claim elsewhere, risk", "chain-refoulement", "blocked",
         {"person.fear_claims": fears(("SY", "recognised"), ("ER", "rejected")), **RISK},
         ("Syria",), ("ER",)),
    Case("asylum pending, risk", "chain-refoulement", "blocked",
         {"person.asylum_claim": "pending", **RISK}, ("pending asylum claim",)),
    Case("asylum pending, fears unknown, risk", "chain-refoulement", "blocked",
         {"person.asylum_claim": "pending", "person.fear_claims": ABSENT, **RISK}),
    Case("claim elsewhere, no assessment", "chain-refoulement", "review",
         {**FEARS_SY, **NO_ASSESSMENT}, ("no country assessment in force",)),
    Case("claim elsewhere, assessment only after D", "chain-refoulement", "review",
         {**FEARS_SY, "countries": assessments(("2025-09-02", True))},
         ("no country assessment",)),
    Case("claim elsewhere, only another country assessed", "chain-refoulement", "review",
         {**FEARS_SY, **ONLY_FR_ASSESSED}),
    Case("asylum pending, fears unknown, no assessment", "chain-refoulement", "review",
         {"person.asylum_claim": "pending", "person.fear_claims": ABSENT, **NO_ASSESSMENT},
         ("pending asylum claim",)),
    Case("claim elsewhere, no risk", "chain-refoulement", "pass", FEARS_SY,
         ("Syria", "finds no risk")),
    Case("no claim, risk", "chain-refoulement", "pass", RISK),
    Case("no claim, no assessment", "chain-refoulement", "pass", NO_ASSESSMENT),
    Case("rejected claim elsewhere, risk", "chain-refoulement", "pass",
         {"person.fear_claims": fears(("SY", "rejected")), **RISK}),
    Case("claim about the destination only, risk", "chain-refoulement", "pass",
         {"person.fear_claims": fears(("RW", "pending")), **RISK}),
    Case("fears unknown, risk", "chain-refoulement", "review",
         {"person.fear_claims": ABSENT, **RISK}, ("unknown", "risk of onward refoulement")),
    Case("fears unknown, no assessment", "chain-refoulement", "review",
         {"person.fear_claims": ABSENT, **NO_ASSESSMENT}, ("no country assessment",)),
    Case("asylum unknown, risk", "chain-refoulement", "review",
         {"person.asylum_claim": ABSENT, **RISK}, ("unknown",)),
    Case("asylum unknown, no assessment", "chain-refoulement", "review",
         {"person.asylum_claim": ABSENT, **NO_ASSESSMENT}),
    Case("fears unknown, no risk", "chain-refoulement", "pass", {"person.fear_claims": ABSENT}),
    Case("latest assessment wins (no risk)", "chain-refoulement", "pass",
         {**FEARS_SY, "countries": assessments(("2023-01-01", True), ("2024-06-01", False))}),
    Case("latest assessment wins (risk)", "chain-refoulement", "blocked",
         {**FEARS_SY, "countries": assessments(("2024-06-01", True), ("2023-01-01", False))},
         ("assessment of 2024-06-01",)),
    Case("assessment dated D is in force", "chain-refoulement", "blocked",
         {**FEARS_SY, "countries": assessments(("2020-01-01", False), ("2025-09-01", True))}),
    Case("same date: later entry in the list wins (no risk)", "chain-refoulement", "pass",
         {**FEARS_SY, "countries": assessments(("2024-01-01", True), ("2024-01-01", False))}),
    Case("same date: later entry in the list wins (risk)", "chain-refoulement", "blocked",
         {**FEARS_SY, "countries": assessments(("2024-01-01", False), ("2024-01-01", True))}),
    # -- 12 asylum-procedure --------------------------------------------------------------
    Case("no pending claim", "asylum-procedure", "pass", {}, ("refused",)),
    Case("pending, committed", "asylum-procedure", "pass", {"person.asylum_claim": "pending"},
         ("commits",)),
    Case("pending, not committed", "asylum-procedure", "blocked",
         {"person.asylum_claim": "pending", "arrangement.commitments": ["accommodation"]},
         ("does not commit",)),
    Case("pending, no arrangement", "asylum-procedure", "blocked",
         {"person.asylum_claim": "pending", "transfer.arrangement": None},
         ("no arrangement",)),
    Case("unknown", "asylum-procedure", "review", {"person.asylum_claim": ABSENT},
         ("unknown",)),
    # -- 13 court-order -------------------------------------------------------------------
    Case("no orders", "court-order", "pass", {}, ("no court order",)),
    Case("person scope", "court-order", "blocked",
         {"court_orders": [order("O-P", {"person": "P-1"}, kind="interim_measure")]},
         ("O-P", "interim measure", "covers person P-1")),
    Case("arrangement scope", "court-order", "blocked",
         {"court_orders": [order("O-A", {"arrangement": "A-1"})]}, ("covers arrangement A-1",)),
    Case("pair scope", "court-order", "blocked",
         {"court_orders": [order("O-2", {"sending": "US", "destination": "RW"})]},
         ("transfers from United States to Rwanda",)),
    Case("sending scope", "court-order", "blocked",
         {"court_orders": [order("O-S", {"sending": "US"})]},
         ("every transfer from United States",)),
    Case("orders covering others", "court-order", "pass",
         {"+persons": extra_persons(["P-2"]),
          "+arrangements": [{"ref": "A-2", "sending": "US", "receiving": "RW"}],
          "court_orders": [
              order("O-1", {"person": "P-2"}),
              order("O-2", {"arrangement": "A-2"}),
              order("O-3", {"sending": "US", "destination": "LY"}),
              order("O-4", {"sending": "RW", "destination": "US"}),
              order("O-5", {"sending": "GB"}),
          ]}),
    Case("lifted on D: not active", "court-order", "pass",
         {"court_orders": [order("O-1", {"person": "P-1"}, lifted="2025-09-01")]}),
    Case("lifted the day after D: active", "court-order", "blocked",
         {"court_orders": [order("O-1", {"person": "P-1"}, lifted="2025-09-02")]}, ("O-1",)),
    Case("lifted null: active", "court-order", "blocked",
         {"court_orders": [order("O-1", {"person": "P-1"}, lifted=None)]}),
    Case("issued on D: active", "court-order", "blocked",
         {"court_orders": [order("O-1", {"person": "P-1"}, issued="2025-09-01")]}),
    Case("issued the day after D: not yet active", "court-order", "pass",
         {"court_orders": [order("O-1", {"person": "P-1"}, issued="2025-09-02")]}),
    Case("every active order listed, no inactive one", "court-order", "blocked",
         {"court_orders": [
             order("O-S", {"sending": "US"}),
             order("O-P", {"person": "P-1"}),
             order("O-L", {"arrangement": "A-1"}, lifted="2025-08-01"),
             order("O-A", {"arrangement": "A-1"}),
             order("O-F", {"sending": "US", "destination": "RW"}, issued="2025-12-01"),
             order("O-R", {"sending": "US", "destination": "RW"}, issued="2022-06-14"),
         ]},
         ("O-A", "O-P", "O-R", "O-S", "covers person P-1", "covers arrangement A-1",
          "transfers from United States to Rwanda", "every transfer from United States"),
         ("O-L", "O-F")),
    # -- 14 family-unity ------------------------------------------------------------------
    Case("no family", "family-unity", "pass", {}),
    Case("family", "family-unity", "review", {"person.family_in_sending_country": True},
         ("spouse",)),
    Case("unknown", "family-unity", "review", {"person.family_in_sending_country": ABSENT},
         ("unknown",)),
    # -- 15 fit-to-travel -----------------------------------------------------------------
    Case("fit", "fit-to-travel", "pass", {}),
    Case("not fit", "fit-to-travel", "blocked", {"person.fit_to_travel": False}, ("not",)),
    Case("unknown", "fit-to-travel", "review", {"person.fit_to_travel": ABSENT}, ("unknown",)),
    # -- 16 identity-verified -------------------------------------------------------------
    Case("verified", "identity-verified", "pass", {}),
    Case("not verified", "identity-verified", "review", {"person.identity_verified": False},
         ("not been verified",)),
    Case("unknown", "identity-verified", "review", {"person.identity_verified": ABSENT},
         ("unknown",)),
    # -- 17 reception-commitments ---------------------------------------------------------
    Case("accommodation committed", "reception-commitments", "pass", {}, ("A-1",)),
    Case("accommodation not committed", "reception-commitments", "review",
         {"arrangement.commitments": ["asylum_procedure", "health_care"]},
         ("does not commit", "accommodation")),
    Case("no commitments listed", "reception-commitments", "review",
         {"arrangement.commitments": ABSENT}),
    Case("no arrangement", "reception-commitments", "pass", {"transfer.arrangement": None},
         ("no arrangement",)),
]
# fmt: on

#: What each rule can give, from the "blocked when" and "review when" columns of RULES.md.
CAN_GIVE: dict[str, set[str]] = {
    rule_id: {"pass", "blocked", "review"} for rule_id in CATALOG.ids
} | {
    "arrangement-in-force": {"pass", "blocked"},
    "arrangement-cap": {"pass", "blocked"},
    "court-order": {"pass", "blocked"},
    "family-unity": {"pass", "review"},
    "identity-verified": {"pass", "review"},
    "reception-commitments": {"pass", "review"},
}


def assert_well_formed(verdict: Verdict) -> None:
    """Findings in catalog order, each with a readable reason and its basis; the verdict is
    the worst outcome."""
    assert [f.rule for f in verdict.findings] == list(CATALOG.ids)
    for finding, rule in zip(verdict.findings, CATALOG.rules, strict=True):
        assert isinstance(finding.reason, str) and finding.reason.strip(), finding
        assert "null" not in finding.reason, finding
        assert finding.basis == rule.basis
    outcomes = {f.outcome for f in verdict.findings}
    expected = "blocked" if "blocked" in outcomes else "review" if "review" in outcomes else "clear"
    assert verdict.verdict == expected


def test_the_baseline_is_clear_with_every_rule_passing() -> None:
    verdict = screen_one()
    assert_well_formed(verdict)
    assert verdict.verdict == "clear"
    assert {f.outcome for f in verdict.findings} == {"pass"}


def test_the_baseline_is_the_only_proposed_transfer() -> None:
    assert [v.transfer for v in screen(build())] == ["T-1"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}: {c.id}" for c in CASES])
def test_rule(case: Case) -> None:
    verdict = screen_one(case.overrides)
    assert_well_formed(verdict)
    finding = verdict.finding(case.rule)
    assert finding.outcome == case.outcome, finding.reason
    for text in case.reason:
        assert text in finding.reason
    for text in case.not_in_reason:
        assert text not in finding.reason


def test_the_table_covers_every_outcome_of_every_rule() -> None:
    covered: dict[str, set[str]] = {rule_id: set() for rule_id in CATALOG.ids}
    for case in CASES:
        covered[case.rule].add(case.outcome)
    assert covered == CAN_GIVE


def test_case_ids_are_unique_per_rule() -> None:
    keys = [(c.rule, c.id) for c in CASES]
    assert len(keys) == len(set(keys))


BASELINE_PERSON_FACTS = (
    "birth_date",
    "nationalities",
    "languages",
    "accompanied",
    "identity_verified",
    "asylum_claim",
    "fear_claims",
    "removal_decision",
    "convictions",
    "family_in_sending_country",
    "fit_to_travel",
)


def test_all_rules_at_once_unknown_person() -> None:
    """A person with no (u) fact recorded and a transfer with none either: nothing passes
    that needs a fact, and the verdict is never clear."""
    overrides = {f"person.{key}": ABSENT for key in BASELINE_PERSON_FACTS} | {
        "transfer.accepted_by_receiving": ABSENT,
        "transfer.notice": ABSENT,
    }
    verdict = screen_one(overrides)
    assert_well_formed(verdict)
    assert verdict.verdict == "review"
    assert verdict.not_passing == {
        "third-country": "review",
        "receiving-acceptance": "review",
        "unaccompanied-minor": "review",
        "protection-granted": "review",
        "final-decision": "review",
        "written-notice": "review",
        "fear-of-destination": "review",
        "asylum-procedure": "review",
        "family-unity": "review",
        "fit-to-travel": "review",
        "identity-verified": "review",
    }


def test_as_of_argument_overrides_the_file() -> None:
    """The same notice is in time on D and served "after D" when screened a day earlier."""
    document = build({"transfer.notice.served": "2025-09-01"})
    assert screen(document).verdict("T-1").finding("written-notice").outcome == "pass"
    earlier = screen(document, as_of="2025-08-31").verdict("T-1")
    assert earlier.finding("written-notice").outcome == "blocked"
    assert earlier.finding("written-notice").code == "written-notice.served-after-screening"


EMPTY_WORLDS: dict[str, Overrides] = {
    "nothing at all": {
        "countries": ABSENT,
        "arrangements": ABSENT,
        "court_orders": ABSENT,
        "persons": ABSENT,
        "transfers": ABSENT,
    },
    "persons but no transfers": {"transfers": []},
    "only an executed transfer": {"transfer.status": "executed"},
    "only a cancelled transfer": {"transfer.status": "cancelled"},
}


@pytest.mark.parametrize("overrides", EMPTY_WORLDS.values(), ids=EMPTY_WORLDS.keys())
def test_a_world_without_proposed_transfers_screens_to_no_results(overrides: Overrides) -> None:
    screening = screen(build(overrides))
    assert len(screening) == 0
    assert screening.to_document()["results"] == []
    assert screening.counts() == {"clear": 0, "review": 0, "blocked": 0}
