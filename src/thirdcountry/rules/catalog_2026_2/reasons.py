"""The reasons of catalog 2026.2 (RULES-2026.2 §3): for each, its code, outcome, parameters
with their types (§1.4) and English template, as the catalog writes them.

A rule gives a finding by naming one of its reasons and the values of its parameters; the
sentence is rendered from the template when it is read, in the reader's language.
"""

from __future__ import annotations

from typing import Final

from thirdcountry.rules.catalog import gettext_noop as _
from thirdcountry.rules.v2.rule import Reason
from thirdcountry.rules.v2.rule import reason as _reason

REASONS: Final[tuple[Reason, ...]] = (
    # planned-date
    _reason(
        "planned-date.past",
        "review",
        _(
            "The planned date {planned_date} has passed: record the transfer as executed or "
            "cancelled, or plan it anew."
        ),
        "planned_date:date",
    ),
    _reason(
        "planned-date.ok",
        "pass",
        _("The planned date {planned_date} is not in the past."),
        "planned_date:date",
    ),
    # third-country
    _reason(
        "third-country.nationalities-unknown",
        "review",
        _(
            "The person's nationalities are unknown, so whether {destination} is a third country "
            "for them is unknown."
        ),
        "destination:country",
    ),
    _reason(
        "third-country.return-to-nationality",
        "pass",
        _(
            "{destination} is a country of the person's nationality: this is a return, not a "
            "third-country transfer; the protection and refoulement rules still apply."
        ),
        "destination:country",
    ),
    _reason(
        "third-country.stateless",
        "pass",
        _("The person is stateless: {destination} is a third country."),
        "destination:country",
    ),
    _reason(
        "third-country.confirmed",
        "pass",
        _("{destination} is not a country of the person's nationality ({nationalities})."),
        "destination:country",
        "nationalities:countries",
    ),
    # arrangement-in-force
    _reason(
        "arrangement-in-force.legal-basis-not-in-force",
        "blocked",
        _(
            "The legal basis {legal_basis} is not in force on the planned date (in force from "
            "{from}, until {to})."
        ),
        "legal_basis:legal_basis",
        "from:date?",
        "to:date?",
    ),
    _reason(
        "arrangement-in-force.none-but-required",
        "blocked",
        _("The transfer names no arrangement, but {legal_basis} allows transfers only under one."),
        "legal_basis:legal_basis",
    ),
    _reason(
        "arrangement-in-force.not-in-force",
        "blocked",
        _("Arrangement {arrangement} is not in force: its status is {status} (since {since})."),
        "arrangement:arrangement",
        "status:arrangement_status?",
        "since:date?",
    ),
    _reason(
        "arrangement-in-force.not-in-force-on-planned-date",
        "blocked",
        _(
            "Arrangement {arrangement} is not in force on the planned date {planned_date}: its "
            "status then is {status} (since {since})."
        ),
        "arrangement:arrangement",
        "status:arrangement_status?",
        "since:date?",
        "planned_date:date",
    ),
    _reason(
        "arrangement-in-force.none-basis-unknown",
        "review",
        _(
            "The transfer names no arrangement and its legal basis is unknown, so whether an "
            "arrangement is required is unknown."
        ),
    ),
    _reason(
        "arrangement-in-force.none-not-required",
        "review",
        _(
            "The transfer names no arrangement. {legal_basis} requires none, but a transfer "
            "outside a formal arrangement falls short of the UNHCR standard: a legal officer must"
            " weigh it."
        ),
        "legal_basis:legal_basis",
    ),
    _reason(
        "arrangement-in-force.in-force-basis-unknown",
        "review",
        _(
            "Arrangement {arrangement} is in force (since {since}) on the screening date and on "
            "the planned date, but the legal basis relied on is unknown, so whether that basis is"
            " in force on the planned date is unknown."
        ),
        "arrangement:arrangement",
        "since:date",
    ),
    _reason(
        "arrangement-in-force.in-force",
        "pass",
        _(
            "Arrangement {arrangement} is in force (since {since}) on the screening date and on "
            "the planned date."
        ),
        "arrangement:arrangement",
        "since:date",
    ),
    # arrangement-capacity
    _reason(
        "arrangement-capacity.no-arrangement",
        "pass",
        _("No arrangement, so no capacity limit applies."),
    ),
    _reason(
        "arrangement-capacity.cap-reached",
        "blocked",
        _(
            "Arrangement {arrangement} may cover at most {cap} persons and already covers "
            "{covered}."
        ),
        "arrangement:arrangement",
        "cap:int",
        "covered:int",
    ),
    _reason(
        "arrangement-capacity.period-cap-reached",
        "blocked",
        _(
            "Arrangement {arrangement} may cover at most {cap} persons transferred from {from} "
            "until {to}, and already covers {covered} in that period."
        ),
        "arrangement:arrangement",
        "cap:int",
        "covered:int",
        "from:date",
        "to:date",
    ),
    _reason(
        "arrangement-capacity.concurrent-cap-reached",
        "blocked",
        _(
            "Arrangement {arrangement} may hold at most {cap} persons at a time; {present} are "
            "there on the planned date."
        ),
        "arrangement:arrangement",
        "cap:int",
        "present:int",
    ),
    _reason(
        "arrangement-capacity.caps-unknown",
        "review",
        _("Whether arrangement {arrangement} limits how many persons it covers is unknown."),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-capacity.cap-contested",
        "review",
        _(
            "Arrangement {arrangement} may cover at most {cap} persons; it covers {covered} and "
            "{pending} others have pending proposals, so not all of them can go."
        ),
        "arrangement:arrangement",
        "cap:int",
        "covered:int",
        "pending:int",
    ),
    _reason(
        "arrangement-capacity.period-cap-contested",
        "review",
        _(
            "Arrangement {arrangement} may cover at most {cap} persons from {from} until {to}; it"
            " covers {covered} and {pending} others have pending proposals in that period."
        ),
        "arrangement:arrangement",
        "cap:int",
        "covered:int",
        "pending:int",
        "from:date",
        "to:date",
    ),
    _reason(
        "arrangement-capacity.no-cap",
        "pass",
        _("Arrangement {arrangement} sets no capacity limit."),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-capacity.within",
        "pass",
        _(
            "Arrangement {arrangement} covers {covered} persons so far; this transfer stays "
            "within its limits."
        ),
        "arrangement:arrangement",
        "covered:int",
    ),
    # arrangement-terms
    _reason("arrangement-terms.no-arrangement", "pass", _("No arrangement, so no terms apply.")),
    _reason(
        "arrangement-terms.no-terms",
        "pass",
        _("Arrangement {arrangement} sets no eligibility terms."),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-terms.excluded-nationality",
        "blocked",
        _("Arrangement {arrangement} excludes nationals of {countries}."),
        "arrangement:arrangement",
        "countries:countries",
    ),
    _reason(
        "arrangement-terms.nationality-not-eligible",
        "blocked",
        _(
            "Arrangement {arrangement} covers only nationals of listed countries; the person's "
            "nationalities ({nationalities}) are not among them."
        ),
        "arrangement:arrangement",
        "nationalities:countries",
    ),
    _reason(
        "arrangement-terms.criminal-record-required",
        "blocked",
        _(
            "Arrangement {arrangement} covers only persons with a criminal conviction; the person"
            " has none."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-terms.criminal-record-excluded",
        "blocked",
        _(
            "Arrangement {arrangement} excludes persons with a criminal record; the person has "
            "{convictions} conviction(s)."
        ),
        "arrangement:arrangement",
        "convictions:int",
    ),
    _reason(
        "arrangement-terms.sentence-not-completed",
        "blocked",
        _(
            "Arrangement {arrangement} requires every sentence to be served; one ends on "
            "{sentence_end}, after the planned date."
        ),
        "arrangement:arrangement",
        "sentence_end:date",
    ),
    _reason(
        "arrangement-terms.pending-charges-excluded",
        "blocked",
        _(
            "Arrangement {arrangement} excludes persons with pending criminal charges; the person"
            " has {charges}."
        ),
        "arrangement:arrangement",
        "charges:int",
    ),
    _reason(
        "arrangement-terms.excluded-offence",
        "blocked",
        _("Arrangement {arrangement} excludes persons convicted of a {category}."),
        "arrangement:arrangement",
        "category:offence_category",
    ),
    _reason(
        "arrangement-terms.excluded-group",
        "blocked",
        _("Arrangement {arrangement} excludes {group}, and the person is one."),
        "arrangement:arrangement",
        "group:excluded_group",
    ),
    _reason(
        "arrangement-terms.terms-unknown",
        "review",
        _("The eligibility terms of arrangement {arrangement} are unknown."),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-terms.nationalities-unknown",
        "review",
        _(
            "Arrangement {arrangement} has a nationality term and the person's nationalities are "
            "unknown."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-terms.convictions-unknown",
        "review",
        _(
            "Arrangement {arrangement} has a criminal-record term and the person's convictions "
            "are unknown."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-terms.sentence-end-unknown",
        "review",
        _(
            "Arrangement {arrangement} requires sentences to be served and the end of a sentence "
            "is unknown."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-terms.offence-category-unknown",
        "review",
        _(
            "Arrangement {arrangement} excludes offence categories and the category of a "
            "conviction is unknown."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-terms.pending-charges-unknown",
        "review",
        _(
            "Arrangement {arrangement} excludes pending charges and whether the person faces any "
            "is unknown."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "arrangement-terms.group-fact-unknown",
        "review",
        _("Arrangement {arrangement} excludes {group}, and whether the person is one is unknown."),
        "arrangement:arrangement",
        "group:excluded_group",
    ),
    _reason(
        "arrangement-terms.met",
        "pass",
        _("The person falls under the terms of arrangement {arrangement}."),
        "arrangement:arrangement",
    ),
    # receiving-acceptance
    _reason(
        "receiving-acceptance.refused",
        "blocked",
        _("{destination} has refused to accept this person."),
        "destination:country",
    ),
    _reason(
        "receiving-acceptance.unknown",
        "review",
        _("Whether {destination} accepts this person is unknown."),
        "destination:country",
    ),
    _reason(
        "receiving-acceptance.accepted",
        "pass",
        _("{destination} has accepted this person."),
        "destination:country",
    ),
    # unaccompanied-minor
    _reason(
        "unaccompanied-minor.unaccompanied",
        "blocked",
        _(
            "The person is under {minor_age} on the planned date and travels without a parent or "
            "guardian."
        ),
        "minor_age:int",
    ),
    _reason(
        "unaccompanied-minor.age-unknown",
        "review",
        _("Whether the person is under {minor_age} on the planned date is unknown."),
        "minor_age:int",
    ),
    _reason(
        "unaccompanied-minor.accompaniment-unknown",
        "review",
        _(
            "The person is under {minor_age} on the planned date and whether a parent or guardian"
            " travels with them is unknown."
        ),
        "minor_age:int",
    ),
    _reason(
        "unaccompanied-minor.adult",
        "pass",
        _("The person is {minor_age} or older on the planned date."),
        "minor_age:int",
    ),
    _reason(
        "unaccompanied-minor.known-adult",
        "pass",
        _("The person is established to have been {minor_age} or older on {known_adult_on}."),
        "minor_age:int",
        "known_adult_on:date",
    ),
    _reason(
        "unaccompanied-minor.accompanied",
        "pass",
        _("The person is under {minor_age} and travels with a parent or guardian."),
        "minor_age:int",
    ),
    # country-specific-protection
    _reason(
        "country-specific-protection.against-destination",
        "blocked",
        _("The person holds {kind} protection against being sent to {destination}."),
        "kind:protection_kind",
        "destination:country",
    ),
    _reason(
        "country-specific-protection.possibly-against-destination",
        "review",
        _(
            "The person was granted {kind} protection as to {destination} and whether it still "
            "stands is unknown."
        ),
        "kind:protection_kind",
        "destination:country",
    ),
    _reason(
        "country-specific-protection.protections-unknown",
        "review",
        _(
            "Whether the person holds any protection (refugee status, withholding, torture "
            "protection) is unknown."
        ),
    ),
    _reason(
        "country-specific-protection.refugee-in-sending-state",
        "review",
        _(
            "{sending} has recognised the person as a refugee (from {country}): a transfer is "
            "allowed only to a state that gives effective protection, which a legal officer must "
            "find."
        ),
        "country:country?",
        "sending:country",
    ),
    _reason(
        "country-specific-protection.refugee-status-possibly-standing",
        "review",
        _(
            "{sending} recognised the person as a refugee from {country} and whether that status "
            "or finding still stands is unknown."
        ),
        "country:country",
        "sending:country",
    ),
    _reason(
        "country-specific-protection.asylum-claim-unknown",
        "review",
        _("The state of the person's asylum claim in the sending state is unknown."),
    ),
    _reason(
        "country-specific-protection.none-against-destination",
        "pass",
        _("No protection against {destination} stands; protection as to: {countries}."),
        "destination:country",
        "countries:countries",
    ),
    # final-decision
    _reason(
        "final-decision.no-transfer-decision",
        "blocked",
        _(
            "Under {arrangement} the sending state processes claims abroad, and no decision "
            "ordering this transfer exists."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "final-decision.not-reviewable",
        "blocked",
        _("The decision ordering the transfer under {arrangement} cannot be reviewed by a court."),
        "arrangement:arrangement",
    ),
    _reason(
        "final-decision.none",
        "blocked",
        _("No removal decision exists (legal basis relied on: {legal_basis})."),
        "legal_basis:legal_basis?",
    ),
    _reason(
        "final-decision.not-final",
        "blocked",
        _("The removal decision of {date} is not final."),
        "date:date?",
    ),
    _reason(
        "final-decision.appeal-pending",
        "blocked",
        _("An appeal against the removal decision of {date} is pending."),
        "date:date?",
    ),
    _reason(
        "final-decision.appeal-window-open",
        "blocked",
        _(
            "The time to appeal runs until {appeal_deadline}, on or after the planned date "
            "{planned_date}."
        ),
        "appeal_deadline:date",
        "planned_date:date",
    ),
    _reason("final-decision.unknown", "review", _("Whether a removal decision exists is unknown.")),
    _reason(
        "final-decision.reviewability-unknown",
        "review",
        _(
            "Whether the decision ordering the transfer under {arrangement} can be reviewed by a "
            "court is unknown."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "final-decision.finality-unknown",
        "review",
        _("Whether the removal decision is final is unknown."),
    ),
    _reason(
        "final-decision.appeal-pending-unknown",
        "review",
        _("Whether an appeal against the removal decision is pending is unknown."),
    ),
    _reason(
        "final-decision.appeal-deadline-unknown",
        "review",
        _("When the time to appeal the removal decision ends is unknown."),
    ),
    _reason(
        "final-decision.appeal-window-closes-before-transfer",
        "review",
        _(
            "The time to appeal runs until {appeal_deadline}, which has not yet passed: re-screen"
            " once it has."
        ),
        "appeal_deadline:date",
    ),
    _reason(
        "final-decision.model-unknown",
        "review",
        _(
            "A decision of {date} exists, but whether {arrangement} has the sending state process"
            " claims abroad is unknown, so whether it must be a final removal order or only a "
            "decision a court can review is unknown."
        ),
        "arrangement:arrangement",
        "date:date?",
    ),
    _reason(
        "final-decision.reviewable",
        "pass",
        _(
            "A decision of {date} orders the transfer under {arrangement} and can be reviewed by "
            "a court."
        ),
        "arrangement:arrangement",
        "date:date?",
    ),
    _reason(
        "final-decision.final",
        "pass",
        _("The removal decision of {date} is final and no appeal is open."),
        "date:date?",
    ),
    # written-notice
    _reason(
        "written-notice.none", "blocked", _("No written notice of the transfer has been served.")
    ),
    _reason(
        "written-notice.after-planned-date",
        "blocked",
        _("The notice is dated {served}, after the planned date {planned_date}."),
        "served:date",
        "planned_date:date",
    ),
    _reason(
        "written-notice.not-yet-served",
        "blocked",
        _("The notice is dated {served}, after the screening date: it has not been served yet."),
        "served:date",
    ),
    _reason(
        "written-notice.destination-not-named",
        "blocked",
        _("The notice does not name {destination}."),
        "destination:country",
    ),
    _reason(
        "written-notice.counsel-not-served",
        "blocked",
        _("The notice was not served on the person's counsel, as {regime} requires."),
        "regime:regime",
    ),
    _reason(
        "written-notice.contest-not-explained",
        "blocked",
        _("The notice does not explain how to contest the transfer, as {regime} requires."),
        "regime:regime",
    ),
    _reason("written-notice.unknown", "review", _("Whether written notice was served is unknown.")),
    _reason("written-notice.served-unknown", "review", _("When the notice was served is unknown.")),
    _reason(
        "written-notice.destination-naming-unknown",
        "review",
        _("Whether the notice names {destination} is unknown."),
        "destination:country",
    ),
    _reason(
        "written-notice.counsel-service-unknown",
        "review",
        _("Whether the notice was served on counsel is unknown ({regime} asks for it)."),
        "regime:regime",
    ),
    _reason(
        "written-notice.counsel-not-served-below-standard",
        "review",
        _("The notice was not served on counsel; {regime} asks for it."),
        "regime:regime",
    ),
    _reason(
        "written-notice.contest-explanation-unknown",
        "review",
        _(
            "Whether the notice explains how to contest the transfer is unknown ({regime} asks "
            "for it)."
        ),
        "regime:regime",
    ),
    _reason(
        "written-notice.contest-not-explained-below-standard",
        "review",
        _("The notice does not explain how to contest the transfer; {regime} asks for it."),
        "regime:regime",
    ),
    _reason(
        "written-notice.order-effect-unknown",
        "review",
        _(
            "{order} covers or may cover this transfer and its effect is not recorded: it may "
            "require {requirement}, which is not on record as met."
        ),
        "order:order",
        "requirement:requirement",
    ),
    _reason(
        "written-notice.served",
        "pass",
        _("Written notice naming the destination was served on {served}."),
        "served:date",
    ),
    # notice-language
    _reason(
        "notice-language.no-notice",
        "blocked",
        _("No notice was served, so none was served in a language the person understands."),
    ),
    _reason(
        "notice-language.not-understood",
        "blocked",
        _("The notice is in {language}; the person understands {languages}."),
        "language:language",
        "languages:languages",
    ),
    _reason(
        "notice-language.notice-unknown", "review", _("Whether a notice was served is unknown.")
    ),
    _reason(
        "notice-language.language-unknown", "review", _("The language of the notice is unknown.")
    ),
    _reason(
        "notice-language.languages-unknown",
        "review",
        _("The notice is in {language}; which languages the person understands is unknown."),
        "language:language",
    ),
    _reason(
        "notice-language.related-variety",
        "review",
        _(
            "The notice is in {language}, a variety related to the person's {languages}: whether "
            "they understand it must be checked."
        ),
        "language:language",
        "languages:languages",
    ),
    _reason(
        "notice-language.understood",
        "pass",
        _("The notice is in {language}, which the person understands."),
        "language:language",
    ),
    # fear-window
    _reason(
        "fear-window.no-notice",
        "blocked",
        _("Without notice the person had no time to raise a fear of the destination."),
    ),
    _reason(
        "fear-window.too-short",
        "blocked",
        _(
            "The notice left {days} day(s) until {until} to raise a fear claim; {regime} requires"
            " {required}."
        ),
        "days:int",
        "until:date",
        "required:int",
        "regime:regime",
    ),
    _reason(
        "fear-window.no-counsel-access",
        "blocked",
        _("The person had no access to counsel after the notice; {regime} requires it."),
        "regime:regime",
    ),
    _reason(
        "fear-window.no-interpreter",
        "blocked",
        _("The person had no interpreter to raise a fear claim; {regime} requires one."),
        "regime:regime",
    ),
    _reason(
        "fear-window.notice-unknown",
        "review",
        _("Whether notice was served is unknown, so the time to raise a fear claim is unknown."),
    ),
    _reason(
        "fear-window.days-unknown",
        "review",
        _(
            "How many days the person could use to raise a fear claim is unknown; {regime} asks "
            "for {required}."
        ),
        "required:int",
        "regime:regime",
    ),
    _reason(
        "fear-window.short-of-standard",
        "review",
        _(
            "The notice left {days} day(s) until {until} to raise a fear claim; {regime} asks for"
            " {required}."
        ),
        "days:int",
        "until:date",
        "required:int",
        "regime:regime",
    ),
    _reason(
        "fear-window.counsel-access-unknown",
        "review",
        _(
            "Whether the person had access to counsel after the notice is unknown ({regime} asks "
            "for it)."
        ),
        "regime:regime",
    ),
    _reason(
        "fear-window.no-counsel-access-below-standard",
        "review",
        _("The person had no access to counsel after the notice; {regime} asks for it."),
        "regime:regime",
    ),
    _reason(
        "fear-window.interpreter-unknown",
        "review",
        _(
            "Whether the person had an interpreter to raise a fear claim is unknown ({regime} "
            "asks for one)."
        ),
        "regime:regime",
    ),
    _reason(
        "fear-window.no-interpreter-below-standard",
        "review",
        _("The person had no interpreter to raise a fear claim; {regime} asks for one."),
        "regime:regime",
    ),
    _reason(
        "fear-window.terms-unknown",
        "review",
        _(
            "The person had {days} day(s) to raise a fear claim; the terms of {arrangement} are "
            "not known and may promise more notice."
        ),
        "arrangement:arrangement",
        "days:int",
    ),
    _reason(
        "fear-window.order-effect-unknown",
        "review",
        _(
            "{order} covers or may cover this transfer and its effect is not recorded: it may "
            "require {requirement}."
        ),
        "order:order",
        "requirement:requirement",
    ),
    _reason(
        "fear-window.met",
        "pass",
        _(
            "The person had {days} day(s), with counsel and an interpreter, to raise a fear claim"
            " ({regime}: {required})."
        ),
        "days:int",
        "required:int",
        "regime:regime",
    ),
    # fear-screening
    _reason(
        "fear-screening.undecided",
        "blocked",
        _(
            "The person raised a fear of {destination} (on {raised_on}) and it has not been "
            "decided."
        ),
        "destination:country",
        "raised_on:date?",
    ),
    _reason(
        "fear-screening.reopen-window-running",
        "blocked",
        _(
            "The fear claim was rejected on {decided_on}, {days} day(s) before the planned date; "
            "{regime} requires {required} to seek reopening."
        ),
        "decided_on:date",
        "days:int",
        "required:int",
        "regime:regime",
    ),
    _reason(
        "fear-screening.unknown",
        "review",
        _("Whether the person has raised a fear of {destination} is unknown."),
        "destination:country",
    ),
    _reason(
        "fear-screening.decision-date-unknown",
        "review",
        _(
            "A fear claim was rejected on an unknown date, so whether the time {regime} gives to "
            "seek reopening has run is unknown."
        ),
        "regime:regime",
    ),
    _reason(
        "fear-screening.reopen-window-below-standard",
        "review",
        _(
            "The fear claim was rejected on {decided_on}, {days} day(s) before the planned date; "
            "{regime} asks for {required}."
        ),
        "decided_on:date",
        "days:int",
        "required:int",
        "regime:regime",
    ),
    _reason(
        "fear-screening.order-effect-unknown",
        "review",
        _(
            "{order} covers or may cover this transfer and its effect is not recorded: it may "
            "require time to seek reopening after a rejected fear claim."
        ),
        "order:order",
    ),
    _reason(
        "fear-screening.no-claim",
        "pass",
        _("The person has raised no fear of {destination}."),
        "destination:country",
    ),
    _reason(
        "fear-screening.screened",
        "pass",
        _(
            "Every fear of {destination} the person raised has been decided, and any time to seek"
            " reopening has run."
        ),
        "destination:country",
    ),
    # fear-of-destination
    _reason(
        "fear-of-destination.recognised",
        "blocked",
        _(
            "The person's fear of persecution, torture or death in {destination} has been "
            "recognised."
        ),
        "destination:country",
    ),
    _reason(
        "fear-of-destination.unknown",
        "review",
        _("Whether the person fears {destination} is unknown."),
        "destination:country",
    ),
    _reason(
        "fear-of-destination.pending",
        "review",
        _("The person's fear of {destination} has not yet been decided."),
        "destination:country",
    ),
    _reason(
        "fear-of-destination.rejected",
        "pass",
        _("The person's fear of {destination} was screened and rejected."),
        "destination:country",
    ),
    _reason(
        "fear-of-destination.none",
        "pass",
        _("The person has raised no fear of {destination}."),
        "destination:country",
    ),
    # chain-refoulement
    _reason(
        "chain-refoulement.sending-state-processing",
        "pass",
        _(
            "Under {arrangement} the sending state keeps jurisdiction and decides any onward "
            "removal itself."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "chain-refoulement.transit-to-feared-country",
        "blocked",
        _(
            "{arrangement} is designed to send people on to their countries of origin, and the "
            "person fears {country}."
        ),
        "arrangement:arrangement",
        "country:country",
    ),
    _reason(
        "chain-refoulement.transit-unscreened",
        "blocked",
        _(
            "{arrangement} is designed to send people on to their countries of origin, and the "
            "person was never screened for a fear of {country}."
        ),
        "arrangement:arrangement",
        "country:country",
    ),
    _reason(
        "chain-refoulement.risk-found",
        "blocked",
        _(
            "The person has a claim to protection (fear of: {countries}; or a pending asylum "
            "claim), and {assessment} finds a real risk that {destination} sends people on."
        ),
        "destination:country",
        "countries:countries",
        "assessment:assessment",
    ),
    _reason(
        "chain-refoulement.onward-removal-recorded",
        "blocked",
        _(
            "The person has a claim to protection (fear of: {countries}), and on {date} "
            "{destination} sent {person}, transferred through the same channel, on to {country}, "
            "a country they feared."
        ),
        "destination:country",
        "countries:countries",
        "country:country",
        "date:date",
        "person:person",
    ),
    _reason(
        "chain-refoulement.transit-facts-unknown",
        "review",
        _(
            "{arrangement} is designed to send people on to their countries of origin, and the "
            "person's nationalities or fear screenings are not fully known."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "chain-refoulement.model-unknown",
        "review",
        _(
            "Whether {arrangement} is meant to keep people, send them on, or have the sending "
            "state process them is unknown."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "chain-refoulement.no-assessment",
        "review",
        _(
            "The person has a claim to protection (fear of: {countries}; or a pending asylum "
            "claim), and no assessment of onward refoulement by {destination} is in force."
        ),
        "destination:country",
        "countries:countries",
    ),
    _reason(
        "chain-refoulement.onward-removal-possible",
        "review",
        _(
            "The person has a claim to protection (fear of: {countries}; or a pending asylum "
            "claim), and on {date} {destination} sent {person}, transferred through the same "
            "channel, on to {country}; whether that was a country they feared is not recorded."
        ),
        "destination:country",
        "countries:countries",
        "country:country",
        "date:date",
        "person:person",
    ),
    _reason(
        "chain-refoulement.claims-unknown-risk",
        "review",
        _(
            "The person's claims to protection are not fully known, and onward refoulement by "
            "{destination} is not excluded (assessment in force: {assessment})."
        ),
        "destination:country",
        "assessment:assessment?",
    ),
    _reason(
        "chain-refoulement.no-risk-found",
        "pass",
        _(
            "The person fears {countries}, and {assessment} finds no real risk that {destination}"
            " sends people on."
        ),
        "destination:country",
        "countries:countries",
        "assessment:assessment",
    ),
    _reason(
        "chain-refoulement.no-claim-risk-noted",
        "pass",
        _(
            "The person claims no fear of any country but {destination}, so no onward refoulement"
            " is shown; note the risk found by {assessment} or a recorded onward removal."
        ),
        "destination:country",
        "assessment:assessment?",
    ),
    _reason(
        "chain-refoulement.no-claim-no-risk",
        "pass",
        _(
            "The person claims no fear of any country but {destination}; {assessment} finds no "
            "onward-refoulement risk."
        ),
        "destination:country",
        "assessment:assessment",
    ),
    _reason(
        "chain-refoulement.no-claim-no-assessment",
        "pass",
        _(
            "The person claims no fear of any country but {destination}; no assessment of "
            "{destination} is in force."
        ),
        "destination:country",
    ),
    _reason(
        "chain-refoulement.claims-unknown-no-risk",
        "pass",
        _(
            "The person's claims are not fully known, but {assessment}, an independent source, "
            "finds no onward-refoulement risk in {destination}."
        ),
        "destination:country",
        "assessment:assessment",
    ),
    # assurances
    _reason(
        "assurances.none-relied-on", "pass", _("The transfer relies on no diplomatic assurance.")
    ),
    _reason(
        "assurances.undisclosed-in-lieu-of-screening",
        "blocked",
        _(
            "The transfer relies on assurance {assurance} instead of a fear screening, and it has"
            " not been disclosed to the person or a court."
        ),
        "assurance:assurance",
    ),
    _reason(
        "assurances.unknown",
        "review",
        _("Whether the transfer relies on diplomatic assurances is unknown."),
    ),
    _reason(
        "assurances.element-missing",
        "review",
        _(
            "Assurance {assurance} is not {element}: a legal officer must weigh whether it can "
            "protect."
        ),
        "assurance:assurance",
        "element:assurance_element",
    ),
    _reason(
        "assurances.element-unknown",
        "review",
        _("Whether assurance {assurance} is {element} is unknown."),
        "assurance:assurance",
        "element:assurance_element",
    ),
    _reason(
        "assurances.complete",
        "pass",
        _(
            "The assurances relied on ({assurances}) are binding, disclosed, monitored and give a"
            " remedy."
        ),
        "assurances:assurances",
    ),
    # asylum-procedure
    _reason(
        "asylum-procedure.no-arrangement",
        "blocked",
        _(
            "The person's asylum claim is pending and no arrangement commits anyone to decide it "
            "after transfer."
        ),
    ),
    _reason(
        "asylum-procedure.transit",
        "blocked",
        _(
            "The person's asylum claim is pending and {arrangement} is designed to send people on"
            " to their countries of origin."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "asylum-procedure.no-commitment",
        "blocked",
        _(
            "The person's asylum claim is pending and {arrangement} does not commit {destination}"
            " to an asylum procedure."
        ),
        "arrangement:arrangement",
        "destination:country",
    ),
    _reason(
        "asylum-procedure.asylum-claim-unknown",
        "review",
        _("The state of the person's asylum claim is unknown."),
    ),
    _reason(
        "asylum-procedure.model-unknown",
        "review",
        _(
            "The person's asylum claim is pending and whether {arrangement} keeps people, sends "
            "them on to their countries of origin or has the sending state decide their claims is"
            " unknown, so who would decide the claim is unknown."
        ),
        "arrangement:arrangement",
    ),
    _reason(
        "asylum-procedure.no-pending-claim",
        "pass",
        _("The person has no pending asylum claim ({asylum_claim})."),
        "asylum_claim:asylum_claim_status",
    ),
    _reason(
        "asylum-procedure.sending-state-procedure",
        "pass",
        _("Under {arrangement} the sending state decides the claim in its own procedure."),
        "arrangement:arrangement",
    ),
    _reason(
        "asylum-procedure.receiving-state-procedure",
        "pass",
        _("{arrangement} commits {destination} to decide the claim in an asylum procedure."),
        "arrangement:arrangement",
        "destination:country",
    ),
    # safe-country-designation
    _reason(
        "safe-country-designation.none-relied-on",
        "pass",
        _("The procedure relies on no safe-country designation."),
    ),
    _reason(
        "safe-country-designation.not-in-force",
        "blocked",
        _("Designation {designation} is not in force on the planned date."),
        "designation:designation",
    ),
    _reason(
        "safe-country-designation.not-a-national",
        "blocked",
        _(
            "Designation {designation} concerns {country}, which is not a country of the person's"
            " nationality."
        ),
        "designation:designation",
        "country:country",
    ),
    _reason(
        "safe-country-designation.whole-territory-unmet",
        "blocked",
        _(
            "Designation {designation} excepts parts of the country's territory; {regime} "
            "requires safety throughout."
        ),
        "designation:designation",
        "regime:regime",
    ),
    _reason(
        "safe-country-designation.whole-population-unmet",
        "blocked",
        _(
            "Designation {designation} excepts categories of persons; {regime} requires safety "
            "for the entire population."
        ),
        "designation:designation",
        "regime:regime",
    ),
    _reason(
        "safe-country-designation.judicial-review-unmet",
        "blocked",
        _(
            "Designation {designation} is not open to effective judicial review; {regime} "
            "requires it."
        ),
        "designation:designation",
        "regime:regime",
    ),
    _reason(
        "safe-country-designation.unknown",
        "review",
        _("Whether the procedure relies on a safe-country designation is unknown."),
    ),
    _reason(
        "safe-country-designation.nationalities-unknown",
        "review",
        _(
            "The person's nationalities are unknown, so whether designation {designation} can "
            "apply is unknown."
        ),
        "designation:designation",
    ),
    _reason(
        "safe-country-designation.whole-territory-unknown",
        "review",
        _(
            "Whether designation {designation} excepts parts of the territory is unknown "
            "({regime})."
        ),
        "designation:designation",
        "regime:regime",
    ),
    _reason(
        "safe-country-designation.whole-territory-below-standard",
        "review",
        _(
            "Designation {designation} excepts parts of the territory; {regime} asks for safety "
            "throughout."
        ),
        "designation:designation",
        "regime:regime",
    ),
    _reason(
        "safe-country-designation.whole-population-unknown",
        "review",
        _("Whether designation {designation} excepts categories of persons is unknown ({regime})."),
        "designation:designation",
        "regime:regime",
    ),
    _reason(
        "safe-country-designation.whole-population-below-standard",
        "review",
        _(
            "Designation {designation} excepts categories of persons; under {regime} whether that"
            " is allowed is disputed."
        ),
        "designation:designation",
        "regime:regime",
    ),
    _reason(
        "safe-country-designation.judicial-review-unknown",
        "review",
        _(
            "Whether designation {designation} is open to effective judicial review is unknown "
            "({regime})."
        ),
        "designation:designation",
        "regime:regime",
    ),
    _reason(
        "safe-country-designation.judicial-review-below-standard",
        "review",
        _(
            "Designation {designation} is not open to effective judicial review; {regime} asks "
            "for it."
        ),
        "designation:designation",
        "regime:regime",
    ),
    _reason(
        "safe-country-designation.order-effect-unknown",
        "review",
        _(
            "{order} covers or may cover this transfer and its effect is not recorded: it may "
            "require {requirement} of designation {designation}."
        ),
        "designation:designation",
        "order:order",
        "requirement:requirement",
    ),
    _reason(
        "safe-country-designation.valid",
        "pass",
        _("Designation {designation} is in force and meets the standards in force."),
        "designation:designation",
    ),
    # court-order
    _reason(
        "court-order.prohibited",
        "blocked",
        _("The transfer is prohibited by {orders}."),
        "orders:orders",
    ),
    _reason(
        "court-order.condition-unmet",
        "blocked",
        _("{order} allows the transfer only if {requirement} is met, and it is not."),
        "order:order",
        "requirement:requirement",
    ),
    _reason(
        "court-order.may-prohibit",
        "review",
        _("{orders} may cover this transfer (the person's class or the legal basis is unknown)."),
        "orders:orders",
    ),
    _reason(
        "court-order.effect-unknown",
        "review",
        _(
            "{orders} cover or may cover this transfer, and whether they prohibit it or set "
            "conditions is not recorded."
        ),
        "orders:orders",
    ),
    _reason(
        "court-order.condition-unknown",
        "review",
        _("{order} requires {requirement}, and whether it is met is unknown."),
        "order:order",
        "requirement:requirement",
    ),
    _reason(
        "court-order.may-cover-condition-unmet",
        "review",
        _("{order} may cover this transfer and its condition {requirement} is not met."),
        "order:order",
        "requirement:requirement",
    ),
    _reason(
        "court-order.conditions-met",
        "pass",
        _("The conditions set by {orders} are met."),
        "orders:orders",
    ),
    _reason(
        "court-order.none",
        "pass",
        _("No court order or interim measure in effect covers this transfer."),
    ),
    # treatment-on-arrival
    _reason(
        "treatment-on-arrival.incommunicado",
        "blocked",
        _("The person would be held incommunicado on arrival."),
    ),
    _reason(
        "treatment-on-arrival.custody-without-individual-basis",
        "blocked",
        _(
            "The person would be held in {custody} on arrival without a charge or an individual "
            "decision that a court there can review."
        ),
        "custody:custody",
    ),
    _reason(
        "treatment-on-arrival.counsel-access-refused",
        "blocked",
        _("The person would be refused access to a lawyer on arrival."),
    ),
    _reason(
        "treatment-on-arrival.unknown",
        "review",
        _("How the person would be treated on arrival is unknown."),
    ),
    _reason(
        "treatment-on-arrival.custody-unknown",
        "review",
        _("Whether the person would be held in custody on arrival is unknown."),
    ),
    _reason(
        "treatment-on-arrival.individual-basis-unknown",
        "review",
        _(
            "The person would be held in {custody}; whether on a charge or an individual "
            "reviewable decision is unknown."
        ),
        "custody:custody",
    ),
    _reason(
        "treatment-on-arrival.incommunicado-unknown",
        "review",
        _(
            "On arrival ({custody}), whether the person could contact counsel, family or consular"
            " officials is unknown."
        ),
        "custody:custody",
    ),
    _reason(
        "treatment-on-arrival.counsel-access-unknown",
        "review",
        _("On arrival ({custody}), whether the person could see a lawyer is unknown."),
        "custody:custody",
    ),
    _reason(
        "treatment-on-arrival.no-legal-status",
        "review",
        _("The person would get no lawful status or durable solution on arrival."),
    ),
    _reason(
        "treatment-on-arrival.legal-status-unknown",
        "review",
        _("Whether the person would get a lawful status on arrival is unknown."),
    ),
    _reason(
        "treatment-on-arrival.acceptable",
        "pass",
        _("On arrival: {custody}, with a lawful status and no bar found."),
        "custody:custody",
    ),
    # family-unity
    _reason(
        "family-unity.family-in-sending-country",
        "review",
        _(
            "The person has a spouse, partner or minor child in the sending state: the "
            "interference with family life must be weighed."
        ),
    ),
    _reason(
        "family-unity.unknown",
        "review",
        _("Whether the person has close family in the sending state is unknown."),
    ),
    _reason(
        "family-unity.none",
        "pass",
        _("The person has no spouse, partner or minor child in the sending state."),
    ),
    # fit-to-travel
    _reason("fit-to-travel.unfit", "blocked", _("The person is not medically fit to travel.")),
    _reason(
        "fit-to-travel.unknown",
        "review",
        _("Whether the person is medically fit to travel is unknown."),
    ),
    _reason("fit-to-travel.fit", "pass", _("The person is medically fit to travel.")),
    # identity-verified
    _reason(
        "identity-verified.not-verified",
        "review",
        _("The person's identity has not been verified."),
    ),
    _reason(
        "identity-verified.unknown",
        "review",
        _("Whether the person's identity has been verified is unknown."),
    ),
    _reason("identity-verified.verified", "pass", _("The person's identity has been verified.")),
    # reception-commitments
    _reason(
        "reception-commitments.sending-state-runs-reception",
        "pass",
        _("Under {arrangement} the sending state runs reception itself."),
        "arrangement:arrangement",
    ),
    _reason(
        "reception-commitments.no-arrangement",
        "review",
        _("No arrangement commits anyone to receive the person."),
    ),
    _reason(
        "reception-commitments.no-accommodation",
        "review",
        _("{arrangement} does not commit the receiving state to accommodate the person."),
        "arrangement:arrangement",
    ),
    _reason(
        "reception-commitments.accommodation",
        "pass",
        _("{arrangement} commits the receiving state to accommodate the person."),
        "arrangement:arrangement",
    ),
)
