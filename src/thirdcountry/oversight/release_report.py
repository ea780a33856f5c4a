"""A release's documents for reading: the method in words, ``METHOD.md`` and the HTML report
with its charts, rendered from the templates under ``oversight/release/``.

The method is one template in two markups, so the markdown that ``release.json`` and
``METHOD.md`` hold and the report's HTML never say different things.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from thirdcountry.charts import RowsChart, rows_chart
from thirdcountry.oversight.suppression import PRIMARY_MAX, SHOWN

_MARKUP: Final = ("heading", "para", "strong", "code")
#: The marks each markup opens and closes its pieces with, in ``_MARKUP`` order.
_MARKDOWN: Final = (("## ", ""), ("", ""), ("**", "**"), ("`", "`"))
_HTML: Final = (
    ("<h2>", "</h2>"),
    ("<p>", "</p>"),
    ("<strong>", "</strong>"),
    ("<code>", "</code>"),
)


def _markup(marks: tuple[tuple[str, str], ...]) -> dict[str, str]:
    context = {}
    for name, (opening, closing) in zip(_MARKUP, marks, strict=True):
        context[name], context[f"end_{name}"] = mark_safe(opening), mark_safe(closing)
    return context


def _method_context(marks: tuple[tuple[str, str], ...], catalog: str) -> dict[str, Any]:
    return _markup(marks) | {
        "catalog": catalog,
        "primary_max": PRIMARY_MAX,
        "shown": SHOWN,
    }


def _render_text(name: str, context: Mapping[str, Any]) -> str:
    """A text template rendered without HTML escaping, ending with one newline whatever
    its file ends with."""
    template = Engine.get_default().get_template(name)
    text: str = template.render(Context(dict(context), autoescape=False))
    return text.rstrip("\n") + "\n"


def method_markdown(catalog: str) -> str:
    """The method in markdown: what is counted (verdicts under safeguard catalog
    ``catalog``), how small counts are suppressed, how money is converted, and what is never
    published."""
    return _render_text("oversight/release/method.txt", _method_context(_MARKDOWN, catalog))


def method_file(document: Mapping[str, Any]) -> str:
    """``METHOD.md``: the period, the statement of refoulement incidents, the tables
    withheld whole, then the method."""
    return _render_text("oversight/release/METHOD.md", document)


def _grouped(value: int) -> str:
    """A count as the report writes it, its thousands grouped."""
    return f"{value:,}"


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def table_chart(table: Mapping[str, Any]) -> RowsChart:
    """A published table as a horizontal stacked bar per row, one segment per published
    cell; a suppressed cell has no segment, and its row says how many are hidden."""
    rows = [
        (str(row["label"]), [_number(cell) for cell in row["cells"]], row["total"])
        for row in table["rows"]
    ]
    return rows_chart(table["title"], table["columns"], rows, number=_grouped)


def _grid(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows of money as a header (words, not keys) and the values under it."""
    header = list(rows[0]) if rows else []
    return {
        "header": [name.replace("_", " ") for name in header],
        "rows": [[row[name] for name in header] for row in rows],
    }


def report_html(document: Mapping[str, Any], catalog: str) -> str:
    """The release as one HTML page with everything inline: no external file, script, font
    or image, so it renders offline; its method names safeguard catalog ``catalog``."""
    period = document["period"]
    context = _method_context(_HTML, catalog) | {
        "title": f"Third-country transfers, {period['from']} to {period['to']}",
        "incidents": document["refoulement_incidents"],
        "generated_at": document["generated_at"],
        "tables": [(t, table_chart(t) if t["rows"] else None) for t in document["tables"]],
        "withheld_tables": document["withheld_tables"],
        "currency": document["reporting_currency"],
        "payments": _grid(document["payments"]),
        "cost": _grid(document["cost_per_executed_transfer"]),
    }
    page: str = render_to_string("oversight/release/report.html", context)
    return page
