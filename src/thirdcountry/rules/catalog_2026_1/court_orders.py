"""Rule 13: no court order or interim measure stops the transfer."""

import polars as pl

from thirdcountry.rules.catalog import Logic, blocked, col, fmt, rule


def _describe_orders() -> pl.Expr:
    order = pl.element().struct.field
    return (
        col("court_orders")
        .list.eval(
            fmt(
                "{} ({} by {}, issued {}, covers {})",
                order("order"),
                order("kind"),
                order("issuer"),
                order("issued"),
                order("covers"),
            )
        )
        .list.join("; ")
    )


@rule(
    13,
    "court-order",
    title="No court order in effect stops the transfer",
    basis=(
        "the order itself (e.g. a stay, an injunction, a Rule 39 interim measure of the "
        "European Court of Human Rights)"
    ),
    reads=("court_orders", "as_of"),
)
def court_order() -> Logic:
    return Logic(
        checks=[
            blocked(
                col("court_orders").list.len() > 0,
                fmt("in effect on {}: {}", col("as_of"), _describe_orders()),
            ),
        ],
        passes=fmt("no court order in effect on {} covers this transfer", col("as_of")),
    )
