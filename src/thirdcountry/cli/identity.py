"""Identity resolution on the command line: find candidate pairs, list them, merge two
records of one person, and undo a merge."""

from __future__ import annotations

from typing import Annotated

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT
from thirdcountry.cli.output import stderr, stdout


def link(
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold", min=0.0, max=1.0, help="Propose pairs at or above this probability."
        ),
    ] = 0.9,
) -> None:
    """Find persons recorded more than once: score the pairs the linkage model brings
    together and queue, for review, those no reviewer has decided yet."""
    setup_django()
    require_migrated()
    from thirdcountry.identity.services import link_persons

    outcome = link_persons(threshold=threshold)
    weights = "learnt from the records" if outcome.trained else "the model's priors"
    stdout.print(
        f"{outcome.persons:,} persons: {outcome.proposed:,} pair(s) at or above {threshold}, "
        f"{outcome.new:,} new in the review queue (weights: {weights})",
        markup=False,
    )


def candidates(
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many.")] = 50,
) -> None:
    """List the pairs waiting for review, most likely first."""
    setup_django()
    require_migrated()
    from rich.table import Table

    from thirdcountry.identity.selectors import open_candidates

    table = Table(title="Candidate pairs", title_justify="left")
    for column in ("id", "person", "person", "probability", "what agreed (weight)"):
        table.add_column(column)
    for candidate in open_candidates()[:limit]:
        table.add_row(
            str(candidate.pk),
            candidate.left_ref,
            candidate.right_ref,
            f"{candidate.probability:.3f}",
            "; ".join(f"{k}: {v[0]} ({v[1]:+.1f})" for k, v in candidate.contributions.items()),
        )
    stdout.print(table)


def merge(
    survivor: Annotated[str, typer.Argument(help="The ref of the person who remains.")],
    absorbed: Annotated[str, typer.Argument(help="The ref of the record merged into it.")],
) -> None:
    """Merge two records of one person (undo with 'unmerge')."""
    setup_django()
    require_migrated()
    from thirdcountry.identity.models import Candidate
    from thirdcountry.identity.services import IdentityError, merge_persons

    left, right = sorted((survivor, absorbed))
    pair = Candidate.objects.filter(left_ref=left, right_ref=right, status="open").first()
    try:
        done = merge_persons(survivor, absorbed, candidate=pair)
    except IdentityError as error:
        stderr.print(f"[bold red]cannot merge:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    stdout.print(f"merged {absorbed} into {survivor} (merge {done.pk})", markup=False)


def unmerge(
    merge_id: Annotated[int, typer.Argument(metavar="MERGE", help="The merge's number.")],
) -> None:
    """Undo a merge: both records, their facts and their transfers as they were."""
    setup_django()
    require_migrated()
    from thirdcountry.identity.models import Merge
    from thirdcountry.identity.services import IdentityError
    from thirdcountry.identity.services import unmerge as undo

    found = Merge.objects.filter(pk=merge_id).first()
    if found is None:
        stderr.print(f"[bold red]cannot unmerge:[/] no merge {merge_id}")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        undo(found)
    except IdentityError as error:
        stderr.print(f"[bold red]cannot unmerge:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    stdout.print(
        f"restored {found.absorbed_ref} and {found.survivor_ref} (merge {found.pk} undone)",
        markup=False,
    )
