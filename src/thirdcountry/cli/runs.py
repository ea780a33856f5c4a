"""Commands for re-screening: run one now with progress, work the background queue, and show
what runs changed.

Django and the apps are imported inside each command, after ``setup_django()``: models
cannot be imported before Django is set up."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT, parse_as_of
from thirdcountry.cli.output import STYLES, print_json, stderr, stdout
from thirdcountry.cli.progress import progress


def rescreen(
    everything: Annotated[
        bool, typer.Option("--all", help="Every pending transfer (e.g. after a new catalog).")
    ] = False,
    arrangement: Annotated[
        str | None, typer.Option("--arrangement", metavar="REF", help="Transfers under it.")
    ] = None,
    destination: Annotated[
        str | None, typer.Option("--destination", metavar="CC", help="Transfers to it.")
    ] = None,
    order: Annotated[
        str | None, typer.Option("--order", metavar="REF", help="What a court order covers.")
    ] = None,
    person: Annotated[
        str | None, typer.Option("--person", metavar="REF", help="A person's transfers.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="Default: the world's, else today."),
    ] = None,
    resume: Annotated[
        int | None,
        typer.Option(
            "--resume",
            metavar="RUN",
            help="Carry an interrupted run (running or failed) through to completion.",
        ),
    ] = None,
) -> None:
    """Re-screen pending transfers now, in the foreground, and record the run. A run that
    was interrupted (its verdicts fail 'audit verify' until it completes) is carried
    through with --resume RUN."""
    if resume is not None:
        _resume(resume, any((everything, arrangement, destination, order, person, as_of)))
        return
    chosen: dict[str, Any] = {
        key: value
        for key, value in (
            ("arrangement", arrangement),
            ("destination", destination),
            ("order", order),
            ("person", person),
        )
        if value is not None
    }
    if everything:
        chosen["all"] = True
    if len(chosen) != 1:
        stderr.print(
            "[bold red]choose one of[/] --all, --arrangement, --destination, --order, --person"
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    when = parse_as_of(as_of)
    setup_django()
    require_migrated()
    from thirdcountry.cases.rescreening import execute_run, start_run

    try:
        run = start_run(chosen, as_of=when)
    except Exception as error:  # an unknown ref names nothing to re-screen
        stderr.print(f"[bold red]cannot re-screen:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    with progress("reading the transfers in scope") as report:
        outcome = execute_run(run, lambda done, total: report("re-screening", done, total))
    stdout.print(run_table(outcome.run))


def _resume(run_id: int, scoped: bool) -> None:
    """Take back what an interrupted attempt of a run wrote and carry the run through."""
    if scoped:
        stderr.print("[bold red]--resume[/] takes no scope or date: the run keeps its own")
        raise typer.Exit(EXIT_BAD_INPUT)
    setup_django()
    require_migrated()
    from thirdcountry.cases.models import ScreeningRun
    from thirdcountry.cases.rescreening import execute_run

    run = ScreeningRun.objects.filter(pk=run_id).first()
    if run is None:
        stderr.print(f"[bold red]--resume:[/] no run {run_id}")
        raise typer.Exit(EXIT_BAD_INPUT)
    if run.status == "complete":
        stderr.print(f"[bold red]--resume:[/] run {run_id} is already complete")
        raise typer.Exit(EXIT_BAD_INPUT)
    with progress("reading the transfers in scope") as report:
        outcome = execute_run(run, lambda done, total: report("re-screening", done, total))
    stdout.print(run_table(outcome.run))


def _under(change: dict[str, Any]) -> str:
    """A finding of the catalog a transfer was screened under before, marked with it."""
    return f"[{change['catalog']}] " if change.get("catalog") else ""


def run_table(run: Any, limit: int = 50) -> Table:
    """A run: its trigger, counts before and after, and the transfers it changed."""
    table = Table(
        title=(
            f"Run {run.pk}: {run.trigger} — {run.status}, as of {run.as_of}, catalog {run.catalog}"
        ),
        title_justify="left",
        caption=(
            f"{run.transfers_screened:,} of {run.transfers_in_scope:,} screened in "
            f"{run.duration_seconds or 0:,.2f} s; {run.changed:,} changed. "
            + " ".join(
                f"{k} {run.counts_before.get(k, 0):,}→{run.counts_after.get(k, 0):,}"
                for k in ("clear", "review", "blocked", "unscreened")
            )
        ),
    )
    table.add_column("transfer", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("rules changed")
    for change in run.changes.select_related("transfer")[:limit]:
        before = change.verdict_before or "unscreened"
        rules = ", ".join(
            f"{_under(r)}{r['rule']} {r['before'] or '—'}→{r['after'] or '—'}"
            for r in change.rules_changed
        )
        table.add_row(
            change.transfer.ref,
            f"{before} → [{STYLES.get(change.verdict_after, '')}]{change.verdict_after}[/]",
            rules,
        )
    if run.changed > limit:
        table.add_row("…", "", f"{run.changed - limit:,} more")
    return table


def runs(
    run_id: Annotated[int | None, typer.Argument(help="Show this run's changes.")] = None,
    last: Annotated[int, typer.Option("--last", help="How many recent runs to list.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List recent screening runs, or show one run and what it changed."""
    setup_django()
    require_migrated()
    from thirdcountry.cases.models import ScreeningRun
    from thirdcountry.oversight.findings import shown_changes

    if run_id is not None:
        run = ScreeningRun.objects.filter(pk=run_id).first()
        if run is None:
            stderr.print(f"[bold red]no run {run_id}[/]")
            raise typer.Exit(EXIT_BAD_INPUT)
        if as_json:
            print_json(
                {
                    "run": run.pk,
                    "trigger": run.trigger,
                    "status": run.status,
                    "as_of": run.as_of.isoformat(),
                    "catalog": run.catalog,
                    "counts_before": run.counts_before,
                    "counts_after": run.counts_after,
                    "duration_seconds": run.duration_seconds,
                    "changes": [
                        {
                            "transfer": c.transfer.ref,
                            "verdict_before": c.verdict_before,
                            "verdict_after": c.verdict_after,
                            "rules_changed": shown_changes(
                                run.catalog, c.rules_changed, personal=True, language="en"
                            ),
                        }
                        for c in run.changes.select_related("transfer")
                    ],
                }
            )
        else:
            stdout.print(run_table(run))
        return
    table = Table(title="Screening runs", title_justify="left")
    for column in ("run", "trigger", "status", "as of", "screened", "changed", "seconds"):
        numeric = column in ("screened", "changed", "seconds")
        table.add_column(column, justify="right" if numeric else "left")
    for run in ScreeningRun.objects.order_by("-id")[:last]:
        table.add_row(
            str(run.pk),
            run.trigger,
            run.status,
            str(run.as_of),
            f"{run.transfers_screened:,} / {run.transfers_in_scope:,}",
            f"{run.changed:,}",
            f"{run.duration_seconds:,.2f}" if run.duration_seconds is not None else "",
        )
    stdout.print(table)


def worker(
    batch: Annotated[
        bool, typer.Option("--batch", help="Carry out what is queued, then stop.")
    ] = False,
) -> None:
    """Carry out queued re-screening runs (started from the web application or the API)."""
    setup_django()
    require_migrated()
    from django.core.management import call_command

    options: dict[str, Any] = {"no_startup_delay": True}
    if batch:
        options["batch"] = True
    call_command("db_worker", **options)


def generate(
    persons: Annotated[int, typer.Option("--persons", help="How many persons.")] = 10_000,
    transfers: Annotated[int, typer.Option("--transfers", help="How many transfers.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same data.")] = 0,
    screen_after: Annotated[
        bool, typer.Option("--screen/--no-screen", help="Screen every pending transfer after.")
    ] = True,
) -> None:
    """Fill an empty database with a synthetic, realistic population (every person fictional):
    names in several scripts and transliterations, shares of unknown facts, arrangements
    with histories, court orders. Uses COPY on PostgreSQL."""
    import time

    if persons < 1 or transfers < 0:
        stderr.print("[bold red]--persons must be at least 1 and --transfers at least 0[/]")
        raise typer.Exit(EXIT_BAD_INPUT)
    setup_django()
    require_migrated()
    from thirdcountry.cases.rescreening import execute_run, start_run
    from thirdcountry.records.bulk_write import write_population
    from thirdcountry.scenario.synthetic import generate_world

    clock = time.perf_counter()
    with progress("generating persons and transfers", persons + transfers) as report:
        world = generate_world(
            transfers,
            persons,
            seed,
            progress=lambda done, total: report("generating persons and transfers", done, total),
        )
    generated = time.perf_counter() - clock
    clock = time.perf_counter()
    try:
        with progress("writing to the database") as report:
            counts = write_population(
                world, lambda stage, done, total: report(f"writing: {stage}", done, total)
            )
    except ValueError as error:
        stderr.print(f"[bold red]cannot generate:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    written = time.perf_counter() - clock
    stderr.print(
        f"generated in {generated:.1f} s, written in {written:.1f} s: "
        + ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
    )
    if screen_after:
        run = start_run({"all": True}, "first screening of a generated population")
        with progress("reading the transfers to screen") as report:
            outcome = execute_run(run, lambda done, total: report("screening", done, total))
        stderr.print(
            f"screened {outcome.run.transfers_screened:,} pending transfers in "
            f"{outcome.run.duration_seconds:.1f} s: "
            + ", ".join(f"{n:,} {k}" for k, n in outcome.run.counts_after.items())
        )
