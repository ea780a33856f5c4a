"""What the records layer tells the apps built on it, so that it need not import them."""

from django.dispatch import Signal

#: Sent once a new person is stored, inside the transaction that stored it, with the
#: person's ``ref``. The identity app links the person at once (``identity.services
#: .link_person``), so a duplicate waits for review before the person's first transfer is
#: screened against one copy only; each receiver answers with the candidate pairs it queued.
person_created = Signal()


def announce_person_created(ref: str) -> int:
    """Send :data:`person_created` for ``ref``; the number of candidate pairs queued."""
    answers = person_created.send(sender=announce_person_created, ref=ref)
    return sum(len(queued or ()) for _, queued in answers)
