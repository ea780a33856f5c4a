"""How the command line shows a screening under a scenario@2 catalog (2026.2): a table of
verdicts, and every finding of one transfer with the regime, order or assessment that
decided it."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from thirdcountry.cli.output import STYLES
from thirdcountry.findings.render_v2 import RendererV2, catalog_document
from thirdcountry.rules.v2.catalog import CatalogV2, Result
from thirdcountry.screening_v2 import ScreeningV2

#: The parameter types that name what decided a finding.
_DECIDERS = ("regime", "order", "orders", "assessment", "legal_basis")


def verdicts_table_v2(screening: ScreeningV2) -> Table:
    """One line per transfer: its verdict and the rules that did not pass."""
    table = Table(
        title=f"Screening on {screening.as_of} against catalog {screening.catalog.version} "
        f"(data {screening.catalog.data_revision})",
        title_justify="left",
    )
    table.add_column("transfer", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("rules not passing")
    for result in screening:
        not_passing = Text()
        for finding in (f for f in result.findings if f.outcome != "pass"):
            if not_passing:
                not_passing.append(", ")
            not_passing.append(finding.reason.code)
            not_passing.append(f" ({finding.outcome})", style=STYLES[finding.outcome])
        table.add_row(
            result.transfer, Text(result.verdict, style=STYLES[result.verdict]), not_passing
        )
    table.caption = ", ".join(f"{n} {name}" for name, n in screening.counts().items())
    return table


def explain_v2(result: Result, screening: ScreeningV2, language: str = "en") -> Group:
    """Every finding of one transfer: its reason, what decided it, and its basis."""
    renderer = RendererV2(screening.world, language)
    blocks: list[Text] = [
        Text.assemble(
            (f"Transfer {result.transfer}: ", "bold"),
            (result.verdict, STYLES[result.verdict]),
            f" on {screening.as_of}, catalog {screening.catalog.version}, "
            f"data {screening.catalog.data_revision}",
        )
    ]
    for finding in result.findings:
        decided = [
            f"{p.name}: {renderer.value(p, finding.params[p.name])}"
            for p in finding.reason.params
            if p.type in _DECIDERS and finding.params[p.name] is not None
        ]
        blocks.append(
            Text.assemble(
                "\n",
                (f"{finding.rule.number:>2}. {finding.rule.id} ", "bold"),
                (finding.outcome, STYLES[finding.outcome]),
                (f"  {finding.reason.code}", "dim"),
                f"\n    {renderer.text(finding)}\n",
                (f"    decided by {'; '.join(decided)}\n" if decided else "", "italic"),
                (f"    basis: {renderer.basis(finding)}", "dim"),
            )
        )
    return Group(*blocks)


def catalog_table_v2(catalog: CatalogV2, reasons: bool, language: str) -> Group:
    """The catalog's rules (with their reasons when asked) and its data table's regimes."""
    document = catalog_document(catalog, language)
    rules = Table(title=f"Safeguard catalog {catalog.version}", title_justify="left")
    for column in ("#", "rule", "title", "basis"):
        rules.add_column(column, justify="right" if column == "#" else "left")
    for rule in document["rules"]:
        rules.add_row(str(rule["number"]), rule["id"], rule["title"], rule["basis"])
        if reasons:
            for reason in rule["reasons"]:
                rules.add_row(
                    "",
                    f"  {reason['code']}",
                    f"{reason['outcome']}: {reason['template']}",
                    ", ".join(f"{k} ({v})" for k, v in reason["params"].items()),
                )
    regimes = Table(title=f"Catalog data {catalog.data_revision}: regimes", title_justify="left")
    for column in ("id", "requirement", "value", "force", "in force", "applies to", "source"):
        regimes.add_column(column)
    for row in document["regimes"]:
        regimes.add_row(
            row["id"],
            row["requirement"],
            str(row["value"]).lower(),
            row["force_label"],
            f"{row['from'] or '…'} – {row['to'] or '…'}",  # noqa: RUF001 - a date range
            _selector(row["applies_to"]),
            row["source"],
        )
    bases = Table(title=f"Catalog data {catalog.data_revision}: legal bases", title_justify="left")
    for column in ("code", "sending", "needs an arrangement", "in force", "title"):
        bases.add_column(column)
    for basis in document["legal_bases"]:
        bases.add_row(
            basis["code"],
            basis["sending"],
            "yes" if basis["requires_arrangement"] else "no",
            f"{basis['from'] or '…'} – {basis['to'] or '…'}",  # noqa: RUF001 - a date range
            basis["title"],
        )
    return Group(rules, regimes, bases)


def _selector(keys: dict[str, Any]) -> str:
    return "; ".join(f"{k} {', '.join(v)}" for k, v in keys.items()) or "every transfer"
