"""A court order corrected or withdrawn with a reason, and the history of each record as its
page reads it: when, by whom, why, and what changed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import msgspec
import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from thirdcountry.accounts.services import create_user
from thirdcountry.cases import legal_events
from thirdcountry.cases.models import Person, ScreeningRecord
from thirdcountry.cases.services import screen_stored
from thirdcountry.records.bulk_write import write_new_records
from thirdcountry.records.documents import court_order_documents, parse_court_order
from thirdcountry.records.export import export_arrangements, export_persons
from thirdcountry.records.history import NOT_KEPT, Recorded, record_history
from thirdcountry.records.load import load_scenario_records
from thirdcountry.records.services import save_arrangement, save_person
from thirdcountry.records.services_v2 import save_record_v2, stored_record_v2
from thirdcountry.registry.models import Arrangement, CourtOrder, FactsV2
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario.model import Scenario

pytestmark = pytest.mark.django_db

ORDER = "ECHR-R39-2022-06-14"  # an interim measure on P-104, in effect


@pytest.fixture
def world(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


@pytest.fixture
def officer() -> User:
    user: User = create_user("officer", "legal_officer", "a-long-test-password")
    return user


def latest_verdict(ref: str) -> str:
    return str(ScreeningRecord.objects.filter(transfer__ref=ref).latest("id").verdict)


def corrected(ref: str, **changes: object) -> object:
    return parse_court_order({**court_order_documents([ref])[ref], **changes})


def test_correcting_an_orders_scope_rescreens_what_it_covered_and_what_it_covers(
    world: None, officer: User
) -> None:
    assert latest_verdict("T-104") == "blocked"
    order = CourtOrder.objects.get(ref=ORDER)
    runs = legal_events.correct_court_order(
        order, corrected(ORDER, scope={"person": "P-105"}), "wrong person named", officer
    )
    assert [run.scope for run in runs] == [{"person": "P-104"}, {"person": "P-105"}]
    assert latest_verdict("T-105") == "blocked"
    assert CourtOrder.objects.get(ref=ORDER).scope_person == Person.objects.get(ref="P-105")
    newest = record_history("court_order", order.pk)[0]
    assert (newest.reason, newest.username, newest.action) == (
        "wrong person named",
        "officer",
        "changed",
    )
    assert [(f.fact, f.before, f.after) for f in newest.facts] == [
        ("scope_person", "P-104", "P-105")
    ]


def test_an_unchanged_scope_is_rescreened_once(world: None, officer: User) -> None:
    order = CourtOrder.objects.get(ref=ORDER)
    runs = legal_events.correct_court_order(
        order, corrected(ORDER, issuer="ECtHR", issued="2022-06-15"), "typo", officer
    )
    assert len(runs) == 1
    facts = {f.fact: (f.before, f.after) for f in record_history("court_order", order.pk)[0].facts}
    assert facts == {
        "issuer": ("European Court of Human Rights", "ECtHR"),
        "issued": (date(2022, 6, 14), date(2022, 6, 15)),
    }


def test_a_correction_keeps_the_ref(world: None, officer: User) -> None:
    with pytest.raises(ValueError, match="refs never change"):
        legal_events.correct_court_order(
            CourtOrder.objects.get(ref=ORDER), corrected("DMASS-2025-05-07-LY"), "x", officer
        )


def test_a_withdrawn_order_is_gone_its_history_says_why(world: None, officer: User) -> None:
    order = CourtOrder.objects.get(ref=ORDER)
    pk = order.pk
    run = legal_events.withdraw_court_order(order, "recorded on the wrong case", officer)
    assert not CourtOrder.objects.filter(ref=ORDER).exists()
    assert run.scope == {"person": "P-104"}
    history = record_history("court_order", pk)
    assert [(c.action, c.reason) for c in history] == [
        ("withdrawn", "recorded on the wrong case"),
        ("created", "load scenario"),
    ]
    assert history[0].username == "officer"


def test_a_persons_history_lists_each_change_newest_first(world: None, officer: User) -> None:
    person = export_persons(["P-105"])[0]
    save_person(
        msgspec.structs.replace(person, names=("José Rodríguez",), birth_date=date(1994, 11, 24)),
        officer,
        reason="name and birth date from the passport",
    )
    save_person(
        msgspec.structs.replace(export_persons(["P-105"])[0], languages=msgspec.UNSET),
        officer,
        reason="languages not confirmed",
    )
    history = record_history("person", Person.objects.get(ref="P-105").pk)
    assert [c.reason for c in history] == [
        "languages not confirmed",
        "name and birth date from the passport",
        "load scenario",
    ]
    languages = {f.fact: f for f in history[0].facts}
    assert languages["languages"].before == Recorded(True)
    assert languages["languages"].after == Recorded(False)
    assert languages["languages"].removed == (("es",),)  # the list's entries went too
    passport = {f.fact: f for f in history[1].facts}
    assert passport["names"].removed == (("José R.",),)
    assert passport["names"].added == (("José Rodríguez",),)
    assert (passport["birth_date"].before, passport["birth_date"].after) == (
        date(1994, 11, 23),
        date(1994, 11, 24),
    )
    assert history[2].action == "created"
    assert history[2].username is None


def test_an_arrangements_history_shows_a_withdrawn_status_entry(world: None) -> None:
    arrangement = export_arrangements(["GB-RW-2022"])[0]
    kept = arrangement.status_history[:-1]
    save_arrangement(
        msgspec.structs.replace(arrangement, status_history=kept), reason="entry in error"
    )
    newest = record_history("arrangement", Arrangement.objects.get(ref="GB-RW-2022").pk)[0]
    assert newest.reason == "entry in error"
    (change,) = newest.facts
    last = arrangement.status_history[-1]
    assert change.fact == "status_history"
    assert change.removed == ((last.date, last.status, last.source),)
    assert change.added == ()


def test_a_record_written_in_bulk_shows_its_first_change_with_what_was_not_kept(
    world: None, officer: User
) -> None:
    person = msgspec.structs.replace(
        export_persons(["P-105"])[0], ref="P-950", names=("Ana B.",), birth_date=None
    )
    with transaction.atomic():
        write_new_records(Scenario(persons=(person,)), reason="import")
    stored = Person.objects.get(ref="P-950")
    assert record_history("person", stored.pk) == []  # no history written in bulk
    save_person(
        msgspec.structs.replace(person, names=("Ana Bravo",), birth_date=date(1990, 1, 2)),
        officer,
        reason="identity checked",
    )
    (change,) = record_history("person", stored.pk)
    assert (change.action, change.reason) == ("changed", "identity checked")
    facts = {f.fact: f for f in change.facts}
    assert (facts["birth_date"].before, facts["birth_date"].after) == (NOT_KEPT, date(1990, 1, 2))
    assert facts["names"].removed == (("Ana B.",),)
    assert facts["names"].added == (("Ana Bravo",),)


def facts_by_change(ref: str) -> list[list[str]]:
    """The facts each change of a person's history moved, newest first."""
    history = record_history("person", Person.objects.get(ref=ref).pk)
    return [sorted(f.fact for f in change.facts) for change in history]


def save_person_v2(officer: User, reason: str, **changes: object) -> None:
    person = msgspec.structs.replace(stored_record_v2("persons", "P-102"), **changes)
    save_record_v2("persons", person, reason=reason, user=officer)


def test_two_saves_moments_apart_are_two_changes(world: None, officer: User) -> None:
    # The same user, for the same reason, within a second: one save writes a column of the
    # record, the next an @2 fact beside it.
    save_person_v2(officer, "interview", birth_date=date(1990, 1, 2))
    save_person_v2(officer, "interview", sex="female")
    # Half a second apart, however busy the machine that runs this.
    written = Person.history.filter(ref="P-102").latest("history_id").history_date
    FactsV2.history.filter(ref="P-102").update(history_date=written + timedelta(seconds=0.5))
    assert facts_by_change("P-102")[:2] == [["sex"], ["birth_date"]]


def test_one_save_is_one_change_however_long_it_takes(world: None, officer: User) -> None:
    save_person_v2(officer, "interview", birth_date=date(1990, 1, 2), sex="female")
    # As if the save wrote the @2 facts well after the record's own row.
    latest = FactsV2.history.filter(ref="P-102").latest("history_id")
    FactsV2.history.filter(pk=latest.pk).update(
        history_date=F("history_date") + timedelta(seconds=5)
    )
    assert facts_by_change("P-102")[0] == ["birth_date", "sex"]


def test_versions_kept_before_saves_were_named_read_as_one_change(
    world: None, officer: User
) -> None:
    save_person_v2(officer, "interview", birth_date=date(1990, 1, 2), sex="female")
    for model in (Person, FactsV2):
        model.history.update(save_id=None)
    assert facts_by_change("P-102")[0] == ["birth_date", "sex"]


def test_new_records_naming_a_stored_ref_are_refused_and_nothing_is_written(
    world: None,
) -> None:
    stored = export_persons(["P-105"])[0]
    new = msgspec.structs.replace(stored, ref="P-951", names=("Ana B.",))
    persons = Person.objects.count()
    with transaction.atomic():
        with pytest.raises(ValueError, match="persons are stored already"):
            write_new_records(Scenario(persons=(new, stored)), reason="import")
        assert Person.objects.count() == persons
