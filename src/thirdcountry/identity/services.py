"""Writes of identity resolution: finding candidate pairs, deciding them, merging two
records of one person and undoing a merge.

A merge moves the absorbed person's transfers (and the court orders that name them) to the
survivor, pools their facts (:mod:`thirdcountry.linkage.merging`), removes the absorbed
record, and keeps everything it replaced, so :func:`unmerge` restores both persons, their
facts and their transfers exactly. Both are audited and re-screen the transfers of both
persons: a fear claim recorded against one copy counts for the transfers of the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import msgspec
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from thirdcountry.cases import models as cases
from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.rescreening import rescreen
from thirdcountry.identity.models import Candidate, LinkageWeights, Merge
from thirdcountry.identity.selectors import (
    candidate_refs,
    current_weights,
    linkage_records,
    name_frequencies,
)
from thirdcountry.linkage import model as linkage
from thirdcountry.linkage.merging import merged_person
from thirdcountry.linkage.model import THRESHOLD, LinkageModel
from thirdcountry.linkage.records import records_frame
from thirdcountry.linkage.single import SingleRecordScorer, prior_model
from thirdcountry.oversight import audit
from thirdcountry.records.export import export_court_orders, export_persons, export_transfers
from thirdcountry.records.load import write_records
from thirdcountry.registry import models as registry
from thirdcountry.scenario.model import CourtOrder, Person, Scenario, Transfer
from thirdcountry.scenario.parse import decode_hook


class IdentityError(ValueError):
    """A merge or decision that cannot be made; the message says why."""


@dataclass(frozen=True)
class LinkOutcome:
    """What a linkage run found: persons read, pairs proposed, pairs new to the queue, and
    whether the weights were learnt from the records (else the model's priors were used)."""

    persons: int
    proposed: int
    new: int
    trained: bool


def _actor(user: Any) -> str:
    return str(getattr(user, "username", "") or "")


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _store(found: list[Any]) -> int:
    """Queue the pairs never proposed before (a pair decided once is never proposed again)."""
    pairs = {_ordered(c.left, c.right): c for c in found}
    known = set(
        Candidate.objects.filter(left_ref__in={p[0] for p in pairs}).values_list(
            "left_ref", "right_ref"
        )
    )
    new = [
        Candidate(
            left_ref=left,
            right_ref=right,
            probability=c.probability,
            weight=c.weight,
            contributions={k: [label, round(w, 3)] for k, (label, w) in c.contributions.items()},
        )
        for (left, right), c in pairs.items()
        if (left, right) not in known
    ]
    Candidate.objects.bulk_create(new, batch_size=2000)
    return len(new)


def link_persons(*, threshold: float = THRESHOLD, user: Any = None) -> LinkOutcome:
    """Score every pair of stored persons the model's blocking brings together, and queue
    those at or above ``threshold`` that no reviewer has decided yet."""
    records = linkage_records()
    if records.height < 2:
        return LinkOutcome(records.height, 0, 0, False)
    model = LinkageModel(records)
    trained = model.train()
    found = model.candidates(threshold)
    with transaction.atomic():
        if trained:
            # A new record is scored with these weights until the next run learns others.
            LinkageWeights.objects.create(
                persons=records.height, model=model.linker.misc.save_model_to_json()
            )
        new = _store(found)
        audit.append(
            "link",
            reason="linkage run",
            actor=_actor(user),
            detail={"persons": records.height, "proposed": len(found), "new": new},
        )
    return LinkOutcome(records.height, len(found), new, trained)


@lru_cache(maxsize=4)
def _scorer(weights: int | None) -> SingleRecordScorer:
    stored = None if weights is None else LinkageWeights.objects.filter(pk=weights).first()
    return SingleRecordScorer(prior_model() if stored is None else stored.model)


def score_new_person(
    names: Sequence[str],
    birth_date: dt.date | None = None,
    nationalities: Sequence[str] | None = None,
    *,
    ref: str = "new",
) -> list[linkage.Candidate]:
    """A person being recorded scored against the stored persons the model's blocks bring
    together for it, with the weights last learnt (or the priors), most likely first; each
    candidate's ``left`` is the stored person's ref. Nothing is written."""
    names = [n for n in names if n.strip()]
    if not names:
        return []
    refs = candidate_refs(names, birth_date, exclude=ref)
    if not refs:
        return []
    weights = current_weights()
    scorer = _scorer(None if weights is None else weights.pk)
    new = records_frame(
        [ref], [names], [birth_date], [None if nationalities is None else list(nationalities)]
    )
    return scorer.score(new, linkage_records(refs), name_frequencies(names))


def link_person(ref: str, *, threshold: float = THRESHOLD) -> list[Candidate]:
    """Score one stored person, just recorded, against the others (see
    :func:`score_new_person`) and queue the pairs at or above ``threshold`` that no reviewer
    has decided yet, so that a duplicate is seen before it is screened; returns the
    person's queued pairs."""
    records = linkage_records([ref])
    if records.height != 1:
        return []
    row = records.row(0, named=True)
    found = [
        c
        for c in score_new_person(row["names"], row["birth_date"], row["nationalities"], ref=ref)
        if c.probability >= threshold
    ]
    _store(found)
    return list(Candidate.objects.filter(Q(left_ref=ref) | Q(right_ref=ref)))


def link_created_person(sender: Any, *, ref: str, **kwargs: Any) -> list[Candidate]:
    """Link a person the records layer has just created (its ``person_created`` signal)."""
    return link_person(ref)


@transaction.atomic
def mark_not_same(candidate: Candidate, *, user: Any = None) -> Candidate:
    """Record that the pair is not one person: it is never proposed again."""
    if candidate.status != "open":
        raise IdentityError(f"this pair is already decided ({candidate.status})")
    candidate.status = "not_same"
    candidate.decided_at = timezone.now()
    candidate.decided_by = user if getattr(user, "is_authenticated", False) else None
    candidate.save()
    audit.append(
        "not_same",
        reason=f"{candidate.left_ref} and {candidate.right_ref} are not the same person",
        actor=_actor(user),
        detail={"left": candidate.left_ref, "right": candidate.right_ref},
    )
    return candidate


def _encode(records: list[Any]) -> list[Any]:
    return [msgspec.to_builtins(r) for r in records]


def _decode(kind: type, documents: list[Any]) -> tuple[Any, ...]:
    return tuple(msgspec.convert(d, kind, dec_hook=decode_hook) for d in documents)


def _transfer_refs(*persons: str) -> list[str]:
    return sorted(
        cases.Transfer.objects.filter(person__ref__in=persons).values_list("ref", flat=True)
    )


def _rescreen(refs: list[str], why: str, user: Any) -> ScreeningRun | None:
    if not refs:
        return None
    return rescreen({"transfers": refs}, why, user=user)


@transaction.atomic
def merge_persons(
    survivor_ref: str,
    absorbed_ref: str,
    *,
    candidate: Candidate | None = None,
    user: Any = None,
) -> Merge:
    """Merge ``absorbed_ref`` into ``survivor_ref`` (see the module's description)."""
    if survivor_ref == absorbed_ref:
        raise IdentityError("a person cannot be merged into themselves")
    stored = {p.ref: p for p in export_persons([survivor_ref, absorbed_ref])}
    for ref in (survivor_ref, absorbed_ref):
        if ref not in stored:
            raise IdentityError(f"no person {ref}")
    survivor, absorbed = stored[survivor_ref], stored[absorbed_ref]
    transfers = export_transfers(_transfer_refs(absorbed_ref))
    order_refs = list(
        registry.CourtOrder.objects.filter(scope_person__ref=absorbed_ref).values_list(
            "ref", flat=True
        )
    )
    orders = export_court_orders(order_refs)
    reason = f"merge {absorbed_ref} into {survivor_ref}"
    write_records(
        Scenario(
            persons=(merged_person(survivor, absorbed),),
            transfers=tuple(msgspec.structs.replace(t, person=survivor_ref) for t in transfers),
            court_orders=tuple(
                msgspec.structs.replace(
                    o, scope=msgspec.structs.replace(o.scope, person=survivor_ref)
                )
                for o in orders
            ),
        ),
        reason=reason,
        user=user,
    )
    gone = cases.Person.objects.get(ref=absorbed_ref)
    gone._change_reason = reason
    if getattr(user, "is_authenticated", False):
        gone._history_user = user
    gone.delete()
    merge: Merge = Merge.objects.create(
        survivor_ref=survivor_ref,
        absorbed_ref=absorbed_ref,
        candidate=candidate,
        before={
            "survivor": msgspec.to_builtins(survivor),
            "absorbed": msgspec.to_builtins(absorbed),
            "transfers": _encode(transfers),
            "court_orders": _encode(orders),
        },
        merged_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if candidate is not None:
        candidate.status = "merged"
        candidate.decided_at = timezone.now()
        candidate.decided_by = merge.merged_by
        candidate.save()
    audit.append(
        "merge",
        reason=reason,
        actor=_actor(user),
        detail={
            "merge": merge.pk,
            "survivor": survivor_ref,
            "absorbed": absorbed_ref,
            "transfers": [t.ref for t in transfers],
            "court_orders": order_refs,
        },
    )
    _rescreen(_transfer_refs(survivor_ref), reason, user)
    return merge


@transaction.atomic
def unmerge(merge: Merge, *, user: Any = None) -> Merge:
    """Undo a merge: both persons, their facts, their transfers and the court orders that
    named them are restored as they were before it; their transfers are re-screened."""
    if merge.undone_at is not None:
        raise IdentityError(f"merge {merge.pk} was already undone")
    if cases.Person.objects.filter(ref=merge.absorbed_ref).exists():
        raise IdentityError(f"a person {merge.absorbed_ref} exists again: undo cannot recreate it")
    if not cases.Person.objects.filter(ref=merge.survivor_ref).exists():
        raise IdentityError(f"person {merge.survivor_ref} no longer exists")
    before = merge.before
    reason = f"unmerge {merge.absorbed_ref} from {merge.survivor_ref}"
    write_records(
        Scenario(
            persons=_decode(Person, [before["survivor"], before["absorbed"]]),
            transfers=_decode(Transfer, before["transfers"]),
            court_orders=_decode(CourtOrder, before["court_orders"]),
        ),
        reason=reason,
        user=user,
    )
    merge.undone_at = timezone.now()
    merge.undone_by = user if getattr(user, "is_authenticated", False) else None
    merge.save()
    if merge.candidate is not None:
        merge.candidate.status = "open"
        merge.candidate.decided_at = None
        merge.candidate.decided_by = None
        merge.candidate.save()
    audit.append(
        "unmerge",
        reason=reason,
        actor=_actor(user),
        detail={"merge": merge.pk, "survivor": merge.survivor_ref, "absorbed": merge.absorbed_ref},
    )
    _rescreen(_transfer_refs(merge.survivor_ref, merge.absorbed_ref), reason, user)
    return merge


#: Up to this many stored persons, an import that creates or changes persons looks for the
#: duplicates among them at once; beyond, ``thirdcountry link`` does (the linkage of a national
#: population takes minutes).
LINK_AT_IMPORT_UP_TO = 50_000


def link_after_import(persons_written: int, *, user: Any = None) -> LinkOutcome | None:
    """Queue the duplicate candidates an import raised, when it created or changed persons
    and the stored population is small enough to link now; ``None`` when it did not link."""
    if persons_written <= 0 or cases.Person.objects.count() > LINK_AT_IMPORT_UP_TO:
        return None
    return link_persons(user=user)
